/**
 * JudgeLRM answer-tag parser: `<think>…</think><answer>s1</answer><answer>s2</answer>`.
 *
 * Upstream reads the tags in three places that disagree; strict mode offers each by name
 * (`extraction` option, default `'reward'`, the first-named reference):
 * - `'reward'` — NuoJohnChen/JudgeLRM, src/verl/utils/reward_score/judgelrm.py::extract_solution
 *   (commit 1b20721, byte-identical at 8f7436c): split after the first `Assistant:` (else
 *   `<|im_start|>assistant`), regex `<answer>(.*?)</answer>` with DOTALL, `int(x.strip())` of the
 *   first two matches, both in [0, 10].
 * - `'pandalm-inference'` — NuoJohnChen/JudgeLRM, pandalm/utils/judgelrm_inference.py
 *   (commit e60f305): `postprocess_output` (text between the first `<|im_start|>assistant` and the
 *   next, then between the first `</think>` and the next; on failure the output is replaced by
 *   `<answer>0</answer><answer>0</answer>`), special-token filter, then
 *   `parse_judge_lrm_response`: `re.findall(r'<answer>\s*(\d+)\s*</answer>')`, first two, no range
 *   check; fewer than 2 → label 0 (tie).
 * - `'judgelm-benchmark'` — NuoJohnChen/JudgeLRM, judgelm/judgelm/llm_judge/gen_model_judgement.py
 *   `--judge-format judgelrm` (commit e60f305, as the spec §5.3 describes it): regex
 *   `<answer>\s*([0-9]+(?:\.[0-9]+)?)\s*</answer>` on the continuation; ≥ 2 matches give
 *   `pred_text = "a b"` (first two), else `"-1 -1"`.
 * - `'pandalm-qwen3-inference'` — NuoJohnChen/JudgeLRM, pandalm/utils/judgelrm_qwen3_inference.py
 *   (commit e60f305; spec §5.1 "Qwen3 variant", used for JudgeLRM-4B/8B, whose prompt is the §2.2
 *   inference prompt per §2.3): `postprocess_output` reads the integer answers
 *   `<answer>\s*(\d+)\s*</answer>` of the text between the first and second
 *   `<|im_start|>assistant` and keeps the **last two**; see {@link judgeLrmQwen3PandaLmLabel} for
 *   its fallbacks (one answer → second score 0; none → after `</think>`, then the whole text, then
 *   `0 0`), which strict mode reports as failures.
 */

import {
  type ParseResult,
  parseFailure,
  parseSuccess,
  type ScorePair,
  type Verdict,
  verdictFromScores,
} from '@judgekit/core';
import {
  type BaseParseOptions,
  cleanJudgeText,
  type JudgeTextInput,
  splitJudgeInput,
  hasNonFinite,
  nonFiniteMessage,
  stripThink,
  withReasoningFallback,
} from './judge-input.js';
import { parseJudgeLm } from './judgelm-parser.js';
import { PY_D, PY_S, pyCount, pyFloat, pyInt, pyStrip } from './python-compat.js';

/** Which upstream reading of the answer tags strict mode copies (see the module doc). */
export type JudgeLrmExtraction =
  | 'reward'
  | 'pandalm-inference'
  | 'pandalm-qwen3-inference'
  | 'judgelm-benchmark';

/** Options of {@link parseJudgeLrm}. */
export interface JudgeLrmParseOptions extends BaseParseOptions {
  /** Upstream reading copied by strict mode; default `'reward'`. Ignored in lenient mode. */
  extraction?: JudgeLrmExtraction;
  /**
   * What the text is. `'completion'` (default): the judge's completion after the prompt's
   * prefilled `<think>` — what `formatJudgeOutput('judgelrm-answer-tags', …)` writes and what an
   * OpenAI-compatible server returns. For the `'reward'`, `'pandalm-inference'` and
   * `'pandalm-qwen3-inference'` extractions it is prefixed with {@link JudgeLrmParseOptions.prefill} to rebuild the decoded sequence upstream
   * sees. `'full-sequence'`: the text is already the decoded prompt + response (what verl hands the
   * reward) and is used as is.
   */
  input?: 'completion' | 'full-sequence';
  /** Prefix that rebuilds the decoded sequence from a completion; default `'<|im_start|>assistant\n<think>'`. */
  prefill?: string;
}

/** A parsed JudgeLRM pairwise judgment. */
export interface JudgeLrmScores {
  /** `[score of Assistant 1, score of Assistant 2]`. */
  scores: ScorePair;
  /**
   * `verdictFromScores(scores, 0)`: 3-class, equal scores tie (the PandaLM-inference rule). Note
   * the training reward instead compares the binary relation `s1 >= s2`.
   */
  verdict: Verdict;
}

/**
 * Why a JudgeLRM parse failed.
 * - `empty-output`: no text.
 * - `missing-response-header`: (`reward`) neither `Assistant:` nor `<|im_start|>assistant` occurs.
 * - `missing-think-close`: (`pandalm-inference`) `postprocess_output` raised (no `</think>` or no
 *   header); upstream substitutes `<answer>0</answer><answer>0</answer>` (a tie).
 * - `too-few-answer-tags`: fewer than 2 matching `<answer>` tags (for `pandalm-qwen3-inference`: in
 *   the response segment, where upstream pads a lone answer with 0 or falls back to other text).
 * - `invalid-answer-number`: (`reward`) a tag's content is not a Python `int()` (e.g. `8.5`, `eight`).
 * - `score-out-of-range`: a score outside [0, 10].
 * - `no-scores-found`: (lenient) no reading yields two scores.
 * - `non-finite-score`: (`pandalm-inference`, `pandalm-qwen3-inference`, `judgelm-benchmark`) a
 *   digit string too long for a double, which upstream's `float()` reads as `inf`; pass
 *   `nonFiniteScores: 'upstream'` to keep it.
 */
