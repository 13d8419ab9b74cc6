/**
 * `grpoStep`: rewards → advantages → per-token loss → aggregate → gradients, configured as verl
 * or as TRL with one option, so a researcher can check a trainer's numbers end to end.
 *
 * - `reference: 'verl'` — verl GRPO recipe: `compute_grpo_outcome_advantage` (ε = 1e-6, arbitrary uids),
 *   `compute_policy_loss_vanilla` (clip 0.2/0.2, c = 3, ±20 clamp), `token-mean`, optional
 *   `use_kl_loss` with `low_var_kl` × 0.001 and `entropy_coeff` (spec §2.1, §4.1, §5.1, §6).
 * - `reference: 'trl'` — TRL `GRPOTrainer`: group advantages over contiguous blocks (ε = 1e-4,
 *   `scale_rewards="group"`), `_compute_loss` with `loss_type="dapo"`, β = 0 (spec §2.6, §4.2, §5.2, §6).
 *
 * @module
 */

import { InvalidArgumentError, resolveAliasedOption, ShapeMismatchError } from '@judgekit/core';
import {
  type GroupIds,
  type TrlScaleRewards,
  trlGrpoAdvantage,
  verlGrpoAdvantage,
  verlReinforcePlusPlusAdvantage,
  verlReinforcePlusPlusBaselineAdvantage,
  verlRlooAdvantage,
} from './advantages.js';
import { verlActorLoss } from './actor-loss.js';
import {
  type TrlLossType,
  trlAggLossWeights,
  type VerlAggOptions,
  type VerlLossAggMode,
} from './aggregation.js';
import type { KlEstimator } from './kl.js';
import { type LogitsArray, logProbsAndEntropy, logProbsAndEntropyBackward } from './logits.js';
import type { Mask } from './masked.js';
import { trlGrpoLoss } from './policy-loss.js';

/** Logits input of {@link grpoStep}: the log-probs (and entropies) are computed from them. */
export interface GrpoStepLogits {
  /** Row-major `[rows*cols, vocab]` logits of the response tokens (already aligned: row t predicts `labels[t]`). */
  logits: LogitsArray;
  /** Token ids `[rows*cols]` (negative = padding). */
  labels: ArrayLike<number>;
  /** V. */
  vocab: number;
  /** Sampling temperature (default 1). */
  temperature?: number;
}

/** Inputs of {@link grpoStep}. Per-token arrays are `[rows, cols]`. */
export interface GrpoStepInputs {
  /** B. */
  rows: number;
  /** T. */
  cols: number;
  /** Response mask. */
  mask: Mask;
  /**
   * One scalar reward per row `[rows]`. verl places it on the last valid token
   * (`valid_response_length − 1`, Python indexing) of `token_level_rewards`.
   */
  rewards?: ArrayLike<number>;
  /** verl `token_level_rewards` `[rows, cols]` (alternative to `rewards`; TRL sums each row). */
  tokenLevelRewards?: ArrayLike<number>;
  /** Group id per row (verl `uid`). For TRL the groups must be contiguous blocks of equal size. */
  groupIds?: GroupIds;
  /** Current log-probs. Give these or `logits`. */
  logProbs?: ArrayLike<number>;
  /** Logits from which the current log-probs and entropies are computed. */
  logits?: GrpoStepLogits;
  /** π_old log-probs; default: the current ones detached (on-policy, ratio 1). */
  oldLogProbs?: ArrayLike<number>;
  /** Reference log-probs (KL term). */
  refLogProbs?: ArrayLike<number>;
}

/** verl settings of {@link grpoStep} (verl config names in camelCase; defaults as verl). */
export interface GrpoStepVerlOptions extends VerlAggOptions {
  /** `algorithm.adv_estimator` (default `grpo`). */
  advEstimator?:
    | 'grpo'
    | 'grpo_vectorized'
    | 'rloo'
    | 'rloo_vectorized'
    | 'reinforce_plus_plus'
    | 'reinforce_plus_plus_baseline';
  /** `norm_adv_by_std_in_grpo` (default true; false = Dr.GRPO). */
  normAdvByStd?: boolean;
  /** `algorithm.gamma` for REINFORCE++ (default 1). */
  gamma?: number;
  /**
   * `policy_loss.loss_mode`: `vanilla` (default) or `gspo`. With `gspo` the KL loss and entropy
   * bonus are added exactly as for `vanilla` (per token, aggregated with `lossAggMode`).
   */
  policyLoss?: 'vanilla' | 'gspo';
  /** `clip_ratio` (default 0.2). */
  clipRatio?: number;
  /** `clip_ratio_low`. */
  clipRatioLow?: number;
  /** `clip_ratio_high`. */
  clipRatioHigh?: number;
  /** `clip_ratio_c` (default 3). */
  clipRatioC?: number;
  /** `loss_agg_mode` (default `token-mean`). */
  lossAggMode?: VerlLossAggMode;
  /** `use_kl_loss` (default: true when `refLogProbs` is given). */
  useKlLoss?: boolean;
  /** `kl_loss_coef` (default 0.001). */
  klLossCoef?: number;
  /** `kl_loss_type` (default `low_var_kl`). */
  klLossType?: KlEstimator;
  /** `entropy_coeff` (default 0; needs `logits`). */
  entropyCoeff?: number;
}

