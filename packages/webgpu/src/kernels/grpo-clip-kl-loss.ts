/**
 * Op `grpoClipKlLoss`: verl's actor loss restricted to PPO clip (asymmetric clip, dual clip,
 * ±20 log-ratio clamp) + k3 KL loss (`low_var_kl`, verl's ±20 / ±10 clamps), `token-mean`
 * aggregation, forward and backward with respect to the current log-probs.
 *
 * CPU path: @judgekit/grpo `verlActorLossFused` (volcengine/verl,
 * verl/workers/actor/dp_actor.py `update_policy` + verl/trainer/ppo/core_algos.py
 * `compute_policy_loss_vanilla` / `kl_penalty`; see grpo's actor-loss-fused.ts).
 *
 * WebGPU path: one invocation per token writes ∂L/∂logp and ∂L/∂ref_logp; the masked loss
 * reduction runs on the device (each workgroup sums its tokens' masked pg loss, KL, −δ, clip
 * counts and mask into one partial in shared memory); the host adds the per-workgroup partials
 * in float64 (n/256 values) to the aggregated loss and verl's metrics. Rollout IS weights
 * (`rolloutIsWeights`, verl's rollout correction) scale each token's loss and gradient on every
 * backend.
 *
 * @module
 */

import { InvalidArgumentError, NotSupportedError, ShapeMismatchError } from '@judgekit/core';
import { type VerlActorLossInputs, type VerlActorLossOptions, verlActorLossFused } from '@judgekit/grpo';
import type { WebGpuBackend } from '../webgpu-backend.js';

/** Inputs of the `grpoClipKlLoss` op (verl names; all `[rows, cols]` row-major). */
export interface GrpoClipKlLossInputs {
  /** Current policy log-probs `log_prob` (the gradient is taken with respect to these). */
  logProb: ArrayLike<number>;
  /** `old_log_prob`. */
  oldLogProb: ArrayLike<number>;
  /** `ref_log_prob`; required when the KL loss is on. */
  refLogProb?: ArrayLike<number>;
  /** `advantages`. */
  advantages: ArrayLike<number>;
  /** `response_mask` (0/1 or weights). */
  responseMask: ArrayLike<number>;
  /** verl `rollout_is_weights` (rollout correction): each token's clipped loss and its gradient are multiplied by them. */
  rolloutIsWeights?: ArrayLike<number>;
  /** B. */
  rows: number;
  /** T. */
  cols: number;
}

/**
 * Options of the `grpoClipKlLoss` op: the subset of @judgekit/grpo `VerlActorLossOptions` that
 * the kernel implements, same names and defaults. Anything else (another `lossAggMode`,
 * `klLossType` other than `low_var_kl`/`k3`, `entropyCoeff` ≠ 0, `policyLoss: 'gspo'`) is
 * rejected with `NotSupportedError` on every backend, so the backends compute the same function.
 * Non-finite inputs, and a `head` token-mean over a mask that sums to 0 (0/0), are rejected with
 * `InvalidArgumentError` on every backend.
 */
export interface GrpoClipKlLossOptions {
  /** `clip_ratio` (default 0.2). */
  clipRatio?: number;
  /** `clip_ratio_low` (default `clipRatio`). */
  clipRatioLow?: number;
  /** `clip_ratio_high` (default `clipRatio`). */
  clipRatioHigh?: number;
  /** `clip_ratio_c` of the dual clip (default 3, must be > 1). */
  clipRatioC?: number;
  /** `use_kl_loss` (default: true exactly when `refLogProb` is given). */
  useKlLoss?: boolean;
  /** `kl_loss_coef` (default 0.001). */
  klLossCoef?: number;
  /** `kl_loss_type`: `low_var_kl` (default) or its alias `k3`. */
  klLossType?: 'low_var_kl' | 'k3';
  /** `loss_agg_mode`: only `token-mean` (the default). */
  lossAggMode?: 'token-mean';
  /** verl `agg_loss` version: `head` (default; divisor = tokens / dpSize) or `legacy` (tokens + 1e-8). */
  version?: 'head' | 'legacy';
  /** `head` only: global token count of the batch (default: the mask's sum). */
  batchNumTokens?: number;
  /** `head` only: data-parallel size (default 1). */
  dpSize?: number;
}