export type JudgeLrmFailureReason =
  | 'empty-output'
  | 'missing-response-header'
  | 'missing-think-close'
  | 'too-few-answer-tags'
  | 'invalid-answer-number'
  | 'score-out-of-range'
  | 'no-scores-found'
  | 'non-finite-score';

/** Lenient recovery steps specific to JudgeLRM (besides the shared ones and JudgeLM's). */
export type JudgeLrmRecoveryStep =
  /** Tags in another case (`<Answer>`) or decorated content (`**8**`, `8/10`, `Score: 8`, decimals). */
  | 'answer-tag-variant'
  /** More than two answer tags: the last two were taken (the final answer). */
  | 'last-two-answer-tags'
  /** One tag held both scores (`<answer>8, 6</answer>`). */
  | 'single-tag-two-scores'
  /** The last `<answer>` was not closed (stop string or truncation). */
  | 'unclosed-answer-tag'
  /** The answers were only inside the think block. */
  | 'answers-inside-think'
  /** No answer tags: the scores were read the JudgeLM way (scores line, labels, JSON). */
  | 'no-answer-tags';

const DEFAULT_PREFILL = '<|im_start|>assistant\n<think>';

/** Python `s.split(sep)[index]`, or `undefined` where Python raises IndexError. */
function pySplitAt(s: string, sep: string, index: number): string | undefined {
  let start = 0;
  for (let i = 0; i < index; i++) {
    const at = s.indexOf(sep, start);
    if (at === -1) return undefined;
    start = at + sep.length;
  }
  const end = s.indexOf(sep, start);
  return end === -1 ? s.slice(start) : s.slice(start, end);
}

// ---------------------------------------------------------------------------------------------
// 'reward': extract_solution + validate_response_structure
// ---------------------------------------------------------------------------------------------

/**
 * The first `limit` matches of upstream's `re.finditer(r'<answer>(.*?)</answer>', s, re.DOTALL)`:
 * each tag's content and the index where the match starts.
 */
function rewardAnswerMatches(s: string, limit: number): { content: string; start: number }[] {
  // A scan with indexOf, not the regex: `<answer>` repeated with no `</answer>` would make a regex
  // retry at every `<answer>` (quadratic); once no `</answer>` follows, no later match exists.
  const out: { content: string; start: number }[] = [];
  let pos = 0;
  while (out.length < limit) {
    const open = s.indexOf('<answer>', pos);
    if (open === -1) break;
    const close = s.indexOf('</answer>', open + 8);
    if (close === -1) break;
    out.push({ content: s.slice(open + 8, close), start: open });
    pos = close + 9;
  }
  return out;
}

/** How the reward parses a score: Python `int()` (judgelrm.py) or `float()` (the Qwen3 files). */
export type JudgeLrmScoreParse = 'int' | 'float';

/** `int(x.strip())` or `float(x.strip())`; `null` where Python raises `ValueError`. */
function parseRewardScore(text: string, parse: JudgeLrmScoreParse): number | null {
  const stripped = pyStrip(text);
  return parse === 'float' ? pyFloat(stripped) : pyInt(stripped);
}

/** What `extract_solution` returns, with the reason when the answer is `None`. */
export interface JudgeLrmSolution {
  /** `[s1, s2]` (Python ints, or floats with `parse: 'float'`, in [0, 10]), or `null` where upstream returns `None`. */
  scores: ScorePair | null;
  /** `processed_str`: the text after the response header, or the whole string when there is none. */
  processed: string;
  /** Why `scores` is null. */
  reason?: 'missing-response-header' | 'too-few-answer-tags' | 'invalid-answer-number' | 'score-out-of-range';
}

/** Options of {@link extractJudgeLrmSolution}; the defaults are judgelrm.py's. */
export interface JudgeLrmSolutionOptions {
  /**
   * How each answer is parsed: `'int'` (default; judgelrm.py) or `'float'` (NuoJohnChen/JudgeLRM,
   * src/verl_qwen3/utils/reward_score/kk.py and kkdpo.py at e60f305,
   * src/verl/utils/reward_score/judgelrmqwen3.py at 4f2e213).
   */
  parse?: JudgeLrmScoreParse;
  /**
   * Without a response header: `true` (default; judgelrm.py) returns no answer
   * (`missing-response-header`); `false` (the Qwen3 files) reads the whole string.
   */
  requireHeader?: boolean;
}

/**
 * JudgeLRM's `extract_solution(solution_str)` exactly (NuoJohnChen/JudgeLRM,
 * src/verl/utils/reward_score/judgelrm.py, commit 1b20721; byte-identical at 8f7436c): split after
 * the first `Assistant:`, else after the first `<|im_start|>assistant`; the first two
 * `<answer>(.*?)</answer>` matches (DOTALL), each `int(x.strip())`, both in [0, 10].
 * `solution_str` is the decoded prompt + response with special tokens kept. The Qwen3 variants
 * (`float()`, whole string without a header) are {@link JudgeLrmSolutionOptions}. Never throws.
 */
export function extractJudgeLrmSolution(
  solutionStr: string,
  options: JudgeLrmSolutionOptions = {},
): JudgeLrmSolution {
  const { parse = 'int', requireHeader = true } = options;
  const s = typeof solutionStr === 'string' ? solutionStr : '';
  // `s.split(header, 1)[1]`: everything after the first occurrence.
  let processed: string;
  const a = s.indexOf('Assistant:');
  if (a !== -1) processed = s.slice(a + 'Assistant:'.length);
  else {
    const b = s.indexOf('<|im_start|>assistant');
    if (b !== -1) processed = s.slice(b + '<|im_start|>assistant'.length);
    else if (requireHeader) return { scores: null, processed: s, reason: 'missing-response-header' };
    else processed = s;
  }
  const matches = rewardAnswerMatches(processed, 2);
  if (matches.length < 2) return { scores: null, processed, reason: 'too-few-answer-tags' };
  const s1 = parseRewardScore(matches[0]!.content, parse);
  const s2 = parseRewardScore(matches[1]!.content, parse);
  if (s1 === null || s2 === null) return { scores: null, processed, reason: 'invalid-answer-number' };
  if (!(s1 >= 0 && s1 <= 10) || !(s2 >= 0 && s2 <= 10))
    return { scores: null, processed, reason: 'score-out-of-range' };
  return { scores: [s1, s2], processed };
}