/** TRL settings of {@link grpoStep} (GRPOConfig names in camelCase; defaults as TRL). */
export interface GrpoStepTrlOptions {
  /** `num_generations` (default: the size of the first group in `groupIds`, else 8). */
  numGenerations?: number;
  /** `scale_rewards` (default `group`). */
  scaleRewards?: TrlScaleRewards;
  /** `loss_type` (default `dapo`). */
  lossType?: TrlLossType;
  /** β (default 0). */
  beta?: number;
  /** `use_bias_correction_kl`: multiply the k3 term by the importance weight c1 (default false; see {@link trlGrpoLoss}). */
  useBiasCorrectionKl?: boolean;
  /** ε (default 0.2). */
  epsilon?: number;
  /** ε_high (default ε). */
  epsilonHigh?: number;
  /** `delta` (default none). */
  delta?: number;
  /** `importance_sampling_level` (default `token`). */
  importanceSamplingLevel?: 'token' | 'sequence';
  /** `max_completion_length` (default 512). */
  maxCompletionLength?: number;
  /** `num_items_in_batch` (default Σ mask). */
  numItemsInBatch?: number;
  /** Processes (default 1). */
  numProcesses?: number;
  /** Gradient-accumulation steps (default 1). */
  gradientAccumulationSteps?: number;
  /** `entropy_coef` (default 0; needs `logits`). */
  entropyCoef?: number;
}

/** Options of {@link grpoStep}: `reference` (or the deprecated `impl`) is required. */
export interface GrpoStepOptions {
  /**
   * Which trainer to reproduce: `'verl'` (volcengine/verl at commit 5689fd79) or `'trl'`
   * (huggingface/trl `GRPOTrainer` at commit c1f6f24e); see the module doc.
   */
  reference?: 'verl' | 'trl';
  /** @deprecated use `reference` (same values); removed in the next minor */
  impl?: 'verl' | 'trl';
  /** verl settings (used when `reference` is `verl`). */
  verl?: GrpoStepVerlOptions;
  /** TRL settings (used when `reference` is `trl`). */
  trl?: GrpoStepTrlOptions;
}

/** Result of {@link grpoStep}. */
export interface GrpoStepResult {
  /** Per-token advantages `[rows, cols]` (TRL's per-row advantage broadcast and masked). */
  advantages: Float64Array;
  /** Total loss. */
  loss: number;
  /** Policy-gradient part (verl `pg_loss`; TRL: the loss without the entropy term). */
  pgLoss: number;
  /** Aggregated KL (verl, before the coefficient), or null. */
  klLoss: number | null;
  /** The current log-probs used `[rows, cols]`. */
  logProbs: Float64Array;
  /** Per-token entropies when `logits` were given, else null. */
  entropy: Float64Array | null;
  /** ∂loss/∂log-probs `[rows, cols]`. */
  gradLogProbs: Float64Array;
  /** ∂loss/∂ref log-probs, or null. */
  gradRefLogProbs: Float64Array | null;
  /** ∂loss/∂logits `[rows*cols, vocab]` when `logits` were given, else null. */
  gradLogits: Float64Array | null;
  /** Trainer metrics (`pg_clipfrac`, `ppo_kl`, …) where the implementation reports them. */
  metrics: Record<string, number>;
}

function tokenRewards(inputs: GrpoStepInputs): Float64Array {
  const { rows, cols, mask } = inputs;
  if (inputs.tokenLevelRewards !== undefined) {
    if (inputs.tokenLevelRewards.length !== rows * cols) {
      throw new ShapeMismatchError('tokenLevelRewards', [rows, cols], [inputs.tokenLevelRewards.length]);
    }
    return Float64Array.from(inputs.tokenLevelRewards);
  }
  const r = inputs.rewards;
  if (r === undefined)
    throw new InvalidArgumentError('rewards', 'give `rewards` [rows] or `tokenLevelRewards` [rows, cols]');
  if (r.length !== rows) throw new ShapeMismatchError('rewards', [rows], [r.length]);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    let l = 0;
    for (let t = i * cols; t < (i + 1) * cols; t++) l += mask[t] as number;
    const pos = l >= 1 ? Math.round(l) - 1 : cols - 1; // Python index −1 when the row is empty
    out[i * cols + pos] = r[i] as number;
  }
  return out;
}

