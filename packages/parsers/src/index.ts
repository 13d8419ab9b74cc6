/**
 * @judgekit/parsers — turn judge model text into typed verdicts. One parser per output format
 * (JudgeLM, JudgeLRM, PandaLM, MT-Bench, Prometheus), each with a `strict` mode that reproduces the
 * upstream parser exactly and a `lenient` mode that recovers what a human would read and reports
 * how (`recoveredBy`). Parsers never throw on model text: bad text is a typed `ParseFailure` with a
 * reason code and the raw text.
 *
 * @packageDocumentation
 */

export {
  ARENA_HARD_LABELS,
  type ArenaHardFailureReason,
  type ArenaHardParseOptions,
  type ArenaHardRecoveryStep,
  type ArenaHardStrength,
  type ArenaHardVerdict,
  arenaHardBattleScores,
  arenaHardUpstreamLabel,
  parseArenaHard,
} from './arena-hard-parser.js';
export {
  type JudgeFormatDefinition,
  type JudgeFormatParseOptions,
  type ParserDefinition,
  registerJudgeFormat,
  registerParser,
  unregisterJudgeFormat,
} from './judge-format-registry.js';
export type {
  BaseParseOptions,
  CommonRecoveryStep,
  JudgeTextInput,
  NonFiniteScorePolicy,
  ParseMode,
} from './judge-input.js';
export {
  type JudgeLmFailureReason,
  type JudgeLmMultiParseOptions,
  type JudgeLmMultiScores,
  type JudgeLmParseOptions,
  type JudgeLmRecoveryStep,
  type JudgeLmScores,
  type JudgeLmSingleParseOptions,
  type JudgeLmSingleScore,
  type JudgeLmUpstreamResult,
  parseJudgeLm,
  parseJudgeLmMulti,
  parseJudgeLmSingle,
  parseJudgeLmUpstream,
} from './judgelm-parser.js';
export {
  extractJudgeLrmSolution,
  filterPandaLmSpecialTokens,
  type JudgeLrmExtraction,
  type JudgeLrmFailureReason,
  type JudgeLrmFormatCheck,
  type JudgeLrmInferenceResult,
  type JudgeLrmParseOptions,
  type JudgeLrmQwen3AnswerSource,
  type JudgeLrmQwen3InferenceResult,
  type JudgeLrmRecoveryStep,
  type JudgeLrmScoreParse,
  type JudgeLrmScores,
  type JudgeLrmSingleFailureReason,
  type JudgeLrmSingleScore,
  type JudgeLrmSolution,
  type JudgeLrmSolutionOptions,
  type JudgeLrmStructure,
  type JudgeLrmStructureOptions,
  judgeLrmBenchmarkPredText,
  judgeLrmPandaLmLabel,
  judgeLrmQwen3PandaLmLabel,
  parseJudgeLrm,
  parseJudgeLrmSingle,
  parseJudgeLrmUpstreamLabel,
  validateJudgeLrmStructure,
  extractAndValidateJudgeLrm,
  type JudgeLrmExtractAndValidateOptions,
  type JudgeLrmExtractedAndValidated,
} from './judgelrm-parser.js';
export {
  type LlmBarChoice,
  type LlmBarFailureReason,
  type LlmBarParseOptions,
  type LlmBarRecoveryStep,
  llmBarCotUpstreamWinner,
  llmBarUpstreamWinner,
  parseLlmBarCotOutput,
  parseLlmBarOutput,
} from './llmbar-parser.js';
export {
  type ExpectedScore,
  expectedScoreFromLogprobs,
  LOGPROB_ANSWER_TOKENS,
  type LogprobFailureReason,
  type LogprobReadOptions,
  type TokenLogprob,
  type TopLogprob,
  type VerdictDistribution,
  verdictDistributionFromLogprobs,
} from './logprob-scores.js';
export {
  MT_BENCH_TIE_DELTA,
  type MtBenchFailureReason,
  type MtBenchPairParseOptions,
  type MtBenchPairVerdict,
  type MtBenchRating,
  type MtBenchRecoveryStep,
  parseMtBenchPair,
  parseMtBenchPairUpstream,
  parseMtBenchSingle,
  parseMtBenchSingleUpstream,
} from './mt-bench-parser.js';
export {
  type PandaLmFailureReason,
  type PandaLmParseOptions,
  type PandaLmRecoveryStep,
  type PandaLmVerdict,
  parsePandaLm,
  parsePandaLmUpstream,
} from './pandalm-parser.js';
export {
  getParser,
  type Judgment,
  type JudgeOutputParser,
  listParsers,
  type RegistryParseOptions,
} from './parser-registry.js';
/**
 * Python `str` / number semantics (CPython 3) restated for JavaScript strings, shared by the strict
 * parsers and `@judgekit/rewards`: `isPyWhitespace` (`str.isspace`), `pyStrip` (`str.strip()`),
 * `pySplitWhitespace` (`str.split()`), `pyCount` (`str.count`), `pyInt` / `pyIntExact`
 * (`int(str)` as a number / with exact `bigint`s), `pyFloat` (`float(str)`). See each function.
 */
export {
  isPyWhitespace,
  pyCount,
  pyFloat,
  pyInt,
  pyIntExact,
  pySplitWhitespace,
  pyStrip,
} from './python-compat.js';
export {
  type PrometheusFailureReason,
  type PrometheusRecoveryStep,
  type PrometheusRelativeParseOptions,
  type PrometheusScore,
  type PrometheusVerdict,
  parsePrometheusAbsolute,
  parsePrometheusRelative,
} from './prometheus-parser.js';
