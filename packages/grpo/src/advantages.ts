/**
 * Outcome advantage estimators (spec §2), all forward-only (upstream runs them under `no_grad`).
 *
 * verl estimators take `token_level_rewards` and `response_mask` `[rows, cols]` plus one group id
 * per row (any string or number; rows of a group need not be contiguous) and return per-token
 * advantages `[rows, cols]`. TRL estimators take one scalar reward per completion and group
 * contiguous blocks of `numGenerations`.
 *
 * @module
 */

import { InvalidArgumentError, resolveAliasedOption, ShapeMismatchError } from '@judgekit/core';
import type { Mask } from './masked.js';
import { maskedWhiten } from './masked.js';

/** One group id per row (verl's `index` / `uid`). */
export type GroupIds = ArrayLike<string | number>;

/** Inputs of the verl outcome estimators. */
export interface VerlOutcomeInputs {
  /** `token_level_rewards` `[rows, cols]`; the score of a row is its sum over **all** T. */
  tokenLevelRewards: ArrayLike<number>;
  /** `response_mask` `[rows, cols]`. */
  responseMask: Mask;
  /** Group id per row, `[rows]`. */
  index: GroupIds;
  /** B. */
  rows: number;
  /** T. */
  cols: number;
}

/** Result of the verl outcome estimators: `(advantages, returns)` as upstream returns them. */
export interface AdvantageResult {
  /** Per-token advantages `[rows, cols]` (already multiplied by the mask). */
  advantages: Float64Array;
  /** Per-token returns `[rows, cols]` (equal to the advantages for GRPO / RLOO / RF++-baseline). */
  returns: Float64Array;
  /** Per-row scores s_i = Σ_t r_it, `[rows]` (the row's normalised scalar for GRPO/RLOO). */
  scores: Float64Array;
}

function checkVerl(inputs: VerlOutcomeInputs): void {
  const { tokenLevelRewards, responseMask, index, rows, cols } = inputs;
  if (tokenLevelRewards.length !== rows * cols) {
    throw new ShapeMismatchError('tokenLevelRewards', [rows, cols], [tokenLevelRewards.length]);
  }
  if (responseMask.length !== rows * cols)
    throw new ShapeMismatchError('responseMask', [rows, cols], [responseMask.length]);
  if (index.length !== rows) throw new ShapeMismatchError('index', [rows], [index.length]);
}

function rowScores(r: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const s = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let acc = 0;
    for (let t = i * cols, e = t + cols; t < e; t++) acc += r[t] as number;
    s[i] = acc;
  }
  return s;
}

/** Dense group numbers (first-seen order) and group sizes for verl's `index`. */
function groupsOf(index: GroupIds): { gid: Int32Array; count: number; sizes: Int32Array } {
  const map = new Map<string | number, number>();
  const gid = new Int32Array(index.length);
  for (let i = 0; i < index.length; i++) {
    const key = index[i] as string | number;
    let g = map.get(key);
    if (g === undefined) {
      g = map.size;
      map.set(key, g);
    }
    gid[i] = g;
  }
  const sizes = new Int32Array(map.size);
  for (let i = 0; i < gid.length; i++) sizes[gid[i] as number]++;
  return { gid, count: map.size, sizes };
}

function broadcast(
  scores: ArrayLike<number>,
  mask: Mask,
  rows: number,
  cols: number,
  buffer?: Float64Array,
): Float64Array {
  const out = buffer ?? new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const s = scores[i] as number;
    for (let t = i * cols, e = t + cols; t < e; t++) out[t] = s * (mask[t] as number);
  }
  return out;
}

/**
 * `reference` of the verl outcome estimators: `'verl'` = the loop implementation,
 * `'verl:vectorized'` = the vectorized one (both in verl/trainer/ppo/core_algos.py, commit 5689fd79).
 */
export type VerlAdvantageReference = 'verl' | 'verl:vectorized';

/** Every {@link VerlAdvantageReference}. */
export const VERL_ADVANTAGE_REFERENCES: readonly VerlAdvantageReference[] = ['verl', 'verl:vectorized'];

/** `reference` / deprecated `impl` of the verl estimators, as the internal 'loop' | 'vectorized'. */
function implOf(
  options: { reference?: VerlAdvantageReference; impl?: 'loop' | 'vectorized' } | undefined,
): 'loop' | 'vectorized' {
  const r = resolveAliasedOption('reference', options?.reference, VERL_ADVANTAGE_REFERENCES, 'verl', {
    name: 'impl',
    value: options?.impl,
    values: [
      ['loop', 'verl'],
      ['vectorized', 'verl:vectorized'],
    ],
  });
  return r === 'verl' ? 'loop' : 'vectorized';
}

