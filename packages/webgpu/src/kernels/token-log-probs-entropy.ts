/**
 * Op `tokenLogProbsEntropy`: per row of logits `[rows, vocab]`, log p(label) and the entropy of
 * softmax(z/τ). CPU path: @judgekit/grpo `logProbsAndEntropy` (verl `logprobs_from_logits_v2` +
 * `entropy_from_logits`, volcengine/verl verl/utils/torch_functional.py, commit 67a127b4).
 *
 * WebGPU path: one workgroup per row; each invocation runs a one-pass online softmax over a
 * strided slice of the row (running max m, sum s = Σe^{u−m} rescaled when m grows, and
 * t = Σe^{u−m}(u−m)), then the workgroup merges the (m, s, t) triples in shared memory.
 * logp = (u_y − m) − log s, H = log s − t/s. Storage is f32, arithmetic f32.
 *
 * @module
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import { logProbsAndEntropy } from '@judgekit/grpo';
import type { WebGpuBackend } from '../webgpu-backend.js';
import {
  decodeLogits,
  type LogitsDtype,
  type LogitsInput,
  resolveLogitsDtype,
  wgslLogitsLoader,
} from './logits-dtype.js';

/** Inputs of the `tokenLogProbsEntropy` op. */
export interface TokenLogProbsEntropyInputs {
  /**
   * Row-major logits `[rows, vocab]`: float32 / float64 values (the GPU path reads float32), or
   * float16 / bfloat16 bit patterns in a Uint16Array with `dtype` saying which.
   */
  logits: LogitsInput;
  /** Storage format of `logits` (default `float32`; `float16` / `bfloat16` need a Uint16Array). */
  dtype?: LogitsDtype;
  /** Label per row `[rows]`; negative = ignored (log-prob 0). */
  labels: ArrayLike<number>;
  /** Number of rows. */
  rows: number;
  /** Vocabulary size. */
  vocab: number;
  /** Temperature τ > 0 (logits are divided by it first). Default 1. */
  temperature?: number;
}

/** Output of the `tokenLogProbsEntropy` op (Float64Array on CPU, Float32Array on WebGPU). */
export interface TokenLogProbsEntropyOutput {
  /** log p(label) per row, `[rows]`. */
  logProbs: Float64Array | Float32Array;
  /** Entropy per row, `[rows]`. */
  entropy: Float64Array | Float32Array;
}

/** CPU path: the float64 reference of @judgekit/grpo (16-bit logits decoded exactly first). */
export function tokenLogProbsEntropyCpu(inputs: TokenLogProbsEntropyInputs): TokenLogProbsEntropyOutput {
  const { labels, rows, vocab, temperature } = inputs;
  checkInputs(inputs);
  const logits = decodeLogits(inputs.logits, resolveLogitsDtype(inputs.logits, inputs.dtype));
  return logProbsAndEntropy(logits, labels, rows, vocab, temperature !== undefined ? { temperature } : {});
}

/**
 * WGSL shared by the forward and backward kernels: params, the logits loader, the workgroup
 * arrays and `merge`. Binding 0 is the uniform, binding 1 the logits.
 */