/** Output of the `grpoClipKlLoss` op. */
export interface GrpoClipKlLossOutput {
  /** Total loss `pg_loss + kl_loss_coef·kl_loss`. */
  loss: number;
  /** `pg_loss`. */
  pgLoss: number;
  /** Token-mean KL (before the coefficient), or null without KL loss. */
  klLoss: number | null;
  /** `pg_clipfrac`. */
  pgClipfrac: number;
  /** `ppo_kl`. */
  ppoKl: number;
  /** `pg_clipfrac_lower`. */
  pgClipfracLower: number;
  /** ∂L/∂log_prob `[rows, cols]`. */
  gradLogProb: Float64Array | Float32Array;
  /** ∂L/∂ref_log_prob `[rows, cols]`, or null without KL loss. */
  gradRefLogProb: Float64Array | Float32Array | null;
}

const KNOWN = new Set([
  'clipRatio',
  'clipRatioLow',
  'clipRatioHigh',
  'clipRatioC',
  'useKlLoss',
  'klLossCoef',
  'klLossType',
  'lossAggMode',
  'version',
  'batchNumTokens',
  'dpSize',
]);

interface Resolved {
  lo: number;
  hi: number;
  c: number;
  useKl: boolean;
  klCoef: number;
  n: number;
  divisor: number;
}

