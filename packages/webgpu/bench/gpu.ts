/**
 * `pnpm --filter @judgekit/webgpu bench:gpu`: judgekit's WGSL kernels beside PyTorch eager on the
 * same device, in one run. Kernels are timed device-resident (inputs uploaded once; K dispatches
 * in one submit, then `onSubmittedWorkDone`), as PyTorch's CUDA timings are; the first call of
 * each kernel is checked against the CPU reference so a wrong kernel cannot post a figure.
 *
 * Work (sizes from issue 14; env overrides): token log-prob + entropy on R × V logits in float32
 * and bfloat16 (default 2048 × 152064 on a GPU), GRPO clip + k3 KL fwd + bwd on B × T tokens
 * (512 × 4096), and the bandwidth reached against a device copy of the logits. On a software
 * adapter (lavapipe, SwiftShader, llvmpipe) the defaults shrink to 64 × 32768 and 32 × 1024 so
 * the command runs (slowly) anywhere; its figures then describe a CPU emulation.
 *
 * PyTorch (bench/torch-gpu-peer.py) runs on CUDA when it sees a GPU, else on the CPU; absent, the
 * table says so and prints judgekit only. Env: BENCH_GPU_ROWS, BENCH_GPU_VOCAB, BENCH_GPU_SEQS,
 * BENCH_GPU_TOKENS, BENCH_GPU_REPS, PYTHON (default python3).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRng } from '@judgekit/core';
import {
  createWebGpuBackend,
  float32ToBfloat16,
  grpoClipKlLossWgsl,
  runOp,
  tokenLogProbsEntropyWgsl,
  type WebGpuBackend,
} from '../src/index.ts';

const gpu = await createWebGpuBackend();
if (gpu === null) {
  console.error('bench:gpu: no WebGPU adapter (see the package README: Adapters)');
  process.exit(1);
}
const b: WebGpuBackend = gpu;
const name = b.adapterName;
const software = /llvmpipe|lavapipe|swiftshader|software/i.test(
  `${name} ${b.adapterDescription.vendor} ${b.adapterDescription.architecture}`,
);
const env = (k: string, d: number): number => Number(process.env[k] ?? d);
const R = env('BENCH_GPU_ROWS', software ? 64 : 2048);
const V = env('BENCH_GPU_VOCAB', software ? 32768 : 152064);
const B = env('BENCH_GPU_SEQS', software ? 32 : 512);
const T = env('BENCH_GPU_TOKENS', software ? 1024 : 4096);
const K = env('BENCH_GPU_REPS', software ? 3 : 20);
console.log(`judgekit bench:gpu on "${name}" (${b.adapterDescription.source}, workgroup ${b.workgroupSize})`);
console.log(`log-prob + entropy: ${R} × ${V} logits; GRPO: ${B} × ${T} tokens; ${K} timed calls each`);
if (software) console.log('software adapter: figures describe a CPU emulation, not a GPU');

// ---- inputs ---------------------------------------------------------------------------------
const rng = createRng(1);
const logits = new Float32Array(R * V);
for (let i = 0; i < logits.length; i++) logits[i] = rng.nextFloat() * 20 - 10;
const labels = Int32Array.from({ length: R }, (_, i) => (i * 7919) % V);
const bf16 = float32ToBfloat16(logits);

/** Time `k` dispatches of `pipeline` over `buffers` in one submit; returns ms per call. */
async function timeKernel(
  pipeline: GPUComputePipeline,
  buffers: GPUBuffer[],
  groups: number,
): Promise<number> {
  const dev = b.device;
  const bind = dev.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const maxX = dev.limits.maxComputeWorkgroupsPerDimension;
  const x = Math.min(groups, maxX);
  const y = Math.ceil(groups / x);
  const once = async (reps: number): Promise<number> => {
    const enc = dev.createCommandEncoder();
    for (let r = 0; r < reps; r++) {
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bind);
      pass.dispatchWorkgroups(x, y);
      pass.end();
    }
    const t0 = performance.now();
    dev.queue.submit([enc.finish()]);
    await dev.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  await once(1); // warm-up
  return (await once(K)) / K;
}

