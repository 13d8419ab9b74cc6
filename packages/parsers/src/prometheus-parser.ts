/**
 * Prometheus (prometheus-eval) parsers: absolute grading `… [RESULT] n` (1–5) and relative grading
 * `… [RESULT] A|B`.
 *
 * Strict mode copies prometheus-eval/prometheus-eval, libs/prometheus-eval/prometheus_eval/parser.py
 * `_parse_output_absolute` / `_parse_output_relative`. Two stored versions of that file differ in the
 * relative parser, so both are offered (`relativeParser` option):
 * - `'a6938ea'` (default; commit a6938ead98becb1ca9dde748ff6ab46914e190a5): one explicit regex
 *   (`[RESULT]`, `[RESULT:`, `[Response `, `[Result]( Response)?`, `[Result:`, or `Result:` at a
 *   line start, then `A|B` followed by `]`, whitespace or the end), IGNORECASE | VERBOSE | MULTILINE.
 * - `'f2589f7'` (commit f2589f72520e717794fff749d347dc2974a74ecb): the same markers without the
 *   line-start `Result:` but with `Response\s+` and `\b(chose|choose|select|prefer)`, then a
 *   fallback to the later of the last `Response A` / `Response B` (case-sensitive).
 * The absolute parser is identical in both: the first match of the `[RESULT]|[SCORE]|Score:?|
 * Result:?|[Result]:?|score of` regex, digits, then `)`/`]`/space/end or `/5` / `out of 5`; the
 * value must be in 1–5, else upstream returns `(None, None)` (it does not look further).
 *
 * Python's `\s`, `\d` and `\b` are Unicode-aware; the regexes below restate them for JavaScript.
 */

import { type ParseResult, parseFailure, parseSuccess, type Verdict } from '@judgekit/core';
import {
  type BaseParseOptions,
  cleanJudgeText,
  findJson,
  type JudgeTextInput,
  jsonField,
  jsonNumber,
  splitJudgeInput,
  withReasoningFallback,
} from './judge-input.js';
import { decimalDigitValue, PY_D, PY_S, PY_WS_CLASS, pyStrip } from './python-compat.js';

/** A parsed Prometheus absolute grade. */
export interface PrometheusScore {
  /** Score on the rubric's 1–5 scale. */
  score: number;
  /**
   * The text before the result marker, `output[:match.start()].strip()` (upstream computes this
   * and then returns the whole output instead).
   */
  feedback: string;
}

/** A parsed Prometheus relative verdict (no tie upstream). */
export interface PrometheusVerdict {
  verdict: Extract<Verdict, 'answer1' | 'answer2'>;
  /** The text before the result marker. */
  feedback: string;
}

/**
 * Why a Prometheus parse failed.
 * - `empty-output`: no text.
 * - `no-result-marker`: the upstream regex does not match (upstream `(None, None)`).
 * - `score-out-of-range`: (absolute) the first match is outside 1–5 (upstream `(None, None)`).
 */
export type PrometheusFailureReason = 'empty-output' | 'no-result-marker' | 'score-out-of-range';

/** Lenient recovery steps specific to Prometheus. */
export type PrometheusRecoveryStep =
  /** Markdown or punctuation around the marker (`**[RESULT]** 4`, `[RESULT]: (B)`, `Final result - 3`). */
  | 'result-marker-variant'
  /** Several results: the last in-range one was taken (upstream takes the first match). */
  | 'last-result-marker'
  /** From JSON (`{"score": 4}`, `{"winner": "B"}`). */
  | 'json'
  /** A sentence such as `Response B is better` (relative). */
  | 'verdict-sentence';

// Python-compatible pieces.
const S = PY_S;
const D = PY_D;

// Upstream's `\s*(?:\(|\[|\s)*` is written as the one class `[(\[\s]*` (the same strings; the
// digits group starts at the same place), and `\s*` + `\s*` pairs below as one `\s*`: adjacent
// runs over the same characters backtrack quadratically (0.77 s for `Score:` + 16 KB of spaces).
const ABSOLUTE = new RegExp(
  `(?:\\[RESULT\\]|\\[SCORE\\]|Score:?|score:?|Result:?|\\[Result\\]:?|score${S}+of)[(\\[${PY_WS_CLASS}]*(${D}+)(?:(?:\\)|\\]|${S}|$)|(?:/${S}*5|${S}*out${S}*of${S}*5))`,
  'iu',
);

