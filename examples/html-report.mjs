#!/usr/bin/env node
/**
 * A self-contained HTML report (report.html, no network) of a judge on LLMBar's five subsets.
 *
 * The judge is a transparent length heuristic, the classic baseline of judge papers: it scores
 * each answer 1–10 by its length and writes JudgeLM's output format ("s1 s2" then a reason), so
 * the report has per-category results (Natural vs the four Adversarial subsets, where length
 * is known to mislead), swap consistency (the heuristic is judged in both orders), score
 * histograms and a parse-failure section. Replace `lengthJudge` with your model's outputs.
 *
 * Data: LLMBar (MIT), bundled in fixtures/data/llmbar (see its SOURCE.md).
 *
 * Usage: node examples/html-report.mjs [--out DIR]
 * Writes DIR/report.html, report.md and report.svg (default runs/html-report) and prints the path.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadLlmBar } from '@judgekit/datasets';
import { renderEvaluationHtml, renderEvaluationReport, scoreJudgeOutputs } from '@judgekit/pipelines';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { out: { type: 'string', default: join(root, 'runs/html-report') } },
});

const SUBSETS = [
  'Natural',
  'Adversarial/Neighbor',
  'Adversarial/GPTInst',
  'Adversarial/GPTOut',
  'Adversarial/Manual',
];
const samples = [];
const categories = [];
for (const subset of SUBSETS) {
  const file = join(root, 'fixtures/data/llmbar/Dataset/LLMBar', subset, 'dataset.json');
  for (const s of await loadLlmBar(file, { idPrefix: `${subset}/` })) {
    samples.push(s);
    categories.push(subset);
  }
}

/** Score 1–10 from the length in characters (log scale, one decimal), JudgeLM's "s1 s2\nreason" text. */
function lengthJudge(first, second) {
  const score = (text) => Math.max(1, Math.min(10, Math.round((Math.log2(text.length + 1) - 2) * 10) / 10));
  const a = score(first);
  const b = score(second);
  return `${a} ${b}\nThe longer answer is taken to be the more complete one.`;
}

const { result, records } = scoreJudgeOutputs({
  outputs: samples.map((s) => lengthJudge(s.answer1, s.answer2)),
  // As judged: the answers shown swapped, so "s1" is the score of the dataset's second answer.
  swappedOutputs: samples.map((s) => lengthJudge(s.answer2, s.answer1)),
  labels: samples.map((s) => s.label),
  ids: samples.map((s) => s.id),
  outputFormat: 'judgelm-scores',
  judge: 'length heuristic',
  bootstrap: { resamples: 1000, seed: 0 },
});

const options = {
  title: 'LLMBar: a length-heuristic judge',
  intro: [
    `${samples.length} pairs from LLMBar's Natural set and four Adversarial sets; the label says which output follows the instruction.`,
    "LLMBar's Adversarial sets are built so that the superficially better output (often the longer one) is the wrong one; compare the categories.",
    'The judge scores each answer 1–10 by the log of its length, to one decimal (JudgeLM output format `judgelm-scores`); equal scores are a tie.',
  ],
  records,
  categories,
  config: {
    dataset: 'LLMBar (princeton-nlp/LLMBar @ 900616bf)',
    judge: 'length heuristic',
    swap: true,
    bootstrap: '1000 resamples, seed 0',
  },
};
mkdirSync(values.out, { recursive: true });
const html = renderEvaluationHtml(result, options);
writeFileSync(join(values.out, 'report.html'), html);
const rendered = renderEvaluationReport(result, options);
writeFileSync(join(values.out, 'report.md'), rendered.markdown);
writeFileSync(join(values.out, 'report.svg'), rendered.svg);

const m = result.metrics;
console.log(
  `${samples.length} pairs: accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.macro.f1.toFixed(4)}, swap consistency ${result.swap.consistency.toFixed(4)}`,
);
console.log(`report: ${join(values.out, 'report.html')}`);
