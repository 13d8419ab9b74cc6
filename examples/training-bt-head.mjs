#!/usr/bin/env node
/**
 * Train a Bradley–Terry judge head on PandaLM pairs with the built-in hashing featurizer (no model
 * needed), stop early on validation accuracy, and report the head as a judge with the same metrics
 * and report files as a generative judge (what `judgekit train-head` does).
 *
 * Usage: node examples/training-bt-head.mjs [out dir]   (after `pnpm build`)
 */
import { fileURLToPath } from 'node:url';
import {
  createHashingFeaturizer,
  loadPairwiseDataset,
  trainJudgeHead,
  writeEvaluationReport,
  writeJudgeHead,
} from '@judgekit/pipelines';

const data = fileURLToPath(new URL('../fixtures/data/pandalm/data', import.meta.url));
const out = process.argv[2] ?? '/tmp/judgekit-bt-head';
const { samples, labels } = await loadPairwiseDataset(data, 'pandalm');
const trained = trainJudgeHead(samples, labels, {
  objective: 'bradley-terry',
  featurizer: createHashingFeaturizer(1024),
  seed: 0,
  bootstrap: { resamples: 200, seed: 0 },
  onEpoch: (e) =>
    console.log(`epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, val accuracy ${e.valAccuracy.toFixed(4)}`),
});
await writeJudgeHead(out, trained);
const report = await writeEvaluationReport(out, trained.evaluation, {
  title: 'Bradley–Terry head on PandaLM (validation split)',
});
const m = trained.evaluation.metrics;
console.log(
  `best epoch ${trained.bestEpoch}: accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.macro.f1.toFixed(4)} on ${m.n} held-out pairs → ${report.markdown}`,
);
if (!(m.accuracy > 0.5)) process.exit(1);
