/**
 * `pnpm bench`: all headline metrics (accuracy, macro P/R/F1, Cohen's kappa) on 100k samples, point
 * estimate and 1000-resample percentile bootstrap, beside a NumPy peer doing the same work:
 *
 * - point, from joint codes: both sides start from pre-encoded `label·4 + prediction` codes
 *   (ours: `confusionCounts` + `classificationFromCounts`; NumPy: `bincount` + the same formulas);
 * - point, from verdict codes: both sides start from `Uint8Array` verdict codes (0..3) and check
 *   them, count pairs, drop failed labels and compute the metrics (ours: `evaluateJudge`, whose
 *   report also holds the per-class table and the confusion matrix);
 * - bootstrap: 1000 resamples of 100k samples with every headline metric per resample.
 */
import { fileURLToPath } from 'node:url';
import { createRng } from '@judgekit/core';
import { type BenchRow, printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import {
  classificationFromCounts,
  confusionCounts,
  evaluateJudge,
  jointCodes,
  pairedBootstrap,
} from '../src/index.ts';

const N = 100_000;
const RESAMPLES = 1000;
const rng = createRng(0);
const labels = new Uint8Array(N);
const preds = new Uint8Array(N);
const predsB = new Uint8Array(N);
for (let i = 0; i < N; i++) {
  labels[i] = rng.nextInt(3);
  preds[i] = rng.nextFloat() < 0.7 ? labels[i]! : rng.nextInt(4);
  predsB[i] = rng.nextFloat() < 0.65 ? labels[i]! : rng.nextInt(4);
}

const joint = jointCodes(labels, preds);
const pointJoint = timeIt(() => classificationFromCounts(confusionCounts(joint)), { minSeconds: 1 });
const pointCodes = timeIt(() => evaluateJudge({ predictions: preds, labels }), { minSeconds: 1 });
const boot = timeIt(
  () => evaluateJudge({ predictions: preds, labels, bootstrap: { resamples: RESAMPLES, seed: 1 } }),
  { minSeconds: 0, minReps: 2, warmup: 1 },
);
const paired = timeIt(
  () =>
    pairedBootstrap({
      predictionsA: preds,
      predictionsB: predsB,
      labels,
      bootstrap: { resamples: RESAMPLES },
    }),
  { minSeconds: 0, minReps: 2, warmup: 1 },
);
const report = evaluateJudge({ predictions: preds, labels, bootstrap: { resamples: RESAMPLES, seed: 1 } });
console.log(
  `accuracy ${report.accuracy.toFixed(4)} [${report.ci!.accuracy.lower.toFixed(4)}, ${report.ci!.accuracy.upper.toFixed(4)}], macro F1 ${report.macro.f1.toFixed(4)} [${report.ci!.macroF1.lower.toFixed(4)}, ${report.ci!.macroF1.upper.toFixed(4)}]`,
);
console.log(`judgekit bootstrap: ${boot.secondsPerCall.toFixed(2)} s for ${RESAMPLES} × ${N}`);

const peer = runPythonPeer<{
  point_joint: number;
  point_codes: number;
  bootstrap: number;
  bootstrap_s: number;
}>(fileURLToPath(new URL('./peer.py', import.meta.url)), [String(N), String(RESAMPLES)]);
if (peer) console.log(`NumPy bootstrap: ${peer.bootstrap_s.toFixed(2)} s for ${RESAMPLES} × ${N}`);

const rows: BenchRow[] = [
  {
    work: `point, ${N} pre-encoded joint codes: count + metrics`,
    ours: N / pointJoint.secondsPerCall,
    peer: peer?.point_joint,
    unit: 'samples/s',
    peerName: 'NumPy (bincount)',
  },
  {
    work: `point, ${N} verdict codes: check + count + metrics`,
    ours: N / pointCodes.secondsPerCall,
    peer: peer?.point_codes,
    unit: 'samples/s',
    peerName: 'NumPy (max+bincount)',
  },
  {
    work: `bootstrap ${RESAMPLES} × ${N}, all headline metrics`,
    ours: (N * RESAMPLES) / boot.secondsPerCall,
    peer: peer?.bootstrap,
    unit: 'draws/s',
    peerName: 'NumPy (integers+bincount)',
  },
  {
    work: `paired bootstrap ${RESAMPLES} × ${N}, two judges`,
    ours: (N * RESAMPLES) / paired.secondsPerCall,
    unit: 'draws/s',
    peerName: 'n/a',
  },
];
printTable('@judgekit/metrics vs NumPy (same run)', rows);
