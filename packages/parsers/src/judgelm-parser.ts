/**
 * JudgeLM score parser: "s1 s2" on the first line (pairwise), N scores (multi-answer), and the
 * single-answer continuation after the forced `10`.
 *
 * Strict mode copies baaivision/JudgeLM, judgelm/llm_judge/common.py::parse_score
 * (commit 00c45169de47641f62223f57cc15b608bc3cc69d): first line (`split('\n')[0]`), every `,`
 * becomes a space, split on a single space, exactly 2 tokens, Python `float()` of each, else
 * `[-1, -1]`. The verdict is `translate_score_to_win_list` with T = 0 (core's `verdictFromScores`).
 */

import {
  type ParseResult,
  parseFailure,
  parseSuccess,
  type ScorePair,
  type Verdict,
  VERDICT_CODES,
  verdictFromScores,
} from '@judgekit/core';
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
import { pyFloat } from './python-compat.js';

/** A parsed JudgeLM pairwise judgment. */
export interface JudgeLmScores {
  /** `[score of Assistant 1, score of Assistant 2]`, as Python `float()` reads them. */
  scores: ScorePair;
  /** `verdictFromScores(scores, 0)`: JudgeLM's `translate_score_to_win_list` with T = 0. */
  verdict: Verdict;
}

/**
 * Why a JudgeLM parse failed.
 * - `empty-output`: no text at all.
 * - `wrong-token-count`: (strict) line 1 does not split into exactly N tokens on single spaces.
 * - `invalid-number`: (strict) a token is not a Python `float()` numeral.
 * - `no-scores-found`: (lenient) no reading of the text yields N scores.
 * - `non-finite-score`: (strict) a token is a number Python's `float()` reads as `nan` / `inf`
 *   (`"nan"`, `"inf"`, `"1e400"`); pass `nonFiniteScores: 'upstream'` to keep it as upstream does.
 */
export type JudgeLmFailureReason =
  | 'empty-output'
  | 'wrong-token-count'
  | 'invalid-number'
  | 'no-scores-found'
  | 'non-finite-score';

/** Options of {@link parseJudgeLm}. */
export interface JudgeLmParseOptions extends BaseParseOptions {
  /**
   * Tie threshold T of the verdict (`s1 - s2 > T` → answer1). Upstream hard-codes 0; only
   * exactly equal scores tie.
   */
  tieThreshold?: number;
}

/** Options of {@link parseJudgeLmMulti}. */
export interface JudgeLmMultiParseOptions extends BaseParseOptions {
  /** Number of answers N (≥ 2) whose scores line 1 must hold. */
  answerCount: number;
}

/** A parsed JudgeLM multi-answer judgment. */
export interface JudgeLmMultiScores {
  /** One score per assistant, in prompt order (Assistant 1 first). */
  scores: readonly number[];
  /** 0-based indices of the assistants with the highest score (more than one on a tie). */
  best: readonly number[];
}

/** A parsed JudgeLM single-answer grade. */
export interface JudgeLmSingleScore {
  /** Score of the graded answer (Assistant 2; Assistant 1 is the reference pinned at 10). */
  score: number;
}

/** Lenient recovery steps specific to the JudgeLM parsers (besides the shared ones). */
export type JudgeLmRecoveryStep =
  /** Line 1 had the scores with other separators or decoration (`8, 7`, `8  7`, tabs, `Scores: 8 7`, `[8, 7]`, `8/10 7/10`). */
  | 'normalized-separators'
  /** The scores line was not the first non-empty line (e.g. a heading came first). */
  | 'scores-line-search'
  /** Scores were labelled per assistant (`Assistant 1: 8/10 … Assistant 2: 7/10`). */
  | 'labelled-scores'
  /** Scores came from a JSON object or array. */
  | 'json';

// ---------------------------------------------------------------------------------------------
// strict: parse_score
// ---------------------------------------------------------------------------------------------

type StrictOutcome =
  | { ok: true; scores: number[] }
  | { ok: false; reason: 'empty-output' | 'wrong-token-count' | 'invalid-number'; message: string };

