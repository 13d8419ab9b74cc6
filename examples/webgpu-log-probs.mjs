#!/usr/bin/env node
/**
 * Token log-probs and entropy on WebGPU when an adapter exists, on the CPU otherwise, and the
 * printed check that both give the same numbers.
 *
 * `getBackend('auto')` finds a WebGPU adapter (Dawn in Node: a GPU's Vulkan driver, Mesa's
 * lavapipe, or OpenGL ES) or falls back to the CPU backend (the float64 code of @judgekit/grpo), and
 * this script says which one it got. The WebGPU kernel computes in float32, so it is compared with
 * the CPU kernel at the documented tolerance (rtol 1e-4 + atol 1e-5).
 *
 * Usage: node examples/webgpu-log-probs.mjs [--backend auto|cpu|webgpu]
 */
import { parseArgs } from 'node:util';
import { createRng } from '@judgekit/core';
import { cpuBackend, getBackend, runOp } from '@judgekit/webgpu';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'auto' } } });
const rows = 64;
const vocab = 4096;
const rng = createRng(7);
const logits = new Float32Array(rows * vocab);
for (let i = 0; i < logits.length; i++) logits[i] = 4 * (rng.nextFloat() - 0.5);
const labels = Array.from({ length: rows }, (_, r) => (r * 131) % vocab);

const backend = await getBackend(values.backend);
if (backend.name === 'webgpu') {
  const a = backend.adapterDescription;
  console.log(`backend: WebGPU (${a.source}: ${a.description || a.vendor || 'unnamed adapter'})`);
} else if (values.backend === 'cpu') {
  console.log('backend: CPU (float64 reference), as asked');
} else {
  console.log('backend: CPU (float64 reference) — no WebGPU adapter found, fell back to the CPU kernels');
}
try {
  const inputs = { logits, labels, rows, vocab };
  const out = await runOp('tokenLogProbsEntropy', inputs, { backend });
  const ref = await runOp('tokenLogProbsEntropy', inputs, { backend: cpuBackend });
  let worst = 0;
  for (const key of ['logProbs', 'entropy']) {
    for (let i = 0; i < rows; i++) {
      const excess = Math.abs(out[key][i] - ref[key][i]) - (1e-5 + 1e-4 * Math.abs(ref[key][i]));
      worst = Math.max(worst, excess);
    }
  }
  const meanEntropy = ref.entropy.reduce((s, x) => s + x, 0) / rows;
  console.log(
    `${rows} rows × ${vocab} vocab: mean entropy ${meanEntropy.toFixed(4)} nats, log-prob[0] ${out.logProbs[0].toFixed(4)}`,
  );
  if (worst > 0) {
    console.error(`mismatch with the CPU reference beyond rtol 1e-4 + atol 1e-5 (by ${worst})`);
    process.exitCode = 1;
  } else {
    console.log(`matches the CPU reference (rtol 1e-4 + atol 1e-5) on ${backend.name}`);
  }
} finally {
  backend.dispose();
}
