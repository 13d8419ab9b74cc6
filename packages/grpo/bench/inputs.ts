/**
 * Bench inputs, computed bit-identically by `inputs.py` for the Python peers (see bench-kit
 * `hashUniform`): PPO clip + k3 inputs for `rows × cols` tokens and float32 logits `[rows, vocab]`.
 */
import { hashUniform } from '../../../scripts/bench-kit.ts';

/** Shapes of every work item; the peers take them from the command line in this order. */
export const SHAPES = { small: [64, 2048], large: [512, 2048], logits: [4096, 32000] } as const;
export const TEMPERATURE = 0.7;

export function actorInputs(rows: number, cols: number) {
  const n = rows * cols;
  const u1 = hashUniform(n, 1);
  const u2 = hashUniform(n, 2);
  const u3 = hashUniform(n, 3);
  const ua = hashUniform(rows, 4);
  const oldLogProb = new Float64Array(n);
  const logProb = new Float64Array(n);
  const refLogProb = new Float64Array(n);
  const advantages = new Float64Array(n);
  const responseMask = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = -4 * u1[i]! - 0.5;
    oldLogProb[i] = o;
    logProb[i] = o + 0.6 * (u2[i]! - 0.5);
    refLogProb[i] = o + 0.6 * (u3[i]! - 0.5);
    advantages[i] = 2 * ua[Math.floor(i / cols)]! - 1;
    responseMask[i] = i % 7 === 0 ? 0 : 1;
  }
  return { oldLogProb, logProb, refLogProb, advantages, responseMask, rows, cols };
}

/** Logits (u − 0.5)·12 rounded to float32, labels (r·7919) mod vocab; `shared` puts them in a SharedArrayBuffer. */
export function logitsInputs(rows: number, vocab: number, shared: boolean) {
  const n = rows * vocab;
  const logits = shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
  const chunk = 1 << 22;
  for (let s = 0; s < n; s += chunk) {
    const e = Math.min(n, s + chunk);
    // hashUniform(n, 5) computed in slices (n·8 bytes at once would be 1 GB)
    for (let i = s; i < e; i++)
      logits[i] = ((Math.imul(i + 5 * 1048576, 2654435761) >>> 0) / 4294967296 - 0.5) * 12;
  }
  const labels = Int32Array.from({ length: rows }, (_, r) => (r * 7919) % vocab);
  return { logits, labels };
}