/** `parse_score` generalised to N tokens (N = 2 is upstream's exact rule). */
function parseScoreStrict(review: string, n: number): StrictOutcome {
  const nl = review.indexOf('\n');
  const first = (nl === -1 ? review : review.slice(0, nl)).replace(/,/g, ' ');
  const sp = first.split(' ');
  if (sp.length !== n) {
    if (review === '') return { ok: false, reason: 'empty-output', message: 'The judge output is empty.' };
    return {
      ok: false,
      reason: 'wrong-token-count',
      message: `Line 1 splits into ${sp.length} token(s) on single spaces (after commas become spaces); JudgeLM's parse_score needs exactly ${n}.`,
    };
  }
  const scores: number[] = [];
  for (const tok of sp) {
    const v = pyFloat(tok);
    if (v === null) {
      return {
        ok: false,
        reason: 'invalid-number',
        message: `Token ${JSON.stringify(tok)} on line 1 is not a number Python's float() accepts.`,
      };
    }
    scores.push(v);
  }
  return { ok: true, scores };
}

// ---------------------------------------------------------------------------------------------
// lenient readings
// ---------------------------------------------------------------------------------------------

const NUM = '[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)';
const OUT_OF_TEN = '(?:\\s*(?:\\/|out\\s+of)\\s*10(?:\\.0+)?)?';

// Sticky pieces of a scores line. The line is read left to right by these fixed patterns (no
// pattern is built from the input and none can backtrack across pieces), so the work is linear in
// the line whatever N is.
const LINE_LEAD = /[\s*_#>]*/y;
const LINE_LABEL = /(?:final\s+)?(?:scores?|ratings?|result|answer)\s*[:：=]?/iy;
const LINE_DECOR = /[\s*_]*[[(]?\s*/y;
const LINE_NUM = new RegExp(`(${NUM})${OUT_OF_TEN}`, 'iy');
const LINE_SEP = /\s*[,;|]\s*|\s+(?:and|vs\.?|-)\s+(?=[-+.\d])|\s+/iy;
const LINE_TAIL = /\s*[\])]?[\s*_.]*$/y;

function sticky(re: RegExp, s: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(s);
}

/**
 * One scores line with any separators: optional label, optional brackets, N numbers (each maybe
 * `/10`), i.e. `^[\s*_#>]*(label)?[\s*_]*[[(]?\s*NUM(SEP NUM){N-1}\s*[\])]?[\s*_.]*$`.
 */
function readScoresLine(line: string, n: number): number[] | undefined {
  let at = sticky(LINE_LEAD, line, 0)![0].length;
  const label = sticky(LINE_LABEL, line, at);
  if (label !== null) at += label[0].length;
  at += sticky(LINE_DECOR, line, at)![0].length;
  const scores: number[] = [];
  for (let k = 0; k < n; k++) {
    if (k > 0) {
      const sep = sticky(LINE_SEP, line, at);
      if (sep === null) return undefined;
      at += sep[0].length;
    }
    const num = sticky(LINE_NUM, line, at);
    if (num === null) return undefined;
    at += num[0].length;
    scores.push(Number(num[1]));
  }
  return sticky(LINE_TAIL, line, at) === null ? undefined : scores;
}

function lineScores(text: string, n: number): { scores: number[]; firstLine: boolean } | undefined {
  const lines = text.split(/\r?\n|\r/, 200);
  let seenContent = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 400) continue;
    const scores = readScoresLine(line, n);
    if (scores?.every(Number.isFinite)) return { scores, firstLine: !seenContent };
    if (line.trim() !== '') seenContent = true;
  }
  return undefined;
}

