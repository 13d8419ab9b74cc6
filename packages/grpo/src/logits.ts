/**
 * Token log-probabilities and entropy from logits, forward and backward.
 *
 * Sources (see spec §1.1–1.2):
 * - volcengine/verl, verl/utils/torch_functional.py (commit 67a127b4): `logprobs_from_logits_v2`,
 *   `entropy_from_logits`;
 * - huggingface/trl, trl/trainer/utils.py (commit 99b4b753): `selective_log_softmax`,
 *   `entropy_from_logits`;
 * - huggingface/trl, trl/trainer/grpo_trainer.py (commit c1f6f24e): `logits.div_(self.temperature)`.
 *
 * All functions take row-major logits `[rows, vocab]` (Float64Array or Float32Array; the maths
 * always runs in float64) and divide them by `temperature` first, exactly as verl and TRL GRPO do.
 * Every row is handled with a max-shifted log-sum-exp, so |logit| ~ 1e3 is exact. One `Math.exp`
 * per logit per call; no allocation inside the loops.
 *
 * @module
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';

/** Logits accepted by the functions in this module (row-major `[rows, vocab]`). */
export type LogitsArray = Float64Array | Float32Array;

/** Options shared by the logits functions. */
export interface LogitsOptions {
  /**
   * Sampling temperature τ > 0; logits are divided by it before the softmax (verl
   * `logits.div_(temperature)`, TRL GRPO `logits.div_(self.temperature)`). Default 1.
   */
  temperature?: number;
  /** Optional output buffer, reused instead of allocating (length `rows` or `rows*vocab`). */
  out?: Float64Array;
}