/** Options of {@link verlGrpoAdvantage}. */
export interface VerlGrpoAdvantageOptions {
  /** ε added to the std (default 1e-6; `ray_trainer.compute_advantage` never overrides it). */
  epsilon?: number;
  /** `norm_adv_by_std_in_grpo` (default true). false = Dr.GRPO: A = s − μ. */
  normAdvByStd?: boolean;
  /**
   * Which verl function to reproduce (volcengine/verl, verl/trainer/ppo/core_algos.py, commit
   * 5689fd79). `'verl'` (default): `compute_grpo_outcome_advantage` — singleton μ=0, σ=1, else
   * torch.mean and unbiased torch.std. `'verl:vectorized'`:
   * `compute_grpo_vectorized_outcome_advantage` with `utils/groupwise.group_mean_std` —
   * var = (Σx² − (Σx)²/n)/max(n−1,1), std = sqrt(max(var, 1e-6)).
   */
  reference?: VerlAdvantageReference;
  /** @deprecated use `reference` (`'loop'` → `'verl'`, `'vectorized'` → `'verl:vectorized'`); removed in the next minor */
  impl?: 'loop' | 'vectorized';
  /**
   * Arithmetic of the vectorized path: `'float64'` (default; what the reference vectors use) or
   * `'float32'` (verl runs `group_mean_std` in float32; rounded with Math.fround at every step —
   * expect ~1e-7 relative differences from float64, far more for near-equal groups).
   */
  precision?: 'float64' | 'float32';
}

/**
 * verl GRPO outcome advantage (volcengine/verl, verl/trainer/ppo/core_algos.py, commit 5689fd79,
 * `compute_grpo_outcome_advantage` / `compute_grpo_vectorized_outcome_advantage`; spec §2.1–2.3):
 * A_i = (s_i − μ_g)/(σ_g + ε)·m_it, Dr.GRPO A_i = (s_i − μ_g)·m_it. Singleton: μ=0, σ=1 (so A =
 * s/(1+ε), not 0). Returns = advantages.
 */
export function verlGrpoAdvantage(
  inputs: VerlOutcomeInputs,
  options?: VerlGrpoAdvantageOptions,
): AdvantageResult {
  checkVerl(inputs);
  const { tokenLevelRewards, responseMask, index, rows, cols } = inputs;
  const eps = options?.epsilon ?? 1e-6;
  const norm = options?.normAdvByStd ?? true;
  const impl = implOf(options);
  const f32 = impl === 'vectorized' && options?.precision === 'float32';
  const fr = f32 ? Math.fround : (x: number) => x;
  const scores = rowScores(tokenLevelRewards, rows, cols);
  if (f32) for (let i = 0; i < rows; i++) scores[i] = fr(scores[i] as number);
  const { gid, count, sizes } = groupsOf(index);
  const sum = new Float64Array(count);
  const sumSq = new Float64Array(count);
  for (let i = 0; i < rows; i++) {
    const g = gid[i] as number;
    const s = scores[i] as number;
    sum[g] = fr((sum[g] as number) + s);
    sumSq[g] = fr((sumSq[g] as number) + fr(s * s));
  }
  const mean = new Float64Array(count);
  const std = new Float64Array(count);
  const dev = new Float64Array(count);
  for (let g = 0; g < count; g++)
    mean[g] = (sizes[g] as number) === 1 ? 0 : fr((sum[g] as number) / (sizes[g] as number));
  if (impl === 'loop') {
    for (let i = 0; i < rows; i++) {
      const g = gid[i] as number;
      const d = (scores[i] as number) - (mean[g] as number);
      dev[g] = (dev[g] as number) + d * d;
    }
  }
  for (let g = 0; g < count; g++) {
    const n = sizes[g] as number;
    if (n === 1) {
      std[g] = 1;
      continue;
    }
    if (impl === 'loop') {
      std[g] = Math.sqrt((dev[g] as number) / (n - 1));
    } else {
      const s = sum[g] as number;
      const v = fr(fr((sumSq[g] as number) - fr(fr(s * s) / n)) / Math.max(n - 1, 1));
      std[g] = fr(Math.sqrt(Math.max(v, 1e-6)));
    }
  }
  const a = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const g = gid[i] as number;
    const d = fr((scores[i] as number) - (mean[g] as number));
    a[i] = norm ? fr(d / fr((std[g] as number) + eps)) : d;
  }
  const advantages = broadcast(a, responseMask, rows, cols);
  return { advantages, returns: advantages, scores: a };
}

