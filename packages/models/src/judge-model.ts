import { type ChatMessage, InvalidArgumentError, type Usage } from '@judgekit/core';

/**
 * One generation request to a judge model. Backend-neutral: the OpenAI-compatible HTTP backend maps it
 * to a `/v1/chat/completions` body; local backends (transformers.js, onnxruntime) can map it to their
 * own generate call.
 */
export interface GenerateRequest {
  /**
   * The chat. When the last message has role `assistant` it is a prefill: the backend continues that
   * message instead of starting a new one (vLLM / SGLang `continue_final_message: true`,
   * `add_generation_prompt: false`) and `GenerateResponse.text` holds only the continuation.
   */
  messages: ChatMessage[];
  /** Maximum number of new tokens (OpenAI `max_tokens`). */
  maxTokens?: number;
  /** Sampling temperature (0 = greedy on vLLM). */
  temperature?: number;
  /** Nucleus sampling probability mass (OpenAI `top_p`). */
  topP?: number;
  /** Stop strings; the server cuts the completion before them. */
  stop?: string[];
  /** Sampling seed, for servers that honour it (vLLM does per request). */
  seed?: number;
  /**
   * Cancels the call (including waits for a concurrency slot and retry back-off). Named as the AI
   * SDK names it (`generateText({ abortSignal })`).
   */
  abortSignal?: AbortSignal;
  /**
   * @deprecated Use `abortSignal`. Still honoured; giving both with different signals is an
   * `InvalidArgumentError` (see {@link requestAbortSignal}).
   */
  signal?: AbortSignal;
  /**
   * Id of the sample being judged, for backends that serve recorded outputs (`createReplayJudgeModel`)
   * and for logs. Not sent to servers and not part of cache keys.
   */
  sampleId?: string;
  /** Which presentation of the sample this is (answers in dataset order or swapped); as `sampleId`. */
  sampleOrder?: 'original' | 'swapped';
  /**
   * Ask for JSON following a schema (structured output / guided decoding). Backends without it
   * ignore the field; callers must still parse the text (the plain-text parser is the fallback).
   */
  responseFormat?: ResponseFormat;
  /**
   * Ask for the log-probabilities of the generated tokens with the `k` most likely candidates at
   * each position (OpenAI-compatible `logprobs: true, top_logprobs: k`; OpenAI allows 0–20, vLLM up
   * to its `--max-logprobs`). They come back in `GenerateResponse.logprobs`. Part of cache keys.
   * Backends that cannot return log-probabilities ignore it (the response then has none).
   */
  topLogprobs?: number;
}

/** One candidate token with its natural-log probability (OpenAI `top_logprobs[j]`). */
export interface TopLogprob {
  token: string;
  /** Natural-log probability, ≤ 0. */
  logprob: number;
}

/** One generated token with its candidates, as in OpenAI's `choices[0].logprobs.content[i]`. */
export interface TokenLogprob extends TopLogprob {
  /** The most likely candidates at this position (as many as `topLogprobs` asked for). */
  top_logprobs?: TopLogprob[];
}

/** A request for JSON output that follows a JSON Schema. */
export interface ResponseFormat {
  type: 'json';
  /** The JSON Schema the output must follow. */
  schema: Record<string, unknown>;
  /** Schema name (OpenAI `json_schema.name`); default `'judgment'`. */
  name?: string;
}

/** What a judge model returned for one `GenerateRequest`. Verdicts are not parsed here. */
export interface GenerateResponse {
  /** The completion text (`choices[0].message.content`); `''` when the server sent `null`. */
  text: string;
  /**
   * Reasoning text kept apart from the answer: the server's `message.reasoning_content` or
   * `message.reasoning`, or a leading `<think>…</think>` block split off the content.
   */
  reasoningContent?: string;
  /** Where `reasoningContent` came from: a server field, a split `<think>` block, or an SDK's own reasoning part (`'provider'`). */
  reasoningSource?: 'reasoning_content' | 'reasoning' | 'think-tags' | 'provider';
  /** Token counts; zeros when the backend reported none. */
  usage: Usage;
  /** Why generation stopped (`stop`, `length`, …) as the backend reported it. */
  finishReason?: string;
  /** True when this response was served from a `ResponseCache` and no model was called. */
  cached: boolean;
  /** Model name reported by the backend (falls back to the configured name). */
  model: string;
  /** Wall-clock milliseconds this `generate` call took, retries and queueing included. */
  latencyMs: number;
  /**
   * Log-probabilities of the generated tokens (`choices[0].logprobs.content`), present when the
   * request asked for `topLogprobs` and the server returned a well-formed list. A malformed list
   * is left out whole (never partly kept: positions would shift).
   */
  logprobs?: TokenLogprob[];
}

/**
 * A judge model: anything that turns chat messages into text. Backends implement this one method;
 * concurrency, retries, caching and usage accounting are the backend's business, verdict parsing is
 * not (that is `@judgekit/parsers`).
 */
export interface JudgeModel {
  /** Stable identifier of the model (by default the served model name); used in cache keys and reports. */
  readonly id: string;
  /** Generate one completion. Rejects with core `ModelCallError`, `TimeoutError` or `AbortedError`. */
  generate(request: GenerateRequest): Promise<GenerateResponse>;
}

/**
 * The abort signal of a request: `abortSignal`, or the deprecated `signal` alias. Every backend
 * reads the signal through this one function. Throws `InvalidArgumentError` (code
 * `invalid_argument`) when both are given and are different signals.
 */
export function requestAbortSignal(
  request: Pick<GenerateRequest, 'abortSignal' | 'signal'>,
): AbortSignal | undefined {
  const { abortSignal, signal } = request;
  if (abortSignal !== undefined && signal !== undefined && abortSignal !== signal)
    throw new InvalidArgumentError(
      'abortSignal',
      'the request has both `abortSignal` and the deprecated `signal`, and they are different signals; pass only `abortSignal`',
    );
  return abortSignal ?? signal;
}
