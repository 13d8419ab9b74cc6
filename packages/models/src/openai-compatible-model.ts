import {
  AbortedError,
  ConfigError,
  createRng,
  InvalidArgumentError,
  JudgekitError,
  ModelCallError,
  type Seed,
  TimeoutError,
  type Usage,
} from '@judgekit/core';
import {
  type MaxTokensField,
  openAIEnvDefaults,
  readTokenLogprobs,
  requestBodyFields,
  type StructuredOutputMode,
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
import { createNodeHttpFetch } from './node-http-fetch.js';
import { type ResponseCache, cacheKey } from './response-cache.js';
import { backoffDelayMs, parseRetryAfterMs, type RetryPolicy, sleep } from './retry-policy.js';

/** Sampling parameters that may be given as model-wide defaults. */
export type GenerateDefaults = Partial<Omit<GenerateRequest, 'messages' | 'signal' | 'abortSignal'>>;

/** Options of `createOpenAICompatibleModel`. */
export interface OpenAICompatibleModelOptions {
  /**
   * Base URL up to and including the version, e.g. `http://127.0.0.1:8000/v1`; `/chat/completions`
   * is appended. Default: `OPENAI_BASE_URL`, else `https://api.openai.com/v1` (as the OpenAI SDK).
   */
  baseURL?: string;
  /** Served model name (the request's `model` field). */
  model: string;
  /** `JudgeModel.id` (and cache-key model id); default `model`. */
  id?: string;
  /**
   * Bearer token. Never logged, never part of an error message or a cache key. Default: the
   * variable named by `apiKeyEnv`, else `OPENAI_API_KEY` when set (as the OpenAI SDK); `''` sends none.
   */
  apiKey?: string;
  /** Name of an environment variable holding the bearer token (read once, at creation). */
  apiKeyEnv?: string;
  /**
   * Body field of `maxTokens` (default `'max_tokens'`); `'max_completion_tokens'` for OpenAI
   * reasoning models (o1, o3, gpt-5), which reject `max_tokens`.
   */
  maxTokensField?: MaxTokensField;
  /**
   * How a request's `responseFormat` is sent (default `'response-format'`: OpenAI / vLLM / SGLang
   * `response_format` with a JSON schema; `'guided-json'` for older vLLM; `'none'` to drop it).
   */
  structuredOutput?: StructuredOutputMode;
  /**
   * A leading `<think>…</think>` block in the content, when the server sent no
   * `reasoning_content`: moved to `reasoningContent` (`'split'`, default) or kept (`'keep'`).
   * Not part of the cache key: cached responses keep the form they were stored in.
   */
  thinkBlocks?: ThinkBlocks;
  /** Maximum requests in flight from this model (default 8). Ignored when `limiter` is given. */
  concurrency?: number;
  /** A limiter shared with other models, to bound the total load on one server. */
  limiter?: ConcurrencyLimiter;
  /** Retries after the first attempt (default 3) for 408/409/429/5xx, connection errors and timeouts. */
  maxRetries?: number;
  /** Time limit of one attempt in ms (default 120000); exceeded → core `TimeoutError` (after retries). */
  timeoutMs?: number;
  /**
   * Time limit for opening the connection, in ms (default: only `timeoutMs`). Applies to the
   * built-in `node-http` transport; with `transport: 'fetch'` or an injected `fetch` the connection
   * time counts toward `headersTimeoutMs`.
   */
  connectTimeoutMs?: number;
  /** Time limit from sending the request to the response headers, in ms (default: only `timeoutMs`). */
  headersTimeoutMs?: number;
  /** Time limit for reading the response body once the headers arrived, in ms (default: only `timeoutMs`). */
  bodyTimeoutMs?: number;
  /**
   * Largest response body accepted, in bytes (default 32 MiB). A larger one is not buffered: the
   * attempt fails with a non-retryable `ModelCallError`.
   */
  maxResponseBytes?: number;
  /** Whether a timed-out attempt is retried (default true). */
  retryOnTimeout?: boolean;
  /** First retry back-off in ms (default 500); doubles per retry. */
  retryInitialDelayMs?: number;
  /** Cap of one back-off in ms (default 8000). */
  retryMaxDelayMs?: number;
  /** Cap on a server's `Retry-After` wait in ms (default 60000). */
  maxRetryAfterMs?: number;
  /** Seed of the back-off jitter (default 0); ignored when `random` is given. */
  seed?: Seed;
  /** Jitter source in [0, 1) (injectable for tests). */
  random?: () => number;
  /** Wait function used between retries (injectable for tests); must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Optional response cache; hits skip the server and come back with `cached: true`. */
  cache?: ResponseCache;
  /** Sampling defaults; fields set on a request win. */
  defaults?: GenerateDefaults;
  /**
   * Extra JSON members merged into every request body (e.g. `chat_template_kwargs`,
   * `top_k`, `repetition_penalty`). Request sampling fields and the prefill switches win over them.
   * Part of the cache key.
   */
  extraBody?: Record<string, unknown>;
  /**
   * Body members sent when the last message is an assistant prefill. Default is vLLM's
   * (`vllm/entrypoints/openai/protocol.py` ChatCompletionRequest):
   * `{ continue_final_message: true, add_generation_prompt: false }`; SGLang accepts the same.
   */
  prefillBody?: Record<string, unknown>;
  /** Extra HTTP headers (an `authorization` header here is replaced by the api key's, if one is set). */
  headers?: Record<string, string>;
  /**
   * `fetch` implementation (injectable for tests). Default: a keep-alive `node:http`/`node:https`
   * client (`transport: 'node-http'`), or the global `fetch` with `transport: 'fetch'`.
   */
  fetch?: typeof fetch;
  /** Which built-in HTTP client to use when `fetch` is not given (default `'node-http'`). */
  transport?: 'node-http' | 'fetch';
}

const DEFAULT_PREFILL_BODY = { continue_final_message: true, add_generation_prompt: false } as const;
const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const MAX_ERROR_CHARS = 500;

/** Extra information an attempt's error carries for the retry loop. */
const retryAfterOf = new WeakMap<Error, number>();

/**
 * A `JudgeModel` talking to any OpenAI-compatible chat-completions server (vLLM, SGLang, TGI's
 * Messages API, OpenAI): `POST {baseURL}/chat/completions`, non-streaming. Bounds requests in flight,
 * retries 408/409/429/5xx and connection failures with exponential back-off and jitter (the schedule
 * of openai/openai-node) honouring `retry-after-ms` / `Retry-After`, limits each attempt's time, and
 * optionally caches responses. It returns the raw completion text; it never parses verdicts.
 *
 * Errors: core `ModelCallError` (with `status`, `retryable` and the server's message, truncated and
 * with the api key redacted) for non-retryable HTTP errors, oversized responses and exhausted
 * retries — a malformed 2xx body (not JSON, no `choices`, …) is retried like a 5xx and, when the
 * retries run out, is an error, never a verdict; core `TimeoutError` when the last attempt timed out
 * (in any phase: connect, headers, body or the whole attempt); core `AbortedError` when
 * `request.abortSignal` aborts.
 */
export function createOpenAICompatibleModel(options: OpenAICompatibleModelOptions): JudgeModel {
  const env = openAIEnvDefaults();
  const baseURL = options.baseURL ?? env.baseURL;
  let url: string;
  try {
    url = `${new URL(baseURL).href.replace(/\/+$/, '')}/chat/completions`;
  } catch {
    throw new InvalidArgumentError(
      'baseURL',
      `not a valid URL: ${JSON.stringify(baseURL)}${options.baseURL === undefined ? ' (from OPENAI_BASE_URL)' : ''}`,
    );
  }
  if (typeof options.model !== 'string' || options.model === '') {
    throw new InvalidArgumentError('model', 'must be a non-empty string (the served model name)');
  }
  let apiKey = options.apiKey;
  if (apiKey === undefined && options.apiKeyEnv !== undefined) {
    apiKey = process.env[options.apiKeyEnv];
    if (apiKey === undefined || apiKey === '') {
      throw new ConfigError(
        `Environment variable ${options.apiKeyEnv} (apiKeyEnv) is not set; export it or pass apiKey.`,
      );
    }
  }
  if (apiKey === undefined && options.apiKeyEnv === undefined) apiKey = env.apiKey;
  if (apiKey === '') apiKey = undefined;
  const bodyFieldOptions = {
    maxTokensField: options.maxTokensField ?? 'max_tokens',
    structuredOutput: options.structuredOutput ?? 'response-format',
  } as const;
  const thinkBlocks = options.thinkBlocks ?? 'split';
  const maxRetries = options.maxRetries ?? 3;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new InvalidArgumentError('maxRetries', `must be an integer >= 0, got ${maxRetries}`);
  }
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!(timeoutMs > 0)) throw new InvalidArgumentError('timeoutMs', `must be > 0, got ${timeoutMs}`);
  for (const name of ['connectTimeoutMs', 'headersTimeoutMs', 'bodyTimeoutMs', 'maxResponseBytes'] as const) {
    const v = options[name];
    if (v !== undefined && !(typeof v === 'number' && v > 0))
      throw new InvalidArgumentError(name, `must be > 0, got ${v}`);
  }
  const { connectTimeoutMs, headersTimeoutMs, bodyTimeoutMs } = options;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const limiter = options.limiter ?? createConcurrencyLimiter(options.concurrency ?? 8);
  const fetchImpl =
    options.fetch ??
    (options.transport === 'fetch'
      ? globalThis.fetch
      : createNodeHttpFetch(
          connectTimeoutMs === undefined ? { maxResponseBytes } : { maxResponseBytes, connectTimeoutMs },
        ));
  const wait = options.sleep ?? sleep;
  const rng = options.random ? undefined : createRng(options.seed ?? 0);
  const policy: RetryPolicy = {
    initialDelayMs: options.retryInitialDelayMs ?? 500,
    maxDelayMs: options.retryMaxDelayMs ?? 8000,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    random: options.random ?? (() => rng!.nextFloat()),
  };
  const retryOnTimeout = options.retryOnTimeout ?? true;
  const extraBody = options.extraBody ?? {};
  const prefillBody = options.prefillBody ?? DEFAULT_PREFILL_BODY;
  const id = options.id ?? options.model;

  const headers: Record<string, string> = {
    ...options.headers,
    'content-type': 'application/json',
    accept: 'application/json',
  };
  if (apiKey !== undefined) {
    for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
    headers.authorization = `Bearer ${apiKey}`;
  }

  const redact = (text: string): string =>
    apiKey !== undefined && apiKey !== '' ? text.split(apiKey).join('[redacted]') : text;

  async function attempt(
    body: string,
    signal: AbortSignal | undefined,
    wantsLogprobs: boolean,
  ): Promise<GenerateResponse> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    // The first timer to fire names the phase that ran out of time.
    let timedOut: { what: string; ms: number } | undefined;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const limit = (what: string, ms: number) => {
      const t = setTimeout(() => {
        timedOut ??= { what, ms };
        controller.abort();
      }, ms);
      timers.push(t);
      return t;
    };
    limit(`POST ${url}`, timeoutMs);
    let status: number;
    let text: string;
    let responseHeaders: Headers;
    try {
      const headersTimer =
        headersTimeoutMs === undefined
          ? undefined
          : limit(`POST ${url} (waiting for response headers)`, headersTimeoutMs);
      const res = await fetchImpl(url, { method: 'POST', headers, body, signal: controller.signal });
      clearTimeout(headersTimer);
      status = res.status;
      responseHeaders = res.headers;
      if (bodyTimeoutMs !== undefined) limit(`POST ${url} (reading the response body)`, bodyTimeoutMs);
      text = await readBodyCapped(res, maxResponseBytes);
    } catch (error) {
      if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
      if (timedOut) throw new TimeoutError(timedOut.what, timedOut.ms);
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'JUDGEKIT_CONNECT_TIMEOUT')
        throw new TimeoutError(`connecting to ${url}`, connectTimeoutMs ?? timeoutMs);
      if (code === 'JUDGEKIT_RESPONSE_TOO_LARGE') {
        throw new ModelCallError(
          `POST ${url} returned a response body over maxResponseBytes (${maxResponseBytes} bytes); not read`,
          { retryable: false },
        );
      }
      throw new ModelCallError(redact(`Connection to ${url} failed: ${describeError(error)}`), {
        retryable: true,
      });
    } finally {
      for (const t of timers) clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
    }
    if (status < 200 || status >= 300) {
      const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
      const message = redact(truncate(serverErrorMessage(text), MAX_ERROR_CHARS));
      const error = new ModelCallError(`POST ${url} returned HTTP ${status}: ${message}`, {
        status,
        retryable,
      });
      const ra = parseRetryAfterMs(responseHeaders);
      if (ra !== undefined) retryAfterOf.set(error, ra);
      throw error;
    }
    return parseChatCompletion(text, status, options.model, url, redact, thinkBlocks, wantsLogprobs);
  }

  return {
    id,
    async generate(request: GenerateRequest): Promise<GenerateResponse> {
      const started = performance.now();
      const signal = requestAbortSignal(request);
      if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
      if (!Array.isArray(request.messages) || request.messages.length === 0) {
        throw new InvalidArgumentError('messages', 'must be a non-empty array of chat messages');
      }
      const merged = mergeDefaults(options.defaults, request);
      if (
        merged.topLogprobs !== undefined &&
        !(Number.isInteger(merged.topLogprobs) && merged.topLogprobs >= 0)
      )
        throw new InvalidArgumentError('topLogprobs', `must be an integer >= 0, got ${merged.topLogprobs}`);
      const key = options.cache ? cacheKey(id, merged, extraBody) : undefined;
      if (options.cache && key !== undefined) {
        const hit = await options.cache.get(key);
        if (hit !== undefined) {
          return { ...hit, cached: true, latencyMs: performance.now() - started };
        }
      }
      const body = JSON.stringify(buildBody(options.model, merged, extraBody, prefillBody, bodyFieldOptions));

      let lastError: Error | undefined;
      for (let n = 0; n <= maxRetries; n++) {
        try {
          const response = await limiter.run(
            () => attempt(body, signal, merged.topLogprobs !== undefined),
            signal,
          );
          response.latencyMs = performance.now() - started;
          if (options.cache && key !== undefined)
            await options.cache.set(key, { ...response, cached: false });
          return response;
        } catch (error) {
          if (signal?.aborted) {
            throw AbortedError.isInstance(error) ? error : new AbortedError('model call', { cause: error });
          }
          const retryable =
            (ModelCallError.isInstance(error) && error.retryable) ||
            (TimeoutError.isInstance(error) && retryOnTimeout);
          if (!retryable || !JudgekitError.isInstance(error)) throw error;
          lastError = error;
          if (n === maxRetries) break;
          const ra = retryAfterOf.get(error);
          const delay = ra !== undefined ? Math.min(ra, policy.maxRetryAfterMs) : backoffDelayMs(n, policy);
          await wait(delay, signal);
        }
      }
      if (TimeoutError.isInstance(lastError)) throw lastError;
      const last = lastError as ModelCallError;
      throw new ModelCallError(`${last.message} (gave up after ${maxRetries + 1} attempts)`, {
        status: last.status,
        retryable: true,
        cause: last,
      });
    },
  };
}