/** Which structure check (R_format) {@link validateJudgeLrmStructure} runs. */
export type JudgeLrmFormatCheck =
  /** judgelrm.py: `<think>`×1, `</think>`×1, `<answer>`×2, `</answer>`×2, first occurrences in order. */
  | 'strict'
  /** kk.py: answers ×2; think tags 0 or 1 each with equal counts; `</think>` ≤ first `<answer>` match. */
  | 'qwen3'
  /** kkdpo.py: answers ×2; think tags at most once each, mismatch allowed; `</think>` ≤ first match. */
  | 'qwen3-lenient';

/** Result of {@link validateJudgeLrmStructure}. */
export interface JudgeLrmStructure {
  /** `1.0` well formed; `-0.5` tags fine but a score is not a valid number in [0, 10]; `-1.0` wrong tag count / order / match count. */
  score: 1 | -0.5 | -1;
  /** Why the score is below 1 (absent when it is 1). */
  reason?: 'tag-count' | 'tag-order' | 'answer-match-count' | 'invalid-answer-number' | 'score-out-of-range';
}

/** Options of {@link validateJudgeLrmStructure}; the defaults are judgelrm.py's. */
export interface JudgeLrmStructureOptions {
  /** The structure check; default `'strict'` (judgelrm.py). */
  check?: JudgeLrmFormatCheck;
  /** How the two answers are parsed; default `'int'` (judgelrmqwen3.py also uses `int()` here). */
  parse?: JudgeLrmScoreParse;
}

/**
 * JudgeLRM's `validate_response_structure(processed_str)` exactly (R_format before weighting;
 * NuoJohnChen/JudgeLRM, src/verl/utils/reward_score/judgelrm.py, commit 1b20721): counts
 * `<think>` 1, `</think>` 1, `<answer>` 2, `</answer>` 2; order of first occurrences; exactly two
 * `<answer>(.*?)</answer>` matches; `int()` of both in [0, 10]. With `check: 'qwen3'` /
 * `'qwen3-lenient'` it is the check of kk.py / kkdpo.py (src/verl_qwen3/utils/reward_score/,
 * commit e60f305). Runs on `processed` from {@link extractJudgeLrmSolution}. Never throws.
 */
export function validateJudgeLrmStructure(
  processed: string,
  options: JudgeLrmStructureOptions = {},
): JudgeLrmStructure {
  const { check = 'strict', parse = 'int' } = options;
  const s = typeof processed === 'string' ? processed : '';
  const thinkStart = pyCount(s, '<think>');
  const thinkEnd = pyCount(s, '</think>');
  const answerStart = pyCount(s, '<answer>');
  const answerEnd = pyCount(s, '</answer>');
  if (answerStart !== 2 || answerEnd !== 2) return { score: -1, reason: 'tag-count' };
  if (check === 'strict') {
    if (thinkStart !== 1 || thinkEnd !== 1) return { score: -1, reason: 'tag-count' };
    const pThinkStart = s.indexOf('<think>');
    const pThinkEnd = s.indexOf('</think>');
    const pAnswerStart = s.indexOf('<answer>');
    const pAnswerEnd = s.indexOf('</answer>');
    if (pThinkStart > pThinkEnd || pThinkEnd > pAnswerStart || pAnswerStart > pAnswerEnd)
      return { score: -1, reason: 'tag-order' };
  } else if (thinkStart > 1 || thinkEnd > 1 || (check === 'qwen3' && thinkStart !== thinkEnd)) {
    return { score: -1, reason: 'tag-count' };
  }
  const matches = rewardAnswerMatches(s, 3);
  if (matches.length !== 2) return { score: -1, reason: 'answer-match-count' };
  if (check !== 'strict' && thinkEnd === 1 && !(s.indexOf('</think>') <= matches[0]!.start)) {
    return { score: -1, reason: 'tag-order' };
  }
  const s1 = parseRewardScore(matches[0]!.content, parse);
  const s2 = parseRewardScore(matches[1]!.content, parse);
  if (s1 === null || s2 === null) return { score: -0.5, reason: 'invalid-answer-number' };
  if (!(s1 >= 0 && s1 <= 10) || !(s2 >= 0 && s2 <= 10)) return { score: -0.5, reason: 'score-out-of-range' };
  return { score: 1 };
}

/** Options of {@link extractAndValidateJudgeLrm}: the extraction's and the structure check's. */
export interface JudgeLrmExtractAndValidateOptions extends JudgeLrmSolutionOptions {
  /** The structure check; default `'strict'` (judgelrm.py). */
  check?: JudgeLrmFormatCheck;
  /** How the structure check parses the two answers; default `'int'`. */
  formatParse?: JudgeLrmScoreParse;
}

/** What {@link extractAndValidateJudgeLrm} returns: both results, each as its own function gives it. */
export interface JudgeLrmExtractedAndValidated {
  /** `extractJudgeLrmSolution(solutionStr, {parse, requireHeader})`. */
  solution: JudgeLrmSolution;
  /** `validateJudgeLrmStructure(solution.processed, {check, parse: formatParse})`. */
  structure: JudgeLrmStructure;
}

