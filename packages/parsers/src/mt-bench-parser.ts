/**
 * MT-Bench (FastChat llm_judge) parsers: pairwise `[[A]]` / `[[B]]` / `[[C]]`, pairwise scores
 * `[[rating_a,rating_b]]`, and single `[[rating]]`.
 *
 * Strict mode copies lm-sys/FastChat, fastchat/llm_judge/common.py (commit
 * 007ecd07da27132136c707eef92bf9841fd167f2; the parsing code is identical at b494d0c6):
 * - `run_judge_pair`, output format `[[A]]`: `"[[A]]" in judgment` → A, elif `"[[B]]"` → B, elif
 *   `"[[C]]"` → tie, else `"error"` (substring tests in that order, not positions).
 * - `run_judge_pair`, format `[[rating_a,rating_b]]`: `two_score_pattern`
 *   `\[\[(\d+\.?\d*),\s?(\d+\.?\d*)\]\]`, else `two_score_pattern_backup` `\[(\d+\.?\d*),\s?(\d+\.?\d*)\]`;
 *   `ast.literal_eval` of each; `|a - b| <= TIE_DELTA (0.1)` → tie, else the larger wins.
 * - `run_judge_single`, format `[[rating]]`: `one_score_pattern` `\[\[(\d+\.?\d*)\]\]`, else
 *   `one_score_pattern_backup` `\[(\d+\.?\d*)\]`; `ast.literal_eval`; no match → `-1`.
 */

import { type ParseResult, parseFailure, parseSuccess, type ScorePair, type Verdict } from '@judgekit/core';
import {
  type BaseParseOptions,
  cleanJudgeText,
  findJson,
  type JudgeTextInput,
  jsonField,
  hasNonFinite,
  jsonNumber,
  nonFiniteMessage,
  splitJudgeInput,
  withReasoningFallback,
} from './judge-input.js';
import { PY_D, PY_S, pyLiteralEvalNumeral } from './python-compat.js';

/** FastChat's `TIE_DELTA`: pairwise scores closer than this are a tie. */
export const MT_BENCH_TIE_DELTA = 0.1;

/** A parsed MT-Bench pairwise verdict. */
export interface MtBenchPairVerdict {
  verdict: Verdict;
  /** The two ratings, for the `[[rating_a,rating_b]]` format. */
  scores?: ScorePair;
}

/** A parsed MT-Bench single rating. */
export interface MtBenchRating {
  /** The rating (1–10 upstream), an int or float as `ast.literal_eval` gives it. */
  rating: number;
}

/**
 * Why an MT-Bench parse failed.
 * - `empty-output`: no text.
 * - `no-verdict-marker`: no `[[A]]`/`[[B]]`/`[[C]]` (upstream `"error"`).
 * - `no-rating-marker`: no `[[x]]` / `[x]` rating (upstream `-1`).
 * - `upstream-exception`: the marker matched but `ast.literal_eval` raises (e.g. `[[08]]`, non-ASCII
 *   digits) — upstream does not catch this and the judging run crashes.
 * - `non-finite-score`: a rating beyond the double range (a 309-digit integer, which Python keeps
 *   exact, or a float literal Python reads as `inf`); pass `nonFiniteScores: 'upstream'` to get the
 *   verdict upstream computes (exactly, for integers) with the rating as `Infinity`.
 */
export type MtBenchFailureReason =
  | 'empty-output'
  | 'no-verdict-marker'
  | 'no-rating-marker'
  | 'upstream-exception'
  | 'non-finite-score';

/** Lenient recovery steps specific to MT-Bench. */
export type MtBenchRecoveryStep =
  /** Several markers: the last one (the final verdict) was taken, where upstream takes `[[A]]` first. */
  | 'last-verdict-marker'
  /** A marker with spacing / case / words (`[[ a ]]`, `[[Assistant B]]`, `[[Tie]]`, `[A]`). */
  | 'verdict-marker-variant'
  /** A phrase such as `Final verdict: B` or `Rating: 8/10` without brackets. */
  | 'verdict-phrase'
  /** From JSON. */
  | 'json';

// FastChat's `\d+\.?\d*` is written `\d+(?:\.\d*)?`: the same strings and the same groups (a group
// always ends where the next literal starts), without the quadratic backtracking of two adjacent
// digit runs on a long digit string.
const PY_NUMERAL = `${PY_D}+(?:\\.${PY_D}*)?`;
const TWO_SCORE = new RegExp(`\\[\\[(${PY_NUMERAL}),${PY_S}?(${PY_NUMERAL})\\]\\]`, 'u');
const TWO_SCORE_BACKUP = new RegExp(`\\[(${PY_NUMERAL}),${PY_S}?(${PY_NUMERAL})\\]`, 'u');
const ONE_SCORE = new RegExp(`\\[\\[(${PY_NUMERAL})\\]\\]`, 'u');
const ONE_SCORE_BACKUP = new RegExp(`\\[(${PY_NUMERAL})\\]`, 'u');

