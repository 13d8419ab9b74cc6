/**
 * Worker entry of @judgekit/baselines' thread pool (built as `dist/pool-worker.js` / `.cjs`): runs
 * the pair-range kernels over shared memory. Not public; started by the `…Async` functions.
 *
 * @module
 */

import { serveWorkerOps } from '@judgekit/core';
import { type BradleyTerryKernelArgs, bradleyTerryBlocks } from './bradley-terry-loss.js';
import { type DpoSigmoidPlainArgs, dpoSigmoidPlainRows } from './dpo-loss.js';

void serveWorkerOps({
  dpoSigmoid: (a) => {
    dpoSigmoidPlainRows(a.kernel as DpoSigmoidPlainArgs, a.r0 as number, a.r1 as number);
    return null;
  },
  bradleyTerry: (a) => {
    bradleyTerryBlocks(
      a.kernel as BradleyTerryKernelArgs,
      a.r0 as number,
      a.r1 as number,
      a.partials as Float64Array,
    );
    return null;
  },
});
