/**
 * Op `dpoSigmoidLoss`: TRL's default (`sigmoid`) DPO loss with a reference model and optional
 * label smoothing (cDPO), forward and backward, per preference pair.
 *
 * CPU path: @judgekit/baselines `dpoLossWithGrad` (huggingface/trl, trl/trainer/dpo_trainer.py,
 * `DPOTrainer.dpo_loss` at tag v0.28.0, commit 49ef3342, `loss_type="sigmoid"`; or
 * `DPOTrainer._compute_loss` at commit d2b72b72 with `variant: 'head'`, which has no smoothing).
 *
 * With a = π_c − ρ_c, b = π_r − ρ_r, x = β(a − b) and ε = `labelSmoothing`:
 * ℓ = (1 − ε)·softplus(−x) + ε·softplus(x), ∂mean/∂π_c = β(−(1 − ε)σ(−x) + εσ(x))/B = −∂mean/∂ρ_c
 * = −∂mean/∂π_r = ∂mean/∂ρ_r; rewards β·a and β·b.
 *
 * WebGPU path: one invocation per pair (float32) writes the loss, the four gradients and the two
 * rewards; softplus uses the max/abs form max(x, 0) + log1p(e^{−|x|}) with a series log1p for
 * small arguments (WGSL has no log1p), so |x| ~ 50 and beyond neither overflows nor loses the
 * tiny losses of well-separated pairs. The host sums the per-pair losses in float64 for the mean.
 *
 * @module
 */

import { InvalidArgumentError, NotSupportedError, ShapeMismatchError } from '@judgekit/core';
import { dpoLoss, dpoLossWithGrad } from '@judgekit/baselines';
import type { WebGpuBackend } from '../webgpu-backend.js';

/** Inputs of the `dpoSigmoidLoss` op: per-pair summed sequence log-probs, each of length B. */
export interface DpoSigmoidLossInputs {
  /** π_c: summed completion log-prob of the chosen response under the policy. */
  chosenLogps: ArrayLike<number>;
  /** π_r: same for the rejected response. */
  rejectedLogps: ArrayLike<number>;
  /** ρ_c: chosen response under the frozen reference model. */
  refChosenLogps: ArrayLike<number>;
  /** ρ_r: rejected response under the reference model. */
  refRejectedLogps: ArrayLike<number>;
}

/**
 * Options of the `dpoSigmoidLoss` op: the subset of @judgekit/baselines `DpoOptions` the kernel
 * implements, same names and defaults. Any other `lossType`, `referenceFree: true`,
 * `discopopTau`, `bcoDelta` or an unknown option is rejected with `NotSupportedError` on every
 * backend; invalid values (β ≤ 0, ε ∉ [0, 1], smoothing with `variant: 'head'`) throw the
 * baselines' own `InvalidArgumentError` / `ConfigError` on every backend.
 */
export interface DpoSigmoidLossOptions {
  /** TRL `loss_type`: only `'sigmoid'` (the default). */
  lossType?: 'sigmoid';
  /** TRL version reproduced (`'v0.28'` default; `'head'` forbids label smoothing). */
  variant?: 'v0.28' | 'head';
  /** β (default 0.1). */
  beta?: number;
  /** ε of cDPO, `label_smoothing` (default 0). */
  labelSmoothing?: number;
  /** Only `false` (the default): the op is reference-based. */
  referenceFree?: false;
}

/** Gradients of the mean loss with respect to the four inputs, each of shape [B]. */
export interface DpoSigmoidLossGrads {
  chosenLogps: Float64Array | Float32Array;
  rejectedLogps: Float64Array | Float32Array;
  refChosenLogps: Float64Array | Float32Array;
  refRejectedLogps: Float64Array | Float32Array;
}

