/**
 * One judge call, from a rendered prompt to a typed outcome: generate, (optionally) read the
 * structured JSON reply, parse with the format's parser, and keep the three outcomes apart — a
 * judgment, a parse failure (reason + raw text) or an error (no usable response).
 */

import {
  AbortedError,
  type ChatMessage,
  JudgekitError,
  type NamedUsage,
  emptyUsage,
  withUsageNames,
} from '@judgekit/core';
import type { JudgeModel } from '@judgekit/models';
import type { JudgeOutputParser, Judgment, RegistryParseOptions } from '@judgekit/parsers';
import type { RenderedPrompt } from '@judgekit/prompts';
import { getJudgeJsonForm } from './judge-json-forms.js';
import {
  type JudgmentProbabilities,
  judgmentProbabilities,
  type ProbabilityOptions,
} from './judge-probabilities.js';
import { judgeRationale } from './judge-rationale.js';

/** What came of one call: a judgment, a parse failure, or an error. */
export type JudgeStatus = 'verdict' | 'parse-failure' | 'error';

/** A model call that gave no usable response (never scored). */
export interface JudgeCallError {
  /** The judgekit error code (`model_call`, `timeout`, `aborted`, …), or `'unknown'`. */
  code: string;
  message: string;
  /** HTTP status, when the server answered with one. */
  status?: number;
}

/** How structured output went for one call. */
export interface StructuredOutcome {
  /** The schema was sent with the request. */
  requested: true;
  /** The reply was JSON following the schema and was read as such. */
  used: boolean;
  /**
   * Why the plain-text parser read the reply instead (`'not-json'`, `'json-no-verdict'`, …);
   * absent when `used`.
   */
  fallback?: string;
}

/** The parse outcome of one call. */
export type CallParse =
  | { ok: true; judgment: Judgment; recoveredBy: readonly string[] }
  | { ok: false; reason: string; message: string };

/** One model call of a judgment, with everything needed to audit it. */
export interface CallRecord {
  /** `JudgeModel.id` of the model called. */
  modelId: string;
  /** Model name the backend reported. */
  model: string;
  /** The completion text (without the prefill), `null` when the call failed. */
  text: string | null;
  /** Reasoning kept apart from the answer (server field or split `<think>` block). */
  reasoningContent?: string;
  /** The assistant prefill the completion continues. */
  prefill?: string;
  /** The parse outcome; absent when the call failed. */
  parse?: CallParse;
  /** The error of a failed call. */
  error?: JudgeCallError;
  /** The explanation part of the reply (per format), else the reasoning. */
  rationale: string | null;
  usage: NamedUsage;
  finishReason?: string;
  cached: boolean;
  latencyMs: number;
  structured?: StructuredOutcome;
  /** With `probabilities`: the answer token's expected score or verdict distribution, as judged. */
  probabilities?: JudgmentProbabilities;
}

/** Settings of one call. */
export interface CallSettings {
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  stop?: string[];
  structuredOutput?: boolean;
  abortSignal?: AbortSignal;
  parser: JudgeOutputParser;
  parseOptions: RegistryParseOptions;
  /** Ask for top log-probabilities and read the answer token (format checked by the caller). */
  probabilities?: ProbabilityOptions;
}

/**
 * Formats whose parser reads the continuation alone and accounts for the prefill itself (JudgeLM
 * single-answer: `parseJudgeLmSingle` adds the forced `10`). Every other format is parsed as
 * prefill + completion, as the evaluation pipeline does (JudgeLRM's strict reading needs its `<think>`).
 */
const PARSES_CONTINUATION = new Set(['judgelm-single']);

function errorOf(error: unknown): JudgeCallError {
  if (JudgekitError.isInstance(error)) {
    const out: JudgeCallError = { code: error.code, message: error.message };
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number') out.status = status;
    return out;
  }
  return { code: 'unknown', message: error instanceof Error ? error.message : String(error) };
}

