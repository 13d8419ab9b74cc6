/**
 * Fused single-pass verl actor loss (PPO clip with dual clip + k3 KL loss + entropy bonus), forward
 * and backward in one loop over the tokens, writing into caller-owned buffers. Same maths as
 * {@link verlActorLoss} (the golden-tested reference, volcengine/verl,
 * verl/workers/actor/dp_actor.py `update_policy` + verl/trainer/ppo/core_algos.py
 * `compute_policy_loss_vanilla` / `kl_penalty`, see actor-loss.ts); tested against it to 1e-12.
 *
 * @module
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import {
  type VerlActorLossInputs,
  type VerlActorLossOptions,
  type VerlActorLossResult,
  verlActorLoss,
} from './actor-loss.js';
import { verlNorms } from './aggregation.js';

/** Options of {@link verlActorLossFused}: those of {@link verlActorLoss} plus reusable output buffers. */
export interface VerlActorLossFusedOptions extends Omit<VerlActorLossOptions, 'out' | 'computeGrad'> {
  /** Output buffers `[rows*cols]`, reused instead of allocating (each written in full). */
  out?: { gradLogProb?: Float64Array; gradRefLogProb?: Float64Array; gradEntropy?: Float64Array };
  /**
   * Compute the ratio e^Δ and the KL's e^kl with a table exp (e^x = T[j]·p₄(r) over x ∈ [−20, 20],
   * both clamped there by verl; relative error below 1e-15, see `fastExp20`) instead of `Math.exp`.
   * Results then differ from the default's in the last bits (far inside the 1e-6 golden
   * tolerance). Default false (`Math.exp`).
   */
  fastExp?: boolean;
}

function outBuf(out: Float64Array | undefined, n: number, what: string): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (out.length !== n) throw new ShapeMismatchError(what, [n], [out.length]);
  return out;
}

function checkLen(what: string, a: ArrayLike<number>, n: number, rows: number, cols: number): void {
  if (a.length !== n) throw new ShapeMismatchError(what, [rows, cols], [a.length]);
}

/**
 * {@link verlActorLoss} as one fused loop: per token it computes the clipped surrogate, its
 * gradient, the verl-clamped k3 KL (`low_var_kl` / `k3`) and its gradient, and accumulates the
 * aggregated losses and metrics, so the inputs are read once and only the gradients are written
 * (into `options.out` when given). Any `loss_agg_mode`, rollout IS weights and the entropy bonus
 * are supported; other `klLossType`s and `policyLoss: 'gspo'` are delegated to {@link verlActorLoss}. Agrees with
 * {@link verlActorLoss} to ~1e-15 relative (summation order is the same; tests hold it to 1e-12).
 */
export function verlActorLossFused(
  inputs: VerlActorLossInputs,
  options?: VerlActorLossFusedOptions,
): VerlActorLossResult {
  const prep = prepareActorFused(inputs, options);
  if (!('kernel' in prep)) return prep;
  const partials = new Float64Array(prep.rows * ACTOR_PARTIALS);
  verlActorFusedRows(prep.kernel, 0, prep.rows, partials);
  return reduceActorPartials(prep, partials);
}

/** Everything the fused row kernel reads and writes (structured-clonable for a worker). @internal */
export interface FusedKernelArgs {
  cols: number;
  logProb: ArrayLike<number>;
  oldLogProb: ArrayLike<number>;
  advantages: ArrayLike<number>;
  mask: ArrayLike<number>;
  refLogProb: ArrayLike<number> | null;
  entropy: ArrayLike<number> | null;
  isw: ArrayLike<number> | null;
  rowScale: Float64Array;
  divisor: number;
  protect: boolean;
  lo: number;
  hi: number;
  c: number;
  klCoef: number;
  coefH: number;
  grad: Float64Array;
  gradRef: Float64Array | null;
  gradEnt: Float64Array | null;
  /** Table exp instead of `Math.exp` ({@link VerlActorLossFusedOptions.fastExp}). */
  fastExp: boolean;
  /** Run the branchy reference loop instead of the branch-free one (tests). */
  branchyLoop?: boolean;
}

