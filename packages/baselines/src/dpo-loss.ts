/**
 * The TRL DPO loss family, forward and backward, on per-sequence log-probs (float64).
 *
 * Two upstream versions are offered behind `reference`:
 * - `'trl@0.28'` (default): huggingface/trl, trl/trainer/dpo_trainer.py, `DPOTrainer.dpo_loss` at tag
 *   v0.28.0 (commit 49ef3342), with label smoothing in `sigmoid`, `reference_free`, the running-mean
 *   δ of `bco_pair` and the silent ε = 1e-3 of `exo_pair`;
 * - `'trl@head'`: huggingface/trl, trl/trainer/dpo_trainer.py, `DPOTrainer._compute_loss` at commit
 *   d2b72b72: `sigmoid` without smoothing, no `reference_free`, `bco_pair` without δ, `exo_pair`
 *   raising at ε = 0, `ipo` / `sigmoid_norm` dividing each log-ratio by max(len, 1).
 *
 * Notation (spec loss-math.md §7): a = π_c − ρ_c, b = π_r − ρ_r, Δ = a − b, x = βΔ. The batch loss
 * is the mean over pairs; gradients are of that mean.
 */

import { ConfigError, InvalidArgumentError, resolveAliasedOption, ShapeMismatchError } from '@judgekit/core';
import { logSigmoid, sigmoid } from './numerics.js';

/** Every DPO loss type implemented (TRL `loss_type` names). */
export type DpoLossType =
  | 'sigmoid'
  | 'hinge'
  | 'ipo'
  | 'robust'
  | 'bco_pair'
  | 'exo_pair'
  | 'nca_pair'
  | 'aot'
  | 'aot_unpaired'
  | 'apo_zero'
  | 'apo_down'
  | 'sppo_hard'
  | 'discopop'
  | 'sigmoid_norm';

/** All loss types, in TRL's documentation order. */
export const DPO_LOSS_TYPES: readonly DpoLossType[] = [
  'sigmoid',
  'hinge',
  'ipo',
  'robust',
  'bco_pair',
  'exo_pair',
  'nca_pair',
  'aot',
  'aot_unpaired',
  'apo_zero',
  'apo_down',
  'sppo_hard',
  'discopop',
  'sigmoid_norm',
];

/**
 * `reference` of the DPO family: `'trl@0.28'` = huggingface/trl `DPOTrainer.dpo_loss` at tag
 * v0.28.0 (commit 49ef3342); `'trl@head'` = `DPOTrainer._compute_loss` at commit d2b72b72.
 */
export type DpoReference = 'trl@0.28' | 'trl@head';

/** Every {@link DpoReference}. */
export const DPO_REFERENCES: readonly DpoReference[] = ['trl@0.28', 'trl@head'];

/** Per-pair sequence log-probs, all of length B (one entry per preference pair). */
export interface DpoInputs {
  /** Summed completion log-prob of the chosen response under the policy, π_c. */
  chosenLogps: ArrayLike<number>;
  /** Summed completion log-prob of the rejected response under the policy, π_r. */
  rejectedLogps: ArrayLike<number>;
  /** Same under the frozen reference model, ρ_c (ignored by reference-free losses). */
  refChosenLogps: ArrayLike<number>;
  /** Same under the frozen reference model, ρ_r. */
  refRejectedLogps: ArrayLike<number>;
  /** Completion token counts of the chosen responses; needed by `ipo` (head) and `sigmoid_norm`. */
  chosenLengths?: ArrayLike<number>;
  /** Completion token counts of the rejected responses. */
  rejectedLengths?: ArrayLike<number>;
}