/**
 * {@link extractJudgeLrmSolution} and then {@link validateJudgeLrmStructure} on its `processed`
 * text in one pass — the reward's hot path: the `<answer>(.*?)</answer>` matches are found once
 * (the first three; the extraction reads two, the check needs to know there is no third) and each
 * answer is parsed once when both use the same parse. The results equal those of the two calls
 * (tested on fuzzed inputs for every option). Never throws.
 */
export function extractAndValidateJudgeLrm(
  solutionStr: string,
  options: JudgeLrmExtractAndValidateOptions = {},
): JudgeLrmExtractedAndValidated {
  const { parse = 'int', requireHeader = true, check = 'strict', formatParse = 'int' } = options;
  const s = typeof solutionStr === 'string' ? solutionStr : '';
  let processed: string;
  let headerMissing = false;
  const a = s.indexOf('Assistant:');
  if (a !== -1) processed = s.slice(a + 'Assistant:'.length);
  else {
    const b = s.indexOf('<|im_start|>assistant');
    if (b !== -1) processed = s.slice(b + '<|im_start|>assistant'.length);
    else {
      processed = s;
      headerMissing = requireHeader;
    }
  }
  let matches: { content: string; start: number }[] | undefined;
  const answerMatches = () => (matches ??= rewardAnswerMatches(processed, 3));
  // The first two answers under the extraction's parse, computed at most once.
  let parsed: [number | null, number | null] | undefined;
  const parsedForExtraction = () =>
    (parsed ??= [
      parseRewardScore(matches![0]!.content, parse),
      parseRewardScore(matches![1]!.content, parse),
    ]);

  let solution: JudgeLrmSolution;
  if (headerMissing) solution = { scores: null, processed, reason: 'missing-response-header' };
  else if (answerMatches().length < 2) solution = { scores: null, processed, reason: 'too-few-answer-tags' };
  else {
    const [s1, s2] = parsedForExtraction();
    if (s1 === null || s2 === null) solution = { scores: null, processed, reason: 'invalid-answer-number' };
    else if (!(s1 >= 0 && s1 <= 10) || !(s2 >= 0 && s2 <= 10))
      solution = { scores: null, processed, reason: 'score-out-of-range' };
    else solution = { scores: [s1, s2], processed };
  }

  // validateJudgeLrmStructure(processed), reusing the matches and parsed answers.
  const structure = ((): JudgeLrmStructure => {
    const p = processed;
    const thinkStart = pyCount(p, '<think>');
    const thinkEnd = pyCount(p, '</think>');
    const answerStart = pyCount(p, '<answer>');
    const answerEnd = pyCount(p, '</answer>');
    if (answerStart !== 2 || answerEnd !== 2) return { score: -1, reason: 'tag-count' };
    if (check === 'strict') {
      if (thinkStart !== 1 || thinkEnd !== 1) return { score: -1, reason: 'tag-count' };
      const pThinkStart = p.indexOf('<think>');
      const pThinkEnd = p.indexOf('</think>');
      const pAnswerStart = p.indexOf('<answer>');
      const pAnswerEnd = p.indexOf('</answer>');
      if (pThinkStart > pThinkEnd || pThinkEnd > pAnswerStart || pAnswerStart > pAnswerEnd)
        return { score: -1, reason: 'tag-order' };
    } else if (thinkStart > 1 || thinkEnd > 1 || (check === 'qwen3' && thinkStart !== thinkEnd)) {
      return { score: -1, reason: 'tag-count' };
    }
    const m = answerMatches();
    if (m.length !== 2) return { score: -1, reason: 'answer-match-count' };
    if (check !== 'strict' && thinkEnd === 1 && !(p.indexOf('</think>') <= m[0]!.start)) {
      return { score: -1, reason: 'tag-order' };
    }
    const [s1, s2] =
      formatParse === parse
        ? parsedForExtraction()
        : [parseRewardScore(m[0]!.content, formatParse), parseRewardScore(m[1]!.content, formatParse)];
    if (s1 === null || s2 === null) return { score: -0.5, reason: 'invalid-answer-number' };
    if (!(s1 >= 0 && s1 <= 10) || !(s2 >= 0 && s2 <= 10))
      return { score: -0.5, reason: 'score-out-of-range' };
    return { score: 1 };
  })();
  return { solution, structure };
}

// ---------------------------------------------------------------------------------------------
// 'pandalm-inference': postprocess_output + filter_special_token + parse_judge_lrm_response
// ---------------------------------------------------------------------------------------------

const PANDALM_SPECIAL =
  /<unk>|<pad>|<s>|<\/s>|\[PAD\]|<\|endoftext\|>|\[UNK\]|\[CLS\]|\[MASK\]|<\|startofpiece\|>|<\|endofpiece\|>|\[gMASK\]|\[sMASK\]/g;
const INFERENCE_ANSWER_RE = new RegExp(`<answer>${PY_S}*(${PY_D}+)${PY_S}*</answer>`, 'gu');
const BENCHMARK_ANSWER_RE = new RegExp(`<answer>${PY_S}*([0-9]+(?:\\.[0-9]+)?)${PY_S}*</answer>`, 'gu');

/** The special-token filter of PandaLM / JudgeLRM inference: `pattern.sub("", text.strip()).strip()`. */
export function filterPandaLmSpecialTokens(text: string): string {
  return pyStrip(pyStrip(text).replace(PANDALM_SPECIAL, ''));
}

/** JudgeLRM `postprocess_output` (judgelrm_inference.py): `undefined` where upstream hits its `except`. */
function judgeLrmPostprocess(text: string): string | undefined {
  const afterHeader = pySplitAt(pyStrip(text), '<|im_start|>assistant', 1);
  if (afterHeader === undefined) return undefined;
  const afterThink = pySplitAt(pyStrip(afterHeader), '</think>', 1);
  if (afterThink === undefined) return undefined;
  return pyStrip(afterThink);
}