function pairVerdictFromScores(a: number, b: number): Verdict {
  if (Math.abs(a - b) <= MT_BENCH_TIE_DELTA) return 'tie';
  return a > b ? 'answer1' : 'answer2';
}

/**
 * FastChat's pairwise rule on the two literals as Python evaluates them: two integer literals are
 * exact Python ints (compared as `bigint`, so two equal 309-digit ratings tie), an int and a float
 * make Python convert the int to a float (`OverflowError` past the double range: `'raise'`), two
 * floats compare as doubles.
 */
function exactPairVerdict(aText: string, bText: string): Verdict | 'raise' {
  const aInt = !aText.includes('.');
  const bInt = !bText.includes('.');
  if (aInt && bInt) {
    const a = BigInt(aText);
    const b = BigInt(bText);
    return a === b ? 'tie' : a > b ? 'answer1' : 'answer2';
  }
  const a = Number(aText);
  const b = Number(bText);
  if ((aInt && !Number.isFinite(a)) || (bInt && !Number.isFinite(b))) return 'raise';
  return pairVerdictFromScores(a, b);
}

/** Options of {@link parseMtBenchPair}. */
export interface MtBenchPairParseOptions extends BaseParseOptions {
  /** Which pairwise output format: `'[[A]]'` (default) or `'[[rating_a,rating_b]]'`. */
  outputFormat?: '[[A]]' | '[[rating_a,rating_b]]';
}