/** Options of {@link dpoLoss}. Defaults follow TRL `DPOConfig`. */
export interface DpoOptions {
  /** TRL `loss_type`. Default `'sigmoid'`. */
  lossType?: DpoLossType;
  /** Which TRL version to reproduce (see the module doc). Default `'trl@0.28'`. */
  reference?: DpoReference;
  /** @deprecated use `reference` (`'v0.28'` → `'trl@0.28'`, `'head'` → `'trl@head'`); removed in the next minor */
  variant?: 'v0.28' | 'head';
  /** β, the KL-penalty temperature. Default 0.1. */
  beta?: number;
  /** ε of cDPO / robust / exo (`label_smoothing`). Default 0. */
  labelSmoothing?: number;
  /**
   * v0.28 `reference_free`: the reference log-ratios are taken as 0 in `sigmoid`, `robust`,
   * `exo_pair`, `hinge`, `ipo` and `apo_*`; the other types recompute their log-ratios with the
   * reference and ignore it (as upstream). Not available with `reference: 'trl@head'`.
   */
  referenceFree?: boolean;
  /** τ of `discopop`. Default 0.05. */
  discopopTau?: number;
  /**
   * δ of `bco_pair` (v0.28). Default: the batch mean of the 2B implicit rewards, i.e. a fresh
   * `RunningMoments`; pass {@link BcoRunningMean.update}'s result to reproduce a running trainer.
   */
  bcoDelta?: number;
}

/** Forward values of {@link dpoLoss}. */
export interface DpoResult {
  /** Mean of `losses`. */
  loss: number;
  /** Per-pair losses, shape [B] (for `aot*`, in the sorted order upstream produces). */
  losses: Float64Array;
  /** β·(π_c − ρ_c), detached metrics (always with the reference, as upstream). */
  chosenRewards: Float64Array;
  /** β·(π_r − ρ_r). */
  rejectedRewards: Float64Array;
}

/** Gradients of the mean loss with respect to each input, each of shape [B]. */
export interface DpoGrads {
  chosenLogps: Float64Array;
  rejectedLogps: Float64Array;
  refChosenLogps: Float64Array;
  refRejectedLogps: Float64Array;
}

interface Resolved {
  type: DpoLossType;
  head: boolean;
  beta: number;
  eps: number;
  refFree: boolean;
  tau: number;
  bcoDelta: number | undefined;
}

function resolve(options: DpoOptions): Resolved {
  const type = options.lossType ?? 'sigmoid';
  if (!DPO_LOSS_TYPES.includes(type)) {
    throw new ConfigError(`Unknown DPO loss type "${type}"; expected one of ${DPO_LOSS_TYPES.join(', ')}`);
  }
  if (options.variant !== undefined && options.variant !== 'v0.28' && options.variant !== 'head') {
    throw new ConfigError(`Unknown DPO variant "${options.variant}"; expected 'v0.28' or 'head'`);
  }
  const reference = resolveAliasedOption('reference', options.reference, DPO_REFERENCES, 'trl@0.28', {
    name: 'variant',
    value: options.variant,
    values: [
      ['v0.28', 'trl@0.28'],
      ['head', 'trl@head'],
    ],
  });
  const head = reference === 'trl@head';
  const beta = options.beta ?? 0.1;
  if (!Number.isFinite(beta) || beta <= 0) throw new InvalidArgumentError('beta', `must be > 0, got ${beta}`);
  let eps = options.labelSmoothing ?? 0;
  if (!Number.isFinite(eps) || eps < 0 || eps > 1) {
    throw new InvalidArgumentError('labelSmoothing', `must be in [0, 1], got ${eps}`);
  }
  const refFree = options.referenceFree ?? false;
  if (head && refFree) {
    throw new ConfigError('referenceFree was removed from TRL HEAD DPO; use reference "trl@0.28" (or CPO)');
  }
  if (head && type === 'sigmoid' && eps !== 0) {
    throw new ConfigError('TRL HEAD sigmoid DPO has no label smoothing; use reference "trl@0.28" for cDPO');
  }
  if (type === 'exo_pair' && eps === 0) {
    if (head) throw new ConfigError('exo_pair needs labelSmoothing > 0 (TRL HEAD raises for 0)');
    eps = 1e-3; // v0.28 silently replaces 0 by 1e-3
  }
  const tau = options.discopopTau ?? 0.05;
  if (!Number.isFinite(tau) || tau <= 0) {
    throw new InvalidArgumentError('discopopTau', `must be > 0, got ${tau}`);
  }
  return { type, head, beta, eps, refFree, tau, bcoDelta: options.bcoDelta };
}