/** Output of the `dpoSigmoidLoss` op (Float64Array on CPU, Float32Array on WebGPU). */
export interface DpoSigmoidLossOutput {
  /** Mean of `losses`, summed in float64 on the host on every backend. */
  loss: number;
  /** Per-pair losses, shape [B]. */
  losses: Float64Array | Float32Array;
  /** β·(π_c − ρ_c), shape [B]. */
  chosenRewards: Float64Array | Float32Array;
  /** β·(π_r − ρ_r), shape [B]. */
  rejectedRewards: Float64Array | Float32Array;
  /** Gradients of the mean loss. */
  grads: DpoSigmoidLossGrads;
}

const KNOWN = new Set(['lossType', 'variant', 'beta', 'labelSmoothing', 'referenceFree']);

interface Resolved {
  beta: number;
  eps: number;
  n: number;
}

function resolve(inputs: DpoSigmoidLossInputs, options: DpoSigmoidLossOptions | undefined): Resolved {
  const o = (options ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (o[k] !== undefined && !KNOWN.has(k)) {
      throw new NotSupportedError(
        `dpoSigmoidLoss does not implement option "${k}"; call @judgekit/baselines dpoLossWithGrad for it.`,
      );
    }
  }
  const type = options?.lossType ?? 'sigmoid';
  if (type !== 'sigmoid') {
    throw new NotSupportedError(
      `dpoSigmoidLoss supports lossType "sigmoid" only, got "${String(type)}"; use @judgekit/baselines dpoLossWithGrad.`,
    );
  }
  if ((o.referenceFree ?? false) !== false) {
    throw new NotSupportedError('dpoSigmoidLoss is reference-based; referenceFree is not implemented.');
  }
  // Value checks (β, ε, head + smoothing) exactly as the baselines resolver: a zero-pair call.
  const empty: number[] = [];
  dpoLoss(
    { chosenLogps: empty, rejectedLogps: empty, refChosenLogps: empty, refRejectedLogps: empty },
    options,
  );
  const n = inputs.chosenLogps.length;
  for (const [what, a] of [
    ['rejectedLogps', inputs.rejectedLogps],
    ['refChosenLogps', inputs.refChosenLogps],
    ['refRejectedLogps', inputs.refRejectedLogps],
  ] as const) {
    if (a.length !== n) throw new ShapeMismatchError(what, [n], [a.length]);
  }
  for (const [what, a] of [
    ['chosenLogps', inputs.chosenLogps],
    ['rejectedLogps', inputs.rejectedLogps],
    ['refChosenLogps', inputs.refChosenLogps],
    ['refRejectedLogps', inputs.refRejectedLogps],
  ] as const) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(a[i] as number)) {
        throw new InvalidArgumentError(
          what,
          `value ${a[i]} at pair ${i} is not finite; dpoSigmoidLoss needs finite log-probs on every backend`,
        );
      }
    }
  }
  return { beta: options?.beta ?? 0.1, eps: options?.labelSmoothing ?? 0, n };
}

/** CPU path: @judgekit/baselines `dpoLossWithGrad` (float64, fused sigmoid pass), after the op's option checks. */
export function dpoSigmoidLossCpu(
  inputs: DpoSigmoidLossInputs,
  options?: DpoSigmoidLossOptions,
): DpoSigmoidLossOutput {
  resolve(inputs, options);
  const r = dpoLossWithGrad(inputs, options);
  return {
    loss: r.loss,
    losses: r.losses,
    chosenRewards: r.chosenRewards,
    rejectedRewards: r.rejectedRewards,
    grads: r.grads,
  };
}

/**
 * WGSL of the per-pair kernel. `out` holds seven planes of n values: losses, ∂/∂π_c, ∂/∂π_r,
 * ∂/∂ρ_c, ∂/∂ρ_r, chosen rewards, rejected rewards.
 */
