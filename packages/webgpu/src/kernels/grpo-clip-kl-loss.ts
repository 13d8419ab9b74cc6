/**
 * Op `grpoClipKlLoss`: verl's actor loss restricted to PPO clip (asymmetric clip, dual clip,
 * ±20 log-ratio clamp) + k3 KL loss (`low_var_kl`, verl's ±20 / ±10 clamps), `token-mean`
 * aggregation, forward and backward with respect to the current log-probs.
 *
 * CPU path: @judgekit/grpo `verlActorLossFused` (volcengine/verl,
 * verl/workers/actor/dp_actor.py `update_policy` + verl/trainer/ppo/core_algos.py
 * `compute_policy_loss_vanilla` / `kl_penalty`; see grpo's actor-loss-fused.ts).
 *
 * WebGPU path: one invocation per token writes ∂L/∂logp, ∂L/∂ref_logp and four per-token
 * statistics (masked pg loss, masked KL, masked −δ, clip flags); the host sums the statistics in
 * float64 (one read-back) to the aggregated loss and verl's metrics.
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
  /** B. */
  rows: number;
  /** T. */
  cols: number;
}

/**
 * Options of the `grpoClipKlLoss` op: the subset of @judgekit/grpo `VerlActorLossOptions` that
 * the kernel implements, same names and defaults. Anything else (another `lossAggMode`,
 * `klLossType` other than `low_var_kl`/`k3`, `entropyCoeff` ≠ 0, `policyLoss: 'gspo'`,
 * rollout IS weights) is rejected with `NotSupportedError` on every backend, so the backends
 * compute the same function.
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

const WORKGROUP = 256;

/** WGSL of the per-token kernel. */
export function grpoClipKlLossWgsl(workgroup: number = WORKGROUP): string {
  return /* wgsl */ `
struct Params { n: u32, use_kl: u32, lo: f32, hi: f32, c: f32, kl_coef: f32, inv_div: f32, _pad: u32 };
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logp: array<f32>;
@group(0) @binding(2) var<storage, read> old_logp: array<f32>;
@group(0) @binding(3) var<storage, read> ref_logp: array<f32>;
@group(0) @binding(4) var<storage, read> adv: array<f32>;
@group(0) @binding(5) var<storage, read> mask: array<f32>;
// grads[t] = ∂L/∂logp, grads[n + t] = ∂L/∂ref_logp (one buffer: 7 storage bindings ≤ the default 8)
@group(0) @binding(6) var<storage, read_write> grads: array<f32>;
@group(0) @binding(7) var<storage, read_write> stats: array<vec4<f32>>;

@compute @workgroup_size(${workgroup})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let t = gid.y * nwg.x * ${workgroup}u + gid.x;
  if (t >= params.n) { return; }
  let lp = logp[t];
  let x = lp - old_logp[t];
  let delta = clamp(x, -20.0, 20.0);
  let r = exp(delta);
  let a = adv[t];
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
  let m = mask[t];
  let w = m * params.inv_div;
  var gk = 0.0;
  var kl = 0.0;
  if (params.use_kl != 0u) {
    let dk = ref_logp[t] - lp;
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
  var flags = 0.0;
  if (l2 > l1) { flags = flags + 1.0; }
  if (c1 > l3 && a < 0.0) { flags = flags + 2.0; }
  if (m != 0.0) {
    stats[t] = vec4<f32>(loss * m, kl * m, -delta * m, flags);
  } else {
    stats[t] = vec4<f32>(0.0, 0.0, 0.0, 0.0);
  }
}
`;
}

function f32(a: ArrayLike<number>): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

/**
 * WebGPU path: float32 per-token kernel, float64 host reduction of its per-token statistics.
 * Inputs are rounded to float32 first. The token-mean divisor (verl `agg_loss`) is computed on the
 * host in float64 from the mask and passed as a uniform.
 */
export async function grpoClipKlLossWebGpu(
  backend: WebGpuBackend,
  inputs: GrpoClipKlLossInputs,
  options?: GrpoClipKlLossOptions,
): Promise<GrpoClipKlLossOutput> {
  const o = resolve(inputs, options);
  const { n } = o;
  const mask = inputs.responseMask;
  let total = 0;
  for (let i = 0; i < n; i++) total += mask[i] as number;
  const divisor =
    (options?.version ?? 'head') === 'legacy'
      ? total + 1e-8
      : (options?.batchNumTokens ?? total) / (options?.dpSize ?? 1);
  const pipeline = backend.pipeline(`grpoClipKlLoss/wg${WORKGROUP}`, () => grpoClipKlLossWgsl(WORKGROUP));
  const params = new ArrayBuffer(32);
  const pv = new DataView(params);
  pv.setUint32(0, n, true);
  pv.setUint32(4, o.useKl ? 1 : 0, true);
  pv.setFloat32(8, o.lo, true);
  pv.setFloat32(12, o.hi, true);
  pv.setFloat32(16, o.c, true);
  pv.setFloat32(20, o.klCoef, true);
  pv.setFloat32(24, 1 / divisor, true);
  const logp = backend.upload(f32(inputs.logProb), 'logProb');
  const ref = o.useKl ? backend.upload(f32(inputs.refLogProb as ArrayLike<number>), 'refLogProb') : null;
  const bufs = [
    backend.uniform(params, 'params'),
    logp,
    backend.upload(f32(inputs.oldLogProb), 'oldLogProb'),
    ref ?? logp,
    backend.upload(f32(inputs.advantages), 'advantages'),
    backend.upload(f32(mask), 'responseMask'),
    backend.output(2 * n, 'grads'),
    backend.output(4 * n, 'stats'),
  ];
  try {
    if (n > 0) backend.dispatch(pipeline, bufs, Math.ceil(n / WORKGROUP));
    const [grad, gradRef, stats] = (await backend.readManyF32([
      [bufs[6] as GPUBuffer, n],
      [bufs[6] as GPUBuffer, o.useKl ? n : 0, n],
      [bufs[7] as GPUBuffer, 4 * n],
    ])) as [Float32Array, Float32Array, Float32Array];
    let pg = 0;
    let kl = 0;
    let k = 0;
    let cf = 0;
    let cfl = 0;
    let mSum = 0;
    for (let t = 0; t < n; t++) {
      const m = mask[t] as number;
      if (m === 0) continue;
      const s = 4 * t;
      pg += stats[s] as number;
      kl += stats[s + 1] as number;
      k += stats[s + 2] as number;
      const f = stats[s + 3] as number;
      if (f === 1 || f === 3) cf += m;
      if (f >= 2) cfl += m;
      mSum += m;
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
    for (const b of new Set(bufs)) b.destroy();
  }
}