function batchSize(inputs: DpoInputs): number {
  const n = inputs.chosenLogps.length;
  checkLength('DPO input rejectedLogps', inputs.rejectedLogps, n);
  checkLength('DPO input refChosenLogps', inputs.refChosenLogps, n);
  checkLength('DPO input refRejectedLogps', inputs.refRejectedLogps, n);
  return n;
}

function checkLength(what: string, arr: ArrayLike<number>, n: number): void {
  if (arr.length !== n) throw new ShapeMismatchError(what, [n], [arr.length]);
}

/** Whether `referenceFree` drops the reference log-ratios for this loss type (v0.28). */
function honoursRefFree(type: DpoLossType): boolean {
  return (
    type === 'sigmoid' ||
    type === 'robust' ||
    type === 'exo_pair' ||
    type === 'hinge' ||
    type === 'ipo' ||
    type === 'apo_zero' ||
    type === 'apo_down' ||
    type === 'sigmoid_norm'
  );
}

/** Length normalisation settings of one call (ipo HEAD / ipo v0.28 with lengths / sigmoid_norm). */
interface LengthNorm {
  /** Whether log-ratios are divided by the completion lengths. */
  use: boolean;
  /** HEAD clamps the length at 1; v0.28 divides by the raw count (0 → NaN/inf, as upstream). */
  clamp: boolean;
  chosen: ArrayLike<number> | undefined;
  rejected: ArrayLike<number> | undefined;
}

function lengthNorm(inputs: DpoInputs, o: Resolved, n: number): LengthNorm {
  const { type } = o;
  const needsLen = type === 'sigmoid_norm' || (type === 'ipo' && o.head);
  const use = needsLen || (type === 'ipo' && inputs.chosenLengths !== undefined);
  const lc = inputs.chosenLengths;
  const lr = inputs.rejectedLengths;
  if (use) {
    if (lc === undefined || lr === undefined) {
      throw new InvalidArgumentError(
        'chosenLengths',
        `loss type "${type}" (${o.head ? 'head' : 'v0.28'}) needs chosenLengths and rejectedLengths`,
      );
    }
    checkLength('DPO input chosenLengths', lc, n);
    checkLength('DPO input rejectedLengths', lr, n);
  }
  return { use, clamp: o.head || type === 'sigmoid_norm', chosen: lc, rejected: lr };
}

/**
 * Sorting permutation (ascending, stable by index) of `values`, used by `aot` / `aot_unpaired`
 * where upstream calls `torch.sort(dim=0)`.
 */
function sortPermutation(values: Float64Array): Uint32Array {
  const idx = new Uint32Array(values.length);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((i, j) => values[i]! - values[j]! || i - j);
  return idx;
}

/** Label-smoothed sigmoid loss and its derivative in Δ (not x): returns loss, writes d/dΔ to out[0]. */
function sigmoidEps(x: number, beta: number, eps: number, out: Float64Array): number {
  out[0] = beta * (-(1 - eps) * sigmoid(-x) + eps * sigmoid(x));
  // (1-ε)·softplus(−x) + ε·softplus(x); written with eps = 0 short-cut for exact HEAD values
  return eps === 0 ? -logSigmoid(x) : -(1 - eps) * logSigmoid(x) - eps * logSigmoid(-x);
}

/**
 * Core kernel. Writes per-pair losses and, when `grads` is given, the per-pair partial derivatives
 * of the *mean* loss times `gradLoss`.
 */