/** Checked inputs of the fused loss. @internal */
export interface FusedPrepared {
  kernel: FusedKernelArgs;
  rows: number;
  klCoef: number;
  coefH: number;
}

/**
 * Validate, resolve options and compute the aggregation norms of {@link verlActorLossFused}; returns
 * the finished result instead when the configuration is delegated to {@link verlActorLoss}.
 * @internal
 */
export function prepareActorFused(
  inputs: VerlActorLossInputs,
  options?: VerlActorLossFusedOptions,
): FusedPrepared | VerlActorLossResult {
  const { rows, cols, responseMask: mask, logProb, oldLogProb, advantages, refLogProb, entropy } = inputs;
  const useKl = options?.useKlLoss ?? refLogProb !== undefined;
  const klType = options?.klLossType ?? 'low_var_kl';
  if ((useKl && klType !== 'low_var_kl' && klType !== 'k3') || options?.policyLoss === 'gspo') {
    const { out: _out, ...rest } = options ?? {};
    return verlActorLoss(inputs, rest);
  }
  const n = rows * cols;
  checkLen('oldLogProb', oldLogProb, n, rows, cols);
  checkLen('logProb', logProb, n, rows, cols);
  checkLen('advantages', advantages, n, rows, cols);
  checkLen('responseMask', mask, n, rows, cols);
  const isw = inputs.rolloutIsWeights;
  if (isw !== undefined) checkLen('rolloutIsWeights', isw, n, rows, cols);
  if (useKl) {
    if (refLogProb === undefined) throw new ShapeMismatchError('refLogProb', [rows, cols], [0]);
    checkLen('refLogProb', refLogProb, n, rows, cols);
  }
  const coefH = options?.entropyCoeff ?? 0;
  if (coefH !== 0 && (entropy === undefined || entropy.length !== n)) {
    throw new ShapeMismatchError('entropy', [rows, cols], [entropy?.length ?? 0]);
  }
  const clip = options?.clipRatio ?? 0.2;
  const lo = 1 - (options?.clipRatioLow ?? clip);
  const hi = 1 + (options?.clipRatioHigh ?? clip);
  const c = options?.clipRatioC ?? 3;
  if (!(c > 1)) throw new InvalidArgumentError('clipRatioC', `must be > 1 (verl asserts it), got ${c}`);
  const klCoef = useKl ? (options?.klLossCoef ?? 0.001) : 0;
  const norms = verlNorms(mask, rows, cols, options?.lossAggMode ?? 'token-mean', options);
  const protect = norms.protectMasked;
  const divisor = norms.divisor;
  const grad = outBuf(options?.out?.gradLogProb, n, 'out.gradLogProb');
  const gradRef = useKl ? outBuf(options?.out?.gradRefLogProb, n, 'out.gradRefLogProb') : null;
  const gradEnt = coefH !== 0 ? outBuf(options?.out?.gradEntropy, n, 'out.gradEntropy') : null;
  return {
    kernel: {
      cols,
      logProb,
      oldLogProb,
      advantages,
      mask,
      refLogProb: gradRef !== null ? (refLogProb as ArrayLike<number>) : null,
      entropy: gradEnt !== null ? (entropy as ArrayLike<number>) : null,
      isw: isw ?? null,
      rowScale: norms.rowScale,
      divisor,
      protect,
      lo,
      hi,
      c,
      klCoef,
      coefH,
      grad,
      gradRef,
      gradEnt,
      fastExp: options?.fastExp === true,
    },
    rows,
    klCoef,
    coefH,
  };
}

/** Per-row partial sums written by {@link verlActorFusedRows}: pg, kl, entropy, mask, −Δ·m, clip, clip-lower. */
export const ACTOR_PARTIALS = 7;

/**
 * Rows `[r0, r1)` of the fused loss: writes the gradients of those rows and the row's partial sums
 * into `partials[i·7 …]` ({@link ACTOR_PARTIALS}). A row's outputs depend on that row alone.
 * @internal shared with the worker entry.
 */