/** Upstream view of JudgeLRM's PandaLM-test inference for one output (see {@link judgeLrmPandaLmLabel}). */
export interface JudgeLrmInferenceResult {
  /** The stored `output` field: the post-processed, filtered tail. */
  output: string;
  /** `result`: `1` response 1 better, `2` response 2 better, `0` tie — and `0` for every failure. */
  label: 0 | 1 | 2;
  /** The first two integer answers, when there were two. */
  scores: ScorePair | null;
  /** Why `scores` is null. */
  reason?: 'missing-think-close' | 'too-few-answer-tags';
}

/**
 * JudgeLRM's PandaLM-test inference exactly (NuoJohnChen/JudgeLRM,
 * pandalm/utils/judgelrm_inference.py, commit e60f305): `postprocess_output`, then
 * `filter_special_token`, then `parse_judge_lrm_response`. `decoded` is the full decoded sequence
 * (prompt + response, special tokens kept). Upstream's label convention: anything unparsable is 0.
 */
export function judgeLrmPandaLmLabel(decoded: string): JudgeLrmInferenceResult {
  const post = judgeLrmPostprocess(typeof decoded === 'string' ? decoded : '');
  const output = filterPandaLmSpecialTokens(post ?? '<answer>0</answer><answer>0</answer>');
  const answers: string[] = [];
  INFERENCE_ANSWER_RE.lastIndex = 0;
  for (
    let m = INFERENCE_ANSWER_RE.exec(output);
    m !== null && answers.length < 2;
    m = INFERENCE_ANSWER_RE.exec(output)
  ) {
    answers.push(m[1]!);
  }
  if (post === undefined) return { output, label: 0, scores: null, reason: 'missing-think-close' };
  if (answers.length < 2) return { output, label: 0, scores: null, reason: 'too-few-answer-tags' };
  const s1 = pyFloat(answers[0]!)!;
  const s2 = pyFloat(answers[1]!)!;
  const label = s1 > s2 ? 1 : s1 < s2 ? 2 : 0;
  return { output, label, scores: [s1, s2] };
}

/** Where {@link judgeLrmQwen3PandaLmLabel} found the answers it kept (the branch of upstream's `postprocess_output`). */
export type JudgeLrmQwen3AnswerSource =
  /** The text between the first and second `<|im_start|>assistant` (the response). */
  | 'after-header'
  /** No answer after the header (or no header): the text between the first and second `</think>`. */
  | 'after-think'
  /** Still none: the whole decoded sequence — with a full prompt, the prompt's `<answer>3</answer><answer>5</answer>` example. */
  | 'whole-text'
  /** No integer answer anywhere: upstream's `<answer>0</answer><answer>0</answer>`. */
  | 'default';

/** Upstream view of JudgeLRM's Qwen3 PandaLM-test inference for one output (see {@link judgeLrmQwen3PandaLmLabel}). */
export interface JudgeLrmQwen3InferenceResult {
  /** The stored `output` field: `<answer>a</answer><answer>b</answer>` rebuilt from the kept answers. */
  output: string;
  /** `result`: `1` response 1 better, `2` response 2 better, `0` tie (and `0` for `default`). */
  label: 0 | 1 | 2;
  /** The two scores upstream compares (`[a, 0]` when padded, `[0, 0]` for `default`). */
  scores: ScorePair;
  /** The branch the answers came from. */
  source: JudgeLrmQwen3AnswerSource;
  /** `true` when that branch held exactly one answer and upstream set the second score to 0. */
  padded: boolean;
}

/** All `re.findall(r'<answer>\s*(\d+)\s*</answer>', s)` groups (Python `\s` / Unicode `\d`). */
function inferenceAnswers(s: string): string[] {
  const out: string[] = [];
  if (s.indexOf('<answer>') === -1) return out;
  INFERENCE_ANSWER_RE.lastIndex = 0;
  for (let m = INFERENCE_ANSWER_RE.exec(s); m !== null; m = INFERENCE_ANSWER_RE.exec(s)) out.push(m[1]!);
  INFERENCE_ANSWER_RE.lastIndex = 0;
  return out;
}

/**
 * JudgeLRM's Qwen3 PandaLM-test inference exactly (NuoJohnChen/JudgeLRM,
 * pandalm/utils/judgelrm_qwen3_inference.py, commit e60f305; spec judgelrm.md §5.1 "Qwen3
 * variant"): `postprocess_output`, `filter_special_token`, then `parse_judge_lrm_response`.
 * `decoded` is the full decoded sequence (prompt + response, special tokens kept).
 * `postprocess_output` tries, in order, each with `re.findall(r'<answer>\s*(\d+)\s*</answer>')`:
 * 1. if `<|im_start|>assistant` occurs: `text.split("<|im_start|>assistant")[1]` (the text between
 *    the first and second occurrence);
 * 2. if `</think>` occurs: `text.split("</think>")[1]` of the **whole** text (between the first and
 *    second `</think>`; in a full sequence that is a piece of the system prompt);
 * 3. the whole text.
 * The first step with ≥ 2 answers gives the **last two**; one with exactly 1 gives `a` and `0`;
 * with 0 answers the next step runs; after step 3 the output is `<answer>0</answer><answer>0</answer>`.
 * Scores are `float()` of the digit strings (Unicode digits allowed, no range check); the label is
 * 1 if s1 > s2, 2 if s1 < s2, else 0. **[upstream defect]** On a full sequence whose response has no
 * integer answer, step 3 picks up the prompt's own example `<answer>3</answer><answer>5</answer>`
 * (label 2). Never throws.
 */