export function rowStatsWgslPrelude(
  workgroup: number,
  dtype: LogitsDtype,
  f16: boolean,
): { enable: string; body: string } {
  const loader = wgslLogitsLoader(dtype, 1, f16);
  return {
    enable: loader.enable,
    body: /* wgsl */ `
struct Params { rows: u32, vocab: u32, inv_t: f32, nan_bits: u32, neg_inf_bits: u32, _p0: u32, _p1: u32, _p2: u32 };
@group(0) @binding(0) var<uniform> params: Params;
${loader.decl}

const WG: u32 = ${workgroup}u;
const NEG_BIG: f32 = -3.0e38;
const EXP_MASK: u32 = 0x7f800000u;
const NEG_INF: u32 = 0xff800000u;
var<workgroup> sm: array<f32, WG>;
var<workgroup> ss: array<f32, WG>;
var<workgroup> st: array<f32, WG>;
// bit 0: NaN or +inf seen, bit 1: -inf seen, bit 2: a finite value seen
var<workgroup> sf: array<u32, WG>;

// merge (m1, s1, t1) with (m2, s2, t2); t is Σe^{u−m}(u−m)
fn merge(a: vec3<f32>, b: vec3<f32>) -> vec3<f32> {
  let m = max(a.x, b.x);
  let ea = exp(a.x - m);
  let eb = exp(b.x - m);
  let s = a.y * ea + b.y * eb;
  let t = ea * (a.z + (a.x - m) * a.y) + eb * (b.z + (b.x - m) * b.y);
  return vec3<f32>(m, s, t);
}

// One workgroup reduces row \`row\`: afterwards sm[0] = max, ss[0] = Σe^{u−m}, st[0] = Σe^{u−m}(u−m),
// sf[0] = flags. Call from uniform control flow.
fn row_stats(row: u32, lid: u32) {
  let vocab = params.vocab;
  let inv_t = params.inv_t;
  let base = row * vocab;
  var m: f32 = NEG_BIG;
  var s: f32 = 0.0;
  var t: f32 = 0.0;
  var fl: u32 = 0u;
  for (var k: u32 = lid; k < vocab; k = k + WG) {
    // non-finite values are classified from their bits (WGSL may assume finite arithmetic)
    let bits = load_bits(base + k);
    if ((bits & EXP_MASK) == EXP_MASK) {
      if (bits == NEG_INF) { fl = fl | 2u; } else { fl = fl | 1u; }
      continue;
    }
    fl = fl | 4u;
    let u = bitcast<f32>(bits) * inv_t;
    if (u > m) {
      let d = m - u; // ≤ 0: rescale to the new max
      let e = exp(d);
      t = e * (t + d * s);
      s = s * e + 1.0;
      m = u;
    } else {
      let d = u - m;
      let e = exp(d);
      s = s + e;
      t = t + e * d;
    }
  }
  sm[lid] = m;
  ss[lid] = s;
  st[lid] = t;
  sf[lid] = fl;
  workgroupBarrier();
  for (var off: u32 = WG / 2u; off > 0u; off = off / 2u) {
    if (lid < off) {
      let r = merge(vec3<f32>(sm[lid], ss[lid], st[lid]), vec3<f32>(sm[lid + off], ss[lid + off], st[lid + off]));
      sm[lid] = r.x;
      ss[lid] = r.y;
      st[lid] = r.z;
      sf[lid] = sf[lid] | sf[lid + off];
    }
    workgroupBarrier();
  }
}
`,
  };
}

/** WGSL of the forward kernel for a workgroup size (a power of two) and logits format. */
export function tokenLogProbsEntropyWgsl(
  workgroup = 256,
  dtype: LogitsDtype = 'float32',
  f16 = false,
): string {
  const pre = rowStatsWgslPrelude(workgroup, dtype, f16);
  return /* wgsl */ `${pre.enable}
${pre.body}
@group(0) @binding(2) var<storage, read> labels: array<i32>;
@group(0) @binding(3) var<storage, read_write> out_logp: array<f32>;
@group(0) @binding(4) var<storage, read_write> out_ent: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) { return; } // uniform per workgroup: safe before the barriers
  row_stats(row, lid);
  if (lid == 0u) {
    let base = row * params.vocab;
    let inv_t = params.inv_t;
    let f = sf[0];
    let nan = bitcast<f32>(params.nan_bits);
    let y = labels[row];
    if ((f & 1u) != 0u || (f & 4u) == 0u) {
      // NaN / +inf in the row, or no finite logit: NaN, as torch (and the CPU path) give
      out_ent[row] = nan;
      if (y < 0) { out_logp[row] = 0.0; } else { out_logp[row] = nan; }
      return;
    }
    let mm = sm[0];
    let ls = log(ss[0]);
    // a −inf logit has probability 0; torch's Σp·log p gives 0·(−inf) = NaN for the entropy
    if ((f & 2u) != 0u) { out_ent[row] = nan; } else { out_ent[row] = ls - st[0] / ss[0]; }
    if (y < 0) {
      out_logp[row] = 0.0;
    } else {
      let zb = load_bits(base + u32(y));
      if (zb == NEG_INF) {
        out_logp[row] = bitcast<f32>(params.neg_inf_bits);
      } else {
        out_logp[row] = (bitcast<f32>(zb) * inv_t - mm) - ls;
      }
    }
  }
}
`;
}