export function verlActorFusedRows(k: FusedKernelArgs, r0: number, r1: number, partials: Float64Array): void {
  if (k.branchyLoop !== true && Number.isFinite(k.lo) && Number.isFinite(k.hi) && Number.isFinite(k.c)) {
    fusedRowsBranchFree(k, r0, r1, partials);
    return;
  }
  fusedRowsBranchy(k, r0, r1, partials);
}

/** Steps per unit of {@link EXP20}: x = j/256 − 20 + r with |r| ≤ 1/512. */
const EXP20_STEPS = 256;
/** e^{j/256 − 20} for j ∈ [0, 40·256] (80 KiB, built once). */
const EXP20 = Float64Array.from({ length: 40 * EXP20_STEPS + 1 }, (_, j) => Math.exp(j / EXP20_STEPS - 20));

/**
 * e^x for x ∈ [−20, 20] (NaN gives NaN): e^x = T[j]·(1 + r + r²/2 + r³/6 + r⁴/24) with
 * j = round(256·(x + 20)), r = x − (j/256 − 20), |r| ≤ 2⁻⁹. The truncation term r⁵/120 < 2.4e-16
 * and the table and Horner roundings add a few ulps: relative error < 1e-15 (tested on a dense grid).
 * @internal
 */
export function fastExp20(x: number): number {
  const j = ((x + 20) * EXP20_STEPS + 0.5) | 0;
  const r = x - (j / EXP20_STEPS - 20);
  return (EXP20[j] as number) * (1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24)))));
}

/**
 * The fused loop with its data-dependent choices (clip of the ratio, which surrogate wins, the
 * clipped-gradient case, dual clip, clip-fraction counts) made as selects through a small scratch
 * array indexed by comparison results instead of branches. Bit-identical to
 * {@link fusedRowsBranchy} for every input (NaN and ±inf included) when lo, hi and c are finite,
 * and with `fastExp` false; the branches left (±20 clamp, mask zero, KL clamps) are predictable.
 */