export function judgeLrmQwen3PandaLmLabel(decoded: string): JudgeLrmQwen3InferenceResult {
  const text = typeof decoded === 'string' ? decoded : '';
  const HEADER = '<|im_start|>assistant';
  const steps: [JudgeLrmQwen3AnswerSource, () => string | undefined][] = [
    ['after-header', () => (text.includes(HEADER) ? pySplitAt(text, HEADER, 1) : undefined)],
    ['after-think', () => (text.includes('</think>') ? pySplitAt(text, '</think>', 1) : undefined)],
    ['whole-text', () => text],
  ];
  for (const [source, segment] of steps) {
    const part = segment();
    if (part === undefined) continue;
    const answers = inferenceAnswers(part);
    if (answers.length === 0) continue;
    const padded = answers.length === 1;
    const a = padded ? answers[0]! : answers[answers.length - 2]!;
    const b = padded ? '0' : answers[answers.length - 1]!;
    // filter_special_token leaves `<answer>digits</answer>` unchanged.
    const s1 = pyFloat(a)!;
    const s2 = pyFloat(b)!;
    const label = s1 > s2 ? 1 : s1 < s2 ? 2 : 0;
    return { output: `<answer>${a}</answer><answer>${b}</answer>`, label, scores: [s1, s2], source, padded };
  }
  return {
    output: '<answer>0</answer><answer>0</answer>',
    label: 0,
    scores: [0, 0],
    source: 'default',
    padded: false,
  };
}

/**
 * The `pred_text` JudgeLRM's JudgeLM-benchmark generation stores for one continuation
 * (`gen_model_judgement.py --judge-format judgelrm`): `"a b"` from the first two
 * `<answer>\s*([0-9]+(?:\.[0-9]+)?)\s*</answer>` matches, else `"-1 -1"`. JudgeLM's `parse_score`
 * then reads it, so `"-1 -1"` becomes a tie.
 */
export function judgeLrmBenchmarkPredText(continuation: string): string {
  const s = typeof continuation === 'string' ? continuation : '';
  const found: string[] = [];
  BENCHMARK_ANSWER_RE.lastIndex = 0;
  for (let m = BENCHMARK_ANSWER_RE.exec(s); m !== null && found.length < 2; m = BENCHMARK_ANSWER_RE.exec(s)) {
    found.push(m[1]!);
  }
  return found.length >= 2 ? `${found[0]} ${found[1]}` : '-1 -1';
}

// ---------------------------------------------------------------------------------------------
// lenient
// ---------------------------------------------------------------------------------------------

