/**
 * @judgekit/metrics — judge meta-evaluation: agreement and macro P/R/F1 with a tie class
 * (scikit-learn conventions), confusion matrices, swap consistency and position bias, label
 * aggregation, Cohen's / Fleiss' kappa, seeded bootstrap intervals, reward-model accuracy
 * (RewardBench, RM-Bench) and JudgeLRM's reasoning rate. Takes verdict arrays; never reads files.
 *
 * @packageDocumentation
 */

export {
  type BootstrapOptions,
  type BootstrapMethod,
  bootstrapMean,
  bootstrapReplicates,
  type ConfidenceInterval,
  type HistogramStatistic,
  percentileInterval,
  quantileSorted,
} from './bootstrap.js';
export {
  type ClassificationMetrics,
  type ClassificationOptions,
  type ClassScores,
  type ClassSelection,
  classificationFromCounts,
  type ZeroDivision,
} from './classification-metrics.js';
export { type ConfusionMatrix, confusionCounts, jointCodes, toConfusionMatrix } from './confusion-matrix.js';
export {
  type EvaluateJudgeOptions,
  evaluateJudge,
  HEADLINE_METRICS,
  type HeadlineMetric,
  type JudgeReport,
  type PairedBootstrapOptions,
  type PairedBootstrapReport,
  type PairedDifference,
  pairedBootstrap,
  type PreparedJudgeCodes,
  prepareJudgeCodes,
} from './evaluate-judge.js';
export {
  COMBINE_RULE_NAMES,
  type CombineRule,
  type CombineRuleDefinition,
  combineOrders,
  type EvaluateTwoOrdersOptions,
  evaluateTwoOrders,
  getCombineRule,
  listCombineRules,
  type PerOrderCombineRule,
  type PerSampleCombineRule,
  registerCombineRule,
  type TwoOrderReport,
  unregisterCombineRule,
} from './combine-rules.js';
export { cohenKappa, fleissKappa, fleissKappaFromCounts, type Rating } from './inter-rater.js';
export {
  dropFailedLabels,
  type MajorityVoteOptions,
  type MajorityVoteResult,
  majorityVote,
  type SplitPolicy,
} from './label-aggregation.js';
export {
  inconsistentToTie,
  type SwapConsistency,
  type SwapOptions,
  swapConsistency,
} from './position-bias.js';
export { type PreferenceBiases, type PreferenceBiasOptions, preferenceBiases } from './preference-bias.js';
export {
  type ReasoningRateGroup,
  type ReasoningRateOptions,
  type ReasoningRateReport,
  reasoningRate,
} from './reasoning-rate.js';
export {
  pairwiseAccuracy,
  REWARDBENCH_EXAMPLE_COUNTS,
  REWARDBENCH_SECTIONS,
  type RewardBenchOptions,
  type RewardBenchScores,
  type RmBenchAccuracy,
  rewardBenchScores,
  rmBenchAccuracy,
  type ScoreTiePolicy,
} from './reward-model-accuracy.js';
export {
  CODE_ANSWER1,
  CODE_ANSWER2,
  CODE_FAILURE,
  CODE_TIE,
  codeVerdict,
  encodeVerdicts,
  type FailurePolicy,
  swapCodes,
  type VerdictOrFailure,
  verdictCode,
} from './verdict-encoding.js';
