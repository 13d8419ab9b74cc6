/**
 * @judgekit/rewards: the JudgeLRM reward exactly as upstream (NuoJohnChen/JudgeLRM,
 * src/verl/utils/reward_score/judgelrm.py, commit 1b20721) and its variants, composable reward
 * functions, TRL / verl / OpenRLHF adapters, and an OpenRLHF-compatible reward HTTP server.
 *
 * Text handling (answer-tag extraction, the structure check, Python `int()` / `float()` /
 * `strip()` / `split()` semantics) lives in `@judgekit/parsers`; `extractSolution` and
 * `validateResponseStructure` are upstream-named aliases of its `extractJudgeLrmSolution` and
 * `validateJudgeLrmStructure`.
 */
export {
  JUDGELRM_CONSTANTS,
  JUDGELRM_PAPER_TABLE10_CONFIG,
  JUDGELRM_PAPER_TABLE11_CONFIG,
  JUDGELRM_QWEN25_CONFIG,
  JUDGELRM_QWEN3_EXPERIMENTAL_CONFIG,
  JUDGELRM_QWEN3_KK_CONFIG,
  JUDGELRM_QWEN3_KKDPO_CONFIG,
  computeJudgeLrmScore,
  extractSolution,
  judgeLrmRewardBounds,
  parseModelAnswer,
  parseSolutionTextFormat,
  resolveJudgeLrmConfig,
  scoreWithConfig,
  structureScore,
  validateResponseStructure,
} from './judgelrm-reward.js';
export type {
  ContentTerms,
  ExtractedSolution,
  JudgeLrmConstants,
  JudgeLrmFormatCheck,
  JudgeLrmRelation,
  JudgeLrmRewardConfig,
  JudgeLrmRewardOptions,
  JudgeLrmScore,
  JudgeLrmScoreOptions,
  PyNumber,
  RewardBounds,
  StructureCheck,
} from './judgelrm-reward.js';
export {
  createJudgeLrmFormatReward,
  createJudgeLrmReward,
  defineReward,
  gate,
  samplesFromColumns,
  scoreBatch,
  weightedSum,
} from './reward-function.js';
export type {
  BatchScores,
  GateOptions,
  JudgeLrmRewardFunctionOptions,
  RewardFunction,
  RewardResult,
  RewardSample,
  WeightedReward,
} from './reward-function.js';
export {
  handleOpenRlhfRequest,
  renderChatMl,
  toOpenRlhfRewardFunc,
  toTrlRewardFunction,
  toVerlComputeScore,
} from './adapters.js';
export type {
  ChatMessage,
  OpenRlhfRequest,
  OpenRlhfResponse,
  OpenRlhfResult,
  TrlAdapterOptions,
  TrlCompletion,
  TrlPrompt,
  TrlRewardInput,
  VerlAdapterOptions,
  VerlComputeScore,
} from './adapters.js';
export { REWARD_PATHS, createRewardServer, createStderrLogger, silentLogger } from './reward-server.js';
export type {
  RewardServer,
  RewardServerLogFields,
  RewardServerLogger,
  RewardServerOptions,
  RewardRoute,
  RewardRouteResult,
} from './reward-server.js';
export {
  JUDGELRM_REWARD_PRESETS,
  REWARD_SERVER_FLAGS,
  type RewardServerCommandIo,
  startRewardServerFromArgs,
} from './reward-server-command.js';
export type { RewardServerCluster } from './reward-server-cluster.js';
export {
  createRewardRoutes,
  hasResponseHeader,
  type RewardRouteCounters,
  type RewardRoutes,
  type RewardRoutesOptions,
  type RouteResult,
  TRL_REWARD_PATH,
  VERL_REWARD_PATH,
} from './reward-server-routes.js';