/** Validates the inputs (shared with the backward op); returns 1/τ. */
export function checkInputs(inputs: TokenLogProbsEntropyInputs): number {
  const { logits, labels, rows, vocab } = inputs;
  if (!Number.isInteger(rows) || rows < 0)
    throw new InvalidArgumentError('rows', `must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(vocab) || vocab < 1)
    throw new InvalidArgumentError('vocab', `must be a positive integer, got ${vocab}`);
  if (logits.length !== rows * vocab) throw new ShapeMismatchError('logits', [rows, vocab], [logits.length]);
  resolveLogitsDtype(logits, inputs.dtype);
  if (labels.length !== rows) throw new ShapeMismatchError('labels', [rows], [labels.length]);
  for (let i = 0; i < rows; i++) {
    const y = labels[i] as number;
    if (!Number.isInteger(y) || y >= vocab || y < -(2 ** 31)) {
      throw new InvalidArgumentError(
        'labels',
        `label ${y} at row ${i} is not an integer in [0, ${vocab}) (negative = ignored)`,
      );
    }
  }
  const t = inputs.temperature ?? 1;
  if (!(t > 0) || !Number.isFinite(t))
    throw new InvalidArgumentError('temperature', `must be a finite number > 0, got ${t}`);
  return 1 / t;
}

/**
 * WebGPU path. Float64Array logits are rounded to float32 first. Sizes and 1/τ are uniforms, so
 * one cached pipeline per workgroup size serves every shape. Non-finite logits give what the CPU
 * path gives: a −inf logit has probability 0 (entropy NaN, as torch's Σp·log p), NaN or +inf
 * makes the row's log-prob and entropy NaN.
 */
export async function tokenLogProbsEntropyWebGpu(
  backend: WebGpuBackend,
  inputs: TokenLogProbsEntropyInputs,
): Promise<TokenLogProbsEntropyOutput> {
  const invT = checkInputs(inputs);
  const { rows, vocab } = inputs;
  if (rows === 0) return { logProbs: new Float32Array(0), entropy: new Float32Array(0) };
  const dtype = resolveLogitsDtype(inputs.logits, inputs.dtype);
  const labels = inputs.labels instanceof Int32Array ? inputs.labels : Int32Array.from(inputs.labels);
  return backend.run('tokenLogProbsEntropy', async () => {
    const wg = backend.workgroupSize;
    const f16 = dtype === 'float16' && backend.shaderF16;
    const pipeline = await backend.pipeline(`tokenLogProbsEntropy/wg${wg}/${dtype}${f16 ? '/f16' : ''}`, () =>
      tokenLogProbsEntropyWgsl(wg, dtype, f16),
    );
    const params = new ArrayBuffer(32);
    const pv = new DataView(params);
    pv.setUint32(0, rows, true);
    pv.setUint32(4, vocab, true);
    pv.setFloat32(8, invT, true);
    pv.setUint32(12, 0x7fc00000, true);
    pv.setUint32(16, 0xff800000, true);
    const bufs = [
      backend.uniform(params, 'params'),
      uploadLogits(backend, inputs.logits),
      backend.upload(labels, 'labels'),
      backend.output(rows, 'logp'),
      backend.output(rows, 'entropy'),
    ];
    try {
      backend.dispatch(pipeline, bufs, rows);
      const [logProbs, entropy] = await backend.readManyF32([
        [bufs[3] as GPUBuffer, rows],
        [bufs[4] as GPUBuffer, rows],
      ]);
      return { logProbs: logProbs as Float32Array, entropy: entropy as Float32Array };
    } finally {
      for (const b of bufs) b.destroy();
    }
  });
}

/** Upload logits in their storage format (float64 rounded to float32; 16-bit patterns as they are). */
export function uploadLogits(backend: WebGpuBackend, logits: LogitsInput): GPUBuffer {
  if (logits instanceof Uint16Array) return backend.uploadBytes(logits, 'logits');
  return backend.upload(logits instanceof Float32Array ? logits : Float32Array.from(logits), 'logits');
}
