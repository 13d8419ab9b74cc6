/**
 * Op `tokenLogProbsEntropyBackward`: the gradient of Σ_i (g_logp[i]·logp_i + g_H[i]·H_i) with
 * respect to the raw logits `[rows, vocab]` — what a trainer needs after `tokenLogProbsEntropy`
 * to push the loss's gradient into the model. With p = softmax(z/τ):
 * ∂/∂z_k = (1/τ)·(g_logp·(1[k = y] − p_k) − g_H·p_k·(log p_k + H)).
 *
 * CPU path: @judgekit/grpo `logProbsAndEntropyBackward` (float64).
 *
 * WebGPU path: one workgroup per row reduces (max, Σe, Σe·d) as the forward kernel does, then
 * every invocation writes the gradient of its strided slice of the row. Logits may be float32,
 * float16 or bfloat16 (see `logits-dtype.ts`); the gradient is float32.
 *
 * @module
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import { logProbsAndEntropyBackward } from '@judgekit/grpo';
import type { WebGpuBackend } from '../webgpu-backend.js';
import { decodeLogits, type LogitsDtype, resolveLogitsDtype } from './logits-dtype.js';
import {
  checkInputs,
  rowStatsWgslPrelude,
  type TokenLogProbsEntropyInputs,
  uploadLogits,
} from './token-log-probs-entropy.js';

/** Inputs of the `tokenLogProbsEntropyBackward` op: the forward inputs plus the output gradients. */
export interface TokenLogProbsEntropyBackwardInputs extends TokenLogProbsEntropyInputs {
  /** ∂L/∂logp per row `[rows]` (ignored rows, label < 0, contribute nothing); omit for zero. */
  gradLogProbs?: ArrayLike<number>;
  /** ∂L/∂H per row `[rows]`; omit for zero. */
  gradEntropy?: ArrayLike<number>;
}

/** Output of the `tokenLogProbsEntropyBackward` op. */
export interface TokenLogProbsEntropyBackwardOutput {
  /** ∂L/∂logits `[rows, vocab]` (Float64Array on CPU, Float32Array on WebGPU). */
  gradLogits: Float64Array | Float32Array;
}

function check(inputs: TokenLogProbsEntropyBackwardInputs): number {
  const invT = checkInputs(inputs);
  const { rows } = inputs;
  for (const [what, g] of [
    ['gradLogProbs', inputs.gradLogProbs],
    ['gradEntropy', inputs.gradEntropy],
  ] as const) {
    if (g === undefined) continue;
    if (g.length !== rows) throw new ShapeMismatchError(what, [rows], [g.length]);
    for (let i = 0; i < rows; i++)
      if (!Number.isFinite(g[i] as number))
        throw new InvalidArgumentError(what, `value ${g[i]} at row ${i} is not finite`);
  }
  const z = decodeLogits(inputs.logits, resolveLogitsDtype(inputs.logits, inputs.dtype));
  for (let i = 0; i < z.length; i++) {
    if (!Number.isFinite(z[i] as number)) {
      throw new InvalidArgumentError(
        'logits',
        `value ${z[i]} at [${Math.floor(i / inputs.vocab)}, ${i % inputs.vocab}] is not finite; the backward needs finite logits on every backend`,
      );
    }
  }
  return invT;
}

/** CPU path: @judgekit/grpo `logProbsAndEntropyBackward` (float64), after the op's checks. */
export function tokenLogProbsEntropyBackwardCpu(
  inputs: TokenLogProbsEntropyBackwardInputs,
): TokenLogProbsEntropyBackwardOutput {
  check(inputs);
  const { labels, rows, vocab, temperature } = inputs;
  const logits = decodeLogits(inputs.logits, resolveLogitsDtype(inputs.logits, inputs.dtype));
  return {
    gradLogits: logProbsAndEntropyBackward(
      logits,
      labels,
      rows,
      vocab,
      inputs.gradLogProbs ?? null,
      inputs.gradEntropy ?? null,
      temperature !== undefined ? { temperature } : {},
    ),
  };
}

/** WGSL of the backward kernel. */
export function tokenLogProbsEntropyBackwardWgsl(
  workgroup = 256,
  dtype: LogitsDtype = 'float32',
  f16 = false,
): string {
  const pre = rowStatsWgslPrelude(workgroup, dtype, f16);
  return /* wgsl */ `${pre.enable}
${pre.body}
@group(0) @binding(2) var<storage, read> labels: array<i32>;
// per row: (g_logp, g_H)
@group(0) @binding(3) var<storage, read> grad_out: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read_write> grad_logits: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * nwg.x + wid.x;
  if (row >= params.rows) { return; } // uniform per workgroup
  row_stats(row, lid);
  let vocab = params.vocab;
  let inv_t = params.inv_t;
  let base = row * vocab;
  let lse = sm[0] + log(ss[0]);
  let h = log(ss[0]) - st[0] / ss[0];
  let y = labels[row];
  let g = grad_out[row];
  var gl = g.x * inv_t;
  if (y < 0) { gl = 0.0; }
  let ge = g.y * inv_t;
  for (var k: u32 = lid; k < vocab; k = k + WG) {
    let lp = bitcast<f32>(load_bits(base + k)) * inv_t - lse;
    var v = -exp(lp) * (gl + ge * (lp + h));
    if (i32(k) == y) { v = v + gl; }
    grad_logits[base + k] = v;
  }
}
`;
}

/** WebGPU path: float32 arithmetic, one cached pipeline per workgroup size and logits format. */
export async function tokenLogProbsEntropyBackwardWebGpu(
  backend: WebGpuBackend,
  inputs: TokenLogProbsEntropyBackwardInputs,
): Promise<TokenLogProbsEntropyBackwardOutput> {
  const invT = check(inputs);
  const { rows, vocab } = inputs;
  if (rows === 0) return { gradLogits: new Float32Array(0) };
  const dtype = resolveLogitsDtype(inputs.logits, inputs.dtype);
  const labels = inputs.labels instanceof Int32Array ? inputs.labels : Int32Array.from(inputs.labels);
  const gradOut = new Float32Array(2 * rows);
  for (let i = 0; i < rows; i++) {
    gradOut[2 * i] = (inputs.gradLogProbs?.[i] as number | undefined) ?? 0;
    gradOut[2 * i + 1] = (inputs.gradEntropy?.[i] as number | undefined) ?? 0;
  }
  return backend.run('tokenLogProbsEntropyBackward', async () => {
    const wg = backend.workgroupSize;
    const f16 = dtype === 'float16' && backend.shaderF16;
    const pipeline = await backend.pipeline(
      `tokenLogProbsEntropyBackward/wg${wg}/${dtype}${f16 ? '/f16' : ''}`,
      () => tokenLogProbsEntropyBackwardWgsl(wg, dtype, f16),
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
      backend.upload(gradOut, 'gradOut'),
      backend.output(rows * vocab, 'gradLogits'),
    ];
    try {
      backend.dispatch(pipeline, bufs, rows);
      return { gradLogits: await backend.readF32(bufs[4] as GPUBuffer, rows * vocab) };
    } finally {
      for (const b of bufs) b.destroy();
    }
  });
}
