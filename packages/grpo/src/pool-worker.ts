/**
 * Worker entry of @judgekit/grpo's thread pool (built as its own file, `dist/pool-worker.js` and
 * `dist/pool-worker.cjs`): runs the row-range kernels on the rows it is given, over shared memory.
 * Not part of the public API; started by the `…Async` functions in parallel.ts.
 *
 * @module
 */

import { serveWorkerOps } from '@judgekit/core';
import { type FusedKernelArgs, verlActorFusedRows } from './actor-loss-fused.js';
import { logProbsAndEntropyBackwardRows, logProbsAndEntropyRows } from './logits.js';

type Args = Record<string, unknown>;
const num = (a: Args, k: string) => a[k] as number;
const arr = (a: Args, k: string) => a[k] as ArrayLike<number>;
const f64 = (a: Args, k: string) => a[k] as Float64Array;

void serveWorkerOps({
  logpEnt: (a) => {
    logProbsAndEntropyRows(
      arr(a, 'logits'),
      arr(a, 'labels'),
      num(a, 'r0'),
      num(a, 'r1'),
      num(a, 'vocab'),
      num(a, 'invT'),
      f64(a, 'logProbs'),
      f64(a, 'entropy'),
    );
    return null;
  },
  logpEntBwd: (a) => {
    logProbsAndEntropyBackwardRows(
      arr(a, 'logits'),
      arr(a, 'labels'),
      num(a, 'r0'),
      num(a, 'r1'),
      num(a, 'vocab'),
      num(a, 'invT'),
      a.gradLogProbs as ArrayLike<number> | null,
      a.gradEntropy as ArrayLike<number> | null,
      f64(a, 'out'),
    );
    return null;
  },
  actorFused: (a) => {
    verlActorFusedRows(a.kernel as FusedKernelArgs, num(a, 'r0'), num(a, 'r1'), f64(a, 'partials'));
    return null;
  },
});