const RELATIVE_A6938EA = new RegExp(
  `(?:\\[RESULT\\]|\\[RESULT:|\\[Response${S}|\\[Result\\](?:${S}+Response)?|\\[Result:|(?:^|\\n)Result:?)${S}*(A|B)(?:\\]|${S}|$)`,
  'iu',
);

/** Python's Unicode `\b` before a word: the previous character is not a word character. */
const PY_WORD_BEFORE = '(?<![\\p{L}\\p{N}_])';
const RELATIVE_F2589F7 = new RegExp(
  `(?:\\[RESULT\\]|\\[RESULT:|\\[Response${S}|\\[Result\\](?:${S}+Response)?|\\[Result:|Response${S}|${PY_WORD_BEFORE}(?:chose|choose|select|prefer))${S}*(A|B)(?:\\]|${S}|$)`,
  'iu',
);

function pyIntOfDigits(digits: string): number {
  let v = 0;
  for (const ch of digits) v = v * 10 + decimalDigitValue(ch.codePointAt(0)!);
  return v;
}

/**
 * Parse a Prometheus absolute grade.
 *
 * - `strict` (default) copies `_parse_output_absolute` (module doc; commit a6938ead): the first
 *   match decides, and out-of-range is a failure.
 * - `lenient` strips think blocks etc., falls back to `reasoningContent`, accepts Markdown around
 *   the marker (`**[RESULT]** 4`, `[RESULT]: 4/5`), takes the **last** in-range result marker, and
 *   JSON (`{"score": 4}`).
 *
 * Never throws on model text.
 */