const ANSWER_OPEN_CI = /<answer>/gi;
const ANSWER_CLOSE_CI = /<\/answer>/gi;
const PLAIN_NUMBER_RE = /^\s*(\d+)\s*$/;
// Each run of decoration is read by one quantifier (no two adjacent quantifiers share a
// character), so a failing match backtracks linearly.
const DECORATED_NUMBER_RE =
  /^[\s*_`"'[(]*(?:(?:final\s+)?(?:score|rating|assistant\s*\d)[\s*_`"'[(:：=]*)?([-+]?\d+(?:\.\d+)?)(?:\s*(?:\/|out\s+of)\s*10(?:\.0+)?)?[\s*_`"'\])]*(?:\.\s*)?$/i;
const TWO_NUMBERS_RE =
  /^[^\d]*?([-+]?\d+(?:\.\d+)?)(?:\s*\/\s*10)?(?:[,;|\s]|and|vs\.?|-)+(?:assistant\s*2\s*[:：=]?)?(?:[*_]+[\s*_]*)?([-+]?\d+(?:\.\d+)?)(?:\s*\/\s*10)?[^\d]*$/i;

function indexOfCi(re: RegExp, s: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(s);
  re.lastIndex = 0;
  return m === null ? -1 : m.index;
}

/**
 * The `<answer>…</answer>` blocks (tags in any case) as `/<answer>([\s\S]*?)<\/answer>/gi` finds
 * them, at most `limit`, by a linear scan.
 */
function answerBlocks(text: string, limit: number): { body: string; exact: boolean }[] {
  const out: { body: string; exact: boolean }[] = [];
  let pos = 0;
  while (out.length < limit) {
    const open = indexOfCi(ANSWER_OPEN_CI, text, pos);
    if (open === -1) break;
    const close = indexOfCi(ANSWER_CLOSE_CI, text, open + 8);
    if (close === -1) break;
    out.push({
      body: text.slice(open + 8, close),
      exact: text.startsWith('<answer>', open) && text.startsWith('</answer>', close),
    });
    pos = close + 9;
  }
  return out;
}

function tagScores(text: string): { scores: number[]; steps: string[] } | undefined {
  const contents = answerBlocks(text, 65);
  const steps: string[] = [];
  // Closed tags holding one number each.
  const singles: number[] = [];
  let variant = false;
  for (const c of contents) {
    const plain = PLAIN_NUMBER_RE.exec(c.body);
    if (plain !== null) {
      singles.push(Number(plain[1]));
      if (!c.exact) variant = true;
      continue;
    }
    const deco = DECORATED_NUMBER_RE.exec(c.body);
    if (deco !== null) {
      singles.push(Number(deco[1]));
      variant = true;
    }
  }
  // An unclosed final tag.
  const tail = singles.length === 1 ? /<answer>\s*([-+]?\d+(?:\.\d+)?)(?:\s*\/\s*10)?\s*$/i.exec(text) : null;
  if (singles.length === 1 && tail !== null) {
    singles.push(Number(tail[1]));
    steps.push('unclosed-answer-tag');
  }
  if (singles.length >= 2) {
    if (variant) steps.unshift('answer-tag-variant');
    if (singles.length > 2) steps.push('last-two-answer-tags');
    return { scores: singles.slice(-2), steps };
  }
  if (contents.length === 1) {
    const two = TWO_NUMBERS_RE.exec(contents[0]!.body);
    if (two !== null) return { scores: [Number(two[1]), Number(two[2])], steps: ['single-tag-two-scores'] };
  }
  return undefined;
}

function lenientJudgeLrm(input: unknown): { scores: number[]; steps: string[] } | undefined {
  const { text, reasoning } = splitJudgeInput(input);
  const found = withReasoningFallback(text, reasoning, (t) => {
    const cleaned = cleanJudgeText(t);
    const viaTags = tagScores(cleaned.text);
    if (viaTags !== undefined) return { value: viaTags.scores, steps: [...cleaned.steps, ...viaTags.steps] };
    if (cleaned.steps.includes('stripped-think')) {
      const inside = tagScores(cleanJudgeText(t, { keepThink: true }).text);
      if (inside !== undefined)
        return { value: inside.scores, steps: ['answers-inside-think', ...inside.steps] };
    }
    if (/<answer>/i.test(cleaned.text)) return undefined;
    const asJudgeLm = parseJudgeLm(cleaned.text, { mode: 'lenient' });
    if (asJudgeLm.ok) {
      return {
        value: [...asJudgeLm.value.scores],
        steps: [...cleaned.steps, 'no-answer-tags', ...asJudgeLm.recoveredBy],
      };
    }
    return undefined;
  });
  return found === undefined ? undefined : { scores: found.value, steps: found.steps };
}

// ---------------------------------------------------------------------------------------------
// public API
// ---------------------------------------------------------------------------------------------

function success(scores: ScorePair, raw: string, steps: string[] = []) {
  return parseSuccess<JudgeLrmScores>({ scores, verdict: verdictFromScores(scores, 0) }, raw, steps);
}

const MESSAGES: Record<JudgeLrmFailureReason, string> = {
  'empty-output': 'The judge output is empty.',
  'missing-response-header':
    'Neither "Assistant:" nor "<|im_start|>assistant" occurs, so upstream extract_solution finds no response (pass input: "completion" for a bare completion).',
  'missing-think-close':
    'No "</think>" after "<|im_start|>assistant": upstream postprocess_output fails and substitutes <answer>0</answer><answer>0</answer> (a tie).',
  'too-few-answer-tags': 'Fewer than two <answer>…</answer> tags with a score.',
  'invalid-answer-number':
    "An <answer> tag's content is not an integer Python's int() accepts (e.g. 8.5 or a word).",
  'score-out-of-range': 'A score lies outside [0, 10].',
  'no-scores-found':
    'No two scores could be read: no <answer> tags with numbers and no JudgeLM-style scores.',
  'non-finite-score':
    "A score is too long for a double (upstream float() reads it as inf); pass nonFiniteScores: 'upstream' to keep it.",
};

/**
 * Parse a JudgeLRM pairwise judgment (`<think>…</think><answer>s1</answer><answer>s2</answer>`).
 *
 * - `strict` (default) copies one upstream reading, chosen by `extraction` (default `'reward'`;
 *   see the module doc for the repo, path and commit of each) and reports a typed failure where
 *   upstream gives `None` / a tie / `"-1 -1"`. Use {@link extractJudgeLrmSolution},
 *   {@link judgeLrmPandaLmLabel} and {@link judgeLrmBenchmarkPredText} for upstream's raw values.
 * - `lenient` strips `<think>` blocks and special tokens, falls back to `reasoningContent`, accepts
 *   `<Answer>` / decorated / decimal contents, an unclosed last tag, one tag with both scores, the
 *   last two of several tags, answers left inside the think block, and finally JudgeLM-style
 *   scores; scores must lie in [0, 10].
 *
 * Never throws on model text.
 */
export function parseJudgeLrm(
  input: JudgeTextInput,
  options: JudgeLrmParseOptions = {},
): ParseResult<JudgeLrmScores, JudgeLrmFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  const fail = (reason: JudgeLrmFailureReason) => parseFailure(reason, MESSAGES[reason], raw);
  if (options.mode === 'lenient') {
    if (text.trim() === '' && reasoning.trim() === '') return fail('empty-output');
    const found = lenientJudgeLrm(input);
    if (found === undefined) return fail('no-scores-found');
    const [s1, s2] = found.scores as [number, number];
    if (!(s1 >= 0 && s1 <= 10 && s2 >= 0 && s2 <= 10)) return fail('score-out-of-range');
    return success([s1, s2], raw, found.steps);
  }
  if (text === '') return fail('empty-output');
  const extraction = options.extraction ?? 'reward';
  const full = options.input === 'full-sequence' ? text : (options.prefill ?? DEFAULT_PREFILL) + text;
  const keepNonFinite = options.nonFiniteScores === 'upstream';
  const finiteOr = (scores: ScorePair) =>
    !keepNonFinite && hasNonFinite(scores)
      ? parseFailure('non-finite-score' as const, nonFiniteMessage(scores), raw)
      : success(scores, raw);
  if (extraction === 'pandalm-inference') {
    const r = judgeLrmPandaLmLabel(full);
    return r.scores === null ? fail(r.reason!) : finiteOr(r.scores);
  }
  if (extraction === 'pandalm-qwen3-inference') {
    const r = judgeLrmQwen3PandaLmLabel(full);
    // Success only where upstream compared two answers it read from the response: from the header
    // segment, or — with no header at all (full-sequence input) — from its later fallbacks.
    const fromResponse =
      r.source === 'after-header' || (r.source !== 'default' && !full.includes('<|im_start|>assistant'));
    if (!fromResponse || r.padded) {
      return parseFailure(
        'too-few-answer-tags',
        `Fewer than two <answer>integer</answer> tags in the response (upstream judgelrm_qwen3_inference.py ${
          r.padded
            ? 'sets the missing second score to 0'
            : r.source === 'default'
              ? 'substitutes <answer>0</answer><answer>0</answer>'
              : `falls back to answers outside the response (${r.source})`
        }: label ${r.label}).`,
        raw,
      );
    }
    return finiteOr(r.scores);
  }
  if (extraction === 'judgelm-benchmark') {
    const pred = judgeLrmBenchmarkPredText(text);
    if (pred === '-1 -1') return fail('too-few-answer-tags');
    const [a, b] = pred.split(' ');
    return finiteOr([Number(a), Number(b)]);
  }
  const r = extractJudgeLrmSolution(full);
  return r.scores === null ? fail(r.reason!) : success(r.scores, raw);
}

