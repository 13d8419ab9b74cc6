/**
 * `pnpm bench`: the three ops through WebGPU (whatever adapter exists, end to end: upload, kernel,
 * read-back), beside the CPU kernel (@judgekit/grpo / @judgekit/baselines) and NumPy doing the
 * same maths in the same run.
 * On a machine without a GPU the WebGPU adapter is Mesa lavapipe (a CPU emulation): its figure
 * says nothing about GPU speed. See README.md for running on an NVIDIA GPU.
 */
import { fileURLToPath } from 'node:url';
import { createRng } from '@judgekit/core';
import { printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import { createWebGpuBackend, runOp } from '../src/index.ts';

const R = Number(process.env.BENCH_ROWS ?? 128);
const V = Number(process.env.BENCH_VOCAB ?? 32000);
const B = Number(process.env.BENCH_SEQS ?? 64);
const T = Number(process.env.BENCH_TOKENS ?? 4096);
const P = Number(process.env.BENCH_PAIRS ?? 1 << 18);

async function timeAsync(fn: () => Promise<unknown>, minSeconds = 1, minReps = 5): Promise<number> {
  await fn();
  await fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minReps || (performance.now() - start) / 1000 < minSeconds) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

const rng = createRng(0);
const logits = new Float32Array(R * V);
for (let i = 0; i < logits.length; i++) logits[i] = rng.nextNormal() * 3;
const labels = Int32Array.from({ length: R }, (_, i) => (i * 7919) % V);
const n = B * T;
const logProb = new Float32Array(n);
const oldLogProb = new Float32Array(n);
const refLogProb = new Float32Array(n);
const advantages = new Float32Array(n);
const responseMask = new Float32Array(n);
for (let i = 0; i < B; i++) {
  const len = 1 + rng.nextInt(T);
  const a = rng.nextNormal();
  for (let t = 0; t < T; t++) {
    const j = i * T + t;
    logProb[j] = -Math.abs(rng.nextNormal()) * 3;
    oldLogProb[j] = (logProb[j] as number) + rng.nextNormal() * 0.3;
    refLogProb[j] = (logProb[j] as number) + rng.nextNormal() * 0.5;
    advantages[j] = a;
    responseMask[j] = t < len ? 1 : 0;
  }
}
const lpInputs = { logits, labels, rows: R, vocab: V };
const dpoIn = {
  chosenLogps: new Float32Array(P),
  rejectedLogps: new Float32Array(P),
  refChosenLogps: new Float32Array(P),
  refRejectedLogps: new Float32Array(P),
};
for (let i = 0; i < P; i++) {
  dpoIn.chosenLogps[i] = -5 - rng.nextFloat() * 295;
  dpoIn.rejectedLogps[i] = -5 - rng.nextFloat() * 295;
  dpoIn.refChosenLogps[i] = (dpoIn.chosenLogps[i] as number) + rng.nextNormal() * 3;
  dpoIn.refRejectedLogps[i] = (dpoIn.rejectedLogps[i] as number) + rng.nextNormal() * 3;
}
const dpoOptions = { beta: 0.1, labelSmoothing: 0.1 };
const lossInputs = { logProb, oldLogProb, refLogProb, advantages, responseMask, rows: B, cols: T };

const gpu = await createWebGpuBackend();
console.log(
  gpu === null
    ? 'WebGPU: no adapter (WebGPU rows skipped)'
    : `WebGPU adapter: ${gpu.adapterDescription.description} [${gpu.adapterDescription.vendor}/${gpu.adapterDescription.architecture}, via ${gpu.adapterDescription.source}]`,
);
console.log(
  `log-prob + entropy: ${R} rows × ${V} vocab (float32); GRPO loss: ${B} × ${T} tokens; DPO sigmoid (β 0.1, ε 0.1): ${P} pairs`,
);

const peer = runPythonPeer<{
  logprob_entropy_s: number;
  grpo_loss_s: number;
  dpo_loss_s: number;
  numpy: string;
}>(fileURLToPath(new URL('./numpy-peer.py', import.meta.url)), [
  String(R),
  String(V),
  String(B),
  String(T),
  String(P),
]);
const peerName = `NumPy ${peer?.numpy ?? ''}`.trim();

const cpuLp = timeIt(() => runOp('tokenLogProbsEntropy', lpInputs)).secondsPerCall;
const cpuLoss = timeIt(() => runOp('grpoClipKlLoss', lossInputs)).secondsPerCall;
const cpuDpo = timeIt(() => runOp('dpoSigmoidLoss', dpoIn, { options: dpoOptions })).secondsPerCall;
const rows = [
  {
    work: 'logprob+entropy, CPU (grpo, f64 sums)',
    ours: R / cpuLp,
    ...(peer ? { peer: R / peer.logprob_entropy_s } : {}),
    unit: 'rows/s',
    peerName,
  },
  {
    work: 'GRPO clip+KL fwd+bwd, CPU (grpo)',
    ours: n / cpuLoss,
    ...(peer ? { peer: n / peer.grpo_loss_s } : {}),
    unit: 'tokens/s',
    peerName,
  },
  {
    work: 'DPO sigmoid fwd+bwd, CPU (baselines)',
    ours: P / cpuDpo,
    ...(peer ? { peer: P / peer.dpo_loss_s } : {}),
    unit: 'pairs/s',
    peerName,
  },
];
if (gpu !== null) {
  const gLp = await timeAsync(() => runOp('tokenLogProbsEntropy', lpInputs, { backend: gpu }));
  const gLoss = await timeAsync(() => runOp('grpoClipKlLoss', lossInputs, { backend: gpu }));
  const gDpo = await timeAsync(() => runOp('dpoSigmoidLoss', dpoIn, { backend: gpu, options: dpoOptions }));
  const tag = (gpu.adapterDescription.description.split(' ')[0] ?? 'webgpu').replace(':', '');
  rows.push(
    {
      work: `logprob+entropy, WebGPU/${tag} (end to end)`,
      ours: R / gLp,
      ...(peer ? { peer: R / peer.logprob_entropy_s } : {}),
      unit: 'rows/s',
      peerName,
    },
    {
      work: `GRPO clip+KL fwd+bwd, WebGPU/${tag} (end to end)`,
      ours: n / gLoss,
      ...(peer ? { peer: n / peer.grpo_loss_s } : {}),
      unit: 'tokens/s',
      peerName,
    },
    {
      work: `DPO sigmoid fwd+bwd, WebGPU/${tag} (end to end)`,
      ours: P / gDpo,
      ...(peer ? { peer: P / peer.dpo_loss_s } : {}),
      unit: 'pairs/s',
      peerName,
    },
  );
}
printTable('@judgekit/webgpu ops', rows);
gpu?.dispose();