function dpoKernel(
  inputs: DpoInputs,
  o: Resolved,
  losses: Float64Array,
  grads: DpoGrads | undefined,
  gradLoss: number,
): void {
  const n = losses.length;
  const pc = inputs.chosenLogps;
  const pr = inputs.rejectedLogps;
  const rc = inputs.refChosenLogps;
  const rr = inputs.refRejectedLogps;
  const { beta, eps, type } = o;
  const scale = n > 0 ? gradLoss / n : 0;
  const tmp = new Float64Array(1);
  // k = 1 when the reference enters a/b (and Δ) for this type, 0 when reference-free applies.
  const k = o.refFree && honoursRefFree(type) ? 0 : 1;

  if (type === 'aot' || type === 'aot_unpaired') {
    const u = new Float64Array(n);
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (type === 'aot') {
        u[i] = pc[i]! - pr[i]!;
        v[i] = rc[i]! - rr[i]!;
      } else {
        u[i] = pc[i]! - rc[i]!;
        v[i] = pr[i]! - rr[i]!;
      }
    }
    const pu = sortPermutation(u);
    const pv = sortPermutation(v);
    for (let j = 0; j < n; j++) {
      const iu = pu[j]!;
      const iv = pv[j]!;
      const delta = u[iu]! - v[iv]!;
      losses[j] = sigmoidEps(beta * delta, beta, eps, tmp);
      if (grads) {
        const g = tmp[0]! * scale;
        if (type === 'aot') {
          grads.chosenLogps[iu] = g;
          grads.rejectedLogps[iu] = -g;
          grads.refChosenLogps[iv] = -g;
          grads.refRejectedLogps[iv] = g;
        } else {
          grads.chosenLogps[iu] = g;
          grads.refChosenLogps[iu] = -g;
          grads.rejectedLogps[iv] = -g;
          grads.refRejectedLogps[iv] = g;
        }
      }
    }
    return;
  }

  const len = lengthNorm(inputs, o, n);
  const useLen = len.use;
  const clampLen = len.clamp;
  const lc = len.chosen;
  const lr = len.rejected;

  let bcoDelta = 0;
  if (type === 'bco_pair' && !o.head) {
    if (o.bcoDelta !== undefined) bcoDelta = o.bcoDelta;
    else {
      let s = 0;
      for (let i = 0; i < n; i++) s += beta * (pc[i]! - rc[i]!) + beta * (pr[i]! - rr[i]!);
      bcoDelta = n > 0 ? s / (2 * n) : 0;
    }
  }

  for (let i = 0; i < n; i++) {
    let a = pc[i]! - k * rc[i]!;
    let b = pr[i]! - k * rr[i]!;
    let ic = 1;
    let ir = 1;
    if (useLen) {
      ic = 1 / (clampLen ? Math.max(lc![i]!, 1) : lc![i]!);
      ir = 1 / (clampLen ? Math.max(lr![i]!, 1) : lr![i]!);
      a *= ic;
      b *= ir;
    }
    const delta = a - b;
    const x = beta * delta;
    let loss: number;
    let ga: number; // ∂ℓ/∂a
    let gb: number; // ∂ℓ/∂b
    switch (type) {
      case 'sigmoid':
      case 'sigmoid_norm': {
        loss = sigmoidEps(x, beta, eps, tmp);
        ga = tmp[0]!;
        gb = -ga;
        break;
      }
      case 'robust': {
        const d = 1 - 2 * eps;
        loss = (-(1 - eps) * logSigmoid(x) + eps * logSigmoid(-x)) / d;
        ga = (-beta * ((1 - eps) * sigmoid(-x) + eps * sigmoid(x))) / d;
        gb = -ga;
        break;
      }
      case 'hinge': {
        loss = Math.max(0, 1 - x);
        ga = x < 1 ? -beta : 0;
        gb = -ga;
        break;
      }
      case 'ipo': {
        const c = delta - 1 / (2 * beta);
        loss = c * c;
        ga = 2 * c;
        gb = -ga;
        break;
      }
      case 'exo_pair': {
        const sp = sigmoid(x);
        const sn = sigmoid(-x);
        loss = sp * (logSigmoid(x) - Math.log(1 - eps)) + sn * (logSigmoid(-x) - Math.log(eps));
        ga = beta * sp * sn * (x - Math.log((1 - eps) / eps));
        gb = -ga;
        break;
      }
      case 'discopop': {
        const m = sigmoid(x / o.tau);
        const logistic = -logSigmoid(x);
        const e = Math.exp(-x);
        loss = logistic * (1 - m) + e * m;
        ga = beta * (-sigmoid(-x) * (1 - m) - e * m + ((m * (1 - m)) / o.tau) * (e - logistic));
        gb = -ga;
        break;
      }
      case 'bco_pair': {
        const u = beta * a - bcoDelta;
        const w = beta * b - bcoDelta;
        loss = -logSigmoid(u) - logSigmoid(-w);
        ga = -beta * sigmoid(-u);
        gb = beta * sigmoid(w);
        break;
      }
      case 'nca_pair': {
        const u = beta * a;
        const w = beta * b;
        loss = -logSigmoid(u) - 0.5 * logSigmoid(-u) - 0.5 * logSigmoid(-w);
        ga = beta * (-sigmoid(-u) + 0.5 * sigmoid(u));
        gb = 0.5 * beta * sigmoid(w);
        break;
      }
      case 'sppo_hard': {
        const u = a - 1 / (2 * beta);
        const w = b + 1 / (2 * beta);
        loss = u * u + w * w;
        ga = 2 * u;
        gb = 2 * w;
        break;
      }
      case 'apo_zero': {
        const su = sigmoid(beta * a);
        const sw = sigmoid(beta * b);
        loss = 1 - su + sw;
        ga = -beta * su * (1 - su);
        gb = beta * sw * (1 - sw);
        break;
      }
      case 'apo_down': {
        const su = sigmoid(beta * a);
        const sd = sigmoid(x);
        loss = su + 1 - sd;
        const sdp = beta * sd * (1 - sd);
        ga = beta * su * (1 - su) - sdp;
        gb = sdp;
        break;
      }
      default:
        throw new ConfigError(`Unhandled DPO loss type ${type as string}`);
    }
    losses[i] = loss;
    if (grads) {
      const gc = ga * ic * scale;
      const gr = gb * ir * scale;
      grads.chosenLogps[i] = gc;
      grads.rejectedLogps[i] = gr;
      grads.refChosenLogps[i] = -k * gc;
      grads.refRejectedLogps[i] = -k * gr;
    }
  }
}