function mergeDefaults(defaults: GenerateDefaults | undefined, request: GenerateRequest): GenerateRequest {
  const out: GenerateRequest = { messages: request.messages };
  const keys = ['maxTokens', 'temperature', 'topP', 'stop', 'seed', 'responseFormat', 'topLogprobs'] as const;
  for (const k of keys) {
    const v = request[k] ?? defaults?.[k];
    if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  }
  const signal = requestAbortSignal(request);
  if (signal) out.abortSignal = signal;
  return out;
}

function buildBody(
  model: string,
  request: GenerateRequest,
  extraBody: Record<string, unknown>,
  prefillBody: Record<string, unknown>,
  fieldOptions: Parameters<typeof requestBodyFields>[1],
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...extraBody,
    model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    stream: false,
  };
  Object.assign(body, requestBodyFields(request, fieldOptions));
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.stop !== undefined) body.stop = request.stop;
  if (request.seed !== undefined) body.seed = request.seed;
  if (request.messages[request.messages.length - 1].role === 'assistant') Object.assign(body, prefillBody);
  return body;
}

/**
 * The response body as text, reading at most `maxBytes` (by `content-length`, then while
 * streaming); a larger body throws an error with code `JUDGEKIT_RESPONSE_TOO_LARGE`.
 */
async function readBodyCapped(res: Response, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    Object.assign(new Error(`response body exceeds ${maxBytes} bytes`), {
      code: 'JUDGEKIT_RESPONSE_TOO_LARGE',
    });
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (res.body === null || typeof res.body?.getReader !== 'function') {
    const text = await res.text();
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge();
    return text;
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return `${error.message} (${typeof code === 'string' ? `${code}: ` : ''}${cause.message})`;
  }
  return error.message;
}

