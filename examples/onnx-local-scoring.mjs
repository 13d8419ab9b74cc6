#!/usr/bin/env node
/**
 * A local ONNX model as a pairwise judge, offline: a sequence classifier scores each answer and the
 * two scores become a verdict (@judgekit/baselines `judgeWithScorer`), then the verdicts are scored
 * against LLMBar's labels (@judgekit/metrics).
 *
 * The model here is the tiny random-weight DistilBERT in fixtures/models (a plumbing model: its
 * scores are meaningless, so its accuracy is chance). Point --model at a real reward model or
 * cross-encoder exported to ONNX (a folder with config.json, tokenizer files and onnx/model.onnx)
 * to get real figures. Needs the optional peer `@huggingface/transformers`
 * (`ONNXRUNTIME_NODE_INSTALL=skip npm install @huggingface/transformers`).
 *
 * Usage: node examples/onnx-local-scoring.mjs [--model DIR] [--limit N]
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { judgeWithScorer } from '@judgekit/baselines';
import { loadLlmBar } from '@judgekit/datasets';
import { evaluateJudge } from '@judgekit/metrics';
import { createOnnxSequenceClassifier } from '@judgekit/models';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    model: { type: 'string', default: join(root, 'fixtures/models/tiny-distilbert-sst2') },
    limit: { type: 'string', default: '24' },
  },
});
const samples = (
  await loadLlmBar(join(root, 'fixtures/data/llmbar/Dataset/LLMBar/Natural/dataset.json'))
).slice(0, Number(values.limit));

const scorer = await createOnnxSequenceClassifier({ modelPath: values.model, batchSize: 8 });
console.log(
  `model ${scorer.id}: labels ${scorer.labels.join(', ')}; scoring logit ${scorer.labels[scorer.scoreIndex]}`,
);

// Each answer is scored alone (question + answer), the higher score wins (equal scores: tie).
const judged = await judgeWithScorer(samples, scorer, {
  format: (question, answer) => `${question}\n\n${answer}`,
  tieThreshold: 0,
});
for (const j of judged.slice(0, 3))
  console.log(`${j.id}: reward ${j.reward1.toFixed(6)} vs ${j.reward2.toFixed(6)} → ${j.verdict}`);

// Same inputs, same scores: local inference is deterministic.
const again = await scorer.score([`${samples[0].question}\n\n${samples[0].answer1}`]);
if (again[0] !== judged[0].reward1)
  throw new Error(`scores differ between calls: ${again[0]} vs ${judged[0].reward1}`);

const report = evaluateJudge({
  predictions: judged.map((j) => j.verdict),
  labels: samples.map((s) => s.label),
});
console.log(
  `${samples.length} LLMBar Natural pairs: accuracy ${report.accuracy.toFixed(4)} (random weights: chance level expected)`,
);