/**
 * Fused forward + backward of `sigmoid` / `sigmoid_norm` (TRL's default loss): one pass per pair
 * with one `exp` and one `log1p` shared by the loss (softplus) and its derivative (σ), writing
 * losses, optional gradients (of `gradLoss · mean`) and optional rewards; returns the loss sum.
 * Bit-identical to the generic kernel's `sigmoid` case plus the reward loop of {@link dpoLoss}.
 */
function sigmoidFused(
  inputs: DpoInputs,
  o: Resolved,
  len: LengthNorm,
  losses: Float64Array,
  grads: DpoGrads | undefined,
  chosenRewards: Float64Array | undefined,
  rejectedRewards: Float64Array | undefined,
  gradLoss: number,
): number {
  const n = losses.length;
  const pc = inputs.chosenLogps;
  const pr = inputs.rejectedLogps;
  const rc = inputs.refChosenLogps;
  const rr = inputs.refRejectedLogps;
  const { beta, eps } = o;
  const k = o.refFree ? 0 : 1;
  const scale = n > 0 ? gradLoss / n : 0;
  const smooth = eps !== 0;
  const keep = 1 - eps;
  const { use: useLen, clamp: clampLen } = len;
  const lc = len.chosen as ArrayLike<number>;
  const lr = len.rejected as ArrayLike<number>;
  const gpc = grads?.chosenLogps;
  const gpr = grads?.rejectedLogps;
  const grc = grads?.refChosenLogps;
  const grr = grads?.refRejectedLogps;
  if (k === 1 && !useLen && !smooth && gpc !== undefined && chosenRewards !== undefined) {
    return sigmoidFusedPlain(
      pc,
      pr,
      rc,
      rr,
      beta,
      scale,
      losses,
      gpc,
      gpr!,
      grc!,
      grr!,
      chosenRewards,
      rejectedRewards!,
    );
  }
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const pci = pc[i]!;
    const pri = pr[i]!;
    const rci = rc[i]!;
    const rri = rr[i]!;
    let a = pci - k * rci;
    let b = pri - k * rri;
    let ic = 1;
    let ir = 1;
    if (useLen) {
      ic = 1 / (clampLen ? Math.max(lc[i]!, 1) : lc[i]!);
      ir = 1 / (clampLen ? Math.max(lr[i]!, 1) : lr[i]!);
      a *= ic;
      b *= ir;
    }
    const x = beta * (a - b);
    // Shared pieces: e = e^{−|x|}, log1p(e); softplus(∓x) = max(∓x, 0) + log1p(e); σ(∓x) from e.
    const e = Math.exp(-Math.abs(x));
    const l1 = Math.log1p(e);
    const d = 1 + e;
    const sNeg = x > 0 ? e / d : 1 / d; // σ(−x)
    const spNeg = Math.max(-x, 0) + l1; // softplus(−x) = −logσ(x)
    let loss: number;
    let inner: number;
    if (smooth) {
      const sPos = x >= 0 ? 1 / d : e / d; // σ(x)
      loss = keep * spNeg + eps * (Math.max(x, 0) + l1);
      inner = -keep * sNeg + eps * sPos;
    } else {
      loss = spNeg;
      inner = -sNeg + 0;
    }
    losses[i] = loss;
    sum += loss;
    if (gpc !== undefined) {
      const ga = beta * inner;
      const gc = ga * ic * scale;
      const gr = -ga * ir * scale;
      gpc[i] = gc;
      gpr![i] = gr;
      grc![i] = -k * gc;
      grr![i] = -k * gr;
    }
    if (chosenRewards !== undefined) {
      chosenRewards[i] = beta * (pci - rci);
      rejectedRewards![i] = beta * (pri - rri);
    }
  }
  return sum;
}

