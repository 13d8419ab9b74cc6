#!/usr/bin/env node
/**
 * Build JudgeLM-style SFT data from PandaLM's human-labelled pairs, in TRL's prompt/completion
 * format, with JudgeLM's swap augmentation (ratio 0.5, the release setting). PandaLM has verdicts,
 * not scores, so the targets use a score convention named here (winner 8, loser 4, tie 6).
 * The rows load back with @judgekit/datasets.
 *
 * Usage: node examples/training-judgelm-sft-from-pandalm.mjs [out.jsonl]   (after `pnpm build`)
 */
import { fileURLToPath } from 'node:url';
import { readJsonl } from '@judgekit/datasets';
import { loadPairwiseDataset, makeJudgeLmSftData, writeJsonlRows } from '@judgekit/pipelines';

const data = fileURLToPath(new URL('../fixtures/data/pandalm/data', import.meta.url));
const out = process.argv[2] ?? '/tmp/judgekit-judgelm-sft.jsonl';
const { samples, labels } = await loadPairwiseDataset(data, 'pandalm');
const { rows, stats } = makeJudgeLmSftData(
  samples.map((sample) => ({ sample })),
  { seed: 0, swapAugRatio: 0.5, refDropRatio: -1, verdictScores: { winner: 8, loser: 4, tie: 6 } },
  labels,
);
await writeJsonlRows(out, rows);
const back = await readJsonl(out);
console.log(`${stats.rows} SFT rows (${stats.swapped} swapped) → ${out}; ${back.length} rows read back`);
console.log(
  `first completion: ${JSON.stringify(rows[0].completion)}; prompt ends ${JSON.stringify(rows[0].prompt.slice(-40))}`,
);
if (back.length !== rows.length || stats.swapped === 0) process.exit(1);