function fusedRowsBranchFree(k: FusedKernelArgs, r0: number, r1: number, partials: Float64Array): void {
  const {
    cols,
    logProb,
    oldLogProb,
    advantages,
    mask,
    refLogProb,
    entropy,
    isw,
    rowScale,
    divisor,
    protect,
  } = k;
  const { lo, hi, c, klCoef, coefH, grad, gradRef, gradEnt, fastExp } = k;
  const sel = new Float64Array(3);
  for (let i = r0; i < r1; i++) {
    const wr = (rowScale[i] as number) / divisor;
    let pgRow = 0;
    let klRow = 0;
    let hRow = 0;
    let mRow = 0;
    let kRow = 0;
    let cfRow = 0;
    let cflRow = 0;
    for (let t = i * cols, e = t + cols; t < e; t++) {
      const lp = logProb[t] as number;
      const x = lp - (oldLogProb[t] as number);
      const delta = x < -20 ? -20 : Math.min(x, 20);
      const r = fastExp ? fastExp20(delta) : Math.exp(delta);
      const a = advantages[t] as number;
      // rc = r < lo ? lo : min(r, hi)   (r > 0 finite or NaN; lo, hi finite)
      const ltLo = +(r < lo);
      const gtHi = +(r > hi);
      sel[0] = r;
      sel[1] = hi;
      sel[2] = lo;
      const rc = sel[gtHi + ltLo * (2 - gtHi)] as number;
      const l1 = -a * r;
      const l2 = -a * rc;
      const gt12 = +(l1 > l2);
      const gt21 = +(l2 > l1);
      sel[0] = l1;
      sel[1] = l2;
      const c1 = sel[gt21] as number; // l1 when equal; NaN when l1 is (l2 NaN implies l1 NaN here)
      const l3 = -a * c;
      const g1 = x >= -20 && x <= 20 ? -a * r : 0;
      sel[0] = 0;
      sel[1] = g1;
      const g2 = sel[+(r >= lo) & +(r <= hi)] as number;
      sel[0] = g1;
      sel[1] = g2;
      sel[2] = 0.5 * (g1 + g2);
      let g = sel[gt21 + 2 * (1 - gt12 - gt21)] as number;
      // dual clip (a < 0): l3 < c1 → loss l3, gradient 0; l3 = c1 → gradient halved
      const neg = +(a < 0);
      const lt3 = neg & +(l3 < c1);
      const eq3 = neg & +(l3 === c1);
      sel[0] = c1;
      sel[1] = l3;
      let loss = sel[lt3] as number;
      sel[0] = g;
      sel[1] = 0;
      sel[2] = g * 0.5;
      g = sel[lt3 + 2 * eq3] as number;
      if (isw !== null) {
        const wt = isw[t] as number;
        loss *= wt;
        g *= wt;
      }
      const m = mask[t] as number;
      const w = m * wr;
      let gk = 0;
      let kl = 0;
      if (gradRef !== null) {
        const kraw = (refLogProb as ArrayLike<number>)[t] as number;
        const dk = kraw - lp;
        const kc = dk < -20 ? -20 : Math.min(dk, 20);
        const ek = fastExp ? fastExp20(kc) : Math.exp(kc);
        const v = ek - kc - 1;
        kl = v < -10 ? -10 : Math.min(v, 10);
        gk = klCoef * (dk >= -20 && dk <= 20 && v >= -10 && v <= 10 ? 1 - ek : 0) * w;
        gradRef[t] = -gk;
      }
      grad[t] = g * w + gk;
      if (gradEnt !== null) gradEnt[t] = -coefH * w;
      if (m !== 0) {
        mRow += m;
        kRow += -delta * m;
        sel[0] = cfRow;
        sel[1] = cfRow + m;
        cfRow = sel[gt21] as number;
        sel[0] = cflRow;
        sel[1] = cflRow + m;
        cflRow = sel[neg & +(c1 > l3)] as number;
        pgRow += loss * m;
        klRow += kl * m;
        if (gradEnt !== null) hRow += ((entropy as ArrayLike<number>)[t] as number) * m;
      } else if (!protect) {
        pgRow += loss * m;
        klRow += kl * m;
        if (gradEnt !== null) hRow += ((entropy as ArrayLike<number>)[t] as number) * m;
      }
    }
    const o = i * ACTOR_PARTIALS;
    partials[o] = pgRow;
    partials[o + 1] = klRow;
    partials[o + 2] = hRow;
    partials[o + 3] = mRow;
    partials[o + 4] = kRow;
    partials[o + 5] = cfRow;
    partials[o + 6] = cflRow;
  }
}