const MARKER_VARIANT = /\[\[\s*(?:(?:assistant|response|answer|model)\s*)?(A|B|C|tie)\s*\]\]/gi;
const SINGLE_BRACKET = /\[\s*(?:(?:assistant|response|answer|model)\s*)?(A|B|C|tie)\s*\](?!\])/gi;
const PHRASE =
  /(?:final\s+verdict|verdict|winner|better\s+(?:response|assistant|answer))(?:\s*is)?(?:\s*[:：=-])?[\s*_"'`]*(?:(?:assistant|response|answer|model)\s*)?(A|B|C|tie)\b/gi;

function letterVerdict(letter: string): Verdict {
  const l = letter.toUpperCase();
  return l === 'A' ? 'answer1' : l === 'B' ? 'answer2' : 'tie';
}

function lastMatch(re: RegExp, text: string): { letters: string[] } {
  re.lastIndex = 0;
  const letters: string[] = [];
  for (let m = re.exec(text); m !== null && letters.length < 256; m = re.exec(text)) letters.push(m[1]!);
  return { letters };
}

/**
 * Parse an MT-Bench pairwise judgment.
 *
 * - `strict` (default) copies FastChat `run_judge_pair` for the chosen `outputFormat` (module doc);
 *   upstream's `"error"` is a typed failure (see {@link parseMtBenchPairUpstream}).
 * - `lenient` strips think blocks etc., falls back to `reasoningContent`, and takes the **last**
 *   verdict marker (judges often restate the instructions' `"[[A]]" if …` before their verdict),
 *   accepting `[[ a ]]`, `[[Assistant B]]`, `[[Tie]]`, `[A]`, `Final verdict: B` and JSON. For the
 *   scores format it takes the last `[[x, y]]` / `[x, y]`.
 *
 * Never throws on model text.
 */
export function parseMtBenchPair(
  input: JudgeTextInput,
  options: MtBenchPairParseOptions = {},
): ParseResult<MtBenchPairVerdict, MtBenchFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  const format = options.outputFormat ?? '[[A]]';
  if (options.mode === 'lenient') {
    if (text.trim() === '' && reasoning.trim() === '')
      return parseFailure('empty-output', 'The judge output is empty.', raw);
    const found = withReasoningFallback<MtBenchPairVerdict>(text, reasoning, (t) => {
      const cleaned = cleanJudgeText(t);
      const b = cleaned.text;
      if (format === '[[rating_a,rating_b]]') {
        const re = /\[\[?\s*(\d+(?:\.\d+)?)\s*(?:\/\s*10\s*)?,\s*(\d+(?:\.\d+)?)\s*(?:\/\s*10\s*)?\]\]?/g;
        let last: RegExpExecArray | null = null;
        let count = 0;
        for (let m = re.exec(b); m !== null && count < 256; m = re.exec(b), count++) last = m;
        if (last === null) return undefined;
        const a = Number(last[1]);
        const c = Number(last[2]);
        if (!Number.isFinite(a) || !Number.isFinite(c)) return undefined;
        const steps = [...cleaned.steps];
        if (count > 1) steps.push('last-verdict-marker');
        if (!last[0].startsWith('[[')) steps.push('verdict-marker-variant');
        return { value: { verdict: pairVerdictFromScores(a, c), scores: [a, c] as ScorePair }, steps };
      }
      const exact = lastMatch(/\[\[(A|B|C)\]\]/g, b).letters;
      if (exact.length > 0) {
        const distinct = new Set(exact);
        const steps = [...cleaned.steps];
        if (distinct.size > 1) steps.push('last-verdict-marker');
        return { value: { verdict: letterVerdict(exact[exact.length - 1]!) }, steps };
      }
      for (const [re, step] of [
        [MARKER_VARIANT, 'verdict-marker-variant'],
        [PHRASE, 'verdict-phrase'],
        [SINGLE_BRACKET, 'verdict-marker-variant'],
      ] as const) {
        const { letters } = lastMatch(re, b);
        if (letters.length > 0) {
          const steps = [...cleaned.steps, step];
          if (new Set(letters.map((l) => l.toUpperCase())).size > 1) steps.push('last-verdict-marker');
          return { value: { verdict: letterVerdict(letters[letters.length - 1]!) }, steps };
        }
      }
      if (/[[{]/.test(b)) {
        const w = jsonField(findJson(b), ['verdict', 'winner', 'finalverdict', 'better']);
        const m =
          typeof w === 'string'
            ? /^\s*(?:\[\[)?\s*(?:(?:assistant|response|answer|model)\s*)?(A|B|C|tie)\s*(?:\]\])?\s*$/i.exec(
                w,
              )
            : null;
        if (m !== null)
          return { value: { verdict: letterVerdict(m[1]!) }, steps: [...cleaned.steps, 'json'] };
      }
      return undefined;
    });
    if (found === undefined) {
      return parseFailure(
        'no-verdict-marker',
        format === '[[A]]'
          ? 'No [[A]] / [[B]] / [[C]] verdict could be read.'
          : 'No [[rating_a, rating_b]] pair could be read.',
        raw,
      );
    }
    return parseSuccess(found.value, raw, found.steps);
  }
  if (text === '') return parseFailure('empty-output', 'The judge output is empty.', raw);
  if (format === '[[rating_a,rating_b]]') {
    const m = TWO_SCORE.exec(text) ?? TWO_SCORE_BACKUP.exec(text);
    if (m === null) {
      return parseFailure(
        'no-verdict-marker',
        'No [[rating_a,rating_b]] or [rating_a,rating_b] (upstream winner "error").',
        raw,
      );
    }
    const a = pyLiteralEvalNumeral(m[1]!.trim());
    const b = pyLiteralEvalNumeral(m[2]!.trim());
    if (a === null || b === null) {
      return parseFailure(
        'upstream-exception',
        `ast.literal_eval raises on ${JSON.stringify(a === null ? m[1] : m[2])} (leading zero, non-ASCII digits or an integer over 4300 digits); upstream crashes here.`,
        raw,
      );
    }
    const scores: ScorePair = [a, b];
    const verdict = hasNonFinite(scores)
      ? exactPairVerdict(m[1]!.trim(), m[2]!.trim())
      : pairVerdictFromScores(a, b);
    if (verdict === 'raise') {
      return parseFailure(
        'upstream-exception',
        'An integer rating beyond the double range meets a float rating: Python raises OverflowError converting the int; upstream crashes here.',
        raw,
      );
    }
    if (hasNonFinite(scores) && options.nonFiniteScores !== 'upstream')
      return parseFailure('non-finite-score', nonFiniteMessage(scores), raw);
    return parseSuccess({ verdict, scores }, raw);
  }
  if (text.includes('[[A]]')) return parseSuccess({ verdict: 'answer1' as Verdict }, raw);
  if (text.includes('[[B]]')) return parseSuccess({ verdict: 'answer2' as Verdict }, raw);
  if (text.includes('[[C]]')) return parseSuccess({ verdict: 'tie' as Verdict }, raw);
  return parseFailure(
    'no-verdict-marker',
    'None of [[A]], [[B]], [[C]] occurs (upstream winner "error").',
    raw,
  );
}

/**
 * FastChat's exact convention by name: the `winner` string of `run_judge_pair` — `'A'`, `'B'`,
 * `'tie'` or `'error'` (lm-sys/FastChat fastchat/llm_judge/common.py, commit 007ecd07). An
 * `upstream-exception` failure is also `'error'` here (upstream would crash instead).
 */
export function parseMtBenchPairUpstream(
  input: JudgeTextInput,
  options: { outputFormat?: '[[A]]' | '[[rating_a,rating_b]]' } = {},
): { winner: 'A' | 'B' | 'tie' | 'error'; result: ParseResult<MtBenchPairVerdict, MtBenchFailureReason> } {
  const result = parseMtBenchPair(input, { mode: 'strict', nonFiniteScores: 'upstream', ...options });
  const winner = result.ok
    ? result.value.verdict === 'answer1'
      ? 'A'
      : result.value.verdict === 'answer2'
        ? 'B'
        : 'tie'
    : 'error';
  return { winner, result };
}

/**
 * Parse an MT-Bench single-answer rating (`Rating: [[8]]`).
 *
 * - `strict` (default) copies FastChat `run_judge_single` (module doc); upstream's `-1` is a typed
 *   failure (see {@link parseMtBenchSingleUpstream}).
 * - `lenient` strips think blocks etc., falls back to `reasoningContent`, takes the **last**
 *   `[[x]]` (also `[[8/10]]`, `[[ 8 ]]`), then `Rating: 8` / `Rating: 8/10` / `Score: 8`, then JSON.
 *
 * Never throws on model text.
 */
export function parseMtBenchSingle(
  input: JudgeTextInput,
  options: BaseParseOptions = {},
): ParseResult<MtBenchRating, MtBenchFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  if (options.mode === 'lenient') {
    if (text.trim() === '' && reasoning.trim() === '')
      return parseFailure('empty-output', 'The judge output is empty.', raw);
    const found = withReasoningFallback(text, reasoning, (t) => {
      const cleaned = cleanJudgeText(t);
      const b = cleaned.text;
      const re = /\[\[\s*(\d+(?:\.\d+)?)\s*(?:\/\s*10(?:\.0+)?\s*)?\]\]/g;
      const values: { v: number; exact: boolean }[] = [];
      for (let m = re.exec(b); m !== null && values.length < 256; m = re.exec(b)) {
        values.push({ v: Number(m[1]), exact: /^\[\[\d+(?:\.\d*)?\]\]$/.test(m[0]) });
      }
      if (values.length > 0) {
        const last = values[values.length - 1]!;
        const steps = [...cleaned.steps];
        if (new Set(values.map((x) => x.v)).size > 1) steps.push('last-verdict-marker');
        if (!last.exact) steps.push('verdict-marker-variant');
        return { value: last.v, steps };
      }
      const phrase =
        /(?:rating|score)(?:\s*[:：=])?[\s*_]*(?:\[\s*)?(\d+(?:\.\d+)?)\s*(?:\/\s*10|out\s+of\s+10)?\s*\]?/gi;
      let lastPhrase: RegExpExecArray | null = null;
      let n = 0;
      for (let m = phrase.exec(b); m !== null && n < 256; m = phrase.exec(b), n++) lastPhrase = m;
      if (lastPhrase !== null)
        return { value: Number(lastPhrase[1]), steps: [...cleaned.steps, 'verdict-phrase'] };
      if (/[[{]/.test(b)) {
        const v = jsonNumber(jsonField(findJson(b), ['rating', 'score']));
        if (v !== undefined) return { value: v, steps: [...cleaned.steps, 'json'] };
      }
      return undefined;
    });
    if (found === undefined || !Number.isFinite(found.value)) {
      return parseFailure('no-rating-marker', 'No [[rating]] or "Rating: x" could be read.', raw);
    }
    return parseSuccess({ rating: found.value }, raw, found.steps);
  }
  if (text === '') return parseFailure('empty-output', 'The judge output is empty.', raw);
  const m = ONE_SCORE.exec(text) ?? ONE_SCORE_BACKUP.exec(text);
  if (m === null)
    return parseFailure('no-rating-marker', 'No [[rating]] or [rating] (upstream rating -1).', raw);
  const v = pyLiteralEvalNumeral(m[1]!);
  if (v === null) {
    return parseFailure(
      'upstream-exception',
      `ast.literal_eval raises on ${JSON.stringify(m[1])} (leading zero, non-ASCII digits or an integer over 4300 digits); upstream crashes here.`,
      raw,
    );
  }
  if (!Number.isFinite(v) && options.nonFiniteScores !== 'upstream')
    return parseFailure('non-finite-score', nonFiniteMessage([v]), raw);
  return parseSuccess({ rating: v }, raw);
}

/**
 * FastChat's exact convention by name: `run_judge_single`'s rating, `-1` when no marker matched
 * (lm-sys/FastChat fastchat/llm_judge/common.py, commit 007ecd07). `upstream-exception` is also
 * `-1` here (upstream would crash instead).
 */
export function parseMtBenchSingleUpstream(input: JudgeTextInput): {
  rating: number;
  result: ParseResult<MtBenchRating, MtBenchFailureReason>;
} {
  const result = parseMtBenchSingle(input, { mode: 'strict', nonFiniteScores: 'upstream' });
  return { rating: result.ok ? result.value.rating : -1, result };
}