/** The server's error text: vLLM `{message}`, OpenAI `{error: {message}}`, TGI `{error: "..."}`, else the body. */
function serverErrorMessage(text: string): string {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (json && typeof json === 'object') {
      const err = json.error;
      if (typeof err === 'string') return err;
      if (err && typeof err === 'object' && typeof (err as Record<string, unknown>).message === 'string') {
        return (err as Record<string, unknown>).message as string;
      }
      if (typeof json.message === 'string') return json.message;
      if (typeof json.detail === 'string') return json.detail;
    }
  } catch {
    // not JSON: fall through to the raw body
  }
  return text.trim() === '' ? '(empty body)' : text.trim();
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function parseUsage(raw: unknown): Usage {
  const u = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const promptTokens = num(u.prompt_tokens) ?? 0;
  const completionTokens = num(u.completion_tokens) ?? 0;
  const usage: Usage = {
    promptTokens,
    completionTokens,
    totalTokens: num(u.total_tokens) ?? promptTokens + completionTokens,
  };
  const pd = u.prompt_tokens_details as Record<string, unknown> | null | undefined;
  const cached = pd && typeof pd === 'object' ? num(pd.cached_tokens) : undefined;
  if (cached !== undefined) usage.cachedTokens = cached;
  const cd = u.completion_tokens_details as Record<string, unknown> | null | undefined;
  const reasoning = cd && typeof cd === 'object' ? num(cd.reasoning_tokens) : undefined;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

function contentText(content: unknown, what: string, fail: (m: string) => never): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    // Content parts (`[{type: 'text', text}]`), as some OpenAI-compatible servers send.
    return content
      .map((p) => (p && typeof p === 'object' && typeof p.text === 'string' ? (p.text as string) : ''))
      .join('');
  }
  return fail(`\`${what}\` is neither a string, null nor an array of text parts`);
}

