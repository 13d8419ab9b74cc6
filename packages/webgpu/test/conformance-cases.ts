/**
 * The conformance suite as plain data: every case runs one op on a backend and checks it against
 * an independent float64 reference AND against the CPU backend's own output, with no test
 * framework, so the same cases run in vitest (src/conformance.test.ts), in a child process on
 * Dawn's OpenGL ES adapter (test/run-conformance.ts) and in headless Chromium
 * (test/browser/conformance-page.ts).
 *
 * Tolerances (|got − ref| ≤ atol + rtol·|ref|, element-wise; a non-finite reference value must
 * be matched exactly: NaN by NaN, ±inf by the same infinity):
 * - CPU (float64): rtol 1e-10, atol 1e-12.
 * - WebGPU (float32 storage and arithmetic, inputs rounded to float32 first; the reference reads
 *   the same float32 values in float64): log-probs and entropies rtol 1e-4, atol 1e-5 (the
 *   kernel computes (u_y − m) − log s so |logit| ~ 1e3 costs no absolute precision);
 *   GRPO aggregated losses/metrics rtol 1e-4, atol 1e-6; per-token gradients rtol 1e-4,
 *   atol 1e-6·max|ref| (WGSL's exp is accurate to 3 + 2|x| ULP, x up to 20 after verl's clamp).
 *   DPO sigmoid loss: per-pair losses, rewards and the float64-summed mean loss rtol 1e-4,
 *   atol 1e-6; gradients rtol 1e-4, atol 1e-6·max|ref|. Margins reach |x| = β|Δ| = 100.
 * Inputs a backend rejects must be rejected by the CPU backend with the same error code.
 */
import { createRng, JudgekitError } from '@judgekit/core';
import { verlActorLoss } from '@judgekit/grpo';
import fc from 'fast-check';
import { OP_NAMES, type OpName, registeredKernels, runOp } from '../src/kernel-registry.js';
import type { DpoSigmoidLossInputs, DpoSigmoidLossOptions } from '../src/kernels/dpo-sigmoid-loss.js';
import type { GrpoClipKlLossInputs, GrpoClipKlLossOptions } from '../src/kernels/grpo-clip-kl-loss.js';
import { decodeLogits, float32ToBfloat16, type LogitsDtype, toFloat16 } from '../src/kernels/logits-dtype.js';
import { type Backend, cpuBackend } from '../src/webgpu-backend.js';

/** Element-wise tolerance. */
export interface Tol {
  rtol: number;
  atol: number;
}

/** Tolerances of one backend. */
export interface Tolerances {
  logits: Tol;
  loss: Tol;
  /** atol of gradients as a fraction of max|ref|. */
  gradAtolRel: number;
  gradRtol: number;
}

/** Tolerances for a backend (see the module doc). */
export function tolerancesFor(backend: Backend): Tolerances {
  return backend.name === 'cpu'
    ? {
        logits: { rtol: 1e-10, atol: 1e-12 },
        loss: { rtol: 1e-10, atol: 1e-12 },
        gradAtolRel: 1e-12,
        gradRtol: 1e-10,
      }
    : {
        logits: { rtol: 1e-4, atol: 1e-5 },
        loss: { rtol: 1e-4, atol: 1e-6 },
        gradAtolRel: 1e-6,
        gradRtol: 1e-4,
      };
}

/** One conformance case. */
export interface ConformanceCase {
  /** Op (or `registry`). */
  group: OpName | 'registry';
  /** What it checks. */
  name: string;
  /** Throws (an Error naming the element) when the backend disagrees. */
  run(backend: Backend): Promise<void>;
}

class Mismatch extends Error {
  override name = 'ConformanceMismatch';
}

function fail(msg: string): never {
  throw new Mismatch(msg);
}

function sameNonFinite(got: number, ref: number): boolean {
  return Number.isNaN(ref) ? Number.isNaN(got) : got === ref;
}

/** Element-wise comparison; non-finite reference values must be matched exactly. */
export function expectClose(what: string, got: ArrayLike<number>, ref: ArrayLike<number>, tol: Tol): void {
  if (got.length !== ref.length) fail(`${what}: length ${got.length}, reference ${ref.length}`);
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] as number;
    const g = got[i] as number;
    if (!Number.isFinite(r)) {
      if (!sameNonFinite(g, r)) fail(`${what}[${i}]: got ${g}, reference ${r} (must match exactly)`);
      continue;
    }
    if (!(Math.abs(g - r) <= tol.atol + tol.rtol * Math.abs(r)))
      fail(`${what}[${i}]: got ${g}, reference ${r} (tolerance ${JSON.stringify(tol)})`);
  }
}

