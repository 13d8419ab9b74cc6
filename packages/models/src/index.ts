/**
 * @judgekit/models — the `JudgeModel` interface and its backends: any OpenAI-compatible
 * chat-completions server (vLLM, SGLang, TGI, OpenAI) with bounded concurrency, retries with
 * back-off, per-attempt timeouts, response caches and usage totals; local ONNX backends through
 * transformers.js / onnxruntime-node (optional peer dependencies, imported only when used): a
 * generating `JudgeModel`, a sequence-classifier scorer and a causal-LM log-prob scorer; plus a
 * deterministic fake model for tests. Models return text; verdict parsing lives in `@judgekit/parsers`.
 *
 * @packageDocumentation
 */

export {
  type AiSdkJudgeModelOptions,
  type AiSdkLanguageModel,
  aiSdkUsage,
  createAiSdkJudgeModel,
  isAiSdkLanguageModel,
} from './ai-sdk-model.js';
export { asJudgeModel, type JudgeModelLike } from './as-judge-model.js';
export {
  type CausalLmLogProbScorer,
  type CausalLmLogProbScorerOptions,
  createCausalLmLogProbScorer,
  tokenLogProbsFromLogits,
} from './causal-lm-log-prob-scorer.js';
export {
  type MaxTokensField,
  OPENAI_DEFAULT_BASE_URL,
  type OpenAIEnvDefaults,
  openAIEnvDefaults,
  openAIUsage,
  type ReasoningSource,
  readTokenLogprobs,
  requestBodyFields,
  type SplitReply,
  type StructuredOutputMode,
  splitReasoning,
  splitThinkBlock,
  structuredOutputBody,
  type ThinkBlocks,
} from './chat-completion-fields.js';
export { type ConcurrencyLimiter, createConcurrencyLimiter } from './concurrency-limiter.js';
export {
  createFakeJudgeModel,
  type FakeJudgeModel,
  type FakeJudgeModelOptions,
  type FakeJudgeOutput,
} from './fake-judge-model.js';
export type {
  GenerateRequest,
  GenerateResponse,
  JudgeModel,
  ResponseFormat,
  TokenLogprob,
  TopLogprob,
} from './judge-model.js';
export { requestAbortSignal } from './judge-model.js';
export {
  type ClassifierLogits,
  createOnnxSequenceClassifier,
  type OnnxSequenceClassifier,
  type OnnxSequenceClassifierOptions,
  type TextPair,
} from './onnx-sequence-classifier.js';
export {
  createOnnxTextEncoder,
  type OnnxTextEncoder,
  type OnnxTextEncoderOptions,
  type TextEmbeddings,
} from './onnx-text-encoder.js';
export {
  createOpenAIClientModel,
  isOpenAIClient,
  type OpenAIClientLike,
  type OpenAIClientModelOptions,
} from './openai-client-model.js';
export {
  createOpenAICompatibleModel,
  type GenerateDefaults,
  type OpenAICompatibleModelOptions,
} from './openai-compatible-model.js';
export {
  createReplayJudgeModel,
  type ReplayJudgeModel,
  type ReplayJudgeModelOptions,
  type ReplayOutput,
} from './replay-judge-model.js';
export { createRoundRobinModel } from './round-robin-model.js';
export {
  cacheKey,
  canonicalJson,
  createFileCache,
  createMemoryCache,
  type ResponseCache,
} from './response-cache.js';
export { backoffDelayMs, parseRetryAfterMs, type RetryPolicy } from './retry-policy.js';
export { trackUsage, type UsageTotals, usageTotals } from './usage-totals.js';
export type { LocalOnnxModelOptions, OnnxDtype } from './transformers-js-loader.js';
export {
  createTransformersJsModel,
  plainChatPrompt,
  type TransformersJsModelOptions,
} from './transformers-js-model.js';
