/**
 * The parts of an OpenAI chat-completions exchange that vary between servers and models, kept
 * apart from the HTTP client: the environment defaults the OpenAI SDK reads, the name of the
 * token-limit field, structured-output request fields, and the split of a reply into reasoning
 * and answer text.
 */

import type { Usage } from '@judgekit/core';
import type { GenerateRequest, ResponseFormat, TokenLogprob, TopLogprob } from './judge-model.js';

/**
 * Which body field carries `GenerateRequest.maxTokens`: `'max_tokens'` (vLLM, SGLang, TGI, older
 * OpenAI models) or `'max_completion_tokens'` (OpenAI's reasoning models, o1/o3/gpt-5, reject
 * `max_tokens`; vLLM accepts both).
 */
export type MaxTokensField = 'max_tokens' | 'max_completion_tokens';

/**
 * How `GenerateRequest.responseFormat` is sent:
 * - `'response-format'`: OpenAI's `response_format: { type: 'json_schema', json_schema: { name,
 *   schema, strict: true } }`, accepted by OpenAI, vLLM (≥ 0.6) and SGLang;
 * - `'guided-json'`: vLLM's older extra parameter `guided_json: schema`;
 * - `'none'`: not sent (the server has no structured output; the prompt alone asks for JSON).
 */
export type StructuredOutputMode = 'response-format' | 'guided-json' | 'none';

/**
 * What to do with `<think>…</think>` blocks in the message content when the server did not split
 * reasoning off itself (vLLM / SGLang without a reasoning parser, DeepSeek-R1 distills):
 * - `'split'` (default): a block at the start of the content moves to `reasoningContent`;
 * - `'keep'`: the content is returned as the server sent it.
 * A bare `</think>` without its opening tag (the tag was prefilled in the prompt, as JudgeLRM's
 * templates do) is never split: the parsers of those formats read it.
 */
export type ThinkBlocks = 'split' | 'keep';

/** The `baseURL` and api key the OpenAI SDK would use when none is given. */
export interface OpenAIEnvDefaults {
  /** `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
  baseURL: string;
  /** `OPENAI_API_KEY` when set and non-empty. */
  apiKey?: string;
}

/** OpenAI's public endpoint, the OpenAI SDK's default `baseURL`. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * Read `OPENAI_BASE_URL` and `OPENAI_API_KEY` as the OpenAI SDK does (openai/openai-node
 * `src/client.ts`: `baseURL = readEnv('OPENAI_BASE_URL') ?? 'https://api.openai.com/v1'`,
 * `apiKey = readEnv('OPENAI_API_KEY')`; empty strings count as unset).
 */
export function openAIEnvDefaults(env: Record<string, string | undefined> = process.env): OpenAIEnvDefaults {
  const read = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const out: OpenAIEnvDefaults = { baseURL: read('OPENAI_BASE_URL') ?? OPENAI_DEFAULT_BASE_URL };
  const key = read('OPENAI_API_KEY');
  if (key !== undefined) out.apiKey = key;
  return out;
}

/** The body members for the request's token limit and structured output. */
export function requestBodyFields(
  request: Pick<GenerateRequest, 'maxTokens' | 'responseFormat' | 'topLogprobs'>,
  options: { maxTokensField?: MaxTokensField; structuredOutput?: StructuredOutputMode } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (request.maxTokens !== undefined) out[options.maxTokensField ?? 'max_tokens'] = request.maxTokens;
  if (request.topLogprobs !== undefined) {
    out.logprobs = true;
    out.top_logprobs = request.topLogprobs;
  }
  if (request.responseFormat !== undefined)
    Object.assign(out, structuredOutputBody(request.responseFormat, options.structuredOutput));
  return out;
}

/** The body members asking a server for JSON that follows `format.schema`. */
export function structuredOutputBody(
  format: ResponseFormat,
  mode: StructuredOutputMode = 'response-format',
): Record<string, unknown> {
  if (mode === 'none') return {};
  if (mode === 'guided-json') return { guided_json: format.schema };
  return {
    response_format: {
      type: 'json_schema',
      json_schema: { name: format.name ?? 'judgment', schema: format.schema, strict: true },
    },
  };
}

/** Where `reasoningContent` came from. */
export type ReasoningSource = 'reasoning_content' | 'reasoning' | 'think-tags' | 'provider';

