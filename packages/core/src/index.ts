/**
 * @judgekit/core — the shared vocabulary of judgekit: samples, verdicts, score pairs, parse
 * results, usage records, error classes, a seeded RNG and typed-array helpers.
 *
 * @packageDocumentation
 */

export {
  AbortedError,
  ConfigError,
  type DataLocation,
  DataFormatError,
  formatLocation,
  InvalidArgumentError,
  JudgekitError,
  type JudgekitErrorCode,
  type JudgekitErrorOptions,
  ModelCallError,
  NotSupportedError,
  RegistryConflictError,
  ShapeMismatchError,
  TimeoutError,
} from './errors.js';
export {
  isParseSuccess,
  mapParseResult,
  type ParseFailure,
  type ParseResult,
  type ParseSuccess,
  parseFailure,
  parseSuccess,
} from './parse-result.js';
export { type OptionAlias, resolveAliasedOption } from './deprecated-option.js';
export { createRng, Rng, type Seed } from './rng.js';
export {
  availableThreads,
  isShared,
  type LazyWorkerPool,
  lazyWorkerPool,
  resolveThreads,
  rowRanges,
  type ShareableArray,
  serveWorkerOps,
  shareArray,
  shareNumbers,
  sharedFloat32Array,
  sharedFloat64Array,
  sharedOutput,
  type WorkerEntry,
  workerEntryBeside,
  WorkerFailedError,
  type WorkerOp,
  WorkerPool,
  type WorkerTask,
} from './worker-pool.js';
export {
  allClose,
  assertLength,
  assertSameShape,
  fromRows,
  maxAbsDiff,
  type NumericArray,
  numel,
  row,
  type Shape,
  type Tensor,
  tensor,
  toFloat64,
  toRows,
  zeros,
} from './typed-arrays.js';
export {
  addUsage,
  type ChatMessage,
  emptyUsage,
  type NamedUsage,
  type PairwiseSample,
  type ScorePair,
  type SingleAnswerSample,
  swapSample,
  swapVerdict,
  type Usage,
  VERDICT_CODES,
  type Verdict,
  VERDICTS,
  verdictFromScores,
  withUsageNames,
} from './types.js';
