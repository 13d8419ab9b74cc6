/**
 * One conformance suite run against every backend: each op's output is compared with an
 * independent float64 reference (a naive two-pass softmax written here for the log-probs; the
 * unfused @judgekit/grpo `verlActorLoss` for the GRPO loss, while the CPU kernel is the fused one).
 *
 * Tolerances (|got − ref| ≤ atol + rtol·|ref|, element-wise):
 * - CPU (float64): rtol 1e-10, atol 1e-12.
 * - WebGPU (float32 storage and arithmetic, inputs rounded to float32 first; the reference reads
 *   the same float32 values in float64): log-probs and entropies rtol 1e-4, atol 1e-5 (the
 *   kernel computes (u_y − m) − log s so |logit| ~ 1e3 costs no absolute precision);
 *   GRPO aggregated losses/metrics rtol 1e-4, atol 1e-6; per-token gradients rtol 1e-4,
 *   atol 1e-6·max|ref| (WGSL's exp is accurate to 3 + 2|x| ULP, x up to 20 after verl's clamp).
 *   DPO sigmoid loss (reference: float64 softplus/σ written here; the CPU kernel is the fused
 *   baselines `dpoLossWithGrad`): per-pair losses, rewards and the float64-summed mean loss
 *   rtol 1e-4, atol 1e-6; gradients rtol 1e-4, atol 1e-6·max|ref|. Margins reach |x| = β|Δ| = 100;
 *   at |x| ≈ 55 f32 rounding of x (|x|·2⁻²⁴) and WGSL exp (≤ 3 + 2|x| ULP) give ~1e-5 relative error.
 *
 * WebGPU cases need an adapter (a GPU, Mesa lavapipe, or OpenGL ES through Dawn); without one
 * they are skipped and their names say so.
 */
import {
  ConfigError,
  createRng,
  InvalidArgumentError,
  NotSupportedError,
  ShapeMismatchError,
} from '@judgekit/core';
import { verlActorLoss } from '@judgekit/grpo';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { DpoSigmoidLossInputs, DpoSigmoidLossOptions } from './kernels/dpo-sigmoid-loss.js';
import type { GrpoClipKlLossInputs, GrpoClipKlLossOptions } from './kernels/grpo-clip-kl-loss.js';
import { type OpName, registeredKernels, runOp } from './kernel-registry.js';
import {
  type Backend,
  cpuBackend,
  createWebGpuBackend,
  getBackend,
  type WebGpuBackend,
} from './webgpu-backend.js';

const gpu = await createWebGpuBackend();
afterAll(() => {
  gpu?.dispose();
});

interface Tol {
  rtol: number;
  atol: number;
}
interface Case {
  label: string;
  backend: Backend | null;
  logits: Tol;
  loss: Tol;
  /** atol of gradients as a fraction of max|ref|. */
  gradAtolRel: number;
  gradRtol: number;
}
const cases: Case[] = [
  {
    label: 'cpu',
    backend: cpuBackend,
    logits: { rtol: 1e-10, atol: 1e-12 },
    loss: { rtol: 1e-10, atol: 1e-12 },
    gradAtolRel: 1e-12,
    gradRtol: 1e-10,
  },
  {
    label:
      gpu === null
        ? 'webgpu (skipped: no WebGPU adapter)'
        : `webgpu (${gpu.adapterDescription.description || gpu.adapterDescription.device})`,
    backend: gpu,
    logits: { rtol: 1e-4, atol: 1e-5 },
    loss: { rtol: 1e-4, atol: 1e-6 },
    gradAtolRel: 1e-6,
    gradRtol: 1e-4,
  },
];

function expectClose(what: string, got: ArrayLike<number>, ref: ArrayLike<number>, tol: Tol): void {
  expect(got.length, `${what} length`).toBe(ref.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] as number;
    const excess = Math.abs((got[i] as number) - r) - (tol.atol + tol.rtol * Math.abs(r));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `${what}[${worst}]: got ${got[worst]}, reference ${ref[worst]} (tolerance ${JSON.stringify(tol)})`,
    );
  }
}

