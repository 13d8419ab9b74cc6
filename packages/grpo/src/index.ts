/**
 * @judgekit/grpo — GRPO / PPO loss math on typed arrays: advantage estimators, policy losses, KL
 * estimators, loss aggregation, log-probs and entropy from logits, forward and backward, matching
 * verl and TRL (see the loss-math spec).
 *
 * @packageDocumentation
 */

export {
  entropyBackward,
  entropyFromLogits,
  type LogitsArray,
  type LogitsOptions,
  type LogProbsAndEntropy,
  logProbsAndEntropy,
  logProbsAndEntropyBackward,
  tokenLogProbs,
  tokenLogProbsBackward,
} from './logits.js';
export {
  type Mask,
  type MaskedVarOptions,
  type MaskedWhitenOptions,
  maskCount,
  maskedMean,
  maskedRowMean,
  maskedSum,
  maskedVar,
  maskedWhiten,
  VERL_MASKED_EPS,
} from './masked.js';
export {
  type AdvantageResult,
  broadcastRowsToTokens,
  type GroupIds,
  type TrlGrpoAdvantageOptions,
  type TrlGrpoAdvantageResult,
  type TrlRlooOptions,
  type TrlScaleRewards,
  trlCombineRewards,
  trlGrpoAdvantage,
  trlRlooAdvantage,
  VERL_ADVANTAGE_REFERENCES,
  type VerlAdvantageReference,
  type VerlGrpoAdvantageOptions,
  type VerlOutcomeInputs,
  type VerlReinforcePlusPlusOptions,
  type VerlRlooOptions,
  verlGrpoAdvantage,
  verlReinforcePlusPlusAdvantage,
  verlReinforcePlusPlusBaselineAdvantage,
  verlRlooAdvantage,
} from './advantages.js';
export {
  TRL_LOSS_TYPES,
  type TrlAggOptions,
  type TrlLossType,
  trlAggLoss,
  trlAggLossWeights,
  VERL_AGG_REFERENCES,
  VERL_LOSS_AGG_MODES,
  type VerlAggOptions,
  type VerlAggReference,
  type VerlLossAggMode,
  verlAggLoss,
  verlAggLossWeights,
} from './aggregation.js';
export {
  KL_REFERENCES,
  type KlEstimator,
  type KlGrads,
  type KlOptions,
  type KlReference,
  klGrad,
  klPenalty,
  klPenaltyBackward,
  klValue,
} from './kl.js';
export { type EntropyLossOptions, type EntropyLossResult, entropyLoss } from './entropy-loss.js';
export {
  type TrlGrpoLossInputs,
  type TrlGrpoLossOptions,
  type TrlGrpoLossResult,
  trlGrpoLoss,
  type VerlGspoOptions,
  type VerlGspoResult,
  type VerlPolicyLossInputs,
  type VerlPolicyLossOptions,
  type VerlPolicyLossResult,
  verlPolicyLossGspo,
  verlPolicyLossVanilla,
} from './policy-loss.js';
export {
  type VerlActorLossInputs,
  type VerlActorLossOptions,
  type VerlActorLossResult,
  verlActorLoss,
} from './actor-loss.js';
export { type VerlActorLossFusedOptions, verlActorLossFused } from './actor-loss-fused.js';
export {
  closeGrpoWorkers,
  logProbsAndEntropyAsync,
  logProbsAndEntropyBackwardAsync,
  MIN_PARALLEL_ELEMENTS,
  type ThreadsOption,
  verlActorLossFusedAsync,
} from './parallel.js';
export {
  type GrpoStepInputs,
  type GrpoStepLogits,
  type GrpoStepOptions,
  type GrpoStepResult,
  type GrpoStepTrlOptions,
  type GrpoStepVerlOptions,
  grpoStep,
} from './grpo-step.js';