function checkLogits(logits: LogitsArray, rows: number, vocab: number): void {
  if (!Number.isInteger(rows) || rows < 0)
    throw new InvalidArgumentError('rows', `must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(vocab) || vocab < 1)
    throw new InvalidArgumentError('vocab', `must be a positive integer, got ${vocab}`);
  if (logits.length !== rows * vocab) throw new ShapeMismatchError('logits', [rows, vocab], [logits.length]);
}

function temperatureOf(options?: { temperature?: number }): number {
  const t = options?.temperature ?? 1;
  if (!(t > 0) || !Number.isFinite(t))
    throw new InvalidArgumentError('temperature', `must be a finite number > 0, got ${t}`);
  return t;
}

function outBuffer(out: Float64Array | undefined, n: number, what: string): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (out.length !== n) throw new ShapeMismatchError(what, [n], [out.length]);
  return out;
}

function checkLabels(labels: ArrayLike<number>, rows: number, vocab: number): void {
  if (labels.length !== rows) throw new ShapeMismatchError('labels', [rows], [labels.length]);
  for (let i = 0; i < rows; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y >= vocab) {
      throw new InvalidArgumentError(
        'labels',
        `label ${y} at row ${i} is not an integer in [0, ${vocab}) (negative = ignored)`,
      );
    }
  }
}

const LOG2E = Math.LOG2E;
const LN2_HI = 0.6931471803691238; // high bits of ln 2 (fdlibm split)
const LN2_LO = 1.9082149292705877e-10;
const ROUND = 6755399441055744; // 1.5·2^52: adding and subtracting rounds to the nearest integer
/** 2^k for k ∈ [−1074, 0], indexed by k + 1074. */
const POW2 = Float64Array.from({ length: 1075 }, (_, i) => 2 ** (i - 1074));

/**
 * e^x for x ≤ 0 (x = −∞ gives 0, NaN gives NaN): x = k·ln2 + r with |r| ≤ ln2/2, a degree-10
 * Taylor polynomial for e^r (relative error < 3e-13) and a table for 2^k. Used only on the
 * float32-input path, where float32 rounding of the inputs (~6e-8) dominates.
 */
function expNonPos(x: number): number {
  if (x < -745) return 0;
  const k = x * LOG2E + ROUND - ROUND;
  const r = x - k * LN2_HI - k * LN2_LO;
  const p =
    1 +
    r *
      (1 +
        r *
          (0.5 +
            r *
              (1 / 6 +
                r *
                  (1 / 24 +
                    r *
                      (1 / 120 +
                        r *
                          (1 / 720 +
                            r * (1 / 5040 + r * (1 / 40320 + r * (1 / 362880 + r * (1 / 3628800))))))))));
  return p * (POW2[(k | 0) + 1074] as number);
}

/** {@link rowStats} specialised for float32 logits (monomorphic access, polynomial exp). */
function rowStatsF32(
  logits: Float32Array,
  rows: number,
  vocab: number,
  invT: number,
  lse: Float64Array,
  eu: Float64Array | null,
): boolean {
  for (let i = 0; i < rows; i++) {
    const base = i * vocab;
    let mx = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < vocab; k++) {
      const v = logits[base + k] as number;
      if (v > mx) mx = v;
    }
    const m = mx * invT;
    if (!Number.isFinite(m)) return false; // NaN / inf rows: let the reference path decide
    let s = 0;
    let se = 0;
    for (let k = 0; k < vocab; k++) {
      const d = (logits[base + k] as number) * invT - m;
      if (!(d >= -745)) {
        if (d !== Number.NEGATIVE_INFINITY && !(d < -745)) return false; // NaN
        if (d === Number.NEGATIVE_INFINITY && eu !== null) return false; // entropy NaN rule
        continue;
      }
      const e = expNonPos(d);
      s += e;
      se += e * d;
    }
    const ls = Math.log(s);
    lse[i] = m + ls;
    if (eu !== null) eu[i] = ls - se / s;
  }
  return true;
}

/**
 * Row statistics of u = z/τ: writes the max-shifted log-sum-exp into `lse[i]` and, when
 * `eu` is given, Σ_k softmax(u)_k·u_k into `eu[i]` (needed for the entropy).
 */
function rowStats(
  logits: LogitsArray,
  rows: number,
  vocab: number,
  invT: number,
  lse: Float64Array,
  eu: Float64Array | null,
): void {
  if (logits instanceof Float32Array && rowStatsF32(logits, rows, vocab, invT, lse, eu)) return;
  for (let i = 0; i < rows; i++) {
    const base = i * vocab;
    let mx = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < vocab; k++) {
      const v = logits[base + k] as number;
      if (v > mx || Number.isNaN(v)) mx = v; // NaN propagates
    }
    const m = mx * invT;
    if (!Number.isFinite(m)) {
      // all −inf row (lse −inf, entropy NaN), or +inf / NaN present (NaN), as torch gives.
      lse[i] = m === Number.NEGATIVE_INFINITY ? Number.NEGATIVE_INFINITY : Number.NaN;
      if (eu !== null) eu[i] = Number.NaN;
      continue;
    }
    let s = 0;
    if (eu === null) {
      for (let k = 0; k < vocab; k++) s += Math.exp((logits[base + k] as number) * invT - m);
      lse[i] = m + Math.log(s);
    } else {
      // Σ e_k (u_k − m); entropy H = log s − Σ e_k (u_k − m)/s. 0·(−inf) gives NaN, like torch.
      let se = 0;
      for (let k = 0; k < vocab; k++) {
        const d = (logits[base + k] as number) * invT - m;
        const e = Math.exp(d);
        s += e;
        se += e * d;
      }
      const ls = Math.log(s);
      lse[i] = m + ls;
      eu[i] = ls - se / s; // entropy of the row
    }
  }
}

/**
 * log p(label) per row of row-major logits `[rows, vocab]`, logits divided by temperature first:
 * logp_i = z_{i,y}/τ − logsumexp_k(z_{i,k}/τ). Negative labels (e.g. −100, the ignore index)
 * give 0. Matches verl `logprobs_from_logits_v2` and TRL `selective_log_softmax`.
 *
 * @returns Float64Array `[rows]` (or `options.out`).
 */
export function tokenLogProbs(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  vocab: number,
  options?: { temperature?: number; out?: Float64Array },
): Float64Array {
  checkLogits(logits, rows, vocab);
  checkLabels(labels, rows, vocab);
  const invT = 1 / temperatureOf(options);
  const out = outBuffer(options?.out, rows, 'out');
  rowStats(logits, rows, vocab, invT, out, null);
  for (let i = 0; i < rows; i++) {
    const y = labels[i] as number;
    out[i] = y < 0 ? 0 : (logits[i * vocab + y] as number) * invT - (out[i] as number);
  }
  return out;
}

/**
 * Entropy per row, H_i = −Σ_k p_k log p_k with p = softmax(z_i/τ), computed as
 * log Σ e^{u−m} − Σ e^{u−m}(u−m)/Σ e^{u−m} (stable at |z| ~ 1e3; verl `entropy_from_logits` and
 * TRL `entropy_from_logits` agree with it). A −inf logit gives NaN, as in both upstreams.
 *
 * @returns Float64Array `[rows]` (or `options.out`).
 */
export function entropyFromLogits(
  logits: LogitsArray,
  rows: number,
  vocab: number,
  options?: { temperature?: number; out?: Float64Array },
): Float64Array {
  checkLogits(logits, rows, vocab);
  const invT = 1 / temperatureOf(options);
  const out = outBuffer(options?.out, rows, 'out');
  const lse = new Float64Array(rows);
  rowStats(logits, rows, vocab, invT, lse, out);
  return out;
}

/** Result of {@link logProbsAndEntropy}. */
export interface LogProbsAndEntropy {
  /** log p(label) per row, `[rows]`. */
  logProbs: Float64Array;
  /** Entropy per row, `[rows]`. */
  entropy: Float64Array;
}

/**
 * Fused {@link tokenLogProbs} + {@link entropyFromLogits}: one pass over the logits (one
 * `Math.exp` per logit) gives both. Same conventions as the two separate functions.
 */
export function logProbsAndEntropy(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  vocab: number,
  options?: { temperature?: number; outLogProbs?: Float64Array; outEntropy?: Float64Array },
): LogProbsAndEntropy {
  checkLogits(logits, rows, vocab);
  checkLabels(labels, rows, vocab);
  const invT = 1 / temperatureOf(options);
  const logProbs = outBuffer(options?.outLogProbs, rows, 'outLogProbs');
  const entropy = outBuffer(options?.outEntropy, rows, 'outEntropy');
  rowStats(logits, rows, vocab, invT, logProbs, entropy);
  for (let i = 0; i < rows; i++) {
    const y = labels[i] as number;
    logProbs[i] = y < 0 ? 0 : (logits[i * vocab + y] as number) * invT - (logProbs[i] as number);
  }
  return { logProbs, entropy };
}

/**
 * Gradient of Σ_i gradOut[i]·logp_i with respect to the raw logits:
 * ∂/∂z_{i,k} = gradOut[i]·(1[k=y_i] − p_{i,k})/τ. Rows with a negative label get 0.
 *
 * @returns Float64Array `[rows, vocab]` (or `options.out`).
 */
export function tokenLogProbsBackward(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  vocab: number,
  gradOut: ArrayLike<number>,
  options?: { temperature?: number; out?: Float64Array },
): Float64Array {
  checkLogits(logits, rows, vocab);
  checkLabels(labels, rows, vocab);
  if (gradOut.length !== rows) throw new ShapeMismatchError('gradOut', [rows], [gradOut.length]);
  const invT = 1 / temperatureOf(options);
  const out = outBuffer(options?.out, rows * vocab, 'out');
  const lse = new Float64Array(rows);
  rowStats(logits, rows, vocab, invT, lse, null);
  for (let i = 0; i < rows; i++) {
    const base = i * vocab;
    const y = labels[i] as number;
    const g = (gradOut[i] as number) * invT;
    if (y < 0) {
      out.fill(0, base, base + vocab);
      continue;
    }
    const l = lse[i] as number;
    for (let k = 0; k < vocab; k++) out[base + k] = -g * Math.exp((logits[base + k] as number) * invT - l);
    out[base + y] = (out[base + y] as number) + g;
  }
  return out;
}

/**
 * Gradient of Σ_i gradOut[i]·H_i with respect to the raw logits:
 * ∂H_i/∂z_{i,k} = −p_{i,k}(log p_{i,k} + H_i)/τ (spec §1.2).
 *
 * @returns Float64Array `[rows, vocab]` (or `options.out`).
 */
export function entropyBackward(
  logits: LogitsArray,
  rows: number,
  vocab: number,
  gradOut: ArrayLike<number>,
  options?: { temperature?: number; out?: Float64Array },
): Float64Array {
  checkLogits(logits, rows, vocab);
  if (gradOut.length !== rows) throw new ShapeMismatchError('gradOut', [rows], [gradOut.length]);
  const invT = 1 / temperatureOf(options);
  const out = outBuffer(options?.out, rows * vocab, 'out');
  const lse = new Float64Array(rows);
  const ent = new Float64Array(rows);
  rowStats(logits, rows, vocab, invT, lse, ent);
  for (let i = 0; i < rows; i++) {
    const base = i * vocab;
    const g = (gradOut[i] as number) * invT;
    const l = lse[i] as number;
    const h = ent[i] as number;
    for (let k = 0; k < vocab; k++) {
      const lp = (logits[base + k] as number) * invT - l;
      out[base + k] = -g * Math.exp(lp) * (lp + h);
    }
  }
  return out;
}

/**
 * Fused backward of {@link logProbsAndEntropy}: gradient of
 * Σ_i (gLogp[i]·logp_i + gEnt[i]·H_i) with respect to the raw logits, `[rows, vocab]`.
 * Either gradient may be omitted (`null`) and is then treated as zero.
 */
export function logProbsAndEntropyBackward(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  rows: number,
  vocab: number,
  gradLogProbs: ArrayLike<number> | null,
  gradEntropy: ArrayLike<number> | null,
  options?: { temperature?: number; out?: Float64Array },
): Float64Array {
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
  const lse = new Float64Array(rows);
  const ent = new Float64Array(rows);
  rowStats(logits, rows, vocab, invT, lse, ent);
  for (let i = 0; i < rows; i++) {
    const base = i * vocab;
    const y = labels[i] as number;
    const gl = y < 0 || gradLogProbs === null ? 0 : (gradLogProbs[i] as number) * invT;
    const ge = gradEntropy === null ? 0 : (gradEntropy[i] as number) * invT;
    const l = lse[i] as number;
    const h = ent[i] as number;
    if (ge === 0) {
      for (let k = 0; k < vocab; k++) out[base + k] = -gl * Math.exp((logits[base + k] as number) * invT - l);
    } else {
      for (let k = 0; k < vocab; k++) {
        const lp = (logits[base + k] as number) * invT - l;
        out[base + k] = -Math.exp(lp) * (gl + ge * (lp + h));
      }
    }
    if (y >= 0) out[base + y] = (out[base + y] as number) + gl;
  }
  return out;
}
