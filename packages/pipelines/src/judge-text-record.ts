/**
 * Turn one judge completion into a result record: parse it with the template's output-format
 * parser (prefill prepended), map the verdict back to the original answer order.
 */

import { createHash } from 'node:crypto';
import { ConfigError, emptyUsage, swapVerdict, type Usage, type Verdict } from '@judgekit/core';
import { getParser, type JudgeOutputParser, type RegistryParseOptions } from '@judgekit/parsers';
import type { JudgeOrder, JudgeResultRecord, StoredParse } from './judge-records.js';

/** First 16 hex digits of the SHA-256 of a prompt string. */
export function promptHash(raw: string): string {
  return createHash('sha256').update(raw, 'utf8').digest('hex').slice(0, 16);
}

/** The parser of an output format; throws a readable error for an unknown one. */
export function parserFor(outputFormat: string): JudgeOutputParser {
  const parser = getParser(outputFormat);
  if (parser === undefined)
    throw new ConfigError(
      `no parser for output format ${JSON.stringify(outputFormat)}; register it with registerJudgeFormat (@judgekit/parsers) or load a plugin (judgekit --plugin ./my-format.mjs)`,
    );
  return parser;
}

/**
 * The verdict of a swapped-order judgment in the original frame: the format's own `swap` when it
 * has one (a user format that does not name answers by position), else `swapVerdict`. A `swap`
 * that throws or returns no pairwise verdict gives no verdict (`null`), never a guess.
 */
function originalFrame(
  parser: JudgeOutputParser,
  res: { ok: boolean; value?: unknown },
  asJudged: Verdict,
): Verdict | null {
  if (parser.swap === undefined) return swapVerdict(asJudged);
  try {
    const j = parser.swap((res as { value: Parameters<NonNullable<JudgeOutputParser['swap']>>[0] }).value);
    return j.kind === 'pairwise' &&
      (j.verdict === 'answer1' || j.verdict === 'answer2' || j.verdict === 'tie')
      ? j.verdict
      : null;
  } catch {
    return null;
  }
}

/** Inputs of {@link buildJudgeRecord}. */
export interface BuildRecordInput {
  id: string;
  index: number;
  order: JudgeOrder;
  templateId: string;
  outputFormat: string;
  raw: string;
  model: string;
  label: Verdict | null;
  text: string;
  reasoningContent?: string;
  prefill?: string;
  usage?: Usage;
  finishReason?: string;
  cached?: boolean;
  latencyMs?: number;
}

/**
 * Parse a completion and build its record. Non-pairwise judgments (ratings) are a failure with
 * reason `not-pairwise`: this pipeline compares two answers.
 */
export function buildJudgeRecord(
  input: BuildRecordInput,
  parser: JudgeOutputParser,
  parseOptions: RegistryParseOptions,
): JudgeResultRecord {
  const text = (input.prefill ?? '') + input.text;
  const res = parser.parse(
    input.reasoningContent === undefined ? text : { text, reasoningContent: input.reasoningContent },
    parseOptions,
  );
  let parse: StoredParse;
  let asJudged: Verdict | null = null;
  if (res.ok) {
    parse = { ok: true, judgment: res.value, recoveredBy: res.recoveredBy };
    if (res.value.kind === 'pairwise') asJudged = res.value.verdict;
    else
      parse = { ok: false, reason: 'not-pairwise', message: `a ${res.value.kind} judgment, not a verdict` };
  } else {
    parse = { ok: false, reason: res.reason, message: res.message };
  }
  let verdict: Verdict | null = asJudged;
  if (asJudged !== null && input.order === 'swapped') {
    verdict = originalFrame(parser, res, asJudged);
    if (verdict === null) {
      parse = {
        ok: false,
        reason: 'invalid-swap',
        message: `the '${parser.id}' format's swap did not give a pairwise verdict for the swapped order`,
      };
      asJudged = null;
    }
  }
  const record: JudgeResultRecord = {
    id: input.id,
    index: input.index,
    order: input.order,
    templateId: input.templateId,
    outputFormat: input.outputFormat,
    promptHash: promptHash(input.raw),
    model: input.model,
    label: input.label,
    text: input.text,
    outcome: parse.ok ? 'verdict' : 'parse-failure',
    parse,
    verdict,
    verdictAsJudged: asJudged,
    usage: input.usage ?? emptyUsage(),
  };
  if (input.reasoningContent !== undefined) record.reasoningContent = input.reasoningContent;
  if (input.prefill !== undefined) record.prefill = input.prefill;
  if (input.finishReason !== undefined) record.finishReason = input.finishReason;
  if (input.cached !== undefined) record.cached = input.cached;
  if (input.latencyMs !== undefined) record.latencyMs = input.latencyMs;
  return record;
}