async function timeCopy(buf: GPUBuffer, bytes: number): Promise<number> {
  const dev = b.device;
  const dst = dev.createBuffer({ size: bytes, usage: GPUBufferUsage.COPY_DST });
  const once = async (reps: number): Promise<number> => {
    const enc = dev.createCommandEncoder();
    for (let r = 0; r < reps; r++) enc.copyBufferToBuffer(buf, 0, dst, 0, bytes);
    const t0 = performance.now();
    dev.queue.submit([enc.finish()]);
    await dev.queue.onSubmittedWorkDone();
    return performance.now() - t0;
  };
  await once(1);
  const ms = (await once(K)) / K;
  dst.destroy();
  return ms;
}

function maxRelDiff(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i] as number;
    worst = Math.max(worst, Math.abs((a[i] as number) - r) / (1e-5 + Math.abs(r)));
  }
  return worst;
}

// ---- correctness first (small slice through the public op, checked against the CPU path) -----
const rowsChecked = Math.min(R, 8);
for (const [dtype, data] of [
  ['float32', logits.subarray(0, rowsChecked * V)],
  ['bfloat16', bf16.subarray(0, rowsChecked * V)],
] as const) {
  const inputs = {
    logits: data,
    dtype,
    labels: labels.subarray(0, rowsChecked),
    rows: rowsChecked,
    vocab: V,
  };
  const got = await runOp('tokenLogProbsEntropy', inputs, { backend: b });
  const ref = await runOp('tokenLogProbsEntropy', inputs);
  const d = Math.max(maxRelDiff(got.logProbs, ref.logProbs), maxRelDiff(got.entropy, ref.entropy));
  if (!(d < 1e-3)) throw new Error(`bench:gpu: ${dtype} kernel disagrees with the CPU path (rel ${d})`);
}

// ---- judgekit, device-resident -------------------------------------------------------------
const results: Record<string, number> = {};
await b.run('bench:gpu', async () => {
  const wg = b.workgroupSize;
  const params = new ArrayBuffer(32);
  const pv = new DataView(params);
  pv.setUint32(0, R, true);
  pv.setUint32(4, V, true);
  pv.setFloat32(8, 1, true);
  pv.setUint32(12, 0x7fc00000, true);
  pv.setUint32(16, 0xff800000, true);
  const uni = b.uniform(params);
  const lab = b.upload(labels);
  const outs = [b.output(R), b.output(R)];
  const f32buf = b.upload(logits);
  const p32 = await b.pipeline(`tokenLogProbsEntropy/wg${wg}/float32`, () =>
    tokenLogProbsEntropyWgsl(wg, 'float32', false),
  );
  results.f32 = await timeKernel(p32, [uni, f32buf, lab, ...outs], R);
  results.copy = await timeCopy(f32buf, R * V * 4);
  f32buf.destroy();
  const bfbuf = b.uploadBytes(bf16);
  const pbf = await b.pipeline(`tokenLogProbsEntropy/wg${wg}/bfloat16`, () =>
    tokenLogProbsEntropyWgsl(wg, 'bfloat16', false),
  );
  results.bf16 = await timeKernel(pbf, [uni, bfbuf, lab, ...outs], R);
  bfbuf.destroy();
  for (const x of [uni, lab, ...outs]) x.destroy();

  // GRPO: the op's packed layout (logp, old, ref, adv, mask planes), KL on
  const n = B * T;
  const packed = new Float32Array(5 * n);
  for (let i = 0; i < n; i++) {
    const lp = rng.nextNormal() * 0.3 - 1;
    packed[i] = lp;
    packed[n + i] = lp + rng.nextNormal() * 0.05;
    packed[2 * n + i] = lp + rng.nextNormal() * 0.05;
    packed[3 * n + i] = rng.nextNormal();
    packed[4 * n + i] = rng.nextFloat() < 0.9 ? 1 : 0;
  }
  const gp = new ArrayBuffer(64);
  const gv = new DataView(gp);
  gv.setUint32(0, n, true);
  gv.setUint32(4, 1, true);
  gv.setFloat32(8, 0.8, true);
  gv.setFloat32(12, 1.2, true);
  gv.setFloat32(16, 3, true);
  gv.setFloat32(20, 0.001, true);
  gv.setFloat32(24, 1 / (0.9 * n), true);
  gv.setUint32(32, n, true);
  gv.setUint32(36, 2 * n, true);
  gv.setUint32(40, 3 * n, true);
  gv.setUint32(44, 4 * n, true);
  const groups = Math.ceil(n / wg);
  const gbufs = [b.uniform(gp), b.upload(packed), b.output(2 * n), b.output(8 * groups)];
  const pg = await b.pipeline(`grpoClipKlLoss/wg${wg}`, () => grpoClipKlLossWgsl(wg));
  results.grpo = await timeKernel(pg, gbufs, groups);
  for (const x of gbufs) x.destroy();
});
b.dispose();