/**
 * JudgeLRM verdict codes by upstream convention: the PandaLM-test label of
 * `pandalm/utils/judgelrm_inference.py` (`1` / `2` / `0`, with every failure as `0`) for a
 * completion, i.e. `judgeLrmPandaLmLabel(prefill + completion).label`; with `inference: 'qwen3'`
 * the label of pandalm/utils/judgelrm_qwen3_inference.py ({@link judgeLrmQwen3PandaLmLabel}).
 * Copies NuoJohnChen/JudgeLRM (commit e60f305).
 */
export function parseJudgeLrmUpstreamLabel(
  completion: JudgeTextInput,
  options: { prefill?: string; input?: 'completion' | 'full-sequence'; inference?: 'qwen2.5' | 'qwen3' } = {},
): 0 | 1 | 2 {
  const { text } = splitJudgeInput(completion);
  const full = options.input === 'full-sequence' ? text : (options.prefill ?? DEFAULT_PREFILL) + text;
  return options.inference === 'qwen3'
    ? judgeLrmQwen3PandaLmLabel(full).label
    : judgeLrmPandaLmLabel(full).label;
}

// ---------------------------------------------------------------------------------------------
// single
// ---------------------------------------------------------------------------------------------

/** A parsed JudgeLRM single-answer score. */
export interface JudgeLrmSingleScore {
  score: number;
}

/** Why a JudgeLRM single-answer parse failed (`too-few-answer-tags`: no answer tag with a number). */
export type JudgeLrmSingleFailureReason =
  | 'empty-output'
  | 'too-few-answer-tags'
  | 'no-scores-found'
  /** (strict) the number is too long for a double (upstream `float()` gives `inf`); see `nonFiniteScores`. */
  | 'non-finite-score';

/**
 * Parse a JudgeLRM single-answer judgment (`…</think><answer>s</answer>`).
 * `strict` copies the spec's description of NuoJohnChen/JudgeLRM,
 * pandalm/utils/judgelrm_single_inference.py (commit e60f305; the file itself does not run — it
 * has an IndentationError): the **last** `<answer>\s*([0-9]+(?:\.[0-9]+)?)\s*</answer>` match as a
 * float; upstream scores a missing answer as 0.0, here a typed failure.
 * `lenient` strips think blocks / special tokens, accepts decorated or unclosed tags and falls back
 * to `reasoningContent` and to a `Score: x` line.
 */
export function parseJudgeLrmSingle(
  input: JudgeTextInput,
  options: BaseParseOptions = {},
): ParseResult<JudgeLrmSingleScore, JudgeLrmSingleFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  if (options.mode === 'lenient') {
    if (text.trim() === '' && reasoning.trim() === '')
      return parseFailure('empty-output', MESSAGES['empty-output'], raw);
    const found = withReasoningFallback(text, reasoning, (t) => {
      const cleaned = cleanJudgeText(t);
      const body = cleaned.text;
      const values: number[] = [];
      let variant = false;
      for (const block of answerBlocks(body, Number.POSITIVE_INFINITY)) {
        if (values.length >= 64) break;
        const d = DECORATED_NUMBER_RE.exec(block.body);
        if (d !== null) {
          values.push(Number(d[1]));
          if (!PLAIN_NUMBER_RE.test(block.body) || !block.exact) variant = true;
        }
      }
      if (values.length > 0) {
        return {
          value: values[values.length - 1]!,
          steps: variant ? [...cleaned.steps, 'answer-tag-variant'] : cleaned.steps,
        };
      }
      const tail = /<answer>\s*([-+]?\d+(?:\.\d+)?)(?:\s*\/\s*10)?\s*$/i.exec(body);
      if (tail !== null) return { value: Number(tail[1]), steps: [...cleaned.steps, 'unclosed-answer-tag'] };
      const line =
        /(?:^|\n)(?:[^\S\n]|[*_#])*(?:final\s+)?(?:score|rating)(?:\s*[:：=])?[\s*_]*([-+]?\d+(?:\.\d+)?)/i.exec(
          stripThink(body),
        );
      if (line !== null) return { value: Number(line[1]), steps: [...cleaned.steps, 'no-answer-tags'] };
      return undefined;
    });
    if (found === undefined || !Number.isFinite(found.value)) {
      return parseFailure('no-scores-found', 'No score could be read from the judge output.', raw);
    }
    return parseSuccess({ score: found.value }, raw, found.steps);
  }
  if (text === '') return parseFailure('empty-output', MESSAGES['empty-output'], raw);
  let last: string | undefined;
  BENCHMARK_ANSWER_RE.lastIndex = 0;
  for (let m = BENCHMARK_ANSWER_RE.exec(text); m !== null; m = BENCHMARK_ANSWER_RE.exec(text)) last = m[1];
  if (last === undefined) {
    return parseFailure(
      'too-few-answer-tags',
      'No <answer>number</answer> tag (upstream scores this 0.0).',
      raw,
    );
  }
  const score = Number(last);
  if (!Number.isFinite(score) && options.nonFiniteScores !== 'upstream')
    return parseFailure('non-finite-score', nonFiniteMessage([score]), raw);
  return parseSuccess({ score }, raw);
}