/** Naive float64 two-pass reference: max, Σexp, then logp and entropy. */
function referenceLogProbs(
  logits: Float32Array,
  labels: Int32Array,
  rows: number,
  vocab: number,
  temperature: number,
): { logProbs: Float64Array; entropy: Float64Array } {
  const logProbs = new Float64Array(rows);
  const entropy = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < vocab; k++) m = Math.max(m, (logits[i * vocab + k] as number) / temperature);
    let s = 0;
    for (let k = 0; k < vocab; k++) s += Math.exp((logits[i * vocab + k] as number) / temperature - m);
    const lse = m + Math.log(s);
    let h = 0;
    for (let k = 0; k < vocab; k++) {
      const lp = (logits[i * vocab + k] as number) / temperature - lse;
      h -= Math.exp(lp) * lp;
    }
    entropy[i] = h;
    const y = labels[i] as number;
    logProbs[i] = y < 0 ? 0 : (logits[i * vocab + y] as number) / temperature - lse;
  }
  return { logProbs, entropy };
}

function randomLogits(
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

function grpoInputs(seed: number, rows: number, cols: number, extremes: boolean): GrpoClipKlLossInputs {
  const rng = createRng(seed);
  const n = rows * cols;
  const logProb = new Float32Array(n);
  const oldLogProb = new Float32Array(n);
  const refLogProb = new Float32Array(n);
  const advantages = new Float32Array(n);
  const responseMask = new Float32Array(n);
  for (let i = 0; i < rows; i++) {
    const len = 1 + rng.nextInt(cols); // ragged responses: trailing tokens masked
    const a = rng.nextNormal();
    for (let t = 0; t < cols; t++) {
      const j = i * cols + t;
      const lp = -Math.abs(rng.nextNormal()) * 3;
      logProb[j] = lp;
      oldLogProb[j] = lp + rng.nextNormal() * 0.3;
      refLogProb[j] = lp + rng.nextNormal() * 0.5;
      if (extremes && t % 17 === 3) oldLogProb[j] = lp + (rng.nextFloat() < 0.5 ? 30 : -30); // |log-ratio| > 20
      if (extremes && t % 23 === 5) refLogProb[j] = lp + (rng.nextFloat() < 0.5 ? 25 : -25); // KL clamps
      advantages[j] = a;
      responseMask[j] = t < len ? 1 : 0;
    }
  }
  return { logProb, oldLogProb, refLogProb, advantages, responseMask, rows, cols };
}

/**
 * Float32 DPO inputs: log-probs in [−300, −5]; with `extremes`, every 7th pair gets a margin
 * x = ±50 or ±55 (through ρ_r), every 13th x = ±100 (e^{100} overflows float32, so a naive
 * log(1 + e^{−x}) would fail) and every 11th an exact tie (x = 0).
 */
function dpoInputs(seed: number, n: number, beta: number, extremes: boolean): DpoSigmoidLossInputs {
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
      refRejectedLogps[i] = pr - a + m / beta; // b = a − m/β, x = β(a − b) = m
    } else if (extremes && i % 11 === 5) {
      chosenLogps[i] = pr;
      refChosenLogps[i] = refRejectedLogps[i] as number; // a = b exactly: x = 0
    }
  }
  return { chosenLogps, rejectedLogps, refChosenLogps, refRejectedLogps };
}