function expectScalar(what: string, got: number | null, ref: number | null, tol: Tol): void {
  if (ref === null || got === null) {
    if (ref !== got) fail(`${what}: got ${got}, reference ${ref}`);
    return;
  }
  expectClose(what, [got], [ref], tol);
}

/** Run `op` on the CPU and on `backend`: both must reject with the same error code (`code`). */
async function expectSameRejection<K extends OpName>(
  backend: Backend,
  code: string,
  op: K,
  inputs: Parameters<typeof runOp<K>>[1],
  options?: Parameters<typeof runOp<K>>[2],
): Promise<void> {
  for (const b of backend.name === 'cpu' ? [backend] : [cpuBackend, backend]) {
    let err: unknown = null;
    try {
      await runOp(op, inputs, { ...options, backend: b });
    } catch (e) {
      err = e;
    }
    if (err === null) fail(`${op} on ${b.name}: resolved, expected a ${code} error`);
    if (!JudgekitError.isInstance(err) || err.code !== code)
      fail(`${op} on ${b.name}: expected a JudgekitError with code ${code}, got ${String(err)}`);
  }
}

/** Naive float64 two-pass reference: max, Σexp, then logp and entropy (torch's NaN/inf rules). */
export function referenceLogProbs(
  logits: Float32Array,
  labels: Int32Array,
  rows: number,
  vocab: number,
  temperature: number,
): { logProbs: Float64Array; entropy: Float64Array } {
  const logProbs = new Float64Array(rows);
  const entropy = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const u = (k: number): number => (logits[i * vocab + k] as number) / temperature;
    let m = Number.NEGATIVE_INFINITY;
    let bad = false;
    for (let k = 0; k < vocab; k++) {
      if (Number.isNaN(u(k)) || u(k) === Number.POSITIVE_INFINITY) bad = true;
      m = Math.max(m, u(k));
    }
    const y = labels[i] as number;
    if (bad || m === Number.NEGATIVE_INFINITY) {
      entropy[i] = Number.NaN;
      logProbs[i] = y < 0 ? 0 : Number.NaN;
      continue;
    }
    let s = 0;
    for (let k = 0; k < vocab; k++) s += Math.exp(u(k) - m);
    const lse = m + Math.log(s);
    let h = 0;
    for (let k = 0; k < vocab; k++) {
      const lp = u(k) - lse;
      h -= Math.exp(lp) * lp; // 0·(−inf) = NaN for a −inf logit, as torch
    }
    entropy[i] = h;
    logProbs[i] = y < 0 ? 0 : u(y) - lse;
  }
  return { logProbs, entropy };
}

/** Normal logits with a per-row scale. */
export function randomLogits(
  seed: number,
  rows: number,
  vocab: number,
  scale: (row: number) => number,
): Float32Array {
  const rng = createRng(seed);
  const z = new Float32Array(rows * vocab);
  for (let i = 0; i < rows; i++) {
    const s = scale(i);
    for (let k = 0; k < vocab; k++) z[i * vocab + k] = rng.nextNormal() * s;
  }
  return z;
}

function randomLabels(seed: number, rows: number, vocab: number): Int32Array {
  const rng = createRng(seed);
  return Int32Array.from({ length: rows }, (_, i) => (i % 9 === 4 ? -100 : rng.nextInt(vocab)));
}

/** Ragged GRPO inputs (trailing tokens masked); `extremes` adds |log-ratio| > 20 and KL clamps. */
export function grpoInputs(
  seed: number,
  rows: number,
  cols: number,
  extremes: boolean,
): GrpoClipKlLossInputs {
  const rng = createRng(seed);
  const n = rows * cols;
  const logProb = new Float32Array(n);
  const oldLogProb = new Float32Array(n);
  const refLogProb = new Float32Array(n);
  const advantages = new Float32Array(n);
  const responseMask = new Float32Array(n);
  for (let i = 0; i < rows; i++) {
    const len = 1 + rng.nextInt(cols);
    const a = rng.nextNormal();
    for (let t = 0; t < cols; t++) {
      const j = i * cols + t;
      const lp = -Math.abs(rng.nextNormal()) * 3;
      logProb[j] = lp;
      oldLogProb[j] = lp + rng.nextNormal() * 0.3;
      refLogProb[j] = lp + rng.nextNormal() * 0.5;
      if (extremes && t % 17 === 3) oldLogProb[j] = lp + (rng.nextFloat() < 0.5 ? 30 : -30);
      if (extremes && t % 23 === 5) refLogProb[j] = lp + (rng.nextFloat() < 0.5 ? 25 : -25);
      advantages[j] = a;
      responseMask[j] = t < len ? 1 : 0;
    }
  }
  return { logProb, oldLogProb, refLogProb, advantages, responseMask, rows, cols };
}