/** Options of {@link verlRlooAdvantage}. */
export interface VerlRlooOptions {
  /**
   * Which verl function to reproduce (core_algos.py, commit 5689fd79). `'verl'` (default):
   * `compute_rloo_outcome_advantage` — a singleton keeps its raw score. `'verl:vectorized'`:
   * `compute_rloo_vectorized_outcome_advantage` — a singleton gives 0.
   */
  reference?: VerlAdvantageReference;
  /** @deprecated use `reference` (`'loop'` → `'verl'`, `'vectorized'` → `'verl:vectorized'`); removed in the next minor */
  impl?: 'loop' | 'vectorized';
}

/**
 * verl RLOO (volcengine/verl, verl/trainer/ppo/core_algos.py, commit 5689fd79; spec §2.4):
 * A_i = n/(n−1)·(s_i − μ_g) = s_i − mean_{j≠i} s_j for n > 1; singletons per `impl`.
 */
export function verlRlooAdvantage(inputs: VerlOutcomeInputs, options?: VerlRlooOptions): AdvantageResult {
  checkVerl(inputs);
  const { tokenLevelRewards, responseMask, index, rows, cols } = inputs;
  const impl = implOf(options);
  const scores = rowScores(tokenLevelRewards, rows, cols);
  const { gid, count, sizes } = groupsOf(index);
  const sum = new Float64Array(count);
  for (let i = 0; i < rows; i++)
    sum[gid[i] as number] = (sum[gid[i] as number] as number) + (scores[i] as number);
  const a = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const g = gid[i] as number;
    const n = sizes[g] as number;
    const s = scores[i] as number;
    if (impl === 'loop') {
      const mu = (sum[g] as number) / n;
      a[i] = n > 1 ? (s * n) / (n - 1) - (mu * n) / (n - 1) : s;
    } else {
      a[i] = n > 1 ? (n * s - (sum[g] as number)) / Math.max(n - 1, 1) : 0;
    }
  }
  const advantages = broadcast(a, responseMask, rows, cols);
  return { advantages, returns: advantages, scores: a };
}

/**
 * verl `compute_reinforce_plus_plus_baseline_outcome_advantage` (core_algos.py, commit 5689fd79;
 * spec §2.5): s_i − group mean (singleton mean 0), tiled over T, masked, then `masked_whiten` over
 * all valid tokens of the batch, times the mask. Throws when fewer than two tokens are valid.
 */
export function verlReinforcePlusPlusBaselineAdvantage(inputs: VerlOutcomeInputs): AdvantageResult {
  checkVerl(inputs);
  const { tokenLevelRewards, responseMask, index, rows, cols } = inputs;
  const scores = rowScores(tokenLevelRewards, rows, cols);
  const { gid, count, sizes } = groupsOf(index);
  const sum = new Float64Array(count);
  for (let i = 0; i < rows; i++)
    sum[gid[i] as number] = (sum[gid[i] as number] as number) + (scores[i] as number);
  const a = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const g = gid[i] as number;
    const n = sizes[g] as number;
    a[i] = (scores[i] as number) - (n > 1 ? (sum[g] as number) / n : 0);
  }
  const tiled = broadcast(a, responseMask, rows, cols);
  const w = maskedWhiten(tiled, responseMask, { out: tiled });
  for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) * (responseMask[i] as number);
  return { advantages: w, returns: w, scores: a };
}

/**
 * Per-row values `[rows]` (TRL's per-completion advantages) spread over the tokens of each row,
 * times the mask: out_it = a_i·m_it, `[rows, cols]` — the per-token `advantages` the verl policy
 * losses take (verl builds them the same way: `scores.unsqueeze(-1) * response_mask`).
 * `options.out` may supply the `[rows*cols]` output buffer.
 */
