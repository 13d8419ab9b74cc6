/**
 * Row-parallel versions of the heavy kernels on a pool of worker threads over `SharedArrayBuffer`:
 * {@link logProbsAndEntropyAsync}, {@link logProbsAndEntropyBackwardAsync} and
 * {@link verlActorLossFusedAsync}. Each splits the rows into fixed contiguous ranges (core
 * `rowRanges(rows, threads)`), runs the first range on the calling thread and the others in
 * workers, and sums per-row partials in row order on the calling thread, so every output is
 * bit-identical to the synchronous function's, whatever `threads` is.
 *
 * Inputs on a `SharedArrayBuffer` (core `sharedFloat32Array` / `sharedFloat64Array`) are read in
 * place; other typed arrays are copied once into shared memory (only the workers' rows). Output
 * buffers given in `out…` options are filled in place (through a shared copy when they are not
 * shared). Work below {@link MIN_PARALLEL_ELEMENTS} elements stays on the calling thread.
 *
 * Node only (worker_threads). Idle workers do not keep the process alive;
 * {@link closeGrpoWorkers} stops them.
 *
 * @module
 */

import {
  lazyWorkerPool,
  resolveThreads,
  rowRanges,
  ShapeMismatchError,
  shareArray,
  sharedOutput,
  shareNumbers,
} from '@judgekit/core';
import type { VerlActorLossInputs, VerlActorLossResult } from './actor-loss.js';
import {
  ACTOR_PARTIALS,
  type FusedKernelArgs,
  prepareActorFused,
  reduceActorPartials,
  type VerlActorLossFusedOptions,
  verlActorFusedRows,
} from './actor-loss-fused.js';
import {
  checkLabels,
  checkLogits,
  type LogitsArray,
  type LogProbsAndEntropy,
  logProbsAndEntropyBackwardRows,
  logProbsAndEntropyRows,
  outBuffer,
  temperatureOf,
} from './logits.js';

/** Inputs with fewer elements (rows × vocab, or tokens) than this run on the calling thread. */
export const MIN_PARALLEL_ELEMENTS = 1 << 17;

/** The `threads` option of the `…Async` functions. */
export interface ThreadsOption {
  /**
   * Threads to use, the calling thread included: 1 runs everything on the calling thread. Default:
   * the available cores (`os.availableParallelism()`).
   */
  threads?: number;
}

const pool = lazyWorkerPool(import.meta.url, 'pool-worker');

/** Stop the worker threads of @judgekit/grpo (a later `…Async` call starts new ones). */
export async function closeGrpoWorkers(): Promise<void> {
  await pool.close();
}

const scaled = (ranges: Array<[number, number]>, k: number): Array<[number, number]> =>
  ranges.map(([s, e]) => [s * k, e * k]);

/**
 * {@link logProbsAndEntropy} on `threads` threads (rows split over them); bit-identical results.
 * Pass the logits on a `SharedArrayBuffer` to skip the copy into shared memory.
 */
export async function logProbsAndEntropyAsync(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  vocab: number,
  options?: { temperature?: number; outLogProbs?: Float64Array; outEntropy?: Float64Array } & ThreadsOption,
): Promise<LogProbsAndEntropy> {
  checkLogits(logits, rows, vocab);
  checkLabels(labels, rows, vocab);
  const invT = 1 / temperatureOf(options);
  const logProbs = outBuffer(options?.outLogProbs, rows, 'outLogProbs');
  const entropy = outBuffer(options?.outEntropy, rows, 'outEntropy');
  const threads = await resolveThreads(options?.threads);
  const ranges = rowRanges(rows, threads);
  if (ranges.length < 2 || rows * vocab < MIN_PARALLEL_ELEMENTS) {
    logProbsAndEntropyRows(logits, labels, 0, rows, vocab, invT, logProbs, entropy);
    return { logProbs, entropy };
  }
  const wr = ranges.slice(1);
  const sharedLogits = shareNumbers(logits, scaled(wr, vocab));
  const sharedLabels = shareNumbers(labels);
  const [lp, copyLp] = sharedOutput(logProbs, wr);
  const [en, copyEn] = sharedOutput(entropy, wr);
  await pool.runSplit(
    ranges,
    (r0, r1) => logProbsAndEntropyRows(logits, labels, r0, r1, vocab, invT, logProbs, entropy),
    (r0, r1) => ({
      op: 'logpEnt',
      args: { logits: sharedLogits, labels: sharedLabels, r0, r1, vocab, invT, logProbs: lp, entropy: en },
    }),
  );
  copyLp();
  copyEn();
  return { logProbs, entropy };
}

/**
 * {@link logProbsAndEntropyBackward} on `threads` threads (rows split over them); bit-identical
 * results. `options.out` (`[rows, vocab]`) on a `SharedArrayBuffer` is written in place.
 */