/**
 * Float32 DPO inputs: log-probs in [−300, −5]; with `extremes`, every 7th pair gets a margin
 * x = ±50 or ±55, every 13th x = ±100 and every 11th an exact tie (x = 0).
 */
export function dpoInputs(seed: number, n: number, beta: number, extremes: boolean): DpoSigmoidLossInputs {
  const rng = createRng(seed);
  const chosenLogps = new Float32Array(n);
  const rejectedLogps = new Float32Array(n);
  const refChosenLogps = new Float32Array(n);
  const refRejectedLogps = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const pc = -5 - rng.nextFloat() * 295;
    const pr = -5 - rng.nextFloat() * 295;
    chosenLogps[i] = pc;
    rejectedLogps[i] = pr;
    refChosenLogps[i] = pc + rng.nextNormal() * 3;
    refRejectedLogps[i] = pr + rng.nextNormal() * 3;
    const a = (chosenLogps[i] as number) - (refChosenLogps[i] as number);
    if (extremes && (i % 7 === 3 || i % 13 === 6)) {
      const m = (i % 2 === 0 ? 1 : -1) * (i % 13 === 6 ? 100 : i % 3 === 0 ? 55 : 50);
      refRejectedLogps[i] = pr - a + m / beta;
    } else if (extremes && i % 11 === 5) {
      chosenLogps[i] = pr;
      refChosenLogps[i] = refRejectedLogps[i] as number;
    }
  }
  return { chosenLogps, rejectedLogps, refChosenLogps, refRejectedLogps };
}

function referenceDpo(inputs: DpoSigmoidLossInputs, beta: number, eps: number) {
  const n = inputs.chosenLogps.length;
  const softplus = (z: number): number => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
  const sig = (z: number): number => 1 / (1 + Math.exp(-z));
  const losses = new Float64Array(n);
  const gChosen = new Float64Array(n);
  const chosenRewards = new Float64Array(n);
  const rejectedRewards = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const a = (inputs.chosenLogps[i] as number) - (inputs.refChosenLogps[i] as number);
    const b = (inputs.rejectedLogps[i] as number) - (inputs.refRejectedLogps[i] as number);
    const x = beta * (a - b);
    losses[i] = (1 - eps) * softplus(-x) + eps * softplus(x);
    sum += losses[i] as number;
    gChosen[i] = (beta * (eps * sig(x) - (1 - eps) * sig(-x))) / n;
    chosenRewards[i] = beta * a;
    rejectedRewards[i] = beta * b;
  }
  return { loss: sum / n, losses, gChosen, chosenRewards, rejectedRewards };
}

async function checkLogProbs(
  backend: Backend,
  logits: Float32Array,
  labels: Int32Array,
  rows: number,
  vocab: number,
  temperature: number,
): Promise<void> {
  const tol = tolerancesFor(backend).logits;
  const ref = referenceLogProbs(logits, labels, rows, vocab, temperature);
  const inputs = { logits, labels, rows, vocab, temperature };
  const got = await runOp('tokenLogProbsEntropy', inputs, { backend });
  expectClose('logProbs', got.logProbs, ref.logProbs, tol);
  expectClose('entropy', got.entropy, ref.entropy, tol);
  for (let i = 0; i < rows; i++)
    if ((labels[i] as number) < 0 && got.logProbs[i] !== 0)
      fail(`logProbs[${i}] of an ignored label is not 0`);
  if (backend.name !== 'cpu') {
    const cpu = await runOp('tokenLogProbsEntropy', inputs);
    expectClose('logProbs vs cpu backend', got.logProbs, cpu.logProbs, tol);
    expectClose('entropy vs cpu backend', got.entropy, cpu.entropy, tol);
  }
}

/** Same as checkLogProbs with the logits stored as float16 / bfloat16 bit patterns. */
async function checkLogProbs16(
  backend: Backend,
  values: Float32Array,
  dtype: Exclude<LogitsDtype, 'float32'>,
  labels: Int32Array,
  rows: number,
  vocab: number,
  temperature: number,
): Promise<void> {
  const tol = tolerancesFor(backend).logits;
  const logits = dtype === 'float16' ? toFloat16(values) : float32ToBfloat16(values);
  const exact = decodeLogits(logits, dtype) as Float32Array;
  const ref = referenceLogProbs(exact, labels, rows, vocab, temperature);
  const inputs = { logits, dtype, labels, rows, vocab, temperature };
  const got = await runOp('tokenLogProbsEntropy', inputs, { backend });
  expectClose(`${dtype} logProbs`, got.logProbs, ref.logProbs, tol);
  expectClose(`${dtype} entropy`, got.entropy, ref.entropy, tol);
  if (backend.name !== 'cpu') {
    const cpu = await runOp('tokenLogProbsEntropy', inputs);
    expectClose(`${dtype} logProbs vs cpu backend`, got.logProbs, cpu.logProbs, tol);
    expectClose(`${dtype} entropy vs cpu backend`, got.entropy, cpu.entropy, tol);
  }
}