/** The fused loop with plain branches: the reference of {@link fusedRowsBranchFree}. */
function fusedRowsBranchy(k: FusedKernelArgs, r0: number, r1: number, partials: Float64Array): void {
  const {
    cols,
    logProb,
    oldLogProb,
    advantages,
    mask,
    refLogProb,
    entropy,
    isw,
    rowScale,
    divisor,
    protect,
  } = k;
  const { lo, hi, c, klCoef, coefH, grad, gradRef, gradEnt, fastExp } = k;
  for (let i = r0; i < r1; i++) {
    const wr = (rowScale[i] as number) / divisor;
    let pgRow = 0;
    let klRow = 0;
    let hRow = 0;
    let mRow = 0;
    let kRow = 0;
    let cfRow = 0;
    let cflRow = 0;
    for (let t = i * cols, e = t + cols; t < e; t++) {
      const lp = logProb[t] as number;
      const x = lp - (oldLogProb[t] as number);
      const delta = x < -20 ? -20 : Math.min(x, 20);
      const r = fastExp ? fastExp20(delta) : Math.exp(delta);
      const a = advantages[t] as number;
      const rc = r < lo ? lo : Math.min(r, hi);
      const l1 = -a * r;
      const l2 = -a * rc;
      const c1 = l1 > l2 ? l1 : l2 > l1 ? l2 : l1 === l2 ? l1 : Number.NaN;
      const l3 = -a * c;
      const g1 = x >= -20 && x <= 20 ? -a * r : 0;
      const g2 = r >= lo && r <= hi ? g1 : 0;
      let g = l1 > l2 ? g1 : l2 > l1 ? g2 : 0.5 * (g1 + g2);
      let loss = c1;
      if (a < 0) {
        if (l3 < c1) {
          loss = l3;
          g = 0;
        } else if (l3 === c1) {
          g *= 0.5;
        }
      }
      if (isw !== null) {
        const wt = isw[t] as number;
        loss *= wt;
        g *= wt;
      }
      const m = mask[t] as number;
      const w = m * wr;
      let gk = 0;
      let kl = 0;
      if (gradRef !== null) {
        // verl low_var_kl: kl = clamp(ρ − logp, ±20); k3 = clamp(e^kl − kl − 1, ±10)
        const kraw = (refLogProb as ArrayLike<number>)[t] as number;
        const dk = kraw - lp;
        const kc = dk < -20 ? -20 : Math.min(dk, 20);
        const ek = fastExp ? fastExp20(kc) : Math.exp(kc);
        const v = ek - kc - 1;
        kl = v < -10 ? -10 : Math.min(v, 10);
        gk = klCoef * (dk >= -20 && dk <= 20 && v >= -10 && v <= 10 ? 1 - ek : 0) * w; // 0·NaN weight stays NaN
        gradRef[t] = -gk;
      }
      grad[t] = g * w + gk;
      if (gradEnt !== null) gradEnt[t] = -coefH * w;
      if (m !== 0) {
        mRow += m;
        kRow += -delta * m;
        if (l2 > l1) cfRow += m;
        if (c1 > l3 && a < 0) cflRow += m;
        pgRow += loss * m;
        klRow += kl * m;
        if (gradEnt !== null) hRow += ((entropy as ArrayLike<number>)[t] as number) * m;
      } else if (!protect) {
        // torch multiplies by the mask without `where`: NaN·0 stays NaN
        pgRow += loss * m;
        klRow += kl * m;
        if (gradEnt !== null) hRow += ((entropy as ArrayLike<number>)[t] as number) * m;
      }
    }
    const o = i * ACTOR_PARTIALS;
    partials[o] = pgRow;
    partials[o + 1] = klRow;
    partials[o + 2] = hRow;
    partials[o + 3] = mRow;
    partials[o + 4] = kRow;
    partials[o + 5] = cfRow;
    partials[o + 6] = cflRow;
  }
}

/**
 * Sum the per-row partials in row order (the same order whatever the thread count) into the
 * losses and metrics of {@link VerlActorLossResult}.
 * @internal
 */
export function reduceActorPartials(prep: FusedPrepared, partials: Float64Array): VerlActorLossResult {
  const { kernel, rows, klCoef, coefH } = prep;
  const { rowScale, divisor, grad, gradRef, gradEnt } = kernel;
  let pgAcc = 0;
  let klAcc = 0;
  let hAcc = 0;
  let kSum = 0;
  let cfSum = 0;
  let cflSum = 0;
  let mSum = 0;
  for (let i = 0; i < rows; i++) {
    const rs = rowScale[i] as number;
    const o = i * ACTOR_PARTIALS;
    pgAcc += (partials[o] as number) * rs;
    klAcc += (partials[o + 1] as number) * rs;
    hAcc += (partials[o + 2] as number) * rs;
    mSum += partials[o + 3] as number;
    kSum += partials[o + 4] as number;
    cfSum += partials[o + 5] as number;
    cflSum += partials[o + 6] as number;
  }
  const pgLoss = pgAcc / divisor;
  const klLoss = gradRef !== null ? klAcc / divisor : null;
  const entropyLoss = gradEnt !== null ? hAcc / divisor : null;
  let loss = pgLoss;
  if (klLoss !== null) loss += klCoef * klLoss;
  if (entropyLoss !== null) loss -= coefH * entropyLoss;
  return {
    loss,
    pgLoss,
    klLoss,
    entropyLoss,
    pgClipfrac: cfSum / (mSum + 1e-8),
    ppoKl: kSum / (mSum + 1e-8),
    pgClipfracLower: cflSum / (mSum + 1e-8),
    gradLogProb: grad,
    gradRefLogProb: gradRef,
    gradEntropy: gradEnt,
  };
}
