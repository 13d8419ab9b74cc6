/**
 * Benchmark of @judgekit/rewards: JudgeLRM rewards per second in-process (the reward server, in
 * its own processes with client processes, is `server-bench.ts`), beside a Python re-statement of the upstream reward
 * (bench/judgelrm_reward_peer.py, with its per-sample printing) timed on the same completions in the
 * same run. Also checks that both give the same rewards.
 */
import { fileURLToPath } from 'node:url';
import { printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import { createJudgeLrmReward, scoreBatch } from '../src/index.ts';
import { makeBenchSamples } from './bench-samples.ts';

const BATCH = 256;
const { samples, peerSamples } = makeBenchSamples(BATCH);

const reward = createJudgeLrmReward();

// In-process.
const inProc = timeIt(() => scoreBatch(reward, samples), { minSeconds: 2 });
const ours = scoreBatch(reward, samples).totals;

// Python peer on the same completions.
const peer = runPythonPeer<{ rewards_per_s: number; rewards_per_s_noprint: number; rewards: number[] }>(
  fileURLToPath(new URL('./judgelrm_reward_peer.py', import.meta.url)),
  [],
  JSON.stringify({ samples: peerSamples, min_seconds: 2 }),
);

let mismatches = 0;
for (let i = 0; i < BATCH; i++) {
  if (peer && peer.rewards[i] !== ours[i]) mismatches++;
}

const peerName = 'Python re-statement (prints)';
printTable(`@judgekit/rewards: JudgeLRM reward, batch ${BATCH} (${process.version})`, [
  {
    work: 'JudgeLRM reward, in-process scoreBatch',
    ours: BATCH / inProc.secondsPerCall,
    peer: peer?.rewards_per_s,
    unit: 'rewards/s',
    peerName,
  },
  {
    work: 'JudgeLRM reward, in-process scoreBatch',
    ours: BATCH / inProc.secondsPerCall,
    peer: peer?.rewards_per_s_noprint,
    unit: 'rewards/s',
    peerName: 'Python re-statement (no print)',
  },
]);
console.log(
  `\nagreement: ${mismatches === 0 ? 'all' : `${mismatches} MISMATCHES among`} ${BATCH} rewards identical across in-process${peer ? ' and Python' : ''}`,
);
if (mismatches > 0) process.exitCode = 1;