/** Independent float64 reference of the log-prob + entropy backward. */
function referenceBackward(
  z: Float32Array,
  labels: Int32Array,
  rows: number,
  vocab: number,
  temperature: number,
  gl: Float64Array | null,
  ge: Float64Array | null,
): Float64Array {
  const out = new Float64Array(rows * vocab);
  for (let i = 0; i < rows; i++) {
    const u = Array.from({ length: vocab }, (_, k) => (z[i * vocab + k] as number) / temperature);
    const m = Math.max(...u);
    const lse = m + Math.log(u.reduce((a, v) => a + Math.exp(v - m), 0));
    const p = u.map((v) => Math.exp(v - lse));
    const h = -u.reduce((a, v, k) => a + (p[k] as number) * (v - lse), 0);
    const y = labels[i] as number;
    const a = y < 0 || gl === null ? 0 : (gl[i] as number);
    const b = ge === null ? 0 : (ge[i] as number);
    for (let k = 0; k < vocab; k++) {
      const pk = p[k] as number;
      const dl = (k === y ? 1 : 0) - pk;
      const dh = -pk * ((u[k] as number) - lse + h);
      out[i * vocab + k] = (a * dl + b * dh) / temperature;
    }
  }
  return out;
}

async function checkBackward(
  backend: Backend,
  rows: number,
  vocab: number,
  temperature: number,
  which: 'both' | 'logp' | 'entropy',
  dtype: LogitsDtype,
  seed: number,
): Promise<void> {
  const c = tolerancesFor(backend);
  const values = randomLogits(seed, rows, vocab, () => 3);
  const labels = randomLabels(seed + 1, rows, vocab);
  const rng = createRng(seed + 2);
  const gl = which === 'entropy' ? null : Float64Array.from({ length: rows }, () => rng.nextNormal());
  const ge = which === 'logp' ? null : Float64Array.from({ length: rows }, () => rng.nextNormal());
  const logits =
    dtype === 'float32' ? values : dtype === 'float16' ? toFloat16(values) : float32ToBfloat16(values);
  const exact = decodeLogits(logits, dtype) as Float32Array;
  const ref = referenceBackward(exact, labels, rows, vocab, temperature, gl, ge);
  const inputs = {
    logits,
    dtype,
    labels,
    rows,
    vocab,
    temperature,
    ...(gl !== null ? { gradLogProbs: gl } : {}),
    ...(ge !== null ? { gradEntropy: ge } : {}),
  };
  const gmax = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const tol = { rtol: c.gradRtol, atol: c.gradAtolRel * Math.max(gmax, 1e-30) };
  const got = await runOp('tokenLogProbsEntropyBackward', inputs, { backend });
  expectClose('gradLogits', got.gradLogits, ref, tol);
  if (backend.name !== 'cpu') {
    const cpu = await runOp('tokenLogProbsEntropyBackward', inputs);
    expectClose('gradLogits vs cpu backend', got.gradLogits, cpu.gradLogits, tol);
  }
}

async function checkGrpo(
  backend: Backend,
  inputs: GrpoClipKlLossInputs,
  options: GrpoClipKlLossOptions | undefined,
): Promise<void> {
  const c = tolerancesFor(backend);
  const ref = verlActorLoss(inputs, options);
  const outs = [await runOp('grpoClipKlLoss', inputs, { backend, options })];
  if (backend.name !== 'cpu') outs.push(await runOp('grpoClipKlLoss', inputs, { options }));
  const gmax = ref.gradLogProb.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const gtol = { rtol: c.gradRtol, atol: c.gradAtolRel * Math.max(gmax, 1e-30) };
  for (const [k, got] of outs.entries()) {
    const tag = k === 0 ? '' : ' (cpu backend)';
    expectScalar(`loss${tag}`, got.loss, ref.loss, c.loss);
    expectScalar(`pgLoss${tag}`, got.pgLoss, ref.pgLoss, c.loss);
    expectScalar(`klLoss${tag}`, got.klLoss, ref.klLoss, c.loss);
    expectScalar(`pgClipfrac${tag}`, got.pgClipfrac, ref.pgClipfrac, c.loss);
    expectScalar(`pgClipfracLower${tag}`, got.pgClipfracLower, ref.pgClipfracLower, c.loss);
    expectScalar(`ppoKl${tag}`, got.ppoKl, ref.ppoKl, c.loss);
    expectClose(`gradLogProb${tag}`, got.gradLogProb, ref.gradLogProb, gtol);
    if (ref.gradRefLogProb === null) {
      if (got.gradRefLogProb !== null) fail('gradRefLogProb should be null without KL loss');
    } else
      expectClose(`gradRefLogProb${tag}`, got.gradRefLogProb as ArrayLike<number>, ref.gradRefLogProb, gtol);
    for (let t = 0; t < inputs.rows * inputs.cols; t++)
      if (inputs.responseMask[t] === 0 && got.gradLogProb[t] !== 0 && !Object.is(got.gradLogProb[t], -0))
        fail(`gradLogProb[${t}] of a masked token is ${got.gradLogProb[t]}`);
  }
}