/** `Assistant 2: 8/10`, `Answer #1 gets 7`, `response 3's score is 9 out of 10`, … (k is group 1, the score group 2). */
const LABELLED = new RegExp(
  `(?:assistant|answer|response)\\s*(?:#\\s*)?(\\d+)(?![\\d.])(?:'s)?[\\s*_]*(?:(?:score|rating)[\\s*_]*)?(?:(?:[:：=\\-–]|\\bis\\b|\\bgets\\b|\\breceives\\b|\\bscores\\b)[\\s*_]*)?\\(?(${NUM})${OUT_OF_TEN}`,
  'gi',
);

function labelledScores(text: string, n: number): number[] | undefined {
  const byLabel = new Map<number, number>();
  LABELLED.lastIndex = 0;
  for (let m = LABELLED.exec(text); m !== null; m = LABELLED.exec(text)) {
    const k = Number(m[1]);
    if (k >= 1 && k <= n && !byLabel.has(k)) byLabel.set(k, Number(m[2]));
  }
  LABELLED.lastIndex = 0;
  const scores: number[] = [];
  for (let k = 1; k <= n; k++) {
    const v = byLabel.get(k);
    if (v === undefined || !Number.isFinite(v)) return undefined;
    scores.push(v);
  }
  return scores;
}