/** Turn a chat-completions body into a `GenerateResponse`; throws `ModelCallError` naming what is missing. */
function parseChatCompletion(
  text: string,
  status: number,
  fallbackModel: string,
  url: string,
  redact: (s: string) => string,
  thinkBlocks: ThinkBlocks,
  wantsLogprobs = false,
): GenerateResponse {
  const fail = (problem: string): never => {
    // Retried like a 5xx: a proxy or an overloaded server can cut or garble one answer.
    throw new ModelCallError(
      redact(`POST ${url} returned a malformed chat completion (HTTP ${status}): ${problem}`),
      { status, retryable: true },
    );
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(`body is not JSON: ${JSON.stringify(truncate(text, 200))}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return fail('body is not a JSON object');
  const obj = json as Record<string, unknown>;
  const choices = obj.choices;
  if (!Array.isArray(choices)) return fail('missing `choices` array');
  if (choices.length === 0) return fail('`choices` is empty');
  const choice = choices[0] as Record<string, unknown> | null;
  if (!choice || typeof choice !== 'object') return fail('`choices[0]` is not an object');
  const message = choice.message as Record<string, unknown> | null | undefined;
  if (!message || typeof message !== 'object') return fail('missing `choices[0].message`');
  const reply = splitReasoning(
    contentText(message.content, 'choices[0].message.content', fail),
    message,
    thinkBlocks,
  );
  const response: GenerateResponse = {
    text: reply.text,
    usage: parseUsage(obj.usage),
    cached: false,
    model: typeof obj.model === 'string' && obj.model !== '' ? obj.model : fallbackModel,
    latencyMs: 0,
  };
  if (reply.reasoningContent !== undefined) response.reasoningContent = reply.reasoningContent;
  if (reply.reasoningSource !== undefined) response.reasoningSource = reply.reasoningSource;
  if (typeof choice.finish_reason === 'string') response.finishReason = choice.finish_reason;
  if (wantsLogprobs) {
    const logprobs = readTokenLogprobs(choice.logprobs);
    if (logprobs !== undefined) response.logprobs = logprobs;
  }
  return response;
}