async function checkDpo(backend: Backend, inputs: DpoSigmoidLossInputs, options: DpoSigmoidLossOptions) {
  const c = tolerancesFor(backend);
  const ref = referenceDpo(inputs, options.beta ?? 0.1, options.labelSmoothing ?? 0);
  const outs = [await runOp('dpoSigmoidLoss', inputs, { backend, options })];
  if (backend.name !== 'cpu') outs.push(await runOp('dpoSigmoidLoss', inputs, { options }));
  const gmax = ref.gChosen.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const gtol = { rtol: c.gradRtol, atol: c.gradAtolRel * Math.max(gmax, 1e-30) };
  const neg = ref.gChosen.map((v) => -v);
  for (const [k, got] of outs.entries()) {
    const tag = k === 0 ? '' : ' (cpu backend)';
    expectScalar(`loss${tag}`, got.loss, ref.loss, c.loss);
    expectClose(`losses${tag}`, got.losses, ref.losses, c.loss);
    expectClose(`chosenRewards${tag}`, got.chosenRewards, ref.chosenRewards, c.loss);
    expectClose(`rejectedRewards${tag}`, got.rejectedRewards, ref.rejectedRewards, c.loss);
    expectClose(`grad chosenLogps${tag}`, got.grads.chosenLogps, ref.gChosen, gtol);
    expectClose(`grad rejectedLogps${tag}`, got.grads.rejectedLogps, neg, gtol);
    expectClose(`grad refChosenLogps${tag}`, got.grads.refChosenLogps, neg, gtol);
    expectClose(`grad refRejectedLogps${tag}`, got.grads.refRejectedLogps, ref.gChosen, gtol);
  }
}

const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

