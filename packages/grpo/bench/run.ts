/**
 * `pnpm bench`: @judgekit/grpo throughput beside NumPy doing the same math in the same run.
 * 1. verl PPO clip (dual clip, ±20 clamp) + k3 KL loss, token-mean, forward + backward, 64 × 2048 tokens
 *    (float64 on both sides), judgekit's fused single-pass `verlActorLossFused` writing into reused buffers.
 * 2. Token log-prob + entropy from float32 logits (temperature 0.7), 8 × 512 tokens × 32000 vocab:
 *    judgekit reads float32 and computes/sums in float64; NumPy works in float32 throughout (its fastest
 *    idiomatic form; float64 NumPy would be slower). Both do logsumexp, the label gather and the entropy.
 */
import { fileURLToPath } from 'node:url';
import { createRng } from '@judgekit/core';
import { printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import { logProbsAndEntropy, verlActorLossFused } from '../src/index.ts';

const rng = createRng(0);
const B = 64;
const T = 2048;
const n = B * T;
const old = rng.fillNormal(new Float64Array(n), -2, 1);
const logProb = Float64Array.from(old, (v) => v + 0.3 * rng.nextNormal());
const refLogProb = Float64Array.from(old, (v) => v + 0.3 * rng.nextNormal());
const advantages = new Float64Array(n);
for (let i = 0; i < B; i++) advantages.fill(rng.nextNormal(), i * T, (i + 1) * T);
const responseMask = new Float64Array(n).fill(1);
for (let i = 0; i < n; i += 7) responseMask[i] = 0;
const actorInputs = { oldLogProb: old, logProb, advantages, responseMask, rows: B, cols: T, refLogProb };
const gradOut = { gradLogProb: new Float64Array(n), gradRefLogProb: new Float64Array(n) };
const clip = timeIt(() => verlActorLossFused(actorInputs, { klLossCoef: 1e-3, out: gradOut }), {
  minSeconds: 1,
});

const R = 8 * 512;
const V = 32000;
const logits = new Float32Array(R * V);
// cheap deterministic fill (xorshift → roughly uniform in [−6, 6))
let s = 0x9e3779b9;
for (let i = 0; i < logits.length; i++) {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  logits[i] = ((s >>> 0) / 4294967296 - 0.5) * 12;
}
const labels = Int32Array.from({ length: R }, () => rng.nextInt(V));
const outLogProbs = new Float64Array(R);
const outEntropy = new Float64Array(R);
const lpe = timeIt(
  () => logProbsAndEntropy(logits, labels, R, V, { temperature: 0.7, outLogProbs, outEntropy }),
  {
    minSeconds: 2,
    minReps: 3,
  },
);

const peer = runPythonPeer<{
  clip_k3_tokens_per_s: number;
  logp_entropy_tokens_per_s: number;
  numpy: string;
}>(fileURLToPath(new URL('./peer.py', import.meta.url)));
const peerName = `NumPy ${peer?.numpy ?? ''}`.trim();
printTable('@judgekit/grpo vs NumPy (same machine, same run)', [
  {
    work: 'PPO clip + k3 KL fwd+bwd, 64×2048 (f64 both)',
    ours: n / clip.secondsPerCall,
    peer: peer?.clip_k3_tokens_per_s,
    unit: 'tokens/s',
    peerName,
  },
  {
    work: 'logp + entropy, 8×512×32000 f32 in (jk f64 math, np f32)',
    ours: R / lpe.secondsPerCall,
    peer: peer?.logp_entropy_tokens_per_s,
    unit: 'tokens/s',
    peerName,
  },
]);
