#!/usr/bin/env node
/**
 * The main job on its embedded default: score two real judges against human labels.
 *
 * Data: the PandaLM human-annotated test set (999 pairs, three annotators) with the verdicts of
 * GPT-3.5-turbo and PandaLM-7B, bundled in fixtures/data/pandalm (Apache-2.0, see its SOURCE.md).
 *
 * Steps:
 *   1. load and validate the test set and both judges' outputs (@judgekit/datasets);
 *   2. rebuild each judge's raw text in PandaLM's output format and parse it back (@judgekit/parsers,
 *      strict mode = upstream's parse_pandalm_response, so unparsable "garbage" is a typed failure);
 *   3. reference label = majority vote of the three annotators; score each judge with accuracy and
 *      macro P/R/F1 over win / tie / loss, 1000-resample bootstrap intervals, and a paired bootstrap
 *      of the difference (@judgekit/metrics). Parse failures are mapped to a tie only because
 *      PandaLM's published table does so: the convention is picked by name (`failurePolicy: 'as-tie'`).
 *   4. print a table and write runs/pandalm-demo/{report.md, report.json, agreement.svg, report.html}.
 *
 * The parsing, scoring and report rendering are @judgekit/pipelines' `scoreJudgeOutputs` and
 * `renderEvaluationReport` / `renderEvaluationHtml`; `judgekit eval` and `judgekit report` write the
 * same reports for a judge you run yourself.
 *
 * Usage: node examples/pandalm-judges.mjs [--data DIR] [--out DIR] [--resamples N] [--seed S]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { JudgekitError } from '@judgekit/core';
import { loadPandaLmBundle, renderPandaLmJudgeText } from '@judgekit/datasets';
import { cohenKappa, fleissKappa, majorityVote, pairedBootstrap } from '@judgekit/metrics';
import { renderEvaluationHtml, renderEvaluationReport, scoreJudgeOutputs } from '@judgekit/pipelines';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

const JUDGES = [
  { name: 'GPT-3.5-turbo', key: 'gpt35', published: [0.7107, 0.5879, 0.5736, 0.5755] },
  { name: 'PandaLM-7B', key: 'pandalm7b', published: [0.6677, 0.5738, 0.575, 0.5743] },
];

async function main() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: join(root, 'fixtures/data/pandalm/data') },
      out: { type: 'string', default: join(root, 'runs/pandalm-demo') },
      resamples: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '0' },
    },
  });
  const resamples = Number(values.resamples);
  const seed = Number(values.seed);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new Error(`--resamples must be a positive integer`);

  // 1. Load and validate.
  const bundle = await loadPandaLmBundle(values.data);
  const samples = bundle.samples;
  const annotators = [0, 1, 2].map((k) => samples.map((s) => s.metadata.annotators[k]));
  const vote = majorityVote(annotators, { onSplit: 'first-seen' });
  const labels = vote.labels;

  // 2 + 3. Parse each judge's text (strict = upstream's parser) and score it (@judgekit/pipelines).
  const judges = JUDGES.map((judge) => {
    const { result, records } = scoreJudgeOutputs({
      outputs: bundle[judge.key].map((o) => renderPandaLmJudgeText(o)),
      labels,
      ids: samples.map((s) => s.id),
      outputFormat: 'pandalm',
      judge: judge.name,
      parseMode: 'strict',
      failurePolicy: 'as-tie',
      bootstrap: { resamples, seed },
    });
    return { name: judge.name, result, published: judge.published, records };
  });
  const paired = pairedBootstrap({
    predictionsA: judges[0].result.predictions,
    predictionsB: judges[1].result.predictions,
    labels,
    failurePolicy: 'as-tie',
    bootstrap: { resamples, seed },
  });
  const agreement = {
    cohen: [
      ['annotator 1 vs 2', cohenKappa(annotators[0], annotators[1])],
      ['annotator 1 vs 3', cohenKappa(annotators[0], annotators[2])],
      ['annotator 2 vs 3', cohenKappa(annotators[1], annotators[2])],
    ],
    fleiss: fleissKappa(annotators),
  };

  // 4. Print and write the report.
  const c = count(labels);
  const reportOptions = {
    title: 'PandaLM test set: judges vs. human majority vote',
    intro: [
      `${samples.length} pairs, three annotators; majority vote: answer 1 ${c.answer1}, answer 2 ${c.answer2}, tie ${c.tie} ` +
        `(${vote.unanimous} unanimous, ${vote.splits} three-way splits).`,
      `Annotator agreement: Cohen's kappa ${agreement.cohen.map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}; Fleiss' kappa ${agreement.fleiss.toFixed(4)}.`,
      `Judge verdicts parsed with \`parsePandaLm(text, { mode: 'strict' })\`; parse failures mapped to tie (PandaLM's convention, \`failurePolicy: 'as-tie'\`). ` +
        `Bootstrap seed ${seed}.`,
    ],
    paired: { a: judges[0].name, b: judges[1].name, report: paired },
    svgFile: 'agreement.svg',
    extraJson: {
      dataset: { name: 'PandaLM test set v1', samples: samples.length, labelCounts: c },
      annotatorAgreement: agreement,
    },
  };
  const report = renderEvaluationReport(judges, reportOptions);
  const html = renderEvaluationHtml(judges, {
    ...reportOptions,
    config: {
      data: 'fixtures/data/pandalm/data',
      resamples,
      seed,
      parseMode: 'strict',
      failurePolicy: 'as-tie',
    },
  });
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, 'report.md'), report.markdown);
  writeFileSync(join(values.out, 'report.json'), report.json);
  writeFileSync(join(values.out, 'agreement.svg'), report.svg);
  writeFileSync(join(values.out, 'report.html'), html);
  console.log(report.markdown);
  console.log(
    `report written to ${relative(process.cwd(), values.out) || '.'}/{report.md, report.json, agreement.svg, report.html}`,
  );
}

function count(labels) {
  const c = { answer1: 0, answer2: 0, tie: 0 };
  for (const l of labels) c[l]++;
  return c;
}

main().catch((error) => {
  // Readable errors, no stack traces: judgekit errors name the file, line and field.
  const message = JudgekitError.isInstance(error)
    ? `${error.name}: ${error.message}`
    : String(error?.message ?? error);
  console.error(`pandalm-judges: ${message}`);
  process.exit(1);
});
