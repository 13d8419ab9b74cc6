/**
 * KL estimators of KL(π_θ ‖ π_ref) per token, forward and backward (spec §3).
 *
 * Sources: volcengine/verl, verl/trainer/ppo/core_algos.py (commit 5689fd79) `kl_penalty` /
 * `kl_penalty_forward`; huggingface/trl, trl/trainer/grpo_trainer.py (commit c1f6f24e)
 * `per_token_kl`. With d = logp − ρ:
 *
 * | type | value | ∂/∂logp |
 * | --- | --- | --- |
 * | `kl` / `k1` | d | 1 |
 * | `abs` | \|d\| | sign(d) |
 * | `mse` / `k2` | ½d² | d |
 * | `low_var_kl` / `k3` | e^{−d} + d − 1, −d clamped to [−20,20], value to [−10,10] (verl) | 1 − e^{−d}, 0 where a clamp binds |
 * | `k1+` / `k3+` | value of k1 / k3 | d (k2's gradient; verl docs/algo/grpo.md intent — HEAD raises) |
 *
 * ∂/∂ρ is always −∂/∂logp. TRL's k3 (`reference: 'trl'`) has no clamps.
 *
 * @module
 */

import { InvalidArgumentError, resolveAliasedOption, ShapeMismatchError } from '@judgekit/core';

/** verl `kl_penalty` names (aliases included) understood by {@link klPenalty}. */
export type KlEstimator =
  | 'kl'
  | 'k1'
  | 'abs'
  | 'mse'
  | 'k2'
  | 'low_var_kl'
  | 'k3'
  | 'k1+'
  | 'k3+'
  | 'low_var_kl+';

/**
 * `reference` of the KL estimators: `'verl'` = verl `kl_penalty_forward` (core_algos.py, commit
 * 5689fd79; clamps on k3), `'trl'` = TRL GRPO `per_token_kl` (grpo_trainer.py, commit c1f6f24e).
 */
export type KlReference = 'verl' | 'trl';

/** Every {@link KlReference}. */
export const KL_REFERENCES: readonly KlReference[] = ['verl', 'trl'];

/** Options of {@link klPenalty} and {@link klPenaltyBackward}. */
export interface KlOptions {
  /** Estimator (verl name; default `low_var_kl`, verl's `kl_loss_type` default). */
  type?: KlEstimator;
  /**
   * Which upstream to reproduce. `'verl'` (default): verl's clamps on k3. `'trl'`: TRL GRPO's
   * unclamped exp(ρ − logp) − (ρ − logp) − 1 (only meaningful for k3; other estimators have no
   * clamps).
   */
  reference?: KlReference;
  /** @deprecated use `reference` (same values); removed in the next minor */
  impl?: 'verl' | 'trl';
  /** Output buffer (forward: `[n]`). */
  out?: Float64Array;
}

type Base = 0 | 1 | 2 | 3; // k1, abs, k2, k3

/** `reference` / deprecated `impl` of the KL options. */
function referenceOf(options: { reference?: KlReference; impl?: 'verl' | 'trl' } | undefined): KlReference {
  return resolveAliasedOption('reference', options?.reference, KL_REFERENCES, 'verl', {
    name: 'impl',
    value: options?.impl,
    values: [
      ['verl', 'verl'],
      ['trl', 'trl'],
    ],
  });
}

function resolve(type: KlEstimator): { base: Base; straightThrough: boolean } {
  switch (type) {
    case 'kl':
    case 'k1':
      return { base: 0, straightThrough: false };
    case 'abs':
      return { base: 1, straightThrough: false };
    case 'mse':
    case 'k2':
      return { base: 2, straightThrough: false };
    case 'low_var_kl':
    case 'k3':
      return { base: 3, straightThrough: false };
    case 'k1+':
      return { base: 0, straightThrough: true };
    case 'k3+':
    case 'low_var_kl+':
      return { base: 3, straightThrough: true };
    default:
      throw new InvalidArgumentError(
        'type',
        `unknown KL estimator "${String(type)}" (verl raises NotImplementedError for "full")`,
      );
  }
}

/** k3 value for one token, verl clamps when `clamp`. */
function k3Value(logp: number, ref: number, clamp: boolean): number {
  let kl = ref - logp;
  if (!clamp) return Math.exp(kl) - kl - 1;
  kl = kl < -20 ? -20 : Math.min(kl, 20);
  const v = Math.exp(kl) - kl - 1;
  return v < -10 ? -10 : Math.min(v, 10);
}

/** ∂k3/∂logp for one token (0 where a verl clamp binds; clamps pass the gradient at the bounds). */
function k3Grad(logp: number, ref: number, clamp: boolean): number {
  const kl = ref - logp;
  if (!clamp) return 1 - Math.exp(kl);
  if (kl < -20 || kl > 20) return 0;
  const e = Math.exp(kl);
  const v = e - kl - 1;
  if (v > 10 || v < -10) return 0;
  return 1 - e;
}

/**
 * Per-token KL value of one estimator (scalar version of {@link klPenalty}); `reference` as
 * {@link KlOptions.reference}.
 */
export function klValue(
  logp: number,
  ref: number,
  type: KlEstimator = 'low_var_kl',
  reference: KlReference = 'verl',
): number {
  const { base } = resolve(type);
  const d = logp - ref;
  switch (base) {
    case 0:
      return d;
    case 1:
      return Math.abs(d);
    case 2:
      return 0.5 * d * d;
    default:
      return k3Value(logp, ref, reference === 'verl');
  }
}