/** Independent float64 reference of the (label-smoothed) sigmoid DPO loss and its gradients. */
function referenceDpo(
  inputs: DpoSigmoidLossInputs,
  beta: number,
  eps: number,
): {
  loss: number;
  losses: Float64Array;
  gChosen: Float64Array;
  chosenRewards: Float64Array;
  rejectedRewards: Float64Array;
} {
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

function expectScalar(what: string, got: number | null, ref: number | null, tol: Tol): void {
  if (ref === null) {
    expect(got, what).toBeNull();
    return;
  }
  expectClose(what, [got as number], [ref], tol);
}

for (const c of cases) {
  const available = c.backend !== null;
  const backend = c.backend as Backend;
  describe(`conformance on ${c.label}`, () => {
    describe('tokenLogProbsEntropy', () => {
      const logitCases: Array<[string, number, number, number, (row: number) => number]> = [
        ['64×1000 normal logits, ignored labels', 64, 1000, 1, () => 3],
        ['48×1000 with |logit| ~ 1e3 rows', 48, 1000, 1, (i) => (i % 2 === 0 ? 1000 : 2)],
        ['17×257 (vocab not a multiple of 256), temperature 0.7', 17, 257, 0.7, () => 5],
        ['5×7 (vocab below the workgroup size), temperature 1.3', 5, 7, 1.3, () => 1],
        ['3×1 (single-token vocabulary)', 3, 1, 1, () => 1],
      ];
      for (const [name, rows, vocab, temperature, scale] of logitCases) {
        it.skipIf(!available)(name, async () => {
          const logits = randomLogits(rows * 31 + vocab, rows, vocab, scale);
          const labels = randomLabels(rows + vocab, rows, vocab);
          const ref = referenceLogProbs(logits, labels, rows, vocab, temperature);
          const got = await runOp(
            'tokenLogProbsEntropy',
            { logits, labels, rows, vocab, temperature },
            { backend },
          );
          expectClose('logProbs', got.logProbs, ref.logProbs, c.logits);
          expectClose('entropy', got.entropy, ref.entropy, c.logits);
          for (let i = 0; i < rows; i++) if ((labels[i] as number) < 0) expect(got.logProbs[i]).toBe(0);
        });
      }

      it.skipIf(!available)('property: random shapes and scales agree with the reference', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 6 }),
            fc.integer({ min: 1, max: 600 }),
            fc.double({ min: 0.01, max: 300, noNaN: true }),
            fc.integer({ min: 0, max: 1e9 }),
            async (rows, vocab, scale, seed) => {
              const logits = randomLogits(seed, rows, vocab, () => scale);
              const labels = randomLabels(seed + 1, rows, vocab);
              const ref = referenceLogProbs(logits, labels, rows, vocab, 1);
              const got = await runOp('tokenLogProbsEntropy', { logits, labels, rows, vocab }, { backend });
              expectClose('logProbs', got.logProbs, ref.logProbs, c.logits);
              expectClose('entropy', got.entropy, ref.entropy, c.logits);
            },
          ),
          { numRuns: 15, seed: 7 },
        );
      });

      it.skipIf(!available)('rejects a label outside the vocabulary', async () => {
        const logits = new Float32Array(6);
        await expect(
          runOp('tokenLogProbsEntropy', { logits, labels: [0, 3], rows: 2, vocab: 3 }, { backend }),
        ).rejects.toSatisfy((e) => InvalidArgumentError.isInstance(e));
      });
    });

    describe('grpoClipKlLoss', () => {
      const lossCases: Array<[string, number, number, boolean, boolean, GrpoClipKlLossOptions | undefined]> =
        [
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
          [
            'batchNumTokens and dpSize',
            8,
            200,
            true,
            false,
            { batchNumTokens: 5000, dpSize: 4, klLossCoef: 0.1 },
          ],
        ];
      for (const [name, rows, cols, withRef, extremes, options] of lossCases) {
        it.skipIf(!available)(name, async () => {
          const full = grpoInputs(rows * 7 + cols, rows, cols, extremes);
          const inputs = withRef ? full : { ...full, refLogProb: undefined };
          const ref = verlActorLoss(inputs, options);
          const got = await runOp('grpoClipKlLoss', inputs, { backend, options });
          expectScalar('loss', got.loss, ref.loss, c.loss);
          expectScalar('pgLoss', got.pgLoss, ref.pgLoss, c.loss);
          expectScalar('klLoss', got.klLoss, ref.klLoss, c.loss);
          expectScalar('pgClipfrac', got.pgClipfrac, ref.pgClipfrac, c.loss);
          expectScalar('pgClipfracLower', got.pgClipfracLower, ref.pgClipfracLower, c.loss);
          expectScalar('ppoKl', got.ppoKl, ref.ppoKl, c.loss);
          const gmax = ref.gradLogProb.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
          expect(gmax).toBeGreaterThan(0);
          const gtol = { rtol: c.gradRtol, atol: c.gradAtolRel * gmax };
          expectClose('gradLogProb', got.gradLogProb, ref.gradLogProb, gtol);
          if (ref.gradRefLogProb === null) expect(got.gradRefLogProb).toBeNull();
          else
            expectClose('gradRefLogProb', got.gradRefLogProb as ArrayLike<number>, ref.gradRefLogProb, gtol);
          for (let t = 0; t < rows * cols; t++)
            if (inputs.responseMask[t] === 0) expect(Math.abs(got.gradLogProb[t] as number)).toBe(0);
        });
      }

      it.skipIf(!available)('rejects options it does not implement, with NotSupportedError', async () => {
        const inputs = grpoInputs(1, 2, 4, false);
        for (const options of [
          { lossAggMode: 'seq-mean-token-mean' },
          { klLossType: 'kl' },
          { entropyCoeff: 0.01 },
          { policyLoss: 'gspo' },
        ]) {
          await expect(
            runOp('grpoClipKlLoss', inputs, { backend, options: options as GrpoClipKlLossOptions }),
          ).rejects.toSatisfy((e) => NotSupportedError.isInstance(e));
        }
        await expect(
          runOp(
            'grpoClipKlLoss',
            { ...inputs, rolloutIsWeights: new Float32Array(8) } as GrpoClipKlLossInputs,
            {
              backend,
            },
          ),
        ).resolves.toBeDefined(); // extra input fields are ignored, not silently used
      });
    });

    describe('dpoSigmoidLoss', () => {
      const checkDpo = async (inputs: DpoSigmoidLossInputs, options: DpoSigmoidLossOptions) => {
        const ref = referenceDpo(inputs, options.beta ?? 0.1, options.labelSmoothing ?? 0);
        const got = await runOp('dpoSigmoidLoss', inputs, { backend, options });
        expectScalar('loss', got.loss, ref.loss, c.loss);
        expectClose('losses', got.losses, ref.losses, c.loss);
        expectClose('chosenRewards', got.chosenRewards, ref.chosenRewards, c.loss);
        expectClose('rejectedRewards', got.rejectedRewards, ref.rejectedRewards, c.loss);
        const gmax = ref.gChosen.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        expect(gmax).toBeGreaterThan(0);
        const gtol = { rtol: c.gradRtol, atol: c.gradAtolRel * gmax };
        const neg = ref.gChosen.map((v) => -v);
        expectClose('grad chosenLogps', got.grads.chosenLogps, ref.gChosen, gtol);
        expectClose('grad rejectedLogps', got.grads.rejectedLogps, neg, gtol);
        expectClose('grad refChosenLogps', got.grads.refChosenLogps, neg, gtol);
        expectClose('grad refRejectedLogps', got.grads.refRejectedLogps, ref.gChosen, gtol);
      };
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
      ];
      for (const [name, n, extremes, options] of dpoCases) {
        it.skipIf(!available)(name, async () => {
          await checkDpo(dpoInputs(n * 13 + 1, n, options.beta ?? 0.1, extremes), options);
        });
      }

      it.skipIf(!available)(
        'property: random β, smoothing and batch sizes agree with the reference',
        async () => {
          await fc.assert(
            fc.asyncProperty(
              fc.integer({ min: 1, max: 600 }),
              fc.double({ min: 0.01, max: 5, noNaN: true }),
              fc.double({ min: 0, max: 0.5, noNaN: true }),
              fc.boolean(),
              fc.integer({ min: 0, max: 1e9 }),
              async (n, beta, labelSmoothing, extremes, seed) => {
                await checkDpo(dpoInputs(seed, n, beta, extremes), { beta, labelSmoothing });
              },
            ),
            { numRuns: 20, seed: 11 },
          );
        },
      );

      it.skipIf(!available)('rejects loss types and options it does not implement', async () => {
        const inputs = dpoInputs(2, 4, 0.1, false);
        for (const options of [
          { lossType: 'hinge' },
          { lossType: 'ipo' },
          { lossType: 'sigmoid_norm' },
          { referenceFree: true },
          { discopopTau: 0.05 },
          { bcoDelta: 0 },
        ]) {
          await expect(
            runOp('dpoSigmoidLoss', inputs, { backend, options: options as DpoSigmoidLossOptions }),
          ).rejects.toSatisfy((e) => NotSupportedError.isInstance(e));
        }
        await expect(
          runOp('dpoSigmoidLoss', inputs, { backend, options: { variant: 'head', labelSmoothing: 0.1 } }),
        ).rejects.toSatisfy((e) => ConfigError.isInstance(e));
        await expect(runOp('dpoSigmoidLoss', inputs, { backend, options: { beta: 0 } })).rejects.toSatisfy(
          (e) => InvalidArgumentError.isInstance(e),
        );
        await expect(
          runOp('dpoSigmoidLoss', { ...inputs, refRejectedLogps: new Float32Array(3) }, { backend }),
        ).rejects.toSatisfy((e) => ShapeMismatchError.isInstance(e));
      });
    });
  });
}

