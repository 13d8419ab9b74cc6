/** Bench inputs, computed bit-identically by `inputs.py` (see bench-kit `hashUniform`). */
import { hashUniform } from '../../../scripts/bench-kit.ts';

/** Pair counts of the DPO / Bradley–Terry items and the AdamW parameter count. */
export const PAIRS = [4096, 1 << 20] as const;
export const PARAMS = 1 << 20;

export function dpoInputs(n: number) {
  const f = (seed: number) => hashUniform(n, seed).map((u) => -50 + 40 * (u - 0.5));
  return { chosenLogps: f(11), rejectedLogps: f(12), refChosenLogps: f(13), refRejectedLogps: f(14) };
}

export function btInputs(n: number) {
  const f = (seed: number) => hashUniform(n, seed).map((u) => 4 * (u - 0.5));
  return { rewardsChosen: f(21), rewardsRejected: f(22) };
}

export function adamwInputs(n: number) {
  return {
    params: hashUniform(n, 31).map((u) => u - 0.5),
    grads: hashUniform(n, 32).map((u) => 2 * (u - 0.5)),
  };
}
