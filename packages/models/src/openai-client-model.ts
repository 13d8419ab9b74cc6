/**
 * A `JudgeModel` over an OpenAI SDK client (`openai` npm package, v5 / v6): the caller's own
 * client (its api key, base URL, retries, timeouts, proxies) calls `chat.completions.create`.
 * Nothing is imported from `openai` at run time.
 */

import { AbortedError, InvalidArgumentError, JudgekitError, ModelCallError } from '@judgekit/core';
import {
  type MaxTokensField,
  openAIUsage,
  requestBodyFields,
  type StructuredOutputMode,
  readTokenLogprobs,
  splitReasoning,
  type ThinkBlocks,
} from './chat-completion-fields.js';
import { type ConcurrencyLimiter, createConcurrencyLimiter } from './concurrency-limiter.js';
import {
  type GenerateRequest,
  type GenerateResponse,
  type JudgeModel,
  requestAbortSignal,
} from './judge-model.js';

/** The part of an OpenAI SDK client this adapter uses (`new OpenAI()` fits). */
export interface OpenAIClientLike {
  chat: {
    completions: {
      // biome-ignore lint/suspicious/noExplicitAny: the SDK's overloaded signature; only the non-streaming form is used
      create(body: any, options?: any): PromiseLike<any>;
    };
  };
}

/** Options of {@link createOpenAIClientModel}. */
export interface OpenAIClientModelOptions {
  /** Model name of each request (the body's `model`). */
  model: string;
  /** `JudgeModel.id`; default `model`. */
  id?: string;
  /** Maximum calls in flight (default 8). Ignored when `limiter` is given. */
  concurrency?: number;
  /** A limiter shared with other models. */
  limiter?: ConcurrencyLimiter;
  /** Extra body members of every request (e.g. vLLM's `chat_template_kwargs`); request fields win. */
  extraBody?: Record<string, unknown>;
  /** Body field of `maxTokens` (default `'max_tokens'`; `'max_completion_tokens'` for o-series / gpt-5). */
  maxTokensField?: MaxTokensField;
  /** How `responseFormat` is sent (default `'response-format'`). */
  structuredOutput?: StructuredOutputMode;
  /** Body members sent with an assistant prefill (default vLLM's `continue_final_message: true, add_generation_prompt: false`). */
  prefillBody?: Record<string, unknown>;
  /** A leading `<think>` block when the server sent no `reasoning_content` (default `'split'`). */
  thinkBlocks?: ThinkBlocks;
}

/** True when `value` has `chat.completions.create` (an OpenAI SDK client or a look-alike). */
export function isOpenAIClient(value: unknown): value is OpenAIClientLike {
  const chat = (value as { chat?: { completions?: { create?: unknown } } } | null)?.chat;
  return typeof chat?.completions?.create === 'function';
}

/**
 * Wrap an OpenAI SDK client as a `JudgeModel`:
 * `createOpenAIClientModel(new OpenAI({ baseURL, apiKey }), { model: 'gpt-4o-mini' })`.
 *
 * The client's own retries and timeouts apply. Errors become core `ModelCallError` (with the
 * SDK's HTTP `status`) or `AbortedError` when `request.abortSignal` aborts.
 */
export function createOpenAIClientModel(
  client: OpenAIClientLike,
  options: OpenAIClientModelOptions,
): JudgeModel {
  if (!isOpenAIClient(client))
    throw new InvalidArgumentError('client', 'not an OpenAI SDK client (no chat.completions.create)');
  if (typeof options?.model !== 'string' || options.model === '')
    throw new InvalidArgumentError('model', 'must be a non-empty string (the model name of each request)');
  const limiter = options.limiter ?? createConcurrencyLimiter(options.concurrency ?? 8);
  const id = options.id ?? options.model;
  const prefillBody = options.prefillBody ?? { continue_final_message: true, add_generation_prompt: false };
  const fieldOptions = {
    maxTokensField: options.maxTokensField ?? 'max_tokens',
    structuredOutput: options.structuredOutput ?? 'response-format',
  } as const;

  return {
    id,
    async generate(request: GenerateRequest): Promise<GenerateResponse> {
      const started = performance.now();
      const signal = requestAbortSignal(request);
      if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
      if (!Array.isArray(request.messages) || request.messages.length === 0)
        throw new InvalidArgumentError('messages', 'must be a non-empty array of chat messages');
      const body: Record<string, unknown> = {
        ...options.extraBody,
        model: options.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        ...requestBodyFields(request, fieldOptions),
      };
      if (request.temperature !== undefined) body.temperature = request.temperature;
      if (request.topP !== undefined) body.top_p = request.topP;
      if (request.stop !== undefined) body.stop = request.stop;
      if (request.seed !== undefined) body.seed = request.seed;
      if (request.messages[request.messages.length - 1]!.role === 'assistant')
        Object.assign(body, prefillBody);

      // biome-ignore lint/suspicious/noExplicitAny: ChatCompletion, read defensively below
      let completion: any;
      try {
        completion = await limiter.run(
          () => Promise.resolve(client.chat.completions.create(body, signal ? { signal } : undefined)),
          signal,
        );
      } catch (error) {
        if (signal?.aborted)
          throw AbortedError.isInstance(error) ? error : new AbortedError('model call', { cause: error });
        if (JudgekitError.isInstance(error)) throw error;
        const e = (error ?? {}) as { status?: unknown; message?: unknown };
        const status = typeof e.status === 'number' ? e.status : undefined;
        throw new ModelCallError(
          `OpenAI client call for ${id} failed: ${String(typeof e.message === 'string' ? e.message : error).slice(0, 500)}`,
          {
            ...(status === undefined ? {} : { status }),
            retryable:
              status === undefined || status === 408 || status === 409 || status === 429 || status >= 500,
            cause: error,
          },
        );
      }
      const choice = completion?.choices?.[0];
      const message = choice?.message;
      if (!message || typeof message !== 'object')
        throw new ModelCallError(`OpenAI client call for ${id} returned no choices[0].message`, {
          retryable: false,
        });
      const content = typeof message.content === 'string' ? message.content : '';
      const reply = splitReasoning(content, message, options.thinkBlocks ?? 'split');
      const response: GenerateResponse = {
        text: reply.text,
        usage: openAIUsage(completion.usage),
        cached: false,
        model:
          typeof completion.model === 'string' && completion.model !== '' ? completion.model : options.model,
        latencyMs: performance.now() - started,
      };
      if (reply.reasoningContent !== undefined) response.reasoningContent = reply.reasoningContent;
      if (reply.reasoningSource !== undefined) response.reasoningSource = reply.reasoningSource;
      if (typeof choice.finish_reason === 'string') response.finishReason = choice.finish_reason;
      if (request.topLogprobs !== undefined) {
        const logprobs = readTokenLogprobs(choice.logprobs);
        if (logprobs !== undefined) response.logprobs = logprobs;
      }
      return response;
    },
  };
}
