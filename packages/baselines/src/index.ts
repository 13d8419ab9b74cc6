/**
 * @judgekit/baselines — the baseline judge objectives JudgeLRM compares against: the TRL DPO family,
 * SPIN, Bradley–Terry, sentence-transformers cross-encoder losses and SFT cross-entropy (forward
 * and backward on float64 typed arrays), small reward heads trained with AdamW, safetensors
 * checkpoints, and the reward → verdict conversion that lets @judgekit/metrics score them.
 *
 * @packageDocumentation
 */

export { logSigmoid, sigmoid, softplus } from './numerics.js';
export {
  BcoRunningMean,
  DPO_LOSS_TYPES,
  DPO_REFERENCES,
  type DpoGrads,
  type DpoInputs,
  type DpoLossType,
  type DpoOptions,
  type DpoOutBuffers,
  type DpoReference,
  type DpoResult,
  type DpoResultWithGrad,
  dpoLoss,
  dpoLossBackward,
  dpoLossWithGrad,
} from './dpo-loss.js';
export {
  SPIN_COMMON_SETTINGS,
  SPIN_ROUNDS,
  type SpinInputs,
  type SpinLossType,
  type SpinOptions,
  type SpinResult,
  type SpinRound,
  spinLoss,
  spinRound,
} from './spin-loss.js';
export {
  type BradleyTerryInputs,
  type BradleyTerryOptions,
  type BradleyTerryResult,
  bradleyTerryLoss,
} from './bradley-terry-loss.js';
export {
  bradleyTerryLossAsync,
  closeBaselinesWorkers,
  dpoLossWithGradAsync,
  MIN_PARALLEL_PAIRS,
  type ThreadsOption,
} from './parallel.js';
export {
  type LogitsShape,
  type LabelOptions,
  alignLabels,
  type SequenceLogps,
  type SequenceLogpsOptions,
  sequenceLogps,
  sequenceLogpsBackward,
  SFT_REFERENCES,
  type SftOptions,
  type SftReduction,
  type SftReference,
  type SftResult,
  sftCrossEntropy,
  sftCrossEntropyBackward,
} from './sequence-logps.js';
export {
  type BceOptions,
  binaryCrossEntropyWithLogits,
  crossEntropyWithLogits,
  type LossWithGrad,
  type MnrlOptions,
  multipleNegativesRankingLoss,
  softPreferenceTarget,
} from './cross-encoder-loss.js';
export {
  AdamW,
  type AdamWOptions,
  clipGradNorm,
  type LrScheduleKind,
  type LrScheduleOptions,
  lrSchedule,
} from './adamw.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  type NamedTensor,
  type SafetensorsDtype,
  type SafetensorsFile,
} from './safetensors.js';
export {
  type HeadCheckpointOptions,
  loadCheckpoint,
  RewardHead,
  type RewardHeadConfig,
  type RewardHeadJson,
  saveCheckpoint,
} from './reward-head.js';
export { type MseOptions, mseLoss } from './mse-loss.js';
export {
  headMeanSquaredError,
  type LabelledFeatures,
  type PairFeatures,
  pairwiseAccuracy,
  type RewardHeadObjective,
  type TrainRewardHeadOptions,
  type TrainRewardHeadResult,
  trainRewardHead,
} from './train-reward-head.js';
export {
  debiasedLogit,
  type RewardVerdictOptions,
  type ScoreMappingOptions,
  scorePairFromRewards,
  verdictFromLogit,
  verdictFromMargin,
  verdictFromRewards,
  verdictsFromRewards,
} from './reward-verdict.js';
export {
  judgelrmSingleResponseText,
  judgeWithScorer,
  type RewardJudgement,
  type TextScorer,
} from './reward-judge.js';
