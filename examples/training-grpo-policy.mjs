#!/usr/bin/env node
/**
 * GRPO in TypeScript end to end: a small softmax policy learns to answer in JudgeLRM's format
 * (`</think><answer>s1</answer><answer>s2</answer>`) on PandaLM pairs, rewarded by the JudgeLRM
 * reward; writes every step's statistics as JSONL and the reward curve as SVG (what
 * `judgekit train-grpo --config` does).
 *
 * Usage: node examples/training-grpo-policy.mjs [out dir]   (after `pnpm build`)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  judgeLrmGroundTruth,
  loadPairwiseDataset,
  renderStepPlot,
  trainGrpoJudgePolicy,
} from '@judgekit/pipelines';

const data = fileURLToPath(new URL('../fixtures/data/pandalm/data', import.meta.url));
const out = process.argv[2] ?? '/tmp/judgekit-grpo';
const ds = await loadPairwiseDataset(data, 'pandalm');
const idx = ds.samples
  .map((_, i) => i)
  .filter((i) => ds.labels[i] !== null)
  .slice(0, 200);
const samples = idx.map((i) => ds.samples[i]);
const gts = idx.map((i) => judgeLrmGroundTruth(ds.labels[i], { winner: 8, loser: 4, tie: 6 }));
const result = trainGrpoJudgePolicy(samples, gts, {
  seed: 0,
  steps: 150,
  convention: 'verl',
  onStep: (s) => {
    if (s.step % 25 === 0 || s.step === 1)
      console.log(
        `step ${s.step}: JudgeLRM reward ${s.judgeRewardMean.toFixed(3)}, well-formed ${s.wellFormed.toFixed(3)}, e.g. ${JSON.stringify(s.example)}`,
      );
  },
});
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'steps.jsonl'), `${result.history.map((s) => JSON.stringify(s)).join('\n')}\n`);
writeFileSync(
  join(out, 'reward.svg'),
  renderStepPlot(
    result.history,
    [
      { key: 'judgeRewardMean', label: 'JudgeLRM reward', color: '#1f77b4' },
      { key: 'wellFormed', label: 'well-formed share', color: '#2ca02c' },
    ],
    'GRPO on PandaLM pairs',
  ),
);
const last = result.history.slice(-10).reduce((a, s) => a + s.judgeRewardMean, 0) / 10;
console.log(
  `mean JudgeLRM reward over the last 10 steps: ${last.toFixed(3)} (from -3.000); plot: ${join(out, 'reward.svg')}`,
);
if (!(last >= 1)) process.exit(1);
