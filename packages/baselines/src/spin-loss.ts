/**
 * SPIN (self-play fine-tuning): the loss and the published iteration scheme, as data.
 *
 * Source: uclaml/SPIN, spin/alignment/trainer.py `SPINTrainer.spin_loss` (commit 6246db3); the
 * iteration settings from configs/config*.yaml and scripts/finetune*.sh at HEAD (commit a12ba808).
 * SPIN is DPO with chosen = the real (SFT) response, rejected = the model's own generation and
 * reference = the "opponent" (the frozen model at the start of the round).
 */

import { ConfigError, InvalidArgumentError } from '@judgekit/core';
import { dpoLossWithGrad } from './dpo-loss.js';

/** SPIN `loss_type`. */
export type SpinLossType = 'sigmoid' | 'hinge';

/** Per-pair sequence log-probs (length B each), from {@link sequenceLogps}. */
export interface SpinInputs {
  /** log π_θ(real response). */
  policyRealLogps: ArrayLike<number>;
  /** log π_θ(generated response). */
  policyGeneratedLogps: ArrayLike<number>;
  /** log π_opponent(real response). */
  opponentRealLogps: ArrayLike<number>;
  /** log π_opponent(generated response). */
  opponentGeneratedLogps: ArrayLike<number>;
}

/** Options of {@link spinLoss}. */
export interface SpinOptions {
  /** `'sigmoid'` (default): −logσ(βΔ), no smoothing; `'hinge'`: relu(1 − βΔ). */
  lossType?: SpinLossType;
  /** β. Default 0.1 (iterations 0–2 of the paper). */
  beta?: number;
  /** Take the opponent log-ratio as 0 (`reference_free`). Default false. */
  referenceFree?: boolean;
}

/** Result of {@link spinLoss}: values and the gradients of the mean loss. */
export interface SpinResult {
  loss: number;
  losses: Float64Array;
  /** β(π_real − opp_real), detached. */
  realRewards: Float64Array;
  /** β(π_gen − opp_gen), detached. */
  generatedRewards: Float64Array;
  grads: {
    policyRealLogps: Float64Array;
    policyGeneratedLogps: Float64Array;
    opponentRealLogps: Float64Array;
    opponentGeneratedLogps: Float64Array;
  };
}

/**
 * SPIN loss (uclaml/SPIN `SPINTrainer.spin_loss`, commit 6246db3): Δ = (π_real − π_gen) −
 * (opp_real − opp_gen); mean over the batch; rewards β(π − opp). Forward and backward together.
 */
export function spinLoss(inputs: SpinInputs, options: SpinOptions = {}): SpinResult {
  const lossType = options.lossType ?? 'sigmoid';
  if (lossType !== 'sigmoid' && lossType !== 'hinge') {
    throw new ConfigError(`Unknown SPIN loss type "${lossType}"; expected 'sigmoid' or 'hinge'`);
  }
  const beta = options.beta ?? 0.1;
  const dpoInputs = {
    chosenLogps: inputs.policyRealLogps,
    rejectedLogps: inputs.policyGeneratedLogps,
    refChosenLogps: inputs.opponentRealLogps,
    refRejectedLogps: inputs.opponentGeneratedLogps,
  };
  const r = dpoLossWithGrad(dpoInputs, { lossType, beta, referenceFree: options.referenceFree ?? false });
  return {
    loss: r.loss,
    losses: r.losses,
    realRewards: r.chosenRewards,
    generatedRewards: r.rejectedRewards,
    grads: {
      policyRealLogps: r.grads.chosenLogps,
      policyGeneratedLogps: r.grads.rejectedLogps,
      opponentRealLogps: r.grads.refChosenLogps,
      opponentGeneratedLogps: r.grads.refRejectedLogps,
    },
  };
}

/** Settings of one SPIN round (iteration). */
export interface SpinRound {
  /** Round index t (0 = first round, starting from the SFT model). */
  iteration: number;
  /** β of the loss. */
  beta: number;
  /** Peak learning rate. */
  learningRate: number;
  /** Which rounds' synthetic data are mixed for training: `[0]` for t = 0, `[t−1, t]` after. */
  dataRounds: readonly number[];
  /** Which model generates the round's synthetic responses and serves as the frozen opponent. */
  opponent: 'sft-model' | 'previous-round-model';
}

/** Settings shared by every SPIN round (configs and scripts of uclaml/SPIN, commit a12ba808). */
export const SPIN_COMMON_SETTINGS = {
  baseModel: 'alignment-handbook/zephyr-7b-sft-full',
  /** The scripts override the config's 3 epochs. */
  epochs: 6,
  optimizer: 'rmsprop',
  lrScheduler: 'linear',
  warmupRatio: 0.1,
  precision: 'bf16',
  maxLength: 1024,
  maxPromptLength: 512,
  perDeviceBatchSize: 8,
  devices: 8,
  /** Generation: max 256 new tokens, T = 1.0, top_p = 1.0. */
  generation: { maxNewTokens: 256, temperature: 1.0, topP: 1.0 },
  /** 50k UltraChat prompts in `SPIN_iter0`. */
  promptsPerRound: 50_000,
} as const;

/** The published SPIN rounds 0–3 (β and learning rate per round; iteration 3 uses β = 5). */
export const SPIN_ROUNDS: readonly SpinRound[] = [
  { iteration: 0, beta: 0.1, learningRate: 5e-7, dataRounds: [0], opponent: 'sft-model' },
  { iteration: 1, beta: 0.1, learningRate: 5e-7, dataRounds: [0, 1], opponent: 'previous-round-model' },
  { iteration: 2, beta: 0.1, learningRate: 1e-7, dataRounds: [1, 2], opponent: 'previous-round-model' },
  { iteration: 3, beta: 5.0, learningRate: 1e-7, dataRounds: [2, 3], opponent: 'previous-round-model' },
];

/**
 * The settings of round `t`: the published value for t ≤ 3; later rounds repeat round 3's β and
 * learning rate (the paper stops at 3) unless `overrides` give their own.
 */
export function spinRound(t: number, overrides: Partial<Omit<SpinRound, 'iteration'>> = {}): SpinRound {
  if (!Number.isInteger(t) || t < 0) throw new InvalidArgumentError('t', `must be an integer ≥ 0, got ${t}`);
  const base = SPIN_ROUNDS[Math.min(t, SPIN_ROUNDS.length - 1)]!;
  return {
    iteration: t,
    beta: overrides.beta ?? base.beta,
    learningRate: overrides.learningRate ?? base.learningRate,
    dataRounds: overrides.dataRounds ?? (t === 0 ? [0] : [t - 1, t]),
    opponent: overrides.opponent ?? (t === 0 ? 'sft-model' : 'previous-round-model'),
  };
}
