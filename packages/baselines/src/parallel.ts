/**
 * Pair-parallel DPO and Bradley–Terry on worker threads over `SharedArrayBuffer`, bit-identical
 * to {@link dpoLossWithGrad} / {@link bradleyTerryLoss}: pairs are split into fixed contiguous
 * ranges (DPO) or fixed blocks of `BT_BLOCK` pairs (Bradley–Terry), the first range runs on the
 * calling thread, and the sums are taken here in pair / block order. Inputs on a
 * `SharedArrayBuffer` are read in place, others copied once (the workers' part). Batches below
 * {@link MIN_PARALLEL_PAIRS} pairs, and DPO configurations other than plain sigmoid with a
 * reference (no label smoothing, no length normalisation), run on the calling thread.
 *
 * @module
 */

import {
  lazyWorkerPool,
  resolveThreads,
  rowRanges,
  shareArray,
  sharedOutput,
  shareNumbers,
} from '@judgekit/core';
import {
  BT_BLOCK,
  BT_PARTIALS,
  type BradleyTerryInputs,
  type BradleyTerryKernelArgs,
  type BradleyTerryOptions,
  type BradleyTerryResult,
  bradleyTerryBlocks,
  bradleyTerryLoss,
  prepareBradleyTerry,
  reduceBradleyTerry,
} from './bradley-terry-loss.js';
import {
  type DpoInputs,
  type DpoOptions,
  type DpoOutBuffers,
  type DpoResultWithGrad,
  type DpoSigmoidPlainArgs,
  dpoLossWithGrad,
  dpoOutBuffers,
  dpoPlainSigmoidSettings,
  dpoSigmoidPlainRows,
} from './dpo-loss.js';

/** Batches with fewer pairs than this run on the calling thread. */
export const MIN_PARALLEL_PAIRS = 1 << 16;

/** The `threads` option of the `…Async` functions. */
export interface ThreadsOption {
  /** Threads to use, the calling thread included. Default: the available cores. */
  threads?: number;
}

const pool = lazyWorkerPool(import.meta.url, 'pool-worker');

/** Stop the worker threads of @judgekit/baselines (a later `…Async` call starts new ones). */
export async function closeBaselinesWorkers(): Promise<void> {
  await pool.close();
}

/**
 * {@link dpoLossWithGrad} with the pairs split over `threads` threads; same values bit for bit.
 */
export async function dpoLossWithGradAsync(
  inputs: DpoInputs,
  options: DpoOptions & ThreadsOption = {},
  out?: DpoOutBuffers,
): Promise<DpoResultWithGrad> {
  const { threads: t, ...rest } = options;
  const plain = dpoPlainSigmoidSettings(inputs, rest);
  const threads = await resolveThreads(t);
  if (plain === undefined || plain.n < MIN_PARALLEL_PAIRS || threads < 2)
    return dpoLossWithGrad(inputs, rest, out);
  const { beta, n } = plain;
  const b = dpoOutBuffers(out, n);
  const ranges = rowRanges(n, threads);
  const wr = ranges.slice(1);
  const local: DpoSigmoidPlainArgs = {
    pc: inputs.chosenLogps,
    pr: inputs.rejectedLogps,
    rc: inputs.refChosenLogps,
    rr: inputs.refRejectedLogps,
    beta,
    scale: 1 / n,
    losses: b.losses,
    gpc: b.grads.chosenLogps,
    gpr: b.grads.rejectedLogps,
    grc: b.grads.refChosenLogps,
    grr: b.grads.refRejectedLogps,
    chosenRewards: b.chosenRewards,
    rejectedRewards: b.rejectedRewards,
  };
  const outs = (['losses', 'gpc', 'gpr', 'grc', 'grr', 'chosenRewards', 'rejectedRewards'] as const).map(
    (k) => [k, ...sharedOutput(local[k], wr)] as const,
  );
  const shared: DpoSigmoidPlainArgs = {
    ...local,
    pc: shareNumbers(local.pc, wr),
    pr: shareNumbers(local.pr, wr),
    rc: shareNumbers(local.rc, wr),
    rr: shareNumbers(local.rr, wr),
  };
  for (const [k, arr] of outs) shared[k] = arr;
  await pool.runSplit(
    ranges,
    (r0, r1) => dpoSigmoidPlainRows(local, r0, r1),
    (r0, r1) => ({ op: 'dpoSigmoid', args: { kernel: shared, r0, r1 } }),
  );
  for (const [, , copyBack] of outs) copyBack();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += b.losses[i]!;
  return { loss: sum / n, ...b };
}

/**
 * {@link bradleyTerryLoss} with blocks of pairs split over `threads` threads; same values bit for bit.
 */
export async function bradleyTerryLossAsync(
  inputs: BradleyTerryInputs,
  options: BradleyTerryOptions & ThreadsOption = {},
  out?: { rewardsChosen: Float64Array; rewardsRejected: Float64Array },
): Promise<BradleyTerryResult> {
  const { threads: t, ...rest } = options;
  const threads = await resolveThreads(t);
  const { rc, rr, m, c, gc, gr, n } = prepareBradleyTerry(inputs, rest, out);
  const blocks = Math.ceil(n / BT_BLOCK);
  const ranges = rowRanges(blocks, threads);
  if (n < MIN_PARALLEL_PAIRS || ranges.length < 2) return bradleyTerryLoss(inputs, rest, out);
  const wr = ranges.slice(1).map(([s, e]): [number, number] => [s * BT_BLOCK, Math.min(n, e * BT_BLOCK)]);
  const partials = shareArray(new Float64Array(blocks * BT_PARTIALS), []);
  const local: BradleyTerryKernelArgs = { rc, rr, m: m ?? null, c2: 2 * c, inv: 1 / n, gc, gr, n };
  const [sgc, copyGc] = sharedOutput(gc, wr);
  const [sgr, copyGr] = sharedOutput(gr, wr);
  const shared: BradleyTerryKernelArgs = {
    ...local,
    rc: shareNumbers(rc, wr),
    rr: shareNumbers(rr, wr),
    m: m === undefined ? null : shareNumbers(m, wr),
    gc: sgc,
    gr: sgr,
  };
  await pool.runSplit(
    ranges,
    (b0, b1) => bradleyTerryBlocks(local, b0, b1, partials),
    (b0, b1) => ({ op: 'bradleyTerry', args: { kernel: shared, r0: b0, r1: b1, partials } }),
  );
  copyGc();
  copyGr();
  return reduceBradleyTerry(partials, blocks, n, c, gc, gr);
}