function jsonScores(text: string, n: number): number[] | undefined {
  if (!/[[{]/.test(text)) return undefined;
  const j = findJson(text);
  if (j === undefined) return undefined;
  const fromArray = (a: unknown): number[] | undefined => {
    if (!Array.isArray(a) || a.length !== n) return undefined;
    const out = a.map(jsonNumber);
    return out.every((x) => x !== undefined) ? (out as number[]) : undefined;
  };
  const direct = fromArray(j);
  if (direct) return direct;
  const arr = fromArray(jsonField(j, ['scores', 'score', 'ratings']));
  if (arr) return arr;
  const out: number[] = [];
  for (let k = 1; k <= n; k++) {
    const v = jsonNumber(
      jsonField(j, [
        `score${k}`,
        `assistant${k}`,
        `assistant${k}score`,
        `answer${k}`,
        `s${k}`,
        `response${k}`,
      ]),
    );
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

function lenientScores(input: unknown, n: number): { scores: number[]; steps: string[] } | undefined {
  const { text, reasoning } = splitJudgeInput(input);
  const found = withReasoningFallback(text, reasoning, (t) => {
    const cleaned = cleanJudgeText(t);
    const body = cleaned.text;
    if (body === '') return undefined;
    const strict = parseScoreStrict(body, n);
    if (strict.ok && strict.scores.every(Number.isFinite))
      return { value: strict.scores, steps: cleaned.steps };
    const line = lineScores(body, n);
    if (line !== undefined) {
      const step = line.firstLine ? 'normalized-separators' : 'scores-line-search';
      return { value: line.scores, steps: [...cleaned.steps, step] };
    }
    const json = jsonScores(body, n);
    if (json !== undefined) return { value: json, steps: [...cleaned.steps, 'json'] };
    const labelled = labelledScores(body, n);
    if (labelled !== undefined) return { value: labelled, steps: [...cleaned.steps, 'labelled-scores'] };
    return undefined;
  });
  return found === undefined ? undefined : { scores: found.value, steps: found.steps };
}

// ---------------------------------------------------------------------------------------------
// public API
// ---------------------------------------------------------------------------------------------

/**
 * Parse a JudgeLM pairwise judgment ("s1 s2" on line 1, then an explanation).
 *
 * - `strict` (default) copies baaivision/JudgeLM judgelm/llm_judge/common.py::parse_score
 *   (commit 00c45169) exactly — `"8, 7"`, `"8  7"` and `"8 7 "` fail, `"8,7"`, `"+8 07"`,
 *   `"1e1 3"` and `"8 7\r"` parse — but a failure is a typed `ParseFailure` instead of `[-1, -1]`
 *   (use {@link parseJudgeLmUpstream} for upstream's raw value). A parsed `"-1 -1"` is a success.
 * - `lenient` strips `<think>` blocks, special tokens and code fences, falls back to
 *   `reasoningContent`, then tries: upstream's rule, a scores line with any separators
 *   (`'normalized-separators'` / `'scores-line-search'`), JSON (`'json'`), and per-assistant labels
 *   such as `Assistant 1: 8/10` (`'labelled-scores'`). Non-finite scores are not accepted.
 *
 * Never throws on model text.
 */
export function parseJudgeLm(
  input: JudgeTextInput,
  options: JudgeLmParseOptions = {},
): ParseResult<JudgeLmScores, JudgeLmFailureReason> {
  const { raw, text } = splitJudgeInput(input);
  const threshold = options.tieThreshold ?? 0;
  if (options.mode === 'lenient') {
    if (text === '' && splitJudgeInput(input).reasoning.trim() === '') {
      return parseFailure('empty-output', 'The judge output is empty.', raw);
    }
    const found = lenientScores(input, 2);
    if (found === undefined) {
      return parseFailure(
        'no-scores-found',
        'No two scores could be read: no scores line, no "Assistant 1: x / Assistant 2: y" labels and no JSON scores.',
        raw,
      );
    }
    const scores: ScorePair = [found.scores[0]!, found.scores[1]!];
    return parseSuccess({ scores, verdict: verdictFromScores(scores, threshold) }, raw, found.steps);
  }
  const r = parseScoreStrict(text, 2);
  if (!r.ok) return parseFailure(r.reason, r.message, raw);
  if (options.nonFiniteScores !== 'upstream' && hasNonFinite(r.scores))
    return parseFailure('non-finite-score', nonFiniteMessage(r.scores), raw);
  const scores: ScorePair = [r.scores[0]!, r.scores[1]!];
  return parseSuccess({ scores, verdict: verdictFromScores(scores, threshold) }, raw);
}

/** Upstream's view of one JudgeLM judgment (see {@link parseJudgeLmUpstream}). */
export interface JudgeLmUpstreamResult {
  /** What `parse_score` returns: the two floats, or `[-1, -1]` on failure. */
  scores: ScorePair;
  /**
   * `translate_score_to_win_list` code with T = 0: `1` answer 1 wins, `-1` answer 2 wins, `0` tie.
   * A parse failure is `0` (tie) — JudgeLM's convention.
   */
  verdictCode: 1 | -1 | 0;
  /** The typed result behind it (strict mode), so the failure stays visible. */
  result: ParseResult<JudgeLmScores, JudgeLmFailureReason>;
}

/**
 * JudgeLM's exact convention by name: `parse_score` (returns `[-1, -1]` on failure) followed by
 * `translate_score_to_win_list(T=0)`, so a parse failure counts as a tie. Copies
 * baaivision/JudgeLM judgelm/llm_judge/common.py (commit 00c45169). Use it only to reproduce
 * JudgeLM's published metrics; report `result.ok === false` counts alongside.
 */
export function parseJudgeLmUpstream(input: JudgeTextInput): JudgeLmUpstreamResult {
  const result = parseJudgeLm(input, { mode: 'strict', nonFiniteScores: 'upstream' });
  const scores: ScorePair = result.ok ? result.value.scores : [-1, -1];
  const verdictCode = VERDICT_CODES.judgelm[verdictFromScores(scores, 0)] as 1 | -1 | 0;
  return { scores, verdictCode, result };
}

/**
 * Parse a JudgeLM multi-answer judgment: line 1 holds N scores (`conv_judge_multi`, "…the scores
 * for Assistant 1, 2, 3 and 4, respectively"). Upstream has no N-score parser; `strict` applies
 * `parse_score`'s rule with N tokens instead of 2 (comma → space, single-space split, Python
 * `float()`); `lenient` as in {@link parseJudgeLm} with N scores.
 */
export function parseJudgeLmMulti(
  input: JudgeTextInput,
  options: JudgeLmMultiParseOptions,
): ParseResult<JudgeLmMultiScores, JudgeLmFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  const n = Math.max(2, Math.floor(Number(options?.answerCount) || 2));
  let scores: number[];
  let steps: string[] = [];
  if (options?.mode === 'lenient') {
    if (text === '' && reasoning.trim() === '')
      return parseFailure('empty-output', 'The judge output is empty.', raw);
    const found = lenientScores(input, n);
    if (found === undefined) {
      return parseFailure('no-scores-found', `No ${n} scores could be read from the judge output.`, raw);
    }
    scores = found.scores;
    steps = found.steps;
  } else {
    const r = parseScoreStrict(text, n);
    if (!r.ok) return parseFailure(r.reason, r.message, raw);
    scores = r.scores;
    if (options.nonFiniteScores !== 'upstream' && hasNonFinite(scores))
      return parseFailure('non-finite-score', nonFiniteMessage(scores), raw);
  }
  // NaN scores (kept only under 'upstream') are never the best; all-NaN has no best at all.
  let max = Number.NEGATIVE_INFINITY;
  let any = false;
  for (const s of scores) {
    if (Number.isNaN(s)) continue;
    if (!any || s > max) max = s;
    any = true;
  }
  if (!any) return parseFailure('non-finite-score', nonFiniteMessage(scores), raw);
  const best: number[] = [];
  scores.forEach((s, i) => {
    if (s === max) best.push(i);
  });
  return parseSuccess({ scores, best }, raw, steps);
}

/** Options of {@link parseJudgeLmSingle}. */
export interface JudgeLmSingleParseOptions extends BaseParseOptions {
  /** The forced prefix of the template's appendix (`### Response:10`); default `'10'`. */
  prefill?: string;
}

/**
 * Parse JudgeLM single-answer grading output: the continuation after the forced `10`
 * (`conv_judge_single`, appendix `### Response:10`), normally ` <score>\n<explanation>`.
 * Upstream does not parse it (`gen_model_judgement_single.py` stores `pred_text` only, and
 * `parse_score(pred_text)` would give `[-1, -1]`). `strict` runs `parse_score` on
 * `prefill + continuation` — the line the model actually produced, `10 <score>` — and returns the
 * second score; `lenient` takes the first number of the continuation (the spec's recommendation).
 */
export function parseJudgeLmSingle(
  input: JudgeTextInput,
  options: JudgeLmSingleParseOptions = {},
): ParseResult<JudgeLmSingleScore, JudgeLmFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  const prefill = options.prefill ?? '10';
  if (options.mode === 'lenient') {
    if (text === '' && reasoning.trim() === '')
      return parseFailure('empty-output', 'The judge output is empty.', raw);
    const found = withReasoningFallback(text, reasoning, (t) => {
      const cleaned = cleanJudgeText(t);
      const m = /^[\s*_]*(?:(?:score|rating)\s*(?:[:：=]\s*)?)?([-+]?\d+(?:\.\d+)?)/i.exec(cleaned.text);
      if (m !== null) {
        const v = Number(m[1]);
        if (Number.isFinite(v)) return { value: v, steps: cleaned.steps };
      }
      const any = /([-+]?\d+(?:\.\d+)?)/.exec(cleaned.text.split(/\r?\n/, 1)[0] ?? '');
      if (any !== null && Number.isFinite(Number(any[1]))) {
        return { value: Number(any[1]), steps: [...cleaned.steps, 'scores-line-search'] };
      }
      return undefined;
    });
    if (found === undefined)
      return parseFailure('no-scores-found', 'No score could be read from the continuation.', raw);
    return parseSuccess({ score: found.value }, raw, found.steps);
  }
  if (text === '') return parseFailure('empty-output', 'The judge output is empty.', raw);
  const r = parseScoreStrict(prefill + text, 2);
  if (!r.ok)
    return parseFailure(
      r.reason,
      `${r.message} (parsed as prefill ${JSON.stringify(prefill)} + continuation)`,
      raw,
    );
  if (options.nonFiniteScores !== 'upstream' && !Number.isFinite(r.scores[1]!))
    return parseFailure('non-finite-score', nonFiniteMessage([r.scores[1]!]), raw);
  return parseSuccess({ score: r.scores[1]! }, raw);
}