/** Per-token ∂KL/∂logp of one estimator (∂/∂ρ is its negative); `reference` as {@link KlOptions.reference}. */
export function klGrad(
  logp: number,
  ref: number,
  type: KlEstimator = 'low_var_kl',
  reference: KlReference = 'verl',
): number {
  const { base, straightThrough } = resolve(type);
  const d = logp - ref;
  if (straightThrough) return d;
  switch (base) {
    case 0:
      return 1;
    case 1:
      return d > 0 ? 1 : d < 0 ? -1 : d === 0 ? 0 : Number.NaN;
    case 2:
      return d;
    default:
      return k3Grad(logp, ref, reference === 'verl');
  }
}

/**
 * Per-token KL estimate between the policy log-probs `logProb` and the reference `refLogProb`
 * (same length, any shape). verl `kl_penalty(logprob, ref_logprob, kl_penalty)`; with
 * `reference: 'trl'` and k3, TRL's unclamped `per_token_kl`.
 *
 * @returns Float64Array of the same length (or `options.out`).
 */
export function klPenalty(
  logProb: ArrayLike<number>,
  refLogProb: ArrayLike<number>,
  options?: KlOptions,
): Float64Array {
  const n = logProb.length;
  if (refLogProb.length !== n) throw new ShapeMismatchError('refLogProb', [n], [refLogProb.length]);
  const out = options?.out ?? new Float64Array(n);
  if (out.length !== n) throw new ShapeMismatchError('out', [n], [out.length]);
  const type = options?.type ?? 'low_var_kl';
  const impl = referenceOf(options);
  resolve(type);
  for (let i = 0; i < n; i++) out[i] = klValue(logProb[i] as number, refLogProb[i] as number, type, impl);
  return out;
}

/** Gradients of Σ_i gradOut_i·KL_i returned by {@link klPenaltyBackward}. */
export interface KlGrads {
  /** ∂/∂logProb. */
  logProb: Float64Array;
  /** ∂/∂refLogProb (= −∂/∂logProb). */
  refLogProb: Float64Array;
}

/**
 * Backward of {@link klPenalty}: gradient of Σ_i gradOut_i·KL_i (gradOut defaults to all ones)
 * with respect to the policy and the reference log-probs.
 */
export function klPenaltyBackward(
  logProb: ArrayLike<number>,
  refLogProb: ArrayLike<number>,
  options?: Omit<KlOptions, 'out'> & {
    gradOut?: ArrayLike<number>;
    outLogProb?: Float64Array;
    outRefLogProb?: Float64Array;
  },
): KlGrads {
  const n = logProb.length;
  if (refLogProb.length !== n) throw new ShapeMismatchError('refLogProb', [n], [refLogProb.length]);
  const g = options?.gradOut;
  if (g !== undefined && g.length !== n) throw new ShapeMismatchError('gradOut', [n], [g.length]);
  const type = options?.type ?? 'low_var_kl';
  const impl = referenceOf(options);
  resolve(type);
  const gl = options?.outLogProb ?? new Float64Array(n);
  const gr = options?.outRefLogProb ?? new Float64Array(n);
  if (gl.length !== n) throw new ShapeMismatchError('outLogProb', [n], [gl.length]);
  if (gr.length !== n) throw new ShapeMismatchError('outRefLogProb', [n], [gr.length]);
  for (let i = 0; i < n; i++) {
    const v =
      klGrad(logProb[i] as number, refLogProb[i] as number, type, impl) *
      (g === undefined ? 1 : (g[i] as number));
    gl[i] = v;
    gr[i] = -v;
  }
  return { logProb: gl, refLogProb: gr };
}

/**
 * Fused forward + backward over arrays (internal): writes KL_i into `value` and
 * `coef·∂KL_i/∂logp·weight_i` into `grad` (added to what is there when `accumulate`).
 * The estimator is resolved once, outside the loop.
 */
export function klForwardBackwardInto(
  logProb: ArrayLike<number>,
  refLogProb: ArrayLike<number>,
  type: KlEstimator,
  impl: 'verl' | 'trl',
  value: Float64Array,
  grad: Float64Array,
  weight: ArrayLike<number>,
  coef: number,
  accumulate: boolean,
): void {
  const { base, straightThrough } = resolve(type);
  const n = logProb.length;
  const clamp = impl === 'verl';
  for (let i = 0; i < n; i++) {
    const lp = logProb[i] as number;
    const rf = refLogProb[i] as number;
    const d = lp - rf;
    let v: number;
    let g: number;
    if (base === 3) {
      let kl = -d;
      if (clamp) {
        const pass = kl >= -20 && kl <= 20;
        kl = kl < -20 ? -20 : Math.min(kl, 20);
        const e = Math.exp(kl);
        v = e - kl - 1;
        const vPass = v >= -10 && v <= 10;
        v = v < -10 ? -10 : Math.min(v, 10);
        g = pass && vPass ? 1 - e : 0;
      } else {
        const e = Math.exp(kl);
        v = e - kl - 1;
        g = 1 - e;
      }
    } else if (base === 0) {
      v = d;
      g = 1;
    } else if (base === 1) {
      v = Math.abs(d);
      g = d > 0 ? 1 : d < 0 ? -1 : d === 0 ? 0 : Number.NaN;
    } else {
      v = 0.5 * d * d;
      g = d;
    }
    if (straightThrough) g = d;
    value[i] = v;
    const gg = coef * g * (weight[i] as number);
    grad[i] = accumulate ? (grad[i] as number) + gg : gg;
  }
}