/** A reply split into answer and reasoning. */
export interface SplitReply {
  /** The answer text. */
  text: string;
  /** The reasoning text, when there was any. */
  reasoningContent?: string;
  /** Where the reasoning came from. */
  reasoningSource?: ReasoningSource;
}

const LEADING_THINK = /^\s*<think>([\s\S]*?)<\/think>\s*/i;

/**
 * Split a leading `<think>…</think>` block off `content` (with `'split'`). Only a block that opens
 * at the start of the content is moved; text that merely mentions the tags is left alone.
 */
export function splitThinkBlock(content: string, mode: ThinkBlocks = 'split'): SplitReply {
  if (mode === 'keep') return { text: content };
  const m = LEADING_THINK.exec(content);
  if (m === null) return { text: content };
  return { text: content.slice(m[0].length), reasoningContent: m[1]!.trim(), reasoningSource: 'think-tags' };
}

/**
 * Answer and reasoning of one reply: the server's `reasoning_content` (DeepSeek, vLLM / SGLang
 * reasoning parsers) or `reasoning` (newer vLLM, OpenRouter) when present; otherwise a leading
 * `<think>` block of the content (per `thinkBlocks`).
 */
export function splitReasoning(
  content: string,
  fields: { reasoning_content?: unknown; reasoning?: unknown },
  thinkBlocks: ThinkBlocks = 'split',
): SplitReply {
  if (typeof fields.reasoning_content === 'string')
    return {
      text: content,
      reasoningContent: fields.reasoning_content,
      reasoningSource: 'reasoning_content',
    };
  if (typeof fields.reasoning === 'string')
    return { text: content, reasoningContent: fields.reasoning, reasoningSource: 'reasoning' };
  return splitThinkBlock(content, thinkBlocks);
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** judgekit `Usage` (both naming schemes) from an OpenAI `usage` object (missing counts → 0). */
export function openAIUsage(raw: unknown): Usage {
  const u = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const input = finite(u.prompt_tokens) ?? 0;
  const output = finite(u.completion_tokens) ?? 0;
  const usage: Usage = {
    promptTokens: input,
    completionTokens: output,
    totalTokens: finite(u.total_tokens) ?? input + output,
    inputTokens: input,
    outputTokens: output,
  };
  const pd = u.prompt_tokens_details as Record<string, unknown> | null | undefined;
  const cached = pd && typeof pd === 'object' ? finite(pd.cached_tokens) : undefined;
  if (cached !== undefined) usage.cachedTokens = cached;
  const cd = u.completion_tokens_details as Record<string, unknown> | null | undefined;
  const reasoning = cd && typeof cd === 'object' ? finite(cd.reasoning_tokens) : undefined;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}

function logprobEntry(value: unknown): TopLogprob | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  // A log-probability is a finite number ≤ 0 (vLLM writes -9999.0 for -inf).
  if (typeof v.token !== 'string' || typeof v.logprob !== 'number' || !Number.isFinite(v.logprob))
    return undefined;
  if (v.logprob > 0) return undefined;
  return { token: v.token, logprob: v.logprob };
}

/**
 * The token log-probabilities of an OpenAI-compatible choice (`choices[0].logprobs`, whose
 * `content` is `[{ token, logprob, bytes, top_logprobs: [{ token, logprob, bytes }] }]` on OpenAI,
 * vLLM and SGLang), checked: every token needs a string `token` and a finite `logprob` ≤ 0, and
 * `top_logprobs` (when present) must be a list of such. Anything else — no `logprobs`, `null`, a
 * malformed entry anywhere — gives `undefined`: the whole list is dropped rather than partly kept,
 * so a position is never shifted and no number is made up. Extra members (`bytes`) are not kept.
 */
export function readTokenLogprobs(logprobs: unknown): TokenLogprob[] | undefined {
  if (logprobs === null || typeof logprobs !== 'object') return undefined;
  const content = (logprobs as Record<string, unknown>).content;
  if (!Array.isArray(content)) return undefined;
  const out: TokenLogprob[] = [];
  for (const raw of content) {
    const tok = logprobEntry(raw);
    if (tok === undefined) return undefined;
    const top = (raw as Record<string, unknown>).top_logprobs;
    if (top !== undefined && top !== null) {
      if (!Array.isArray(top)) return undefined;
      const list: TopLogprob[] = [];
      for (const c of top) {
        const cand = logprobEntry(c);
        if (cand === undefined) return undefined;
        list.push(cand);
      }
      out.push({ ...tok, top_logprobs: list });
    } else out.push(tok);
  }
  return out;
}