export function dpoSigmoidLossWgsl(workgroup = 256): string {
  return /* wgsl */ `
struct Params { n: u32, _pad: u32, beta: f32, eps: f32, inv_n: f32, _p1: f32, _p2: f32, _p3: f32 };
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> pc: array<f32>;
@group(0) @binding(2) var<storage, read> pr: array<f32>;
@group(0) @binding(3) var<storage, read> rc: array<f32>;
@group(0) @binding(4) var<storage, read> rr: array<f32>;
@group(0) @binding(5) var<storage, read_write> out: array<f32>;

// log(1 + e) for e in [0, 1]: 5-term series below 0.05 (relative error < 1e-7), else log(1 + e).
fn log1p_small(e: f32) -> f32 {
  if (e < 0.05) {
    return e * (1.0 - e * (0.5 - e * (1.0 / 3.0 - e * (0.25 - e * 0.2))));
  }
  return log(1.0 + e);
}

@compute @workgroup_size(${workgroup})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = gid.y * nwg.x * ${workgroup}u + gid.x;
  let n = params.n;
  if (i >= n) { return; }
  let beta = params.beta;
  let eps = params.eps;
  let a = pc[i] - rc[i];
  let b = pr[i] - rr[i];
  let x = beta * (a - b);
  // e = e^{-|x|}; softplus(-x) = -logsigmoid(x) = max(-x, 0) + log1p(e); sigma(-x), sigma(x) from e.
  let e = exp(-abs(x));
  let l1 = log1p_small(e);
  let d = 1.0 + e;
  var s_neg = 1.0 / d;
  var s_pos = e / d;
  if (x > 0.0) { s_neg = e / d; s_pos = 1.0 / d; }
  let loss = (1.0 - eps) * (max(-x, 0.0) + l1) + eps * (max(x, 0.0) + l1);
  let g = beta * (eps * s_pos - (1.0 - eps) * s_neg) * params.inv_n;
  out[i] = loss;
  out[n + i] = g;
  out[2u * n + i] = -g;
  out[3u * n + i] = -g;
  out[4u * n + i] = g;
  out[5u * n + i] = beta * a;
  out[6u * n + i] = beta * b;
}
`;
}

function f32(a: ArrayLike<number>): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

/**
 * WebGPU path: float32 per-pair kernel (inputs rounded to float32 first, β, ε and 1/B passed as
 * float32 uniforms), one read-back, float64 host sum of the per-pair losses for the mean.
 */
export async function dpoSigmoidLossWebGpu(
  backend: WebGpuBackend,
  inputs: DpoSigmoidLossInputs,
  options?: DpoSigmoidLossOptions,
): Promise<DpoSigmoidLossOutput> {
  const { beta, eps, n } = resolve(inputs, options);
  return backend.run('dpoSigmoidLoss', async () => {
    const wg = backend.workgroupSize;
    const pipeline = await backend.pipeline(`dpoSigmoidLoss/wg${wg}`, () => dpoSigmoidLossWgsl(wg));
    const params = new ArrayBuffer(32);
    const pv = new DataView(params);
    pv.setUint32(0, n, true);
    pv.setFloat32(8, beta, true);
    pv.setFloat32(12, eps, true);
    pv.setFloat32(16, n > 0 ? 1 / n : 0, true);
    const bufs = [
      backend.uniform(params, 'params'),
      backend.upload(f32(inputs.chosenLogps), 'chosenLogps'),
      backend.upload(f32(inputs.rejectedLogps), 'rejectedLogps'),
      backend.upload(f32(inputs.refChosenLogps), 'refChosenLogps'),
      backend.upload(f32(inputs.refRejectedLogps), 'refRejectedLogps'),
      backend.output(7 * n, 'out'),
    ];
    try {
      if (n > 0) backend.dispatch(pipeline, bufs, Math.ceil(n / wg));
      const out = bufs[5] as GPUBuffer;
      const [losses, gpc, gpr, grc, grr, cr, rr] = (await backend.readManyF32(
        Array.from({ length: 7 }, (_, k) => [out, n, k * n] as const),
      )) as [
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      let sum = 0;
      for (let i = 0; i < n; i++) sum += losses[i] as number;
      return {
        loss: sum / n,
        losses,
        chosenRewards: cr,
        rejectedRewards: rr,
        grads: { chosenLogps: gpc, rejectedLogps: gpr, refChosenLogps: grc, refRejectedLogps: grr },
      };
    } finally {
      for (const b of bufs) b.destroy();
    }
  });
}