function resolve(inputs: GrpoClipKlLossInputs, options: GrpoClipKlLossOptions | undefined): Resolved {
  const o = (options ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (o[k] !== undefined && !KNOWN.has(k)) {
      throw new NotSupportedError(
        `grpoClipKlLoss does not implement option "${k}"; call @judgekit/grpo verlActorLoss for it.`,
      );
    }
  }
  const mode = options?.lossAggMode ?? 'token-mean';
  if (mode !== 'token-mean') {
    throw new NotSupportedError(
      `grpoClipKlLoss supports lossAggMode "token-mean" only, got "${String(mode)}".`,
    );
  }
  const klType = options?.klLossType ?? 'low_var_kl';
  if (klType !== 'low_var_kl' && klType !== 'k3') {
    throw new NotSupportedError(
      `grpoClipKlLoss supports klLossType "low_var_kl" / "k3" only, got "${String(klType)}".`,
    );
  }
  const { rows, cols } = inputs;
  if (!Number.isInteger(rows) || rows < 0)
    throw new InvalidArgumentError('rows', `must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 0)
    throw new InvalidArgumentError('cols', `must be a non-negative integer, got ${cols}`);
  const n = rows * cols;
  for (const [what, a] of [
    ['logProb', inputs.logProb],
    ['oldLogProb', inputs.oldLogProb],
    ['advantages', inputs.advantages],
    ['responseMask', inputs.responseMask],
  ] as const) {
    if (a.length !== n) throw new ShapeMismatchError(what, [rows, cols], [a.length]);
  }
  const useKl = options?.useKlLoss ?? inputs.refLogProb !== undefined;
  if (useKl) {
    const r = inputs.refLogProb;
    if (r === undefined || r.length !== n)
      throw new ShapeMismatchError('refLogProb', [rows, cols], [r?.length ?? 0]);
  }
  const isw = inputs.rolloutIsWeights;
  if (isw !== undefined && isw.length !== n)
    throw new ShapeMismatchError('rolloutIsWeights', [rows, cols], [isw.length]);
  const named: Array<[string, ArrayLike<number> | undefined]> = [
    ['logProb', inputs.logProb],
    ['oldLogProb', inputs.oldLogProb],
    ['refLogProb', useKl ? inputs.refLogProb : undefined],
    ['advantages', inputs.advantages],
    ['responseMask', inputs.responseMask],
    ['rolloutIsWeights', isw],
  ];
  for (const [what, a] of named) {
    if (a === undefined) continue;
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(a[i] as number)) {
        throw new InvalidArgumentError(
          what,
          `value ${a[i]} at [${Math.floor(i / cols)}, ${i % cols}] is not finite; grpoClipKlLoss needs finite inputs on every backend`,
        );
      }
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += inputs.responseMask[i] as number;
  const version = options?.version ?? 'head';
  const divisor =
    version === 'legacy' ? total + 1e-8 : (options?.batchNumTokens ?? total) / (options?.dpSize ?? 1);
  if (!(divisor !== 0 && Number.isFinite(divisor))) {
    throw new InvalidArgumentError(
      options?.batchNumTokens === undefined ? 'responseMask' : 'batchNumTokens',
      `token-mean divisor is ${divisor} (mask sum ${total}): the loss would be 0/0; skip batches without response tokens, pass batchNumTokens, or use version 'legacy'`,
    );
  }
  const clip = options?.clipRatio ?? 0.2;
  const c = options?.clipRatioC ?? 3;
  if (!(c > 1)) throw new InvalidArgumentError('clipRatioC', `must be > 1 (verl asserts it), got ${c}`);
  return {
    lo: 1 - (options?.clipRatioLow ?? clip),
    hi: 1 + (options?.clipRatioHigh ?? clip),
    c,
    useKl,
    klCoef: useKl ? (options?.klLossCoef ?? 0.001) : 0,
    n,
    divisor,
  };
}

/** CPU path: @judgekit/grpo `verlActorLossFused` (float64), after the same option checks as the GPU path. */
export function grpoClipKlLossCpu(
  inputs: GrpoClipKlLossInputs,
  options?: GrpoClipKlLossOptions,
): GrpoClipKlLossOutput {
  resolve(inputs, options);
  const r = verlActorLossFused(inputs as VerlActorLossInputs, options as VerlActorLossOptions);
  return {
    loss: r.loss,
    pgLoss: r.pgLoss,
    klLoss: r.klLoss,
    pgClipfrac: r.pgClipfrac,
    ppoKl: r.ppoKl,
    pgClipfracLower: r.pgClipfracLower,
    gradLogProb: r.gradLogProb,
    gradRefLogProb: r.gradRefLogProb,
  };
}

/** WGSL of the per-token kernel with its per-workgroup masked reduction. */
export function grpoClipKlLossWgsl(workgroup = 256): string {
  return /* wgsl */ `
struct Params {
  n: u32, use_kl: u32, lo: f32, hi: f32,
  c: f32, kl_coef: f32, inv_div: f32, has_isw: u32,
  off_old: u32, off_ref: u32, off_adv: u32, off_mask: u32,
  off_isw: u32, _p0: u32, _p1: u32, _p2: u32,
};
@group(0) @binding(0) var<uniform> params: Params;
// planes of n values: logp, old_logp, [ref_logp], advantages, mask, [rollout IS weights]
@group(0) @binding(1) var<storage, read> inp: array<f32>;
// grads[t] = ∂L/∂logp, grads[n + t] = ∂L/∂ref_logp
@group(0) @binding(2) var<storage, read_write> grads: array<f32>;
// per workgroup: (Σ m·loss, Σ m·kl, Σ m·(−δ), 0), (Σ m·clip, Σ m·clip_lower, Σ m, 0)
@group(0) @binding(3) var<storage, read_write> partials: array<vec4<f32>>;

const WG: u32 = ${workgroup}u;
var<workgroup> sa: array<vec4<f32>, WG>;
var<workgroup> sb: array<vec4<f32>, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let g_id = wid.y * nwg.x + wid.x;
  let t = g_id * WG + lid;
  var acc_a = vec4<f32>(0.0);
  var acc_b = vec4<f32>(0.0);
  if (t < params.n) {
    let lp = inp[t];
    let x = lp - inp[params.off_old + t];
    let delta = clamp(x, -20.0, 20.0);
    let r = exp(delta);
    let a = inp[params.off_adv + t];
    let rc = clamp(r, params.lo, params.hi);
    let l1 = -a * r;
    let l2 = -a * rc;
    let c1 = max(l1, l2);
    let l3 = -a * params.c;
    var g1 = 0.0;
    if (x >= -20.0 && x <= 20.0) { g1 = -a * r; }
    var g2 = 0.0;
    if (r >= params.lo && r <= params.hi) { g2 = g1; }
    var g = 0.5 * (g1 + g2);
    if (l1 > l2) { g = g1; } else if (l2 > l1) { g = g2; }
    var loss = c1;
    if (a < 0.0) {
      if (l3 < c1) { loss = l3; g = 0.0; } else if (l3 == c1) { g = 0.5 * g; }
    }
    if (params.has_isw != 0u) {
      let wt = inp[params.off_isw + t];
      loss = loss * wt;
      g = g * wt;
    }
    let m = inp[params.off_mask + t];
    let w = m * params.inv_div;
    var gk = 0.0;
    var kl = 0.0;
    if (params.use_kl != 0u) {
      let dk = inp[params.off_ref + t] - lp;
      let kc = clamp(dk, -20.0, 20.0);
      let ek = exp(kc);
      let v = ek - kc - 1.0;
      kl = clamp(v, -10.0, 10.0);
      var dv = 0.0;
      if (dk >= -20.0 && dk <= 20.0 && v >= -10.0 && v <= 10.0) { dv = 1.0 - ek; }
      gk = params.kl_coef * dv * w;
    }
    grads[t] = g * w + gk;
    grads[params.n + t] = -gk;
    if (m != 0.0) {
      var cf = 0.0;
      if (l2 > l1) { cf = m; }
      var cfl = 0.0;
      if (c1 > l3 && a < 0.0) { cfl = m; }
      acc_a = vec4<f32>(loss * m, kl * m, -delta * m, 0.0);
      acc_b = vec4<f32>(cf, cfl, m, 0.0);
    }
  }
  sa[lid] = acc_a;
  sb[lid] = acc_b;
  workgroupBarrier();
  for (var off: u32 = WG / 2u; off > 0u; off = off / 2u) {
    if (lid < off) {
      sa[lid] = sa[lid] + sa[lid + off];
      sb[lid] = sb[lid] + sb[lid + off];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    partials[2u * g_id] = sa[0];
    partials[2u * g_id + 1u] = sb[0];
  }
}
`;
}

/**
 * WebGPU path: float32 per-token kernel with the masked reduction on the device (per workgroup),
 * float64 host sum of the per-workgroup partials. Inputs are rounded to float32 first. The
 * token-mean divisor (verl `agg_loss`) is computed on the host in float64 from the mask and
 * passed as a uniform.
 */
export async function grpoClipKlLossWebGpu(
  backend: WebGpuBackend,
  inputs: GrpoClipKlLossInputs,
  options?: GrpoClipKlLossOptions,
): Promise<GrpoClipKlLossOutput> {
  const o = resolve(inputs, options);
  const { n, divisor } = o;
  const isw = inputs.rolloutIsWeights;
  const planes: ArrayLike<number>[] = [inputs.logProb, inputs.oldLogProb];
  const offRef = o.useKl ? planes.push(inputs.refLogProb as ArrayLike<number>) - 1 : 0;
  const offAdv = planes.push(inputs.advantages) - 1;
  const offMask = planes.push(inputs.responseMask) - 1;
  const offIsw = isw !== undefined ? planes.push(isw) - 1 : 0;
  const packed = new Float32Array(planes.length * n);
  planes.forEach((a, k) => {
    packed.set(a, k * n);
  });
  return backend.run('grpoClipKlLoss', async () => {
    const wg = backend.workgroupSize;
    const pipeline = await backend.pipeline(`grpoClipKlLoss/wg${wg}`, () => grpoClipKlLossWgsl(wg));
    const groups = Math.max(1, Math.ceil(n / wg));
    const params = new ArrayBuffer(64);
    const pv = new DataView(params);
    pv.setUint32(0, n, true);
    pv.setUint32(4, o.useKl ? 1 : 0, true);
    pv.setFloat32(8, o.lo, true);
    pv.setFloat32(12, o.hi, true);
    pv.setFloat32(16, o.c, true);
    pv.setFloat32(20, o.klCoef, true);
    pv.setFloat32(24, 1 / divisor, true);
    pv.setUint32(28, isw !== undefined ? 1 : 0, true);
    pv.setUint32(32, n, true);
    pv.setUint32(36, offRef * n, true);
    pv.setUint32(40, offAdv * n, true);
    pv.setUint32(44, offMask * n, true);
    pv.setUint32(48, offIsw * n, true);
    const bufs = [
      backend.uniform(params, 'params'),
      backend.upload(packed, 'inputs'),
      backend.output(2 * n, 'grads'),
      backend.output(8 * groups, 'partials'),
    ];
    try {
      if (n > 0) backend.dispatch(pipeline, bufs, groups);
      const [grad, gradRef, parts] = (await backend.readManyF32([
        [bufs[2] as GPUBuffer, n],
        [bufs[2] as GPUBuffer, o.useKl ? n : 0, n],
        [bufs[3] as GPUBuffer, n > 0 ? 8 * groups : 0],
      ])) as [Float32Array, Float32Array, Float32Array];
      let pg = 0;
      let kl = 0;
      let k = 0;
      let cf = 0;
      let cfl = 0;
      let mSum = 0;
      for (let gi = 0; gi < parts.length; gi += 8) {
        pg += parts[gi] as number;
        kl += parts[gi + 1] as number;
        k += parts[gi + 2] as number;
        cf += parts[gi + 4] as number;
        cfl += parts[gi + 5] as number;
        mSum += parts[gi + 6] as number;
      }
      const pgLoss = pg / divisor;
      const klLoss = o.useKl ? kl / divisor : null;
      return {
        loss: pgLoss + (klLoss === null ? 0 : o.klCoef * klLoss),
        pgLoss,
        klLoss,
        pgClipfrac: cf / (mSum + 1e-8),
        ppoKl: k / (mSum + 1e-8),
        pgClipfracLower: cfl / (mSum + 1e-8),
        gradLogProb: grad,
        gradRefLogProb: o.useKl ? gradRef : null,
      };
    } finally {
      for (const b of bufs) b.destroy();
    }
  });
}