/**
 * The hot case of {@link sigmoidFused} (reference in use, no label smoothing, no length
 * normalisation, all outputs requested) as a straight loop over locals. Same values bit for bit:
 * with k = 1, a = π_c − ρ_c is also the reward's difference, and the four gradients are ±g.
 */
function sigmoidFusedPlain(
  pc: ArrayLike<number>,
  pr: ArrayLike<number>,
  rc: ArrayLike<number>,
  rr: ArrayLike<number>,
  beta: number,
  scale: number,
  losses: Float64Array,
  gpc: Float64Array,
  gpr: Float64Array,
  grc: Float64Array,
  grr: Float64Array,
  chosenRewards: Float64Array,
  rejectedRewards: Float64Array,
): number {
  const n = losses.length;
  dpoSigmoidPlainRows(
    { pc, pr, rc, rr, beta, scale, losses, gpc, gpr, grc, grr, chosenRewards, rejectedRewards },
    0,
    n,
  );
  let sum = 0;
  for (let i = 0; i < n; i++) sum += losses[i]!;
  return sum;
}

/** Arguments of {@link dpoSigmoidPlainRows} (structured-clonable for a worker). @internal */
export interface DpoSigmoidPlainArgs {
  pc: ArrayLike<number>;
  pr: ArrayLike<number>;
  rc: ArrayLike<number>;
  rr: ArrayLike<number>;
  beta: number;
  scale: number;
  losses: Float64Array;
  gpc: Float64Array;
  gpr: Float64Array;
  grc: Float64Array;
  grr: Float64Array;
  chosenRewards: Float64Array;
  rejectedRewards: Float64Array;
}

/**
 * Pairs `[i0, i1)` of the plain sigmoid DPO loss (with reference, no smoothing or length norm):
 * per-pair loss, the four gradients and the two rewards; the mean is summed by the caller in pair
 * order. @internal shared with the worker entry.
 */
export function dpoSigmoidPlainRows(k: DpoSigmoidPlainArgs, i0: number, i1: number): void {
  const { pc, pr, rc, rr, beta, scale, losses, gpc, gpr, grc, grr, chosenRewards, rejectedRewards } = k;
  for (let i = i0; i < i1; i++) {
    const a = pc[i]! - rc[i]!;
    const b = pr[i]! - rr[i]!;
    const x = beta * (a - b);
    const e = Math.exp(-Math.abs(x));
    const loss = Math.max(-x, 0) + Math.log1p(e); // softplus(−x) = −logσ(x)
    losses[i] = loss;
    const d = 1 + e;
    const g = beta * (-((x > 0 ? e : 1) / d) + 0) * scale; // β·(−σ(−x))/B
    gpc[i] = g;
    gpr[i] = -g;
    grc[i] = -g;
    grr[i] = g;
    chosenRewards[i] = beta * a;
    rejectedRewards[i] = beta * b;
  }
}