export function broadcastRowsToTokens(
  perRow: ArrayLike<number>,
  mask: Mask,
  rows: number,
  cols: number,
  options?: { out?: Float64Array },
): Float64Array {
  if (!Number.isInteger(rows) || rows < 0)
    throw new InvalidArgumentError('rows', `must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 0)
    throw new InvalidArgumentError('cols', `must be a non-negative integer, got ${cols}`);
  if (perRow.length !== rows) throw new ShapeMismatchError('perRow', [rows], [perRow.length]);
  if (mask.length !== rows * cols) throw new ShapeMismatchError('mask', [rows, cols], [mask.length]);
  const out = options?.out;
  if (out !== undefined && out.length !== rows * cols)
    throw new ShapeMismatchError('out', [rows, cols], [out.length]);
  return broadcast(perRow, mask, rows, cols, out);
}

/** Options of {@link verlReinforcePlusPlusAdvantage}. */
export interface VerlReinforcePlusPlusOptions {
  /** Discount γ (`algorithm.gamma`, default 1.0). */
  gamma?: number;
}

/**
 * verl `compute_reinforce_plus_plus_outcome_advantage` (core_algos.py, commit 5689fd79; spec
 * §2.5): discounted returns G_t = r_t + γ·G_{t+1}, with the running return reset by the mask after
 * storing; A = masked_whiten(returns, m)·m. Group ids are not used (`index` may be any ids).
 */
export function verlReinforcePlusPlusAdvantage(
  inputs: Omit<VerlOutcomeInputs, 'index'> & { index?: GroupIds },
  options?: VerlReinforcePlusPlusOptions,
): AdvantageResult {
  const { tokenLevelRewards, responseMask, rows, cols } = inputs;
  checkVerl({ ...inputs, index: inputs.index ?? new Array<number>(rows).fill(0) });
  const gamma = options?.gamma ?? 1;
  const returns = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let g = 0;
    for (let t = cols - 1; t >= 0; t--) {
      const k = i * cols + t;
      g = (tokenLevelRewards[k] as number) + gamma * g;
      returns[k] = g;
      g *= responseMask[k] as number;
    }
  }
  const adv = maskedWhiten(returns, responseMask);
  for (let i = 0; i < adv.length; i++) adv[i] = (adv[i] as number) * (responseMask[i] as number);
  return { advantages: adv, returns, scores: rowScores(tokenLevelRewards, rows, cols) };
}

// ---------------------------------------------------------------------------------------------
// TRL
// ---------------------------------------------------------------------------------------------

/** TRL `scale_rewards`: `group` (default), `batch`, `none`; `true`/`false` map to group/none. */
export type TrlScaleRewards = 'group' | 'batch' | 'none' | boolean;

/** Options of {@link trlGrpoAdvantage}. */
export interface TrlGrpoAdvantageOptions {
  /** `num_generations` G: rows are grouped in contiguous blocks of G (default 8). */
  numGenerations?: number;
  /** `scale_rewards` (default `group`). */
  scaleRewards?: TrlScaleRewards;
  /** ε added to the std (default 1e-4). */
  epsilon?: number;
}

/** Result of {@link trlGrpoAdvantage}. */
export interface TrlGrpoAdvantageResult {
  /** Advantages per completion `[rows]` (NaN replaced by 0, as `nan_to_num`). */
  advantages: Float64Array;
  /** Per-row group mean `[rows]`. */
  meanRewards: Float64Array;
  /** Per-row std used for scaling / logging `[rows]` (group or batch). */
  stdRewards: Float64Array;
  /** 1 where the std is (close to) zero (`torch.isclose(std, 0)`), `[rows]`. */
  isStdZero: Uint8Array;
}

function nanMean(x: ArrayLike<number>, start: number, end: number): number {
  let s = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return s / n;
}

/** TRL `trl.utils.nanstd` over x[start:end]: Bessel-corrected, NaN-aware; one element → NaN. */
function nanStd(x: ArrayLike<number>, start: number, end: number): number {
  const mu = nanMean(x, start, end);
  let s = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const v = x[i] as number;
    if (!Number.isNaN(v)) {
      s += (v - mu) * (v - mu);
      n++;
    }
  }
  return Math.sqrt((s / n) * (n / (n - 1)));
}

/**
 * TRL GRPO advantages (huggingface/trl, trl/trainer/grpo_trainer.py `_generate_and_score_completions`,
 * commit c1f6f24e, `multi_objective_aggregation="sum_then_normalize"`; `nanstd` from trl/trainer/utils.py,
 * commit 99b4b753; spec §2.6): A = r − nanmean_g, divided by (std + 1e-4) unless `none`, then
 * NaN → 0. G = 1 gives std 0 and A = 0.
 */
export function trlGrpoAdvantage(
  rewards: ArrayLike<number>,
  options?: TrlGrpoAdvantageOptions,
): TrlGrpoAdvantageResult {
  const G = options?.numGenerations ?? 8;
  const n = rewards.length;
  if (!Number.isInteger(G) || G < 1)
    throw new InvalidArgumentError('numGenerations', `must be a positive integer, got ${G}`);
  if (n % G !== 0)
    throw new InvalidArgumentError('rewards', `length ${n} is not a multiple of numGenerations=${G}`);
  const raw = options?.scaleRewards ?? 'group';
  const scale = raw === true ? 'group' : raw === false ? 'none' : raw;
  const eps = options?.epsilon ?? 1e-4;
  const meanRewards = new Float64Array(n);
  const stdRewards = new Float64Array(n);
  const batchStd = scale === 'batch' ? nanStd(rewards, 0, n) : 0;
  for (let g = 0; g < n; g += G) {
    const mu = nanMean(rewards, g, g + G);
    const sd = scale === 'batch' ? batchStd : G > 1 ? nanStd(rewards, g, g + G) : 0;
    meanRewards.fill(mu, g, g + G);
    stdRewards.fill(sd, g, g + G);
  }
  const advantages = new Float64Array(n);
  const isStdZero = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let a = (rewards[i] as number) - (meanRewards[i] as number);
    const sd = stdRewards[i] as number;
    if (scale !== 'none') a /= sd + eps;
    advantages[i] = Number.isNaN(a) ? 0 : a;
    isStdZero[i] = Math.abs(sd) <= 1e-8 ? 1 : 0;
  }
  return { advantages, meanRewards, stdRewards, isStdZero };
}

/**
 * TRL reward combination (`sum_then_normalize`): r_i = nansum_k w_k·reward_{i,k} over the
 * reward functions; a row where every function returned NaN (None) becomes NaN (spec §2.6).
 *
 * @param rewardsPerFunc `[rows, numFuncs]` row-major, NaN for None.
 * @param weights `[numFuncs]` (`reward_weights`, default all 1).
 */
export function trlCombineRewards(
  rewardsPerFunc: ArrayLike<number>,
  rows: number,
  numFuncs: number,
  weights?: ArrayLike<number>,
): Float64Array {
  if (rewardsPerFunc.length !== rows * numFuncs) {
    throw new ShapeMismatchError('rewardsPerFunc', [rows, numFuncs], [rewardsPerFunc.length]);
  }
  if (weights !== undefined && weights.length !== numFuncs)
    throw new ShapeMismatchError('weights', [numFuncs], [weights.length]);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    let any = false;
    for (let k = 0; k < numFuncs; k++) {
      const v =
        (rewardsPerFunc[i * numFuncs + k] as number) * (weights === undefined ? 1 : (weights[k] as number));
      if (!Number.isNaN(v)) {
        s += v;
        any = true;
      }
    }
    out[i] = any ? s : Number.NaN;
  }
  return out;
}

/** Options of {@link trlRlooAdvantage}. */
export interface TrlRlooOptions {
  /** Contiguous group size (default 2, TRL RLOO's `num_generations` default). */
  numGenerations?: number;
  /** `normalize_advantages`: (A − mean)/(std + 1e-4) over the batch (default false). */
  normalizeAdvantages?: boolean;
}

/**
 * TRL `RLOOTrainer` advantages (huggingface/trl, trl/trainer/rloo_trainer.py, commit f2cd57710ae3;
 * spec §2.4): baseline_i = (Σ_g r − r_i)/(n_scorable − 1) over the non-NaN rewards of the group;
 * A = r − baseline; optionally normalised over the batch with ε = 1e-4. NaN advantages become 0.
 */
export function trlRlooAdvantage(rewards: ArrayLike<number>, options?: TrlRlooOptions): Float64Array {
  const G = options?.numGenerations ?? 2;
  const n = rewards.length;
  if (!Number.isInteger(G) || G < 1)
    throw new InvalidArgumentError('numGenerations', `must be a positive integer, got ${G}`);
  if (n % G !== 0)
    throw new InvalidArgumentError('rewards', `length ${n} is not a multiple of numGenerations=${G}`);
  const a = new Float64Array(n);
  for (let g = 0; g < n; g += G) {
    let s = 0;
    let c = 0;
    for (let i = g; i < g + G; i++) {
      const v = rewards[i] as number;
      if (!Number.isNaN(v)) {
        s += v;
        c++;
      }
    }
    for (let i = g; i < g + G; i++) {
      const r = rewards[i] as number;
      a[i] = r - (s - r) / (c - 1);
    }
  }
  if (options?.normalizeAdvantages) {
    const mu = nanMean(a, 0, n);
    const sd = nanStd(a, 0, n);
    for (let i = 0; i < n; i++) a[i] = ((a[i] as number) - mu) / (sd + 1e-4);
  }
  for (let i = 0; i < n; i++) if (Number.isNaN(a[i] as number)) a[i] = 0;
  return a;
}
