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
 * All functions take row-major logits `[rows, vocab]` (any numeric array-like; the maths
 * always runs in float64) and divide them by `temperature` first, exactly as verl and TRL GRPO do.
 * Every row is handled with a max-shifted log-sum-exp, so |logit| ~ 1e3 is exact. Float64Array
 * logits use one `Math.exp` per logit (the golden-tested reference); Float32Array logits in the
 * forward functions take a one-pass online-softmax fast path with a table exp (relative error
 * < 1e-12, see `rowStatsF32`), still summing in float64. No allocation inside the loops.
 *
 * @module
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';

/**
 * Logits accepted by the functions in this module (row-major `[rows, vocab]`): any numeric
 * array-like. A `Float32Array` takes the float32 fast path; anything else (a `Float64Array`, a plain
 * array) the float64 reference loop.
 */
export type LogitsArray = ArrayLike<number>;

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

/** @internal */
export function checkLogits(logits: LogitsArray, rows: number, vocab: number): void {
  if (!Number.isInteger(rows) || rows < 0)
    throw new InvalidArgumentError('rows', `must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(vocab) || vocab < 1)
    throw new InvalidArgumentError('vocab', `must be a positive integer, got ${vocab}`);
  if (logits.length !== rows * vocab) throw new ShapeMismatchError('logits', [rows, vocab], [logits.length]);
}

/** @internal */
export function temperatureOf(options?: { temperature?: number }): number {
  const t = options?.temperature ?? 1;
  if (!(t > 0) || !Number.isFinite(t))
    throw new InvalidArgumentError('temperature', `must be a finite number > 0, got ${t}`);
  return t;
}

/** @internal */
export function outBuffer(out: Float64Array | undefined, n: number, what: string): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (out.length !== n) throw new ShapeMismatchError(what, [n], [out.length]);
  return out;
}

/** @internal */
export function checkLabels(labels: ArrayLike<number>, rows: number, vocab: number): void {
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

/** Steps per unit of the exp table: e^d = E[j]·e^r with j = round(−256·d), |r| ≤ 1/512. */
const EXP_STEPS = 256;
/** The fast path handles d ∈ [−64, 0]; smaller d goes to `Math.exp` (e^−64 ≈ 1.6e−28). */
const EXP_RANGE = 64;
/** e^{−j/256} for j ∈ [0, 64·256] (128 KiB, built once). */
const EXP_TABLE = Float64Array.from({ length: EXP_RANGE * EXP_STEPS + 2 }, (_, j) =>
  Math.exp(-j / EXP_STEPS),
);

/**
 * {@link rowStats} specialised for float32 logits: one online pass per row (running max m with
 * the sums rescaled when it grows, as in online softmax), two independent accumulator lanes, and
 * a table exp, e^d = e^{−j/256}·(1 + r + r²/2 + r³/6), whose relative error is below 1e-12
 * (|r| ≤ 2⁻⁹; the truncation term r⁴/24 < 6e-13). Sums run in float64. Against the float64
 * path on the same (float32-valued) logits, log-probs and entropies agree to ~1e-12 relative;
 * the tests hold them to 1e-10. A row with NaN or ±inf is handed to the reference loop instead,
 * so special values keep the reference's torch semantics.
 */
function rowStatsF32(
  logits: Float32Array,
  r0: number,
  r1: number,
  vocab: number,
  invT: number,
  lse: Float64Array,
  eu: Float64Array | null,
): void {
  const table = EXP_TABLE;
  for (let i = r0; i < r1; i++) {
    const base = i * vocab;
    const end = base + vocab;
    let m = (logits[base] as number) * invT;
    if (!(m > Number.NEGATIVE_INFINITY && m < Number.POSITIVE_INFINITY)) {
      rowStatsRef(logits, i, i + 1, vocab, invT, lse, eu);
      continue;
    }
    let s0 = 0;
    let t0 = 0;
    let s1 = 0;
    let t1 = 0;
    let k = base;
    for (; k + 1 < end; k += 2) {
      let d0 = (logits[k] as number) * invT - m;
      let d1 = (logits[k + 1] as number) * invT - m;
      if (d0 > 0 || d1 > 0) {
        // new running max: rescale Σe and Σe·d to it (Σe^{d−Δ}(d−Δ) = e^{−Δ}(Σe^d·d − Δ·Σe^d))
        const dm = Math.max(d0, d1);
        const sc = Math.exp(-dm);
        t0 = sc * (t0 - dm * s0);
        s0 *= sc;
        t1 = sc * (t1 - dm * s1);
        s1 *= sc;
        d0 -= dm;
        d1 -= dm;
        m += dm;
      }
      if (!(d0 >= -EXP_RANGE && d1 >= -EXP_RANGE)) {
        // far tail, −inf or NaN: exact Math.exp (NaN / −inf end up in the reference fallback)
        const e0 = Math.exp(d0);
        const e1 = Math.exp(d1);
        s0 += e0;
        t0 += e0 * d0; // 0·(−inf) = NaN → the reference path decides
        s1 += e1;
        t1 += e1 * d1;
        continue;
      }
      const j0 = (0.5 - d0 * EXP_STEPS) | 0;
      const j1 = (0.5 - d1 * EXP_STEPS) | 0;
      const r0 = d0 + j0 * (1 / EXP_STEPS);
      const r1 = d1 + j1 * (1 / EXP_STEPS);
      const e0 = (table[j0] as number) * (1 + r0 * (1 + r0 * (0.5 + r0 * (1 / 6))));
      const e1 = (table[j1] as number) * (1 + r1 * (1 + r1 * (0.5 + r1 * (1 / 6))));
      s0 += e0;
      t0 += e0 * d0;
      s1 += e1;
      t1 += e1 * d1;
    }
    if (k < end) {
      let d = (logits[k] as number) * invT - m;
      if (d > 0) {
        const sc = Math.exp(-d);
        t0 = sc * (t0 - d * s0);
        s0 *= sc;
        t1 = sc * (t1 - d * s1);
        s1 *= sc;
        m += d;
        d = 0;
      }
      const e = Math.exp(d);
      s0 += e;
      t0 += e * d;
    }
    const s = s0 + s1;
    const t = t0 + t1;
    if (
      !(s > 0 && s < Number.POSITIVE_INFINITY && Number.isFinite(m)) ||
      (eu !== null && !Number.isFinite(t))
    ) {
      rowStatsRef(logits, i, i + 1, vocab, invT, lse, eu);
      continue;
    }
    const ls = Math.log(s);
    lse[i] = m + ls;
    if (eu !== null) eu[i] = ls - t / s;
  }
}

/**
 * Row statistics of u = z/τ for rows `[r0, r1)`: writes the max-shifted log-sum-exp into `lse[i]`
 * and, when `eu` is given, the entropy of row i into `eu[i]`. Each row is computed on its own
 * (float32 rows take the fast path, any row with NaN/±inf the reference loop), so a row's result
 * does not depend on which rows are computed with it: splitting rows over threads is bit-identical.
 */
function rowStats(
  logits: LogitsArray,
  r0: number,
  r1: number,
  vocab: number,
  invT: number,
  lse: Float64Array,
  eu: Float64Array | null,
): void {
  if (logits instanceof Float32Array) rowStatsF32(logits, r0, r1, vocab, invT, lse, eu);
  else rowStatsRef(logits, r0, r1, vocab, invT, lse, eu);
}

/** The float64 reference loop of {@link rowStats} (one `Math.exp` per logit, torch's special values). */
function rowStatsRef(
  logits: LogitsArray,
  r0: number,
  r1: number,
  vocab: number,
  invT: number,
  lse: Float64Array,
  eu: Float64Array | null,
): void {
  for (let i = r0; i < r1; i++) {
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
  rowStats(logits, 0, rows, vocab, invT, out, null);
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
  rowStats(logits, 0, rows, vocab, invT, lse, out);
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
  logProbsAndEntropyRows(logits, labels, 0, rows, vocab, invT, logProbs, entropy);
  return { logProbs, entropy };
}

/**
 * Rows `[r0, r1)` of {@link logProbsAndEntropy} (inputs already checked, `invT` = 1/τ), written into
 * `logProbs[i]` / `entropy[i]`. Each row's result depends on that row alone.
 * @internal shared with the worker entry.
 */
export function logProbsAndEntropyRows(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  r0: number,
  r1: number,
  vocab: number,
  invT: number,
  logProbs: Float64Array,
  entropy: Float64Array,
): void {
  rowStats(logits, r0, r1, vocab, invT, logProbs, entropy);
  for (let i = r0; i < r1; i++) {
    const y = labels[i] as number;
    logProbs[i] = y < 0 ? 0 : (logits[i * vocab + y] as number) * invT - (logProbs[i] as number);
  }
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
  rowStats(logits, 0, rows, vocab, invT, lse, null);
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
  rowStats(logits, 0, rows, vocab, invT, lse, ent);
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
  logProbsAndEntropyBackwardRows(logits, labels, 0, rows, vocab, invT, gradLogProbs, gradEntropy, out);
  return out;
}

/**
 * Rows `[r0, r1)` of {@link logProbsAndEntropyBackward} (inputs already checked), written into
 * `out[i·vocab …]`. Each row's result depends on that row alone.
 * @internal shared with the worker entry.
 */
export function logProbsAndEntropyBackwardRows(
  logits: LogitsArray,
  labels: ArrayLike<number>,
  r0: number,
  r1: number,
  vocab: number,
  invT: number,
  gradLogProbs: ArrayLike<number> | null,
  gradEntropy: ArrayLike<number> | null,
  out: Float64Array,
): void {
  const lse = new Float64Array(r1);
  const ent = new Float64Array(r1);
  rowStats(logits, r0, r1, vocab, invT, lse, ent);
  for (let i = r0; i < r1; i++) {
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
}