export function parsePrometheusAbsolute(
  input: JudgeTextInput,
  options: BaseParseOptions = {},
): ParseResult<PrometheusScore, PrometheusFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  if (options.mode === 'lenient') {
    if (text.trim() === '' && reasoning.trim() === '')
      return parseFailure('empty-output', 'The judge output is empty.', raw);
    const found = withReasoningFallback(text, reasoning, (t) => {
      const cleaned = cleanJudgeText(t);
      const b = cleaned.text;
      const re =
        /(\[\s*(?:RESULT|SCORE)\s*\]|\b(?:final\s+)?(?:result|score)\b|score\s+of)[\s*_:=\-–]*(?:[([]\s*)?([1-5])(?:\.0+)?\s*(?:[)\]]|\/\s*5|out\s+of\s+5)?(?![\d.])/gi;
      const hits: { v: number; at: number; exact: boolean }[] = [];
      for (let m = re.exec(b); m !== null && hits.length < 256; m = re.exec(b)) {
        hits.push({ v: Number(m[2]), at: m.index, exact: /^\[RESULT\] \d$/.test(m[0]) });
      }
      if (hits.length > 0) {
        const last = hits[hits.length - 1]!;
        const steps = [...cleaned.steps];
        if (!last.exact) steps.push('result-marker-variant');
        if (new Set(hits.map((h) => h.v)).size > 1) steps.push('last-result-marker');
        return { value: { score: last.v, feedback: b.slice(0, last.at).trim() }, steps };
      }
      if (/[[{]/.test(b)) {
        const v = jsonNumber(jsonField(findJson(b), ['score', 'result', 'rating']));
        if (v !== undefined && v >= 1 && v <= 5) {
          const feedback = jsonField(findJson(b), ['feedback', 'explanation', 'rationale']);
          return {
            value: { score: v, feedback: typeof feedback === 'string' ? feedback : '' },
            steps: [...cleaned.steps, 'json'],
          };
        }
      }
      return undefined;
    });
    if (found === undefined)
      return parseFailure('no-result-marker', 'No [RESULT] score in 1–5 could be read.', raw);
    return parseSuccess(found.value, raw, found.steps);
  }
  if (text === '') return parseFailure('empty-output', 'The judge output is empty.', raw);
  const m = ABSOLUTE.exec(text);
  if (m === null)
    return parseFailure(
      'no-result-marker',
      'No [RESULT] / Score: marker followed by a number (upstream (None, None)).',
      raw,
    );
  const v = pyIntOfDigits(m[1]!);
  if (!(v >= 1 && v <= 5)) {
    return parseFailure(
      'score-out-of-range',
      `The first result is ${m[1]}, outside 1–5 (upstream (None, None)).`,
      raw,
    );
  }
  return parseSuccess({ score: v, feedback: pyStrip(text.slice(0, m.index)) }, raw);
}

/** Options of {@link parsePrometheusRelative}. */
export interface PrometheusRelativeParseOptions extends BaseParseOptions {
  /** Which upstream version of `_parse_output_relative` strict mode copies; default `'a6938ea'`. */
  relativeParser?: 'a6938ea' | 'f2589f7';
}

/**
 * Parse a Prometheus relative verdict (`[RESULT] A` → answer1, `B` → answer2).
 *
 * - `strict` (default) copies `_parse_output_relative` of the chosen version (module doc).
 * - `lenient` strips think blocks etc., falls back to `reasoningContent`, accepts Markdown and
 *   punctuation around the marker (`**[RESULT]** B`, `[RESULT]: (A)`, `Result: Response B`), takes
 *   the **last** marker, then JSON (`{"winner": "B"}`), then one unambiguous `Response A/B is better`.
 *
 * Never throws on model text.
 */
export function parsePrometheusRelative(
  input: JudgeTextInput,
  options: PrometheusRelativeParseOptions = {},
): ParseResult<PrometheusVerdict, PrometheusFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  const toVerdict = (l: string) => (l.toUpperCase() === 'A' ? 'answer1' : 'answer2') as 'answer1' | 'answer2';
  if (options.mode === 'lenient') {
    if (text.trim() === '' && reasoning.trim() === '')
      return parseFailure('empty-output', 'The judge output is empty.', raw);
    const found = withReasoningFallback(text, reasoning, (t) => {
      const cleaned = cleanJudgeText(t);
      const b = cleaned.text;
      const re =
        /(\[\s*RESULT\s*\]|\[\s*RESULT\s*:|\b(?:final\s+)?(?:result|verdict|winner)\b)[\s*_:=\-–"'`([]*(?:(?:response|answer|output)\s*)?(A|B)(?![A-Za-z0-9])/gi;
      const hits: { l: string; at: number; exact: boolean }[] = [];
      for (let m = re.exec(b); m !== null && hits.length < 256; m = re.exec(b)) {
        hits.push({ l: m[2]!, at: m.index, exact: /^\[RESULT\] [AB]$/.test(m[0]) });
      }
      if (hits.length > 0) {
        const last = hits[hits.length - 1]!;
        const steps = [...cleaned.steps];
        if (!last.exact) steps.push('result-marker-variant');
        if (new Set(hits.map((h) => h.l.toUpperCase())).size > 1) steps.push('last-result-marker');
        return { value: { verdict: toVerdict(last.l), feedback: b.slice(0, last.at).trim() }, steps };
      }
      if (/[[{]/.test(b)) {
        const w = jsonField(findJson(b), ['winner', 'result', 'verdict', 'better']);
        const m = typeof w === 'string' ? /^\s*(?:response\s*)?(A|B)\s*$/i.exec(w) : null;
        if (m !== null)
          return { value: { verdict: toVerdict(m[1]!), feedback: '' }, steps: [...cleaned.steps, 'json'] };
      }
      const a = /\bresponse\s+A\s+(?:is|was)\s+(?:better|superior|preferred)/i.test(b);
      const bb = /\bresponse\s+B\s+(?:is|was)\s+(?:better|superior|preferred)/i.test(b);
      if (a !== bb)
        return {
          value: { verdict: a ? 'answer1' : 'answer2', feedback: '' },
          steps: [...cleaned.steps, 'verdict-sentence'],
        };
      return undefined;
    });
    if (found === undefined) return parseFailure('no-result-marker', 'No [RESULT] A / B could be read.', raw);
    return parseSuccess(found.value as PrometheusVerdict, raw, found.steps);
  }
  if (text === '') return parseFailure('empty-output', 'The judge output is empty.', raw);
  const version = options.relativeParser ?? 'a6938ea';
  const m = (version === 'a6938ea' ? RELATIVE_A6938EA : RELATIVE_F2589F7).exec(text);
  if (m !== null) {
    return parseSuccess({ verdict: toVerdict(m[1]!), feedback: pyStrip(text.slice(0, m.index)) }, raw);
  }
  if (version === 'f2589f7') {
    const lastA = text.lastIndexOf('Response A');
    const lastB = text.lastIndexOf('Response B');
    if (lastA > lastB && lastA !== -1)
      return parseSuccess({ verdict: 'answer1' as const, feedback: '' }, raw);
    if (lastB > lastA && lastB !== -1)
      return parseSuccess({ verdict: 'answer2' as const, feedback: '' }, raw);
  }
  return parseFailure('no-result-marker', 'No [RESULT] A / B marker (upstream (None, None)).', raw);
}
