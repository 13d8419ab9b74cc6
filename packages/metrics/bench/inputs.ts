/** Bench inputs, computed bit-identically by `inputs.py` (see bench-kit `hashUniform`). */
import { hashUniform } from '../../../scripts/bench-kit.ts';

export const N = 100_000;
export const RESAMPLES = 1000;

/** Labels 0..2; judge A right 70 % of the time, judge B 65 %, otherwise a code in 0..3 (3 = failure). */
export function judgeInputs(n: number) {
  const [u0, u1, u2, u3, u4] = [41, 42, 43, 44, 45].map((s) => hashUniform(n, s));
  const labels = new Uint8Array(n);
  const preds = new Uint8Array(n);
  const predsB = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = Math.floor(u0![i]! * 3);
    preds[i] = u1![i]! < 0.7 ? labels[i]! : Math.floor(u2![i]! * 4);
    predsB[i] = u3![i]! < 0.65 ? labels[i]! : Math.floor(u4![i]! * 4);
  }
  return { labels, preds, predsB };
}