describe('registry and runtime', () => {
  it('has a cpu and a webgpu kernel for every op', () => {
    const ops = new Set<OpName>(registeredKernels().map((k) => k.op));
    for (const op of ops) {
      const backends = registeredKernels()
        .filter((k) => k.op === op)
        .map((k) => k.backend)
        .sort();
      expect(backends).toEqual(['cpu', 'webgpu']);
    }
    expect([...ops].sort()).toEqual(['dpoSigmoidLoss', 'grpoClipKlLoss', 'tokenLogProbsEntropy']);
  });

  it('getBackend("cpu") is the CPU backend', async () => {
    expect(await getBackend('cpu')).toBe(cpuBackend);
  });

  it.skipIf(gpu === null)(
    `caches one pipeline per kernel across shapes${gpu === null ? ' (skipped: no WebGPU adapter)' : ''}`,
    async () => {
      const b = gpu as WebGpuBackend;
      for (const [rows, vocab] of [
        [3, 11],
        [9, 700],
      ] as const) {
        const logits = randomLogits(rows, rows, vocab, () => 1);
        await runOp(
          'tokenLogProbsEntropy',
          { logits, labels: new Int32Array(rows), rows, vocab },
          { backend: b },
        );
      }
      const size = b.pipelineCacheSize;
      const logits = randomLogits(5, 2, 5000, () => 1);
      await runOp(
        'tokenLogProbsEntropy',
        { logits, labels: new Int32Array(2), rows: 2, vocab: 5000 },
        { backend: b },
      );
      expect(b.pipelineCacheSize).toBe(size);
      expect(b.pipelineCacheSize).toBeGreaterThanOrEqual(1);
    },
  );

  it.skipIf(gpu === null)(
    `a disposed backend refuses work${gpu === null ? ' (skipped: no WebGPU adapter)' : ''}`,
    async () => {
      const b = await createWebGpuBackend();
      expect(b).not.toBeNull();
      const w = b as WebGpuBackend;
      w.dispose();
      w.dispose(); // idempotent
      expect(w.disposed).toBe(true);
      await expect(
        runOp(
          'tokenLogProbsEntropy',
          { logits: new Float32Array(2), labels: [0], rows: 1, vocab: 2 },
          { backend: w },
        ),
      ).rejects.toSatisfy((e) => NotSupportedError.isInstance(e));
    },
  );
});