/**
 * The plain-sigmoid fast path's settings when `options` selects it (sigmoid / sigmoid_norm without
 * length normalisation, label smoothing or reference-free), else undefined. @internal
 */
export function dpoPlainSigmoidSettings(
  inputs: DpoInputs,
  options: DpoOptions,
): { beta: number; n: number } | undefined {
  const o = resolve(options);
  const n = batchSize(inputs);
  if (o.type !== 'sigmoid' && o.type !== 'sigmoid_norm') return undefined;
  if (o.refFree || o.eps !== 0 || lengthNorm(inputs, o, n).use) return undefined;
  return { beta: o.beta, n };
}

/** Output buffers of {@link dpoLossWithGrad}, allocated or checked. @internal */
export function dpoOutBuffers(out: DpoOutBuffers | undefined, n: number) {
  return {
    losses: buffer('DPO losses buffer', out?.losses, n),
    chosenRewards: buffer('DPO chosenRewards buffer', out?.chosenRewards, n),
    rejectedRewards: buffer('DPO rejectedRewards buffer', out?.rejectedRewards, n),
    grads: gradBuffers(out?.grads, n),
  };
}

/** Runs one forward (and backward when `grads` is given) and returns the mean loss. */
function compute(
  inputs: DpoInputs,
  o: Resolved,
  losses: Float64Array,
  grads: DpoGrads | undefined,
  chosenRewards: Float64Array | undefined,
  rejectedRewards: Float64Array | undefined,
  gradLoss: number,
  fused: boolean,
): number {
  const n = losses.length;
  if (fused && (o.type === 'sigmoid' || o.type === 'sigmoid_norm')) {
    const len = lengthNorm(inputs, o, n);
    return sigmoidFused(inputs, o, len, losses, grads, chosenRewards, rejectedRewards, gradLoss) / n;
  }
  dpoKernel(inputs, o, losses, grads, gradLoss);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += losses[i]!;
  if (chosenRewards !== undefined && rejectedRewards !== undefined) {
    for (let i = 0; i < n; i++) {
      chosenRewards[i] = o.beta * (inputs.chosenLogps[i]! - inputs.refChosenLogps[i]!);
      rejectedRewards[i] = o.beta * (inputs.rejectedLogps[i]! - inputs.refRejectedLogps[i]!);
    }
  }
  return sum / n;
}

function buffer(what: string, given: Float64Array | undefined, n: number): Float64Array {
  if (given === undefined) return new Float64Array(n);
  checkLength(what, given, n);
  return given;
}

function gradBuffers(given: Partial<DpoGrads> | undefined, n: number): DpoGrads {
  return {
    chosenLogps: buffer('DPO gradient buffer chosenLogps', given?.chosenLogps, n),
    rejectedLogps: buffer('DPO gradient buffer rejectedLogps', given?.rejectedLogps, n),
    refChosenLogps: buffer('DPO gradient buffer refChosenLogps', given?.refChosenLogps, n),
    refRejectedLogps: buffer('DPO gradient buffer refRejectedLogps', given?.refRejectedLogps, n),
  };
}

/**
 * DPO-family loss forward pass (TRL `dpo_loss` v0.28.0 or HEAD `_compute_loss`, see the module
 * doc). Inputs are per-pair sequence log-probs (see {@link sequenceLogps}); the result holds the
 * mean loss, the per-pair losses and the detached implicit rewards.
 */
export function dpoLoss(inputs: DpoInputs, options: DpoOptions = {}): DpoResult {
  const o = resolve(options);
  const n = batchSize(inputs);
  const losses = new Float64Array(n);
  const chosenRewards = new Float64Array(n);
  const rejectedRewards = new Float64Array(n);
  const loss = compute(inputs, o, losses, undefined, chosenRewards, rejectedRewards, 1, true);
  return { loss, losses, chosenRewards, rejectedRewards };
}

/**
 * Backward pass of {@link dpoLoss}: gradients of `gradLoss · mean(losses)` with respect to the four
 * log-prob inputs (reference gradients are 0 where reference-free applies; `bco_pair`'s δ is
 * detached, as upstream). `out` may supply preallocated arrays of length B.
 */
