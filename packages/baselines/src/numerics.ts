/**
 * Scalar numerics shared by the losses: stable sigmoid, softplus and log-sigmoid. All work on JS
 * `number` (float64).
 */

/** Numerically stable logistic sigmoid σ(x) = 1 / (1 + e^{−x}); exact 0/1 limits for |x| large. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Stable softplus log(1 + e^x) = max(x, 0) + log1p(e^{−|x|}). */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** Stable log σ(x) = −softplus(−x) (the form TRL relies on through `F.logsigmoid`). */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}
