/**
 * `pnpm bench`: DPO (sigmoid) and Bradley–Terry loss forward + backward on 4096 pairs, and one
 * AdamW step on a 1M-parameter reward head, beside NumPy doing the same float64 math in the same run.
 */
import { fileURLToPath } from 'node:url';
import { createRng } from '@judgekit/core';
import { type BenchRow, printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import { AdamW, bradleyTerryLoss, dpoLossWithGrad, RewardHead } from '../src/index.ts';

const PAIRS = 4096;
const rng = createRng(0);
const normal = (n: number, mean: number, std: number) => rng.fillNormal(new Float64Array(n), mean, std);

const inputs = {
  chosenLogps: normal(PAIRS, -50, 10),
  rejectedLogps: normal(PAIRS, -50, 10),
  refChosenLogps: normal(PAIRS, -50, 10),
  refRejectedLogps: normal(PAIRS, -50, 10),
};
// Same outputs as the NumPy peer: per-pair losses, mean loss, the 4 input gradients and the rewards.
const dpoOut = {
  losses: new Float64Array(PAIRS),
  chosenRewards: new Float64Array(PAIRS),
  rejectedRewards: new Float64Array(PAIRS),
  grads: {
    chosenLogps: new Float64Array(PAIRS),
    rejectedLogps: new Float64Array(PAIRS),
    refChosenLogps: new Float64Array(PAIRS),
    refRejectedLogps: new Float64Array(PAIRS),
  },
};
const dpo = timeIt(() => dpoLossWithGrad(inputs, { lossType: 'sigmoid', beta: 0.1 }, dpoOut));

const rc = normal(PAIRS, 0, 1);
const rr = normal(PAIRS, 0, 1);
// Mean loss, accuracy, mean margin and both gradients, as the NumPy peer.
const btOut = { rewardsChosen: new Float64Array(PAIRS), rewardsRejected: new Float64Array(PAIRS) };
const bt = timeIt(() => bradleyTerryLoss({ rewardsChosen: rc, rewardsRejected: rr }, {}, btOut));

// 1024 → 1022 → 1 MLP head: 1024·1022 + 1022 + 1022 + 1 = 1,048,573 parameters (≈ 1M).
const head = RewardHead.create({ inputDim: 1024, hiddenDim: 1022 }, 1);
const P = head.params.length;
const grads = normal(P, 0, 1);
const opt = new AdamW(head.params, { lr: 1e-3, weightDecay: 0.01 });
const adam = timeIt(() => opt.step(grads));

const peer = runPythonPeer<{ dpo: number; bt: number; adamw: number }>(
  fileURLToPath(new URL('./peer.py', import.meta.url)),
  [String(PAIRS), String(P)],
);

const rows: BenchRow[] = [
  {
    work: `DPO sigmoid fwd+bwd, ${PAIRS} pairs`,
    ours: PAIRS / dpo.secondsPerCall,
    peer: peer?.dpo,
    unit: 'pairs/s',
    peerName: 'NumPy',
  },
  {
    work: `Bradley-Terry fwd+bwd, ${PAIRS} pairs`,
    ours: PAIRS / bt.secondsPerCall,
    peer: peer?.bt,
    unit: 'pairs/s',
    peerName: 'NumPy',
  },
  {
    work: `AdamW step, ${P} params`,
    ours: P / adam.secondsPerCall,
    peer: peer?.adamw,
    unit: 'params/s',
    peerName: 'NumPy',
  },
];
printTable('@judgekit/baselines (float64, single thread)', rows);