export function dpoLossBackward(
  inputs: DpoInputs,
  options: DpoOptions = {},
  gradLoss = 1,
  out?: DpoGrads,
): DpoGrads {
  const o = resolve(options);
  const n = batchSize(inputs);
  const grads = gradBuffers(out, n);
  compute(inputs, o, new Float64Array(n), grads, undefined, undefined, gradLoss, true);
  return grads;
}

/** Optional preallocated output buffers of {@link dpoLossWithGrad}, each of length B. */
export interface DpoOutBuffers {
  losses?: Float64Array;
  chosenRewards?: Float64Array;
  rejectedRewards?: Float64Array;
  /** Gradient buffers; any of the four left out is allocated. */
  grads?: Partial<DpoGrads>;
}

/** Forward values and gradients of the mean loss, from {@link dpoLossWithGrad}. */
export interface DpoResultWithGrad extends DpoResult {
  grads: DpoGrads;
}

/**
 * Forward and backward in one call: mean loss, per-pair losses, implicit rewards and the gradients
 * of the mean loss with respect to the four log-prob inputs (same values as {@link dpoLoss} plus
 * {@link dpoLossBackward}). `sigmoid` / `sigmoid_norm` run a fused single pass per pair that shares
 * one `exp` and one `log1p` between loss and gradient. `out` may supply any of the output buffers
 * (length B) so a training loop allocates nothing.
 */
export function dpoLossWithGrad(
  inputs: DpoInputs,
  options: DpoOptions = {},
  out?: DpoOutBuffers,
): DpoResultWithGrad {
  return withGrad(inputs, options, out, true);
}

/**
 * The unfused reference of {@link dpoLossWithGrad} (generic per-type kernel, then separate loops for
 * the mean and the rewards). For tests of the fused path; not exported from the package.
 */
export function dpoLossWithGradReference(
  inputs: DpoInputs,
  options: DpoOptions = {},
  out?: DpoOutBuffers,
): DpoResultWithGrad {
  return withGrad(inputs, options, out, false);
}

function withGrad(
  inputs: DpoInputs,
  options: DpoOptions,
  out: DpoOutBuffers | undefined,
  fused: boolean,
): DpoResultWithGrad {
  const o = resolve(options);
  const n = batchSize(inputs);
  const losses = buffer('DPO losses buffer', out?.losses, n);
  const chosenRewards = buffer('DPO chosenRewards buffer', out?.chosenRewards, n);
  const rejectedRewards = buffer('DPO rejectedRewards buffer', out?.rejectedRewards, n);
  const grads = gradBuffers(out?.grads, n);
  const loss = compute(inputs, o, losses, grads, chosenRewards, rejectedRewards, 1, fused);
  return { loss, losses, chosenRewards, rejectedRewards, grads };
}

/**
 * TRL's `RunningMoments` as used for the v0.28 `bco_pair` δ (huggingface/trl, trl/trainer/utils.py
 * at v0.28.0): each step calls `update(mean(cat(βa, βb)))` with the batch's mean implicit reward
 * and uses the running mean (count-weighted, starting from count 1e-24) as δ.
 */
export class BcoRunningMean {
  /** Current running mean (δ). */
  mean = 0;
  /** Accumulated count (starts at 1e-24 as upstream). */
  count = 1e-24;

  /** Fold in one batch's mean reward and return the new δ. */
  update(batchMean: number): number {
    const tot = this.count + 1;
    this.mean += ((batchMean - this.mean) * 1) / tot;
    this.count = tot;
    return this.mean;
  }

  /** The batch mean of the 2B implicit rewards β(π − ρ) that upstream feeds to `update`. */
  static batchMean(inputs: DpoInputs, beta = 0.1): number {
    const n = batchSize(inputs);
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += beta * (inputs.chosenLogps[i]! - inputs.refChosenLogps[i]!);
      s += beta * (inputs.rejectedLogps[i]! - inputs.refRejectedLogps[i]!);
    }
    return s / (2 * n);
  }
}