/** Every conformance case, in a fixed order. */
export function conformanceCases(): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  const add = (group: ConformanceCase['group'], name: string, run: (b: Backend) => Promise<void>) =>
    cases.push({ group, name, run });

  // --- tokenLogProbsEntropy -----------------------------------------------------------------
  const logitCases: Array<[string, number, number, number, (row: number) => number]> = [
    ['64×1000 normal logits, ignored labels', 64, 1000, 1, () => 3],
    ['48×1000 with |logit| ~ 1e3 rows', 48, 1000, 1, (i) => (i % 2 === 0 ? 1000 : 2)],
    ['17×257 (vocab not a multiple of 256), temperature 0.7', 17, 257, 0.7, () => 5],
    ['5×7 (vocab below the workgroup size), temperature 1.3', 5, 7, 1.3, () => 1],
    ['3×1 (single-token vocabulary)', 3, 1, 1, () => 1],
    ['1×1 (length 1)', 1, 1, 1, () => 1],
  ];
  for (const [name, rows, vocab, temperature, scale] of logitCases) {
    add('tokenLogProbsEntropy', name, (b) =>
      checkLogProbs(
        b,
        randomLogits(rows * 31 + vocab, rows, vocab, scale),
        randomLabels(rows + vocab, rows, vocab),
        rows,
        vocab,
        temperature,
      ),
    );
  }
  add('tokenLogProbsEntropy', '0 rows (empty batch)', (b) =>
    checkLogProbs(b, new Float32Array(0), new Int32Array(0), 0, 5, 1),
  );
  add('tokenLogProbsEntropy', 'non-finite logits: NaN, +inf, −inf (label on and off it), all −inf', (b) => {
    const vocab = 300;
    const rows = 7;
    const logits = randomLogits(5, rows, vocab, () => 2);
    const labels = Int32Array.from([3, 3, 3, 10, 3, -100, 0]);
    logits[0 * vocab + 200] = NAN; // row 0: NaN
    logits[1 * vocab + 7] = INF; // row 1: +inf
    logits[2 * vocab + 9] = Number.NEGATIVE_INFINITY; // row 2: −inf off the label
    logits[3 * vocab + 10] = Number.NEGATIVE_INFINITY; // row 3: −inf on the label
    logits.fill(Number.NEGATIVE_INFINITY, 4 * vocab, 5 * vocab); // row 4: all −inf
    logits[5 * vocab + 1] = NAN; // row 5: NaN with an ignored label
    return checkLogProbs(b, logits, labels, rows, vocab, 1);
  });
  add('tokenLogProbsEntropy', 'property: random shapes and scales agree with the reference', (b) =>
    fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: 0.01, max: 300, noNaN: true }),
        fc.integer({ min: 0, max: 1e9 }),
        async (rows, vocab, scale, seed) => {
          await checkLogProbs(
            b,
            randomLogits(seed, rows, vocab, () => scale),
            randomLabels(seed + 1, rows, vocab),
            rows,
            vocab,
            1,
          );
        },
      ),
      { numRuns: 10, seed: 7 },
    ),
  );
  add('tokenLogProbsEntropy', 'rejects a label outside the vocabulary on every backend', (b) =>
    expectSameRejection(b, 'invalid_argument', 'tokenLogProbsEntropy', {
      logits: new Float32Array(6),
      labels: [0, 3],
      rows: 2,
      vocab: 3,
    }),
  );

  for (const dtype of ['float16', 'bfloat16'] as const) {
    add('tokenLogProbsEntropy', `${dtype} logits: 33×515, temperature 0.9, and 1×1`, async (b) => {
      await checkLogProbs16(
        b,
        randomLogits(41, 33, 515, () => 4),
        dtype,
        randomLabels(42, 33, 515),
        33,
        515,
        0.9,
      );
      await checkLogProbs16(
        b,
        randomLogits(43, 1, 1, () => 1),
        dtype,
        Int32Array.of(0),
        1,
        1,
        1,
      );
    });
    add('tokenLogProbsEntropy', `${dtype} logits with NaN, +inf and −inf`, (b) => {
      const vocab = 64;
      const values = randomLogits(44, 4, vocab, () => 2);
      values[0 * vocab + 5] = NAN;
      values[1 * vocab + 6] = INF;
      values[2 * vocab + 7] = Number.NEGATIVE_INFINITY;
      values[3 * vocab + 9] = Number.NEGATIVE_INFINITY;
      return checkLogProbs16(b, values, dtype, Int32Array.from([1, 1, 1, 9]), 4, vocab, 1);
    });
  }
  add('tokenLogProbsEntropy', 'rejects a dtype that does not match the array on every backend', async (b) => {
    await expectSameRejection(b, 'invalid_argument', 'tokenLogProbsEntropy', {
      logits: new Uint16Array(4),
      labels: [0, 1],
      rows: 2,
      vocab: 2,
    });
    await expectSameRejection(b, 'invalid_argument', 'tokenLogProbsEntropy', {
      logits: new Float32Array(4),
      dtype: 'bfloat16',
      labels: [0, 1],
      rows: 2,
      vocab: 2,
    });
  });

  // --- tokenLogProbsEntropyBackward ----------------------------------------------------------
  const backCases: Array<[string, number, number, number, 'both' | 'logp' | 'entropy', LogitsDtype]> = [
    ['24×700, both gradients, ignored labels', 24, 700, 1, 'both', 'float32'],
    ['9×257, log-prob gradient only, temperature 0.7', 9, 257, 0.7, 'logp', 'float32'],
    ['5×33, entropy gradient only, temperature 1.5', 5, 33, 1.5, 'entropy', 'float32'],
    ['1×1 (length 1)', 1, 1, 1, 'both', 'float32'],
    ['0 rows (empty batch)', 0, 3, 1, 'both', 'float32'],
    ['float16 logits 12×300', 12, 300, 1, 'both', 'float16'],
    ['bfloat16 logits 12×301', 12, 301, 1, 'both', 'bfloat16'],
  ];
  for (const [name, rows, vocab, t, which, dtype] of backCases) {
    add('tokenLogProbsEntropyBackward', name, (b) =>
      checkBackward(b, rows, vocab, t, which, dtype, rows * 3 + vocab),
    );
  }
  add(
    'tokenLogProbsEntropyBackward',
    'non-finite logits or gradients rejected on every backend',
    async (b) => {
      const base = {
        logits: Float32Array.of(0, 1, NAN, 2),
        labels: [0, 1],
        rows: 2,
        vocab: 2,
        gradLogProbs: [1, 1],
      };
      await expectSameRejection(b, 'invalid_argument', 'tokenLogProbsEntropyBackward', base);
      await expectSameRejection(b, 'invalid_argument', 'tokenLogProbsEntropyBackward', {
        ...base,
        logits: Float32Array.of(0, 1, 2, 3),
        gradEntropy: [0, INF],
      });
      await expectSameRejection(b, 'shape_mismatch', 'tokenLogProbsEntropyBackward', {
        ...base,
        logits: Float32Array.of(0, 1, 2, 3),
        gradLogProbs: [1],
      });
    },
  );

  // --- grpoClipKlLoss ----------------------------------------------------------------------
  const lossCases: Array<[string, number, number, boolean, boolean, GrpoClipKlLossOptions | undefined]> = [
    ['defaults (clip 0.2, low_var_kl 0.001), ragged mask', 16, 300, true, false, undefined],
    [
      'DAPO clip 0.2/0.28, dual clip 3, k3 coef 0.05, legacy token-mean, |log-ratio| > 20',
      16,
      300,
      true,
      true,
      {
        clipRatioLow: 0.2,
        clipRatioHigh: 0.28,
        clipRatioC: 3,
        klLossType: 'k3',
        klLossCoef: 0.05,
        version: 'legacy',
      },
    ],
    ['no KL loss', 8, 129, false, true, undefined],
    ['batchNumTokens and dpSize', 8, 200, true, false, { batchNumTokens: 5000, dpSize: 4, klLossCoef: 0.1 }],
    ['1×1 (length 1)', 1, 1, true, false, undefined],
  ];
  for (const [name, rows, cols, withRef, extremes, options] of lossCases) {
    add('grpoClipKlLoss', name, (b) => {
      const full = grpoInputs(rows * 7 + cols, rows, cols, extremes);
      return checkGrpo(b, withRef ? full : { ...full, refLogProb: undefined }, options);
    });
  }
  add('grpoClipKlLoss', 'rollout IS weights: random, and all zero (loss 0)', async (b) => {
    const inputs = grpoInputs(3, 6, 150, true);
    const rng = createRng(9);
    const w = Float32Array.from({ length: 900 }, () => rng.nextFloat() * 2);
    await checkGrpo(b, { ...inputs, rolloutIsWeights: w }, { klLossCoef: 0.05 });
    const zero = { ...inputs, refLogProb: undefined, rolloutIsWeights: new Float32Array(900) };
    await checkGrpo(b, zero, undefined);
    const got = await runOp('grpoClipKlLoss', zero, { backend: b });
    if (got.loss !== 0) fail(`all-zero rollout IS weights: loss ${got.loss}, expected 0`);
  });
  add('grpoClipKlLoss', 'fractional mask weights', (b) => {
    const inputs = grpoInputs(4, 4, 64, false);
    const rng = createRng(4);
    const mask = Float32Array.from(inputs.responseMask, (m) => m * rng.nextFloat());
    return checkGrpo(b, { ...inputs, responseMask: mask }, undefined);
  });
  add(
    'grpoClipKlLoss',
    'empty mask: legacy gives 0, head token-mean rejected on every backend',
    async (b) => {
      const inputs = { ...grpoInputs(5, 3, 40, false), responseMask: new Float32Array(120) };
      await checkGrpo(b, inputs, { version: 'legacy' });
      await expectSameRejection(b, 'invalid_argument', 'grpoClipKlLoss', inputs);
    },
  );
  add('grpoClipKlLoss', 'NaN / ±inf inputs rejected on every backend', async (b) => {
    const base = grpoInputs(6, 2, 8, false);
    for (const [field, v] of [
      ['logProb', NAN],
      ['oldLogProb', INF],
      ['refLogProb', -INF],
      ['advantages', NAN],
      ['responseMask', INF],
    ] as const) {
      const a = Float32Array.from(base[field] as ArrayLike<number>);
      a[5] = v;
      await expectSameRejection(b, 'invalid_argument', 'grpoClipKlLoss', { ...base, [field]: a });
    }
    const w = new Float32Array(16).fill(1);
    w[3] = NAN;
    await expectSameRejection(b, 'invalid_argument', 'grpoClipKlLoss', { ...base, rolloutIsWeights: w });
  });
  add(
    'grpoClipKlLoss',
    'rejects options it does not implement, with the same error on every backend',
    async (b) => {
      const inputs = grpoInputs(1, 2, 4, false);
      for (const options of [
        { lossAggMode: 'seq-mean-token-mean' },
        { klLossType: 'kl' },
        { entropyCoeff: 0.01 },
        { policyLoss: 'gspo' },
      ]) {
        await expectSameRejection(b, 'not_supported', 'grpoClipKlLoss', inputs, {
          options: options as GrpoClipKlLossOptions,
        });
      }
      await expectSameRejection(b, 'shape_mismatch', 'grpoClipKlLoss', {
        ...inputs,
        rolloutIsWeights: new Float32Array(7),
      });
    },
  );

  // --- dpoSigmoidLoss ----------------------------------------------------------------------
  const dpoCases: Array<[string, number, boolean, DpoSigmoidLossOptions]> = [
    ['defaults (β 0.1), 1000 pairs, margins ±50/±55/±100 and ties', 1000, true, {}],
    ['cDPO β 0.5, label smoothing 0.1, extreme margins', 700, true, { beta: 0.5, labelSmoothing: 0.1 }],
    [
      'β 2, label smoothing 0.3, 3 pairs (below the workgroup size)',
      3,
      false,
      { beta: 2, labelSmoothing: 0.3 },
    ],
    ['TRL HEAD variant, β 0.05, 257 pairs', 257, true, { variant: 'head', beta: 0.05 }],
    ['1 pair (length 1)', 1, false, {}],
    ['0 pairs (empty batch: mean is NaN on every backend)', 0, false, {}],
  ];
  for (const [name, n, extremes, options] of dpoCases) {
    add('dpoSigmoidLoss', name, (b) =>
      checkDpo(b, dpoInputs(n * 13 + 1, n, options.beta ?? 0.1, extremes), options),
    );
  }
  add('dpoSigmoidLoss', 'property: random β, smoothing and batch sizes agree with the reference', (b) =>
    fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 600 }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e9 }),
        async (n, beta, labelSmoothing, extremes, seed) => {
          await checkDpo(b, dpoInputs(seed, n, beta, extremes), { beta, labelSmoothing });
        },
      ),
      { numRuns: 12, seed: 11 },
    ),
  );
  add('dpoSigmoidLoss', 'NaN / ±inf inputs and unsupported options rejected on every backend', async (b) => {
    const inputs = dpoInputs(2, 4, 0.1, false);
    for (const [field, v] of [
      ['chosenLogps', NAN],
      ['refRejectedLogps', INF],
      ['rejectedLogps', -INF],
    ] as const) {
      const a = Float32Array.from(inputs[field]);
      a[2] = v;
      await expectSameRejection(b, 'invalid_argument', 'dpoSigmoidLoss', { ...inputs, [field]: a });
    }
    for (const options of [
      { lossType: 'hinge' },
      { lossType: 'ipo' },
      { referenceFree: true },
      { discopopTau: 0.05 },
      { bcoDelta: 0 },
    ]) {
      await expectSameRejection(b, 'not_supported', 'dpoSigmoidLoss', inputs, {
        options: options as DpoSigmoidLossOptions,
      });
    }
    await expectSameRejection(b, 'config', 'dpoSigmoidLoss', inputs, {
      options: { variant: 'head', labelSmoothing: 0.1 },
    });
    await expectSameRejection(b, 'invalid_argument', 'dpoSigmoidLoss', inputs, { options: { beta: 0 } });
    await expectSameRejection(b, 'shape_mismatch', 'dpoSigmoidLoss', {
      ...inputs,
      refRejectedLogps: new Float32Array(3),
    });
  });

  // --- registry: every registered (op, backend) kernel runs ----------------------------------
  add('registry', 'every op in the kernel table has a kernel for this backend and it runs', async (b) => {
    const table = registeredKernels();
    for (const op of OP_NAMES) {
      if (!table.some((k) => k.op === op && k.backend === b.name)) fail(`no ${b.name} kernel for ${op}`);
    }
    for (const k of table) if (!OP_NAMES.includes(k.op)) fail(`kernel for unknown op ${k.op}`);
  });
  return cases;
}

/** Result of {@link runConformance}. */
export interface ConformanceReport {
  backend: string;
  adapter: string | null;
  total: number;
  passed: number;
  failures: Array<{ case: string; message: string }>;
}

/** Run every case on `backend`, sequentially, collecting failures (for non-vitest runners). */
export async function runConformance(
  backend: Backend,
  onCase?: (name: string, ok: boolean, message?: string) => void,
): Promise<ConformanceReport> {
  const cases = conformanceCases();
  const failures: ConformanceReport['failures'] = [];
  for (const c of cases) {
    const name = `${c.group}: ${c.name}`;
    try {
      await c.run(backend);
      onCase?.(name, true);
    } catch (e) {
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      failures.push({ case: name, message });
      onCase?.(name, false, message);
    }
  }
  return {
    backend: backend.name,
    adapter: backend.name === 'webgpu' ? backend.adapterName : null,
    total: cases.length,
    passed: cases.length - failures.length,
    failures,
  };
}
