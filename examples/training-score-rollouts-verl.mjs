#!/usr/bin/env node
/**
 * Score a rollout file for verl: JudgeLRM rewards → verl GRPO advantages → the actor loss and its
 * gradient with respect to the log-probs, as verl would compute them for this batch, written as
 * JSONL + safetensors (what `judgekit score-rollouts rollouts.jsonl --convention verl` does).
 *
 * Usage: node examples/training-score-rollouts-verl.mjs [rollouts.jsonl] [out dir]   (after `pnpm build`)
 */
import { fileURLToPath } from 'node:url';
import { readRollouts, scoreRollouts, writeScoredRollouts } from '@judgekit/pipelines';

const file =
  process.argv[2] ?? fileURLToPath(new URL('../fixtures/rollouts/judgelrm-rollouts.jsonl', import.meta.url));
const out = process.argv[3] ?? '/tmp/judgekit-scored-rollouts';
const rollouts = await readRollouts(file);
const scored = scoreRollouts(rollouts, { convention: 'verl', verl: { clipRatio: 0.2, klLossCoef: 0.001 } });
const s = scored.stats;
console.log(
  `${s.rollouts} rollouts, ${s.groups.length} groups: reward mean ${s.rewardMean.toFixed(3)} ± ${s.rewardStd.toFixed(3)}`,
);
for (const g of s.groups)
  console.log(`  group ${g.id}: mean ${g.mean.toFixed(3)}, std ${g.std.toFixed(3)} (n=${g.size})`);
console.log(
  `loss ${scored.loss.toFixed(6)} (pg ${scored.pgLoss.toFixed(6)}), clip fraction ${s.clipFraction.toFixed(4)}, KL ${s.kl?.toFixed(6)}, entropy ${s.entropy?.toFixed(4)}`,
);
const files = await writeScoredRollouts(out, scored, rollouts);
console.log(`wrote ${files.jsonl}, ${files.safetensors}, ${files.summary}`);
if (s.missingResponseHeader !== 0 || !(s.rewardStd > 0)) process.exit(1);