export async function logProbsAndEntropyBackwardAsync(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  vocab: number,
  gradLogProbs: ArrayLike<number> | null,
  gradEntropy: ArrayLike<number> | null,
  options?: { temperature?: number; out?: Float64Array } & ThreadsOption,
): Promise<Float64Array> {
  checkLogits(logits, rows, vocab);
  checkLabels(labels, rows, vocab);
  if (gradLogProbs !== null && gradLogProbs.length !== rows) {
    throw new ShapeMismatchError('gradLogProbs', [rows], [gradLogProbs.length]);
  }
  if (gradEntropy !== null && gradEntropy.length !== rows) {
    throw new ShapeMismatchError('gradEntropy', [rows], [gradEntropy.length]);
  }
  const invT = 1 / temperatureOf(options);
  const out = outBuffer(options?.out, rows * vocab, 'out');
  const threads = await resolveThreads(options?.threads);
  const ranges = rowRanges(rows, threads);
  if (ranges.length < 2 || rows * vocab < MIN_PARALLEL_ELEMENTS) {
    logProbsAndEntropyBackwardRows(logits, labels, 0, rows, vocab, invT, gradLogProbs, gradEntropy, out);
    return out;
  }
  const wr = ranges.slice(1);
  const sharedLogits = shareNumbers(logits, scaled(wr, vocab));
  const sharedLabels = shareNumbers(labels);
  const gl = gradLogProbs === null ? null : shareNumbers(gradLogProbs);
  const ge = gradEntropy === null ? null : shareNumbers(gradEntropy);
  const [o, copyBack] = sharedOutput(out, scaled(wr, vocab));
  await pool.runSplit(
    ranges,
    (r0, r1) =>
      logProbsAndEntropyBackwardRows(logits, labels, r0, r1, vocab, invT, gradLogProbs, gradEntropy, out),
    (r0, r1) => ({
      op: 'logpEntBwd',
      args: {
        logits: sharedLogits,
        labels: sharedLabels,
        r0,
        r1,
        vocab,
        invT,
        gradLogProbs: gl,
        gradEntropy: ge,
        out: o,
      },
    }),
  );
  copyBack();
  return out;
}

/**
 * {@link verlActorLossFused} on `threads` threads: rows are split over the threads, each row's
 * partial sums are reduced in row order here, so the losses, metrics and gradients are
 * bit-identical to {@link verlActorLossFused}'s. Configurations that function delegates to
 * {@link verlActorLoss} run on the calling thread.
 */
export async function verlActorLossFusedAsync(
  inputs: VerlActorLossInputs,
  options?: VerlActorLossFusedOptions & ThreadsOption,
): Promise<VerlActorLossResult> {
  const prep = prepareActorFused(inputs, options);
  if (!('kernel' in prep)) return prep;
  const { rows } = prep;
  const k = prep.kernel;
  const partials = new Float64Array(rows * ACTOR_PARTIALS);
  const threads = await resolveThreads(options?.threads);
  const ranges = rowRanges(rows, threads);
  if (ranges.length < 2 || rows * k.cols < MIN_PARALLEL_ELEMENTS) {
    verlActorFusedRows(k, 0, rows, partials);
    return reduceActorPartials(prep, partials);
  }
  const wr = scaled(ranges.slice(1), k.cols);
  const share = (a: ArrayLike<number> | null) => (a === null ? null : shareNumbers(a, wr));
  const [grad, copyGrad] = sharedOutput(k.grad, wr);
  const [gradRef, copyRef] = k.gradRef === null ? [null, () => {}] : sharedOutput(k.gradRef, wr);
  const [gradEnt, copyEnt] = k.gradEnt === null ? [null, () => {}] : sharedOutput(k.gradEnt, wr);
  const sharedPartials = shareArray(partials, []);
  const workerKernel: FusedKernelArgs = {
    ...k,
    logProb: shareNumbers(k.logProb, wr),
    oldLogProb: shareNumbers(k.oldLogProb, wr),
    advantages: shareNumbers(k.advantages, wr),
    mask: shareNumbers(k.mask, wr),
    refLogProb: share(k.refLogProb),
    entropy: share(k.entropy),
    isw: share(k.isw),
    grad,
    gradRef,
    gradEnt,
  };
  await pool.runSplit(
    ranges,
    (r0, r1) => verlActorFusedRows(k, r0, r1, sharedPartials),
    (r0, r1) => ({ op: 'actorFused', args: { kernel: workerKernel, r0, r1, partials: sharedPartials } }),
  );
  copyGrad();
  copyRef();
  copyEnt();
  return reduceActorPartials(prep, sharedPartials);
}
