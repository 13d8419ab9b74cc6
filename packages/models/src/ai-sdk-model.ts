/**
 * A `JudgeModel` over an AI SDK language model object (`ai` v5 / v6 providers such as
 * `@ai-sdk/openai-compatible` or `@ai-sdk/openai`). Calls the provider's `doGenerate` directly
 * (language-model specification `v2` of AI SDK 5 and `v3` of AI SDK 6), so the `ai` package
 * itself is not needed; nothing is imported from the AI SDK at run time.
 */

import {
  AbortedError,
  InvalidArgumentError,
  JudgekitError,
  ModelCallError,
  NotSupportedError,
  type Usage,
} from '@judgekit/core';
import { splitThinkBlock, type ThinkBlocks } from './chat-completion-fields.js';
import { type ConcurrencyLimiter, createConcurrencyLimiter } from './concurrency-limiter.js';
import {
  type GenerateRequest,
  type GenerateResponse,
  type JudgeModel,
  requestAbortSignal,
} from './judge-model.js';

/**
 * The part of an AI SDK `LanguageModelV2` / `LanguageModelV3` this adapter uses. Any provider
 * model object of `ai` v5 or v6 fits (structural type; the AI SDK's own types are not imported).
 */
export interface AiSdkLanguageModel {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
  // biome-ignore lint/suspicious/noExplicitAny: the call options and result differ between spec versions
  doGenerate(options: any): PromiseLike<any>;
}

/** Options of {@link createAiSdkJudgeModel}. */
export interface AiSdkJudgeModelOptions {
  /** `JudgeModel.id`; default `` `${provider}:${modelId}` ``. */
  id?: string;
  /** Maximum calls in flight (default 8). Ignored when `limiter` is given. */
  concurrency?: number;
  /** A limiter shared with other models. */
  limiter?: ConcurrencyLimiter;
  /** Passed as the call's `providerOptions` (e.g. `{ openai: { reasoningEffort: 'low' } }`). */
  providerOptions?: Record<string, Record<string, unknown>>;
  /** Extra HTTP headers of each call. */
  headers?: Record<string, string>;
  /** A leading `<think>` block in the text when the provider returned no reasoning part (default `'split'`). */
  thinkBlocks?: ThinkBlocks;
}

const SUPPORTED = new Set(['v2', 'v3']);

/** True when `value` looks like an AI SDK language model object (`specificationVersion` + `doGenerate`). */
export function isAiSdkLanguageModel(value: unknown): value is AiSdkLanguageModel {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.specificationVersion === 'string' &&
    typeof v.doGenerate === 'function' &&
    typeof v.modelId === 'string'
  );
}

/**
 * Wrap an AI SDK language model as a `JudgeModel`:
 * `createAiSdkJudgeModel(createOpenAICompatible({ name, baseURL })('Qwen3-8B'))`.
 *
 * Maps `maxTokens` → `maxOutputTokens`, `stop` → `stopSequences`, `responseFormat` → the call's
 * JSON `responseFormat`, `abortSignal` → `abortSignal`; returns the text parts as `text`, reasoning parts
 * (or a leading `<think>` block) as `reasoningContent`, and the usage in judgekit's shape. An
 * assistant prefill cannot be continued through the AI SDK and is a `NotSupportedError`. Errors of
 * the provider become core `ModelCallError` (with the provider's `statusCode` and `isRetryable`) or
 * `AbortedError`; retries are the provider's (AI SDK providers do not retry in `doGenerate`).
 */
export function createAiSdkJudgeModel(
  model: AiSdkLanguageModel,
  options: AiSdkJudgeModelOptions = {},
): JudgeModel {
  if (typeof model === 'string')
    throw new InvalidArgumentError(
      'model',
      `a model id string (${JSON.stringify(model)}) needs the AI SDK's global provider; pass a provider model object, e.g. openai('gpt-4o')`,
    );
  if (!isAiSdkLanguageModel(model))
    throw new InvalidArgumentError(
      'model',
      'not an AI SDK language model (no specificationVersion / doGenerate)',
    );
  if (!SUPPORTED.has(model.specificationVersion))
    throw new NotSupportedError(
      `AI SDK language model specification ${JSON.stringify(model.specificationVersion)} is not supported (supported: v2 from ai 5, v3 from ai 6)`,
    );
  const limiter = options.limiter ?? createConcurrencyLimiter(options.concurrency ?? 8);
  const id = options.id ?? `${model.provider}:${model.modelId}`;
  const thinkBlocks = options.thinkBlocks ?? 'split';

  return {
    id,
    async generate(request: GenerateRequest): Promise<GenerateResponse> {
      const started = performance.now();
      const signal = requestAbortSignal(request);
      if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
      if (!Array.isArray(request.messages) || request.messages.length === 0)
        throw new InvalidArgumentError('messages', 'must be a non-empty array of chat messages');
      if (request.messages[request.messages.length - 1]!.role === 'assistant')
        throw new NotSupportedError(
          'AI SDK models cannot continue an assistant prefill; use a template without one (mtbench/*, pandalm/pair, prometheus/*) or createOpenAICompatibleModel',
        );
      const call: Record<string, unknown> = {
        prompt: request.messages.map((m) =>
          m.role === 'system'
            ? { role: 'system', content: m.content }
            : { role: m.role, content: [{ type: 'text', text: m.content }] },
        ),
      };
      if (request.maxTokens !== undefined) call.maxOutputTokens = request.maxTokens;
      if (request.temperature !== undefined) call.temperature = request.temperature;
      if (request.topP !== undefined) call.topP = request.topP;
      if (request.stop !== undefined) call.stopSequences = request.stop;
      if (request.seed !== undefined) call.seed = request.seed;
      if (request.responseFormat !== undefined)
        call.responseFormat = {
          type: 'json',
          schema: request.responseFormat.schema,
          name: request.responseFormat.name ?? 'judgment',
        };
      if (signal !== undefined) call.abortSignal = signal;
      if (options.providerOptions !== undefined) call.providerOptions = options.providerOptions;
      if (options.headers !== undefined) call.headers = options.headers;

      // biome-ignore lint/suspicious/noExplicitAny: spec v2 / v3 result, read defensively below
      let result: any;
      try {
        result = await limiter.run(() => Promise.resolve(model.doGenerate(call)), signal);
      } catch (error) {
        throw providerError(error, signal, id);
      }
      return toResponse(result, model, thinkBlocks, performance.now() - started);
    },
  };
}