function rowRewards(inputs: GrpoStepInputs): Float64Array {
  const { rows, cols } = inputs;
  if (inputs.rewards !== undefined) {
    if (inputs.rewards.length !== rows)
      throw new ShapeMismatchError('rewards', [rows], [inputs.rewards.length]);
    return Float64Array.from(inputs.rewards);
  }
  const t = tokenRewards(inputs);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let k = i * cols; k < (i + 1) * cols; k++) s += t[k] as number;
    out[i] = s;
  }
  return out;
}

function contiguousGroupSize(ids: GroupIds): number {
  const n = ids.length;
  let g = 1;
  while (g < n && ids[g] === ids[0]) g++;
  const bad = () =>
    new InvalidArgumentError(
      'groupIds',
      'TRL groups are contiguous blocks of num_generations rows of equal size',
    );
  if (n % g !== 0) throw bad();
  const seen = new Set<string | number>();
  for (let b = 0; b < n; b += g) {
    const id = ids[b] as string | number;
    if (seen.has(id)) throw bad();
    seen.add(id);
    for (let i = b; i < b + g; i++) if (ids[i] !== id) throw bad();
  }
  return g;
}

/**
 * One GRPO step's numbers, as verl or TRL would compute them: advantages from rewards, the
 * per-token loss, its aggregate and the gradients with respect to the log-probs (and to the logits
 * when `logits` are given; then entropy bonuses are supported too).
 */