// ---- PyTorch peer ----------------------------------------------------------------------------
const py = process.env.PYTHON ?? 'python3';
const peerRun = spawnSync(
  py,
  [
    fileURLToPath(new URL('./torch-gpu-peer.py', import.meta.url)),
    String(R),
    String(V),
    String(B),
    String(T),
  ],
  { encoding: 'utf8', maxBuffer: 1 << 26 },
);
let peer: Record<string, number | string> | null = null;
let peerNote = '';
if (peerRun.error || peerRun.status !== 0) {
  peerNote = `PyTorch peer did not run (${peerRun.error?.message ?? peerRun.stderr.trim().split('\n').pop()})`;
} else {
  const last = JSON.parse(peerRun.stdout.trim().split('\n').pop() as string) as Record<
    string,
    number | string
  >;
  if (typeof last.error === 'string') peerNote = `PyTorch absent: ${last.error}; judgekit only`;
  else peer = last;
}

const gb = (bytes: number, ms: number): number => bytes / ms / 1e6;
const f32Bytes = R * V * 4;
const fmt = (ms: number | undefined): string => (ms === undefined ? 'n/a' : `${ms.toFixed(3)} ms`);
const ratio = (ours: number, theirs: unknown): string =>
  typeof theirs === 'number' ? `${(theirs / ours).toFixed(2)}x` : 'n/a';
const rows: Array<[string, string, string, string]> = [
  [
    'log-prob + entropy, float32 logits',
    fmt(results.f32),
    peer
      ? `${fmt(peer.f32_logprob_ms as number)} (log-prob) / ${fmt(peer.f32_logprob_entropy_ms as number)} (+entropy)`
      : 'n/a',
    ratio(results.f32 as number, peer?.f32_logprob_ms),
  ],
  [
    'log-prob + entropy, bf16 logits',
    fmt(results.bf16),
    peer
      ? `${fmt(peer.bf16_logprob_ms as number)} (log-prob) / ${fmt(peer.bf16_logprob_entropy_ms as number)} (+entropy)`
      : 'n/a',
    ratio(results.bf16 as number, peer?.bf16_logprob_entropy_ms),
  ],
  [
    `GRPO clip+KL fwd+bwd, ${B}×${T}`,
    fmt(results.grpo),
    peer ? fmt(peer.grpo_fwd_bwd_ms as number) : 'n/a',
    ratio(results.grpo as number, peer?.grpo_fwd_bwd_ms),
  ],
];
const w = [0, 1, 2, 3].map((i) =>
  Math.max(
    ...rows.map((r) => r[i]?.length ?? 0),
    ['work', 'judgekit', 'PyTorch eager', 'speed-up'][i]?.length ?? 0,
  ),
);
const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(w[i] as number)).join(' | ')} |`;
console.log(
  `\n${peer ? `PyTorch ${peer.torch} on ${peer.device}` : peerNote}${peer && peer.device === 'cpu' ? ' (no CUDA device: PyTorch on the CPU)' : ''}`,
);
console.log(line(['work', 'judgekit', 'PyTorch eager', 'speed-up']));
console.log(`|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
const copyGbps = gb(2 * f32Bytes, results.copy as number);
console.log(
  `\nbandwidth: float32 kernel ${gb(f32Bytes, results.f32 as number).toFixed(1)} GB/s, bf16 kernel ${gb(R * V * 2, results.bf16 as number).toFixed(1)} GB/s of logits read; device copy ${copyGbps.toFixed(1)} GB/s (read + write) → float32 kernel at ${((100 * gb(f32Bytes, results.f32 as number)) / copyGbps).toFixed(0)} % of the copy's bandwidth${peer ? `; PyTorch copy ${(peer.copy_GBps as number).toFixed(1)} GB/s` : ''}`,
);
console.log(
  'speed-up: PyTorch time / judgekit time (f32 against log-prob only, bf16 against log-prob + entropy)',
);