function providerError(error: unknown, signal: AbortSignal | undefined, id: string): Error {
  if (signal?.aborted)
    return AbortedError.isInstance(error) ? error : new AbortedError('model call', { cause: error });
  if (JudgekitError.isInstance(error)) return error;
  const e = (error ?? {}) as {
    message?: unknown;
    statusCode?: unknown;
    isRetryable?: unknown;
    responseBody?: unknown;
  };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  let message = typeof e.message === 'string' ? e.message : String(error);
  const server = typeof e.responseBody === 'string' ? bodyMessage(e.responseBody) : undefined;
  if (server !== undefined && !message.includes(server)) message = `${message}: ${server}`;
  return new ModelCallError(
    `AI SDK model ${id} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${message.slice(0, 500)}`,
    {
      ...(status === undefined ? {} : { status }),
      retryable: e.isRetryable === true,
      cause: error,
    },
  );
}

/** The server's message in an error body (`{message}` of vLLM, `{error: {message}}` of OpenAI), else the body. */
function bodyMessage(body: string): string | undefined {
  try {
    const j = JSON.parse(body) as { message?: unknown; error?: { message?: unknown } | string };
    if (typeof j?.message === 'string') return j.message;
    if (typeof j?.error === 'string') return j.error;
    if (typeof j?.error?.message === 'string') return j.error.message;
  } catch {
    // not JSON
  }
  const t = body.trim();
  return t === '' ? undefined : t.slice(0, 300);
}

function count(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // spec v3: `{ total, … }`
  if (value && typeof value === 'object') {
    const t = (value as { total?: unknown }).total;
    if (typeof t === 'number' && Number.isFinite(t)) return t;
  }
  return undefined;
}

/** Usage of a spec v2 (`{ inputTokens, outputTokens, totalTokens, reasoningTokens, cachedInputTokens }`) or v3 result. */
export function aiSdkUsage(raw: unknown): Usage {
  const u = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const input = count(u.inputTokens) ?? 0;
  const output = count(u.outputTokens) ?? 0;
  const total = typeof u.totalTokens === 'number' ? u.totalTokens : input + output;
  const usage: Usage = {
    promptTokens: input,
    completionTokens: output,
    totalTokens: total,
    inputTokens: input,
    outputTokens: output,
  };
  const inObj =
    u.inputTokens && typeof u.inputTokens === 'object' ? (u.inputTokens as Record<string, unknown>) : {};
  const outObj =
    u.outputTokens && typeof u.outputTokens === 'object' ? (u.outputTokens as Record<string, unknown>) : {};
  const cached = count(u.cachedInputTokens) ?? count(inObj.cacheRead);
  if (cached !== undefined) usage.cachedTokens = cached;
  const reasoning = count(u.reasoningTokens) ?? count(outObj.reasoning);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

function toResponse(
  // biome-ignore lint/suspicious/noExplicitAny: provider result
  result: any,
  model: AiSdkLanguageModel,
  thinkBlocks: ThinkBlocks,
  latencyMs: number,
): GenerateResponse {
  const parts: unknown[] = Array.isArray(result?.content) ? result.content : [];
  let text = '';
  let reasoning: string | undefined;
  for (const p of parts) {
    if (!p || typeof p !== 'object') continue;
    const part = p as { type?: unknown; text?: unknown };
    if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else if (part.type === 'reasoning' && typeof part.text === 'string')
      reasoning = (reasoning ?? '') + part.text;
  }
  const response: GenerateResponse = {
    text,
    usage: aiSdkUsage(result?.usage),
    cached: false,
    model: typeof result?.response?.modelId === 'string' ? result.response.modelId : model.modelId,
    latencyMs,
  };
  if (reasoning !== undefined) {
    response.reasoningContent = reasoning;
    response.reasoningSource = 'provider';
  } else {
    const split = splitThinkBlock(text, thinkBlocks);
    response.text = split.text;
    if (split.reasoningContent !== undefined) {
      response.reasoningContent = split.reasoningContent;
      response.reasoningSource = 'think-tags';
    }
  }
  const fr = result?.finishReason;
  const finish = typeof fr === 'string' ? fr : typeof fr?.unified === 'string' ? fr.unified : undefined;
  if (finish !== undefined) response.finishReason = finish;
  return response;
}
