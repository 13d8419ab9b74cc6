/**
 * LLMBar answers: `Output (a)` or `Output (b)`.
 *
 * Strict mode copies princeton-nlp/LLMBar LLMEvaluator/evaluate.py `completion_with_parsing`
 * (commit caa7bee794bfed74baed038b99229fa3f0c4c511) with the `parsing` patterns of every
 * comparison config (e.g. LLMEvaluator/evaluators/config/GPT-4/Vanilla.json): the completion is
 * `strip()`ped, then `re.search(r"(?:^|\n) ?Output \(a\)")` gives winner `"1"`, otherwise
 * `re.search(r"(?:^|\n) ?Output \(b\)")` gives `"2"`, otherwise `None`. The patterns are tried in
 * that order, so a completion that starts a line with both reads as Output (a). Upstream scores a
 * `None` as wrong (`correct_False += output == label`); here it is a failure (`no-choice`), which
 * the default failure policy also counts as wrong.
 */

import { type ParseResult, parseFailure, parseSuccess, type Verdict } from '@judgekit/core';
import {
  type BaseParseOptions,
  cleanJudgeText,
  type JudgeTextInput,
  splitJudgeInput,
  withReasoningFallback,
} from './judge-input.js';
import { pyStrip } from './python-compat.js';

/** A parsed LLMBar choice (no tie upstream). */
export interface LlmBarChoice {
  verdict: Extract<Verdict, 'answer1' | 'answer2'>;
}

/**
 * Why an LLMBar parse failed.
 * - `empty-output`: no text.
 * - `no-choice`: no line starts with `Output (a)` / `Output (b)` (upstream `None`).
 */
export type LlmBarFailureReason = 'empty-output' | 'no-choice';

/** Lenient recovery steps specific to LLMBar. */
export type LlmBarRecoveryStep =
  /** Another spelling of the choice: case, Markdown, `Output a`, `(b)`, `Output (B) is better`. */
  | 'choice-variant'
  /** CoT: several claims; the last one was taken where upstream's order-of-patterns rule reads another. */
  | 'last-claim';

/** Options of {@link parseLlmBarOutput}. */
export type LlmBarParseOptions = BaseParseOptions;

const OUTPUT_A = /(?:^|\n) ?Output \(a\)/;
const OUTPUT_B = /(?:^|\n) ?Output \(b\)/;
const PREFIX = String.raw`^[\s>#*_-]*(?:(?:the\s+)?(?:better|best)(?:\s+(?:one|output|response))?\s*(?:is|:)\s*:?\s*)?[*_]*`;
const LENIENT_LINES = [
  new RegExp(`${PREFIX}output\\s*[([]?\\s*([ab])\\s*[)\\]]?(?![a-z0-9])`, 'i'),
  new RegExp(`${PREFIX}[([]\\s*([ab])\\s*[)\\]]`, 'i'),
  /^[\s*_]*([ab])[\s*_.]*$/i,
];

/** evaluate.py `completion_with_parsing` on one completion: `'1'`, `'2'` or `null`. */
export function llmBarUpstreamWinner(completion: string): '1' | '2' | null {
  const c = pyStrip(completion);
  if (OUTPUT_A.test(c)) return '1';
  if (OUTPUT_B.test(c)) return '2';
  return null;
}

function lenientRead(text: string): { value: LlmBarChoice; steps: string[] } | undefined {
  for (const line of text.split('\n')) {
    const m = LENIENT_LINES.map((re) => re.exec(line)).find((x) => x !== null);
    if (m === undefined) continue;
    const letter = m[1]!.toLowerCase();
    const exact =
      line.trimStart().startsWith(`Output (${letter})`) && line.trim().length <= 'Output (a)'.length;
    return {
      value: { verdict: letter === 'a' ? 'answer1' : 'answer2' },
      steps: exact ? [] : ['choice-variant'],
    };
  }
  return undefined;
}

/**
 * Parse an LLMBar answer. Strict (default) is upstream's `completion_with_parsing` (module doc);
 * lenient also strips reasoning, special tokens and code fences and takes the first line that
 * names a choice in another spelling (`**Output (b)**`, `output (B)`, `(a)`, `The better one is
 * Output (b).`), reported as `choice-variant`, then looks in `reasoningContent`. Never throws.
 */
