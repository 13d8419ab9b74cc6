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
 *   4. print a table and write runs/pandalm-demo/{report.md, report.json, agreement.svg}.
 *
 * Usage: node examples/pandalm-judges.mjs [--data DIR] [--out DIR] [--resamples N] [--seed S]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { JudgekitError } from '@judgekit/core';
import { loadPandaLmBundle, renderPandaLmJudgeText } from '@judgekit/datasets';
import { cohenKappa, evaluateJudge, fleissKappa, majorityVote, pairedBootstrap } from '@judgekit/metrics';
import { parsePandaLm } from '@judgekit/parsers';

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

  // 2 + 3. Parse each judge's text and score it.
  const judges = [];
  for (const judge of JUDGES) {
    const outputs = bundle[judge.key];
    const parsed = outputs.map((o) => parsePandaLm(renderPandaLmJudgeText(o), { mode: 'strict' }));
    const predictions = parsed.map((r) => (r.ok ? r.value.verdict : null));
    const failures = parsed.filter((r) => !r.ok);
    const report = evaluateJudge({
      predictions,
      labels,
      failurePolicy: 'as-tie',
      bootstrap: { resamples, seed },
    });
    const separate = evaluateJudge({ predictions, labels, failurePolicy: 'count-separately' });
    judges.push({ ...judge, predictions, failures, report, separate });
  }
  const paired = pairedBootstrap({
    predictionsA: judges[0].predictions,
    predictionsB: judges[1].predictions,
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
  const md = renderMarkdown({ samples, vote, judges, paired, agreement, resamples, seed });
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, 'report.md'), md);
  writeFileSync(
    join(values.out, 'report.json'),
    `${JSON.stringify(
      {
        dataset: { name: 'PandaLM test set v1', samples: samples.length, labelCounts: count(labels) },
        annotatorAgreement: agreement,
        judges: judges.map((j) => ({
          name: j.name,
          parseFailures: j.failures.map((f) => ({ reason: f.reason, raw: f.raw })),
          asTie: j.report,
          countSeparately: j.separate,
        })),
        pairedDifference: { a: judges[0].name, b: judges[1].name, ...paired },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(values.out, 'agreement.svg'), renderSvg(judges));
  console.log(md);
  console.log(
    `report written to ${relative(process.cwd(), values.out) || '.'}/{report.md, report.json, agreement.svg}`,
  );
}

function count(labels) {
  const c = { answer1: 0, answer2: 0, tie: 0 };
  for (const l of labels) c[l]++;
  return c;
}

const f4 = (x) => x.toFixed(4);
const ci = (c) => `${f4(c.estimate)} [${f4(c.lower)}, ${f4(c.upper)}]`;

function renderMarkdown({ samples, vote, judges, paired, agreement, resamples, seed }) {
  const lines = [];
  lines.push('# PandaLM test set: judges vs. human majority vote', '');
  const c = count(vote.labels);
  lines.push(
    `${samples.length} pairs, three annotators; majority vote: answer 1 ${c.answer1}, answer 2 ${c.answer2}, tie ${c.tie} ` +
      `(${vote.unanimous} unanimous, ${vote.splits} three-way splits).`,
    '',
  );
  lines.push(
    `Annotator agreement: Cohen's kappa ${agreement.cohen.map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}; Fleiss' kappa ${agreement.fleiss.toFixed(4)}.`,
    '',
  );
  lines.push(
    `Judge verdicts parsed with \`parsePandaLm(text, { mode: 'strict' })\`; parse failures mapped to tie (PandaLM's convention, \`failurePolicy: 'as-tie'\`). ` +
      `95% percentile bootstrap intervals, ${resamples} resamples, seed ${seed}.`,
    '',
  );
  lines.push(
    '| judge | accuracy | macro precision | macro recall | macro F1 | parse failures | published (acc / P / R / F1) |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const j of judges) {
    const r = j.report;
    lines.push(
      `| ${j.name} | ${ci(r.ci.accuracy)} | ${ci(r.ci.macroPrecision)} | ${ci(r.ci.macroRecall)} | ${ci(r.ci.macroF1)} | ${j.failures.length} | ${j.published.map(f4).join(' / ')} |`,
    );
  }
  lines.push('');
  for (const j of judges) {
    const s = j.separate;
    lines.push(
      `${j.name} with parse failures counted as wrong instead (\`failurePolicy: 'count-separately'\`): accuracy ${f4(s.accuracy)}, macro F1 ${f4(s.macro.f1)}.`,
    );
  }
  lines.push('');
  const d = paired.difference;
  lines.push(
    `Paired bootstrap, ${judges[0].name} − ${judges[1].name}: accuracy ${ci(d.accuracy)} (p = ${d.accuracy.pValue.toFixed(3)}), ` +
      `macro F1 ${ci(d.macroF1)} (p = ${d.macroF1.pValue.toFixed(3)}).`,
    '',
  );
  for (const j of judges) {
    lines.push(`Confusion matrix of ${j.name} (rows: human label, columns: judge):`, '');
    lines.push('| | answer1 | answer2 | tie |', '| --- | --- | --- | --- |');
    const m = j.report.confusion;
    for (const [t, cls] of m.classes.entries()) lines.push(`| ${cls} | ${m.counts[t].join(' | ')} |`);
    lines.push('');
  }
  lines.push('![accuracy and macro F1 with 95% intervals](agreement.svg)', '');
  return lines.join('\n');
}

/** A small bar chart of accuracy and macro F1 per judge with bootstrap whiskers. */
function renderSvg(judges) {
  const metrics = [
    ['accuracy', 'accuracy'],
    ['macroF1', 'macro F1'],
  ];
  const colors = ['#4c78a8', '#f58518'];
  const W = 520;
  const H = 300;
  const left = 50;
  const bottom = 250;
  const top = 30;
  const y = (v) => bottom - (bottom - top) * v;
  const groupW = (W - left - 20) / judges.length;
  const barW = groupW / (metrics.length + 1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">PandaLM test set: agreement with human majority (95% CI)</text>`,
  ];
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(`<line x1="${left}" x2="${W - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  judges.forEach((j, g) => {
    const x0 = left + g * groupW + barW / 2;
    metrics.forEach(([key], m) => {
      const c = j.report.ci[key];
      const x = x0 + m * barW;
      parts.push(
        `<rect x="${x}" y="${y(c.estimate)}" width="${barW - 6}" height="${bottom - y(c.estimate)}" fill="${colors[m]}"/>`,
      );
      const cx = x + (barW - 6) / 2;
      parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(c.lower)}" y2="${y(c.upper)}" stroke="black"/>`);
      parts.push(
        `<text x="${cx}" y="${y(c.upper) - 4}" text-anchor="middle">${c.estimate.toFixed(3)}</text>`,
      );
    });
    parts.push(`<text x="${x0 + barW - 3}" y="${bottom + 18}" text-anchor="middle">${j.name}</text>`);
  });
  metrics.forEach(([, label], m) => {
    parts.push(`<rect x="${left + 10 + m * 110}" y="${H - 22}" width="12" height="12" fill="${colors[m]}"/>`);
    parts.push(`<text x="${left + 28 + m * 110}" y="${H - 12}">${label}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

main().catch((error) => {
  // Readable errors, no stack traces: judgekit errors name the file, line and field.
  const message = JudgekitError.isInstance(error)
    ? `${error.name}: ${error.message}`
    : String(error?.message ?? error);
  console.error(`pandalm-judges: ${message}`);
  process.exit(1);
});
