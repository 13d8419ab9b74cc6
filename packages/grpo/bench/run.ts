/**
 * `pnpm bench`: @judgekit/grpo against fair peers, each side in its own process, ≥ 5 alternating
 * rounds, outputs and gradients checked equal. See bench/README.md for how each peer was made fair.
 *
 * Work items: verl PPO clip (dual clip, ±20 clamp) + k3 KL, token-mean, forward + backward, float64,
 * 64 × 2048 and 512 × 2048 tokens; log-prob + entropy of float32 logits 4096 × 32000 (τ = 0.7).
 * `JUDGEKIT_BENCH_ROUNDS` overrides the round count (default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  alternatingRounds,
  compareOutputs,
  printRounds,
  SINGLE_THREAD_ENV,
  type Side,
} from '../../../scripts/bench-kit.ts';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const rounds = Number(process.env.JUDGEKIT_BENCH_ROUNDS ?? 5);
const threads = availableParallelism();
const tsx = ['--import', 'tsx', '--conditions=@judgekit/source'];
const sides: Side[] = [
  { name: 'judgekit', command: process.execPath, args: [...tsx, here('./ours.ts'), String(threads)] },
  {
    name: 'NumPy (1 thread)',
    command: 'python3',
    args: [here('./numpy_peer.py')],
    env: { ...SINGLE_THREAD_ENV },
  },
  {
    name: `PyTorch CPU (${threads} threads)`,
    command: 'python3',
    args: [here('./torch_peer.py'), String(threads)],
  },
];
const outRoot = mkdtempSync(`${tmpdir()}/jk-grpo-bench-`);
try {
  const results = alternatingRounds(sides, rounds, outRoot);
  const works = ['clip_k3_64x2048', 'clip_k3_512x2048', 'logp_entropy_4096x32000'].flatMap((w) =>
    w.startsWith('clip') ? [w, `${w}@fastExp`, `${w}@1t`] : [w, `${w}@1t`],
  );
  printRounds(
    `@judgekit/grpo vs fair peers (${rounds} alternating rounds, separate processes)`,
    sides,
    results,
    works,
  );
  const f64 = 1e-12;
  const ok = compareOutputs(sides, results, outRoot, {
    clip_k3_64x2048_loss: f64,
    clip_k3_64x2048_grad: f64,
    clip_k3_64x2048_gref: f64,
    clip_k3_512x2048_loss: f64,
    clip_k3_512x2048_grad: f64,
    clip_k3_512x2048_gref: f64,
    // the peers compute the softmax in float32 (as users run them); judgekit sums in float64
    logp: 1e-4,
    entropy: 1e-4,
  });
  if (!ok) process.exitCode = 1;
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