export function grpoStep(inputs: GrpoStepInputs, options: GrpoStepOptions): GrpoStepResult {
  const { rows, cols, mask } = inputs;
  const n = rows * cols;
  if (mask.length !== n) throw new ShapeMismatchError('mask', [rows, cols], [mask.length]);

  // current log-probs (and entropies)
  let logProbs: Float64Array;
  let entropy: Float64Array | null = null;
  const lg = inputs.logits;
  if (lg !== undefined) {
    const temp = lg.temperature === undefined ? {} : { temperature: lg.temperature };
    const r = logProbsAndEntropy(lg.logits, lg.labels, n, lg.vocab, temp);
    logProbs = r.logProbs;
    entropy = r.entropy;
  } else if (inputs.logProbs !== undefined) {
    if (inputs.logProbs.length !== n)
      throw new ShapeMismatchError('logProbs', [rows, cols], [inputs.logProbs.length]);
    logProbs = Float64Array.from(inputs.logProbs);
  } else {
    throw new InvalidArgumentError('logProbs', 'give `logProbs` or `logits`');
  }
  const old = inputs.oldLogProbs ?? logProbs;
  const ref = inputs.refLogProbs;

  let advantages: Float64Array;
  let loss: number;
  let pgLoss: number;
  let klLoss: number | null = null;
  let gradLogProbs: Float64Array;
  let gradRef: Float64Array | null = null;
  let gradEntropy: Float64Array | null = null;
  const metrics: Record<string, number> = {};

  if (options.reference === undefined && options.impl === undefined) {
    throw new InvalidArgumentError('reference', 'is required: "verl" or "trl"');
  }
  const reference = resolveAliasedOption('reference', options.reference, ['verl', 'trl'] as const, 'verl', {
    name: 'impl',
    value: options.impl,
    values: [
      ['verl', 'verl'],
      ['trl', 'trl'],
    ],
  });
  if (reference === 'verl') {
    const o = options.verl ?? {};
    const ids = inputs.groupIds ?? Array.from({ length: rows }, (_, i) => i);
    const adv = { tokenLevelRewards: tokenRewards(inputs), responseMask: mask, index: ids, rows, cols };
    const est = o.advEstimator ?? 'grpo';
    const normOpt = o.normAdvByStd === undefined ? {} : { normAdvByStd: o.normAdvByStd };
    switch (est) {
      case 'grpo':
        advantages = verlGrpoAdvantage(adv, normOpt).advantages;
        break;
      case 'grpo_vectorized':
        advantages = verlGrpoAdvantage(adv, { ...normOpt, reference: 'verl:vectorized' }).advantages;
        break;
      case 'rloo':
        advantages = verlRlooAdvantage(adv).advantages;
        break;
      case 'rloo_vectorized':
        advantages = verlRlooAdvantage(adv, { reference: 'verl:vectorized' }).advantages;
        break;
      case 'reinforce_plus_plus':
        advantages = verlReinforcePlusPlusAdvantage(
          adv,
          o.gamma === undefined ? {} : { gamma: o.gamma },
        ).advantages;
        break;
      case 'reinforce_plus_plus_baseline':
        advantages = verlReinforcePlusPlusBaselineAdvantage(adv).advantages;
        break;
      default:
        throw new InvalidArgumentError('verl.advEstimator', `unknown estimator "${String(est)}"`);
    }
    const pin = { oldLogProb: old, logProb: logProbs, advantages, responseMask: mask, rows, cols };
    const entCoeff = o.entropyCoeff ?? 0;
    if (entCoeff !== 0 && entropy === null)
      throw new InvalidArgumentError('verl.entropyCoeff', 'needs `logits`');
    const actorInputs = {
      ...pin,
      ...(ref === undefined ? {} : { refLogProb: ref }),
      ...(entropy === null ? {} : { entropy }),
    };
    // GSPO: pg_loss forced to seq-mean-token-mean; KL / entropy still use loss_agg_mode (dp_actor)
    const r = verlActorLoss(actorInputs, { ...o, entropyCoeff: entCoeff });
    loss = r.loss;
    pgLoss = r.pgLoss;
    klLoss = r.klLoss;
    gradLogProbs = r.gradLogProb;
    gradRef = r.gradRefLogProb;
    gradEntropy = r.gradEntropy;
    metrics.pg_clipfrac = r.pgClipfrac;
    metrics.ppo_kl = r.ppoKl;
    if ((o.policyLoss ?? 'vanilla') === 'vanilla') metrics.pg_clipfrac_lower = r.pgClipfracLower;
    if (r.klLoss !== null) metrics.kl_loss = r.klLoss;
    if (r.entropyLoss !== null) metrics.entropy = r.entropyLoss;
  } else {
    const o = options.trl ?? {};
    const G = o.numGenerations ?? (inputs.groupIds !== undefined ? contiguousGroupSize(inputs.groupIds) : 8);
    const a = trlGrpoAdvantage(rowRewards(inputs), {
      numGenerations: G,
      ...(o.scaleRewards === undefined ? {} : { scaleRewards: o.scaleRewards }),
    });
    advantages = new Float64Array(n);
    for (let i = 0; i < rows; i++) {
      for (let t = i * cols; t < (i + 1) * cols; t++)
        advantages[t] = (a.advantages[i] as number) * (mask[t] as number);
    }
    const { entropyCoef, numGenerations: _g, scaleRewards: _s, ...lossOpts } = o;
    const r = trlGrpoLoss(
      {
        perTokenLogps: logProbs,
        oldPerTokenLogps: old,
        ...(ref === undefined ? {} : { refPerTokenLogps: ref }),
        advantages: a.advantages,
        mask,
        rows,
        cols,
      },
      lossOpts,
    );
    loss = r.loss;
    pgLoss = r.loss;
    gradLogProbs = r.gradPerTokenLogps as Float64Array;
    gradRef = (o.beta ?? 0) !== 0 ? r.gradRefPerTokenLogps : null;
    const coefH = entropyCoef ?? 0;
    if (coefH !== 0) {
      if (entropy === null) throw new InvalidArgumentError('trl.entropyCoef', 'needs `logits`');
      // H̄: Σ H·m / normaliser for dapo, else Σ H·m / max(Σm, 1) / GA (spec §6)
      const lt = o.lossType ?? 'dapo';
      const wopts = {
        ...(o.numItemsInBatch === undefined ? {} : { numItemsInBatch: o.numItemsInBatch }),
        ...(o.numProcesses === undefined ? {} : { numProcesses: o.numProcesses }),
        ...(o.gradientAccumulationSteps === undefined
          ? {}
          : { gradientAccumulationSteps: o.gradientAccumulationSteps }),
      };
      const w = trlAggLossWeights(mask, rows, cols, lt === 'dapo' ? 'dapo' : 'bnpo', wopts);
      let hbar = 0;
      gradEntropy = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        hbar += (entropy[i] as number) * (w[i] as number);
        gradEntropy[i] = -coefH * (w[i] as number);
      }
      loss -= coefH * hbar;
      metrics.entropy = hbar;
    }
  }

  let gradLogits: Float64Array | null = null;
  if (lg !== undefined) {
    const temp = lg.temperature === undefined ? {} : { temperature: lg.temperature };
    gradLogits = logProbsAndEntropyBackward(
      lg.logits,
      lg.labels,
      n,
      lg.vocab,
      gradLogProbs,
      gradEntropy,
      temp,
    );
  }
  return {
    advantages,
    loss,
    pgLoss,
    klLoss,
    logProbs,
    entropy,
    gradLogProbs,
    gradRefLogProbs: gradRef,
    gradLogits,
    metrics,
  };
}