/** Append the JSON instruction to the last user message. */
function withJsonInstruction(messages: ChatMessage[], instruction: string): ChatMessage[] {
  const out = messages.map((m) => ({ ...m }));
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]!.role === 'user') {
      out[i]!.content = `${out[i]!.content}\n\n${instruction}`;
      break;
    }
  }
  return out;
}

/**
 * Run one call. Model errors become an `error` record; an abort of `settings.abortSignal`
 * rejects with core `AbortedError`.
 */
export async function runJudgeCall(
  model: JudgeModel,
  prompt: RenderedPrompt,
  settings: CallSettings,
): Promise<CallRecord> {
  const form = settings.structuredOutput ? getJudgeJsonForm(prompt.outputFormat) : undefined;
  const messages = form ? withJsonInstruction(prompt.messages, form.instruction) : prompt.messages;
  let res: Awaited<ReturnType<JudgeModel['generate']>>;
  try {
    res = await model.generate({
      messages,
      temperature: settings.temperature ?? 0,
      ...(settings.maxTokens === undefined ? {} : { maxTokens: settings.maxTokens }),
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
      ...(settings.stop === undefined ? {} : { stop: settings.stop }),
      ...(form === undefined ? {} : { responseFormat: { type: 'json' as const, schema: form.schema } }),
      ...(settings.abortSignal === undefined ? {} : { abortSignal: settings.abortSignal }),
      ...(settings.probabilities === undefined ? {} : { topLogprobs: settings.probabilities.topLogprobs }),
    });
  } catch (error) {
    if (settings.abortSignal?.aborted || AbortedError.isInstance(error))
      throw AbortedError.isInstance(error) ? error : new AbortedError('judge call', { cause: error });
    return {
      modelId: model.id,
      model: model.id,
      text: null,
      error: errorOf(error),
      rationale: null,
      usage: withUsageNames(emptyUsage()),
      cached: false,
      latencyMs: 0,
      ...(prompt.prefill === undefined ? {} : { prefill: prompt.prefill }),
    };
  }

  let parsedText = (PARSES_CONTINUATION.has(prompt.outputFormat) ? '' : (prompt.prefill ?? '')) + res.text;
  let rationale: string | null = null;
  let structured: StructuredOutcome | undefined;
  if (form !== undefined) {
    let json: unknown;
    let jsonOk = true;
    try {
      json = JSON.parse(res.text);
    } catch {
      jsonOk = false;
    }
    const read = jsonOk ? form.toText(json) : ({ ok: false, reason: 'not-json' } as const);
    if (read.ok) {
      parsedText = read.text;
      rationale = read.rationale.trim() === '' ? null : read.rationale.trim();
      structured = { requested: true, used: true };
    } else {
      structured = { requested: true, used: false, fallback: read.reason };
    }
  }
  const parsed = settings.parser.parse(
    res.reasoningContent === undefined
      ? parsedText
      : { text: parsedText, reasoningContent: res.reasoningContent },
    settings.parseOptions,
  );
  const parse: CallParse = parsed.ok
    ? { ok: true, judgment: parsed.value, recoveredBy: parsed.recoveredBy }
    : { ok: false, reason: parsed.reason, message: parsed.message };
  if (rationale === null) rationale = judgeRationale(prompt.outputFormat, parsedText, res.reasoningContent);
  const record: CallRecord = {
    modelId: model.id,
    model: res.model,
    text: res.text,
    parse,
    rationale,
    usage: withUsageNames(res.usage),
    cached: res.cached,
    latencyMs: res.latencyMs,
  };
  if (res.reasoningContent !== undefined) record.reasoningContent = res.reasoningContent;
  if (prompt.prefill !== undefined) record.prefill = prompt.prefill;
  if (res.finishReason !== undefined) record.finishReason = res.finishReason;
  if (structured !== undefined) record.structured = structured;
  if (settings.probabilities !== undefined)
    record.probabilities = judgmentProbabilities(prompt.outputFormat, res.logprobs);
  return record;
}