export function parseLlmBarOutput(
  input: JudgeTextInput,
  options: LlmBarParseOptions = {},
): ParseResult<LlmBarChoice, LlmBarFailureReason> {
  const { text, reasoning, raw } = splitJudgeInput(input);
  if (text.trim() === '' && (options.mode !== 'lenient' || reasoning.trim() === ''))
    return parseFailure('empty-output', 'the judge returned no text', raw);
  if (options.mode !== 'lenient') {
    const w = llmBarUpstreamWinner(text);
    if (w === null) return parseFailure('no-choice', 'no line starts with "Output (a)" or "Output (b)"', raw);
    return parseSuccess({ verdict: w === '1' ? 'answer1' : 'answer2' }, raw);
  }
  const found = withReasoningFallback(text, reasoning, (t) => {
    const w = llmBarUpstreamWinner(t);
    if (w !== null)
      return { value: { verdict: w === '1' ? 'answer1' : 'answer2' } as LlmBarChoice, steps: [] };
    const cleaned = cleanJudgeText(t);
    const r = lenientRead(cleaned.text);
    return r === undefined ? undefined : { value: r.value, steps: [...cleaned.steps, ...r.steps] };
  });
  if (found !== undefined) return parseSuccess(found.value, raw, found.steps);
  return parseFailure('no-choice', 'no choice of Output (a) or Output (b) in the answer', raw);
}

const COT_A = /Output \(a\) is better./;
const COT_B = /Output \(b\) is better./;
const COT_LENIENT = /output\s*\(\s*([ab])\s*\)\s*is\s+(?:the\s+)?better/gi;

/**
 * evaluate.py `completion_with_parsing` with the `parsing` patterns of the CoT configs
 * (LLMEvaluator/evaluators/config/GPT-4/CoT.json @ caa7bee7): after `strip()`,
 * `re.search(r"Output \(a\) is better.")` → `'1'`, else the same for (b) → `'2'`, else `null`
 * (anywhere in the text; `.` matches any character, and (a) is tried first).
 */
export function llmBarCotUpstreamWinner(completion: string): '1' | '2' | null {
  const c = pyStrip(completion);
  if (COT_A.test(c)) return '1';
  if (COT_B.test(c)) return '2';
  return null;
}

/**
 * Parse an LLMBar CoT answer (an explanation ending "Therefore, Output (a) is better."). Strict is
 * upstream's rule (a mention of "Output (a) is better" anywhere wins, even inside the explanation);
 * lenient strips reasoning, special tokens and code fences and takes the *last* claim "Output (x)
 * is better" in any case (`last-claim` when that differs from the strict reading,
 * `choice-variant` for another spelling), then looks in `reasoningContent`. Never throws.
 */
export function parseLlmBarCotOutput(
  input: JudgeTextInput,
  options: LlmBarParseOptions = {},
): ParseResult<LlmBarChoice, LlmBarFailureReason> {
  const { text, reasoning, raw } = splitJudgeInput(input);
  if (text.trim() === '' && (options.mode !== 'lenient' || reasoning.trim() === ''))
    return parseFailure('empty-output', 'the judge returned no text', raw);
  if (options.mode !== 'lenient') {
    const w = llmBarCotUpstreamWinner(text);
    if (w === null)
      return parseFailure('no-choice', 'no "Output (a) is better" / "Output (b) is better"', raw);
    return parseSuccess({ verdict: w === '1' ? 'answer1' : 'answer2' }, raw);
  }
  const found = withReasoningFallback(text, reasoning, (t) => {
    const cleaned = cleanJudgeText(t);
    const claims = [...cleaned.text.matchAll(COT_LENIENT)];
    if (claims.length === 0) return undefined;
    const last = claims[claims.length - 1]!;
    const letter = last[1]!.toLowerCase();
    const steps = [...cleaned.steps];
    if (last[0] !== `Output (${letter}) is better`) steps.push('choice-variant');
    const strict = llmBarCotUpstreamWinner(t);
    if (strict !== null && strict !== (letter === 'a' ? '1' : '2')) steps.push('last-claim');
    return { value: { verdict: letter === 'a' ? 'answer1' : 'answer2' } as LlmBarChoice, steps };
  });
  if (found !== undefined) return parseSuccess(found.value, raw, found.steps);
  return parseFailure('no-choice', 'no claim "Output (a|b) is better" in the answer', raw);
}
