/**
 * Output formats: the shape of the text a judge model is expected to write after a template's
 * prompt (and after the template's assistant prefill, if any). Every template names one of these
 * ids in its `outputFormat` field; `@judgekit/parsers` has one parser per id.
 *
 * `formatJudgeOutput(format, value)` writes a well-formed judge completion for a given verdict or
 * score set, exactly as the upstream model was trained (or prompted) to write it. It exists so the
 * parsers can be round-trip tested: `parse(formatJudgeOutput(f, v))` must give back `v`.
 */

import { InvalidArgumentError, type ScorePair, type Verdict } from '@judgekit/core';
import { USER_OUTPUT_FORMATS } from './output-format-store.js';

/**
 * Every output format id known to judgekit.
 *
 * | id | what the judge writes (after the prompt and prefill) | upstream |
 * | --- | --- | --- |
 * | `judgelm-scores` | line 1 = two scores separated by one space, then the explanation | JudgeLM pairwise (`parse_score`) |
 * | `judgelm-multi-scores` | line 1 = N scores separated by one space, then the explanation | JudgeLM multi-answer |
 * | `judgelm-single` | the continuation after the forced `10`: ` <score>\n<explanation>` | JudgeLM single-answer grading |
 * | `judgelrm-answer-tags` | `<reasoning></think><answer>s1</answer><answer>s2</answer>` (the `<think>` is prefilled) | JudgeLRM pairwise |
 * | `judgelrm-single` | `<reasoning></think><answer>s</answer>` (the `<think>` is prefilled) | JudgeLRM single |
 * | `pandalm` | `1` / `2` / `Tie`, then `\n\n### Reason: …\n\n### Reference: …\n` | PandaLM |
 * | `mtbench-pair` | explanation, then `[[A]]` / `[[B]]` / `[[C]]` (tie) | FastChat MT-Bench pairwise |
 * | `mtbench-single` | explanation, then `Rating: [[x]]` | FastChat MT-Bench single |
 * | `prometheus-absolute` | `<feedback> [RESULT] <1-5>` | prometheus-eval absolute grading |
 * | `prometheus-relative` | `<feedback> [RESULT] <A|B>` | prometheus-eval relative grading |
 * | `arena-hard` | explanation, then one of `[[A>>B]]` `[[A>B]]` `[[A=B]]` `[[B>A]]` `[[B>>A]]` | lmarena/arena-hard-auto v0.1 |
 * | `llmbar` | `Output (a)` or `Output (b)` | princeton-nlp/LLMBar (Vanilla, Vanilla_NoRules) |
 * | `llmbar-cot` | explanation, then `Therefore, Output (a) is better.` / `(b)` | princeton-nlp/LLMBar (CoT) |
 *
 * User formats registered with `registerOutputFormat` are plain strings outside this union.
 */
export type OutputFormatId =
  | 'judgelm-scores'
  | 'judgelm-multi-scores'
  | 'judgelm-single'
  | 'judgelrm-answer-tags'
  | 'judgelrm-single'
  | 'pandalm'
  | 'mtbench-pair'
  | 'mtbench-single'
  | 'prometheus-absolute'
  | 'prometheus-relative'
  | 'arena-hard'
  | 'llmbar'
  | 'llmbar-cot';

/** All output format ids, in a stable order (useful for property tests over every format). */
export const OUTPUT_FORMAT_IDS: readonly OutputFormatId[] = [
  'judgelm-scores',
  'judgelm-multi-scores',
  'judgelm-single',
  'judgelrm-answer-tags',
  'judgelrm-single',
  'pandalm',
  'mtbench-pair',
  'mtbench-single',
  'prometheus-absolute',
  'prometheus-relative',
  'arena-hard',
  'llmbar',
  'llmbar-cot',
];

/** True when `value` is one of {@link OUTPUT_FORMAT_IDS}. */
export function isOutputFormatId(value: unknown): value is OutputFormatId {
  return typeof value === 'string' && (OUTPUT_FORMAT_IDS as readonly string[]).includes(value);
}

/**
 * The value `formatJudgeOutput` takes for each format: the verdict or scores the judge answer
 * should carry, plus optional free text. Scores are plain numbers and are written with
 * `String(n)` (so `8` → `"8"`, `8.5` → `"8.5"`); they must be finite.
 */
export interface JudgeOutputValues {
  /**
   * JudgeLM pairwise. `scores` = `[score of Assistant 1, score of Assistant 2]` (1–10 upstream).
   * `explanation` follows on the next line; `blankLine: true` puts an empty line between the
   * scores and the explanation, as the GPT-4 *with-reference* training targets do
   * (`"1 5\n\nAssistant 1's ..."`). Without an explanation the output is the scores line alone
   * (what "fast eval" mode produces).
   */
  'judgelm-scores': { scores: ScorePair; explanation?: string; blankLine?: boolean };
  /** JudgeLM multi-answer: `scores` has one entry per assistant (N ≥ 2), same layout as pairwise. */
  'judgelm-multi-scores': { scores: readonly number[]; explanation?: string; blankLine?: boolean };
  /**
   * JudgeLM single-answer grading: the continuation after the forced `10` prefill, i.e.
   * ` <score>\n<explanation>` (leading space included), where `score` is the graded answer's
   * score (Assistant 2). The prefill `10` is *not* part of the output.
   */
  'judgelm-single': { score: number; explanation?: string };
  /**
   * JudgeLRM pairwise: `${reasoning}</think><answer>${s1}</answer><answer>${s2}</answer>`. The
   * opening `<think>` is the template's prefill and is not written. Upstream scores are integers
   * in [0, 10]; `endToken` (e.g. `'<|im_end|>'`) is appended when given.
   */
  'judgelrm-answer-tags': { scores: ScorePair; reasoning?: string; endToken?: string };
  /** JudgeLRM single: `${reasoning}</think><answer>${score}</answer>` (+ `endToken`). */
  'judgelrm-single': { score: number; reasoning?: string; endToken?: string };
  /**
   * PandaLM: the training-target layout `{result}\n\n### Reason: {reason}\n\n### Reference: {reference}\n`
   * with result `1` (answer1), `2` (answer2) or `Tie`. When neither `reason` nor `reference` is
   * given, only the result line is written (`"1"`).
   */
  pandalm: { verdict: Verdict; reason?: string; reference?: string };
  /**
   * MT-Bench pairwise: `${explanation}\n\n[[A]]` (answer1), `[[B]]` (answer2) or `[[C]]` (tie);
   * without an explanation just the bracketed verdict.
   */
  'mtbench-pair': { verdict: Verdict; explanation?: string };
  /** MT-Bench single: `${explanation}\n\nRating: [[${rating}]]` (1–10 upstream); without explanation `Rating: [[x]]`. */
  'mtbench-single': { rating: number; explanation?: string };
  /** Prometheus absolute grading: `${feedback} [RESULT] ${score}` (integer 1–5 upstream). */
  'prometheus-absolute': { score: number; feedback?: string };
  /** Prometheus relative grading: `${feedback} [RESULT] A` (answer1) or `B` (answer2); no tie upstream. */
  'prometheus-relative': { verdict: 'answer1' | 'answer2'; feedback?: string };
  /**
   * Arena-Hard: `${explanation}\n\nMy final verdict is: [[label]]` (or just `[[label]]`), where the
   * label is `A>>B` / `A>B` (answer1, strong / weak), `A=B` (tie), `B>A` / `B>>A` (answer2).
   */
  'arena-hard': { verdict: Verdict; strong?: boolean; explanation?: string };
  /** LLMBar: `Output (a)` (answer1) or `Output (b)` (answer2); no tie upstream. */
  llmbar: { verdict: 'answer1' | 'answer2' };
  /** LLMBar CoT: `${explanation} Therefore, Output (a) is better.` (or `(b)`); just the sentence without an explanation. */
  'llmbar-cot': { verdict: 'answer1' | 'answer2'; explanation?: string };
}

/** The value type `formatJudgeOutput` takes for format `F`. */
export type JudgeOutputValue<F extends OutputFormatId> = JudgeOutputValues[F];

/**
 * Static facts about an output format: the text the template prefills into the assistant turn
 * (the judge's completion starts after it), and which upstream parser reads it.
 */
export interface OutputFormatInfo {
  id: OutputFormatId;
  /** One-line description of the expected judge text. */
  description: string;
  /** Assistant prefill that precedes the completion in every template using this format, if any. */
  prefill?: string;
  /** Upstream parser this format is read by (repo, path, function). */
  parser: string;
}

/** Descriptor of every output format, keyed by id. */
export const OUTPUT_FORMATS: Readonly<Record<OutputFormatId, OutputFormatInfo>> = {
  'judgelm-scores': {
    id: 'judgelm-scores',
    description: 'Line 1: two scores separated by one space; then an explanation.',
    parser: 'baaivision/JudgeLM judgelm/llm_judge/common.py::parse_score',
  },
  'judgelm-multi-scores': {
    id: 'judgelm-multi-scores',
    description: 'Line 1: N scores separated by one space; then an explanation.',
    parser: 'none upstream (JudgeLM parse_score accepts exactly 2); N-score extension',
  },
  'judgelm-single': {
    id: 'judgelm-single',
    description: 'Continuation after the forced "10": " <score>\\n<explanation>".',
    prefill: '10',
    parser: 'none upstream (gen_model_judgement_single.py does not parse); first number of the continuation',
  },
  'judgelrm-answer-tags': {
    id: 'judgelrm-answer-tags',
    description: 'Reasoning, "</think>", then <answer>s1</answer><answer>s2</answer>.',
    prefill: '<think>',
    parser: 'NuoJohnChen/JudgeLRM src/verl/utils/reward_score/judgelrm.py::extract_solution',
  },
  'judgelrm-single': {
    id: 'judgelrm-single',
    description: 'Reasoning, "</think>", then <answer>s</answer>.',
    prefill: '<think>',
    parser: 'NuoJohnChen/JudgeLRM pandalm/utils/judgelrm_single_inference.py (last <answer> number)',
  },
  pandalm: {
    id: 'pandalm',
    description: 'First line 1 / 2 / Tie, then "### Reason:" and "### Reference:".',
    parser: 'WeOpenML/PandaLM pandalm/utils/pandalm_inference.py::parse_pandalm_response',
  },
  'mtbench-pair': {
    id: 'mtbench-pair',
    description: 'Explanation, then [[A]], [[B]] or [[C]] (tie).',
    parser: 'lm-sys/FastChat fastchat/llm_judge/common.py::run_judge_pair',
  },
  'mtbench-single': {
    id: 'mtbench-single',
    description: 'Explanation, then "Rating: [[x]]".',
    parser: 'lm-sys/FastChat fastchat/llm_judge/common.py::run_judge_single',
  },
  'prometheus-absolute': {
    id: 'prometheus-absolute',
    description: 'Feedback, then "[RESULT] <1-5>".',
    parser:
      'prometheus-eval/prometheus-eval libs/prometheus-eval/prometheus_eval/utils.py::parse_output (absolute)',
  },
  'prometheus-relative': {
    id: 'prometheus-relative',
    description: 'Feedback, then "[RESULT] <A|B>".',
    parser:
      'prometheus-eval/prometheus-eval libs/prometheus-eval/prometheus_eval/utils.py::parse_output (relative)',
  },
  'arena-hard': {
    id: 'arena-hard',
    description: 'Explanation, then exactly one distinct [[A>>B]] / [[A>B]] / [[A=B]] / [[B>A]] / [[B>>A]].',
    parser: 'lmarena/arena-hard-auto gen_judgment.py::get_score (regex \\[\\[([AB<>=]+)\\]\\])',
  },
  llmbar: {
    id: 'llmbar',
    description: '"Output (a)" or "Output (b)" (at the start of a line).',
    parser: 'princeton-nlp/LLMBar LLMEvaluator/evaluate.py::completion_with_parsing',
  },
  'llmbar-cot': {
    id: 'llmbar-cot',
    description:
      'A brief explanation, then "Therefore, Output (a) is better." or "Therefore, Output (b) is better."',
    parser: 'princeton-nlp/LLMBar LLMEvaluator/evaluate.py::completion_with_parsing (CoT config patterns)',
  },
};

function num(what: string, n: unknown): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new InvalidArgumentError(what, `expected a finite number, got ${String(n)}`);
  }
  return String(n);
}

function scoresLine(what: string, scores: readonly number[], count?: number): string {
  if (!Array.isArray(scores) || (count !== undefined ? scores.length !== count : scores.length < 2)) {
    throw new InvalidArgumentError(
      what,
      count !== undefined ? `expected exactly ${count} scores` : 'expected at least 2 scores',
    );
  }
  return scores.map((s, i) => num(`${what}[${i}]`, s)).join(' ');
}

function verdictValue(v: unknown): Verdict {
  if (v !== 'answer1' && v !== 'answer2' && v !== 'tie') {
    throw new InvalidArgumentError(
      'value.verdict',
      `expected 'answer1' | 'answer2' | 'tie', got ${String(v)}`,
    );
  }
  return v;
}

function withExplanation(
  head: string,
  explanation: string | undefined,
  blankLine: boolean | undefined,
): string {
  if (explanation === undefined) return head;
  return `${head}${blankLine ? '\n\n' : '\n'}${explanation}`;
}

/**
 * Write a judge completion in `format`, carrying `value` (a verdict or scores), exactly in the
 * layout the upstream judge writes it. The text is what the model generates *after* the prompt
 * and after the template's assistant prefill (see `OUTPUT_FORMATS[format].prefill`); the prefill
 * itself is not included.
 *
 * Examples:
 * - `formatJudgeOutput('judgelm-scores', { scores: [8, 9], explanation: 'Both fine.' })` → `"8 9\nBoth fine."`
 * - `formatJudgeOutput('judgelm-single', { score: 7 })` → `" 7"`
 * - `formatJudgeOutput('judgelrm-answer-tags', { scores: [8, 4], reasoning: ' ok' })` → `" ok</think><answer>8</answer><answer>4</answer>"`
 * - `formatJudgeOutput('pandalm', { verdict: 'tie', reason: 'r', reference: 'x' })` → `"Tie\n\n### Reason: r\n\n### Reference: x\n"`
 * - `formatJudgeOutput('mtbench-pair', { verdict: 'answer2' })` → `"[[B]]"`
 * - `formatJudgeOutput('mtbench-single', { rating: 5, explanation: 'Good.' })` → `"Good.\n\nRating: [[5]]"`
 * - `formatJudgeOutput('prometheus-absolute', { score: 4, feedback: 'Clear.' })` → `"Clear. [RESULT] 4"`
 * - `formatJudgeOutput('prometheus-relative', { verdict: 'answer1' })` → `"[RESULT] A"`
 *
 * Free text is inserted verbatim; it is the caller's business whether it contains text a parser
 * could mistake for the verdict. Throws `InvalidArgumentError` for an unknown format, a
 * non-finite score or a wrong number of scores (this is programmer input, not model text).
 */
export function formatJudgeOutput<F extends OutputFormatId>(format: F, value: JudgeOutputValue<F>): string;
/** A user format registered with `registerOutputFormat` (its `format` function writes the text). */
export function formatJudgeOutput(format: string, value: unknown): string;
export function formatJudgeOutput(format: string, value: unknown): string {
  const user = USER_OUTPUT_FORMATS.get(format);
  if (user !== undefined) {
    if (user.format === undefined)
      throw new InvalidArgumentError(
        'format',
        `output format ${JSON.stringify(format)} was registered without a \`format\` function`,
      );
    return user.format(value as never);
  }
  const v = value as JudgeOutputValues[OutputFormatId] & Record<string, unknown>;
  if (typeof v !== 'object' || v === null) {
    throw new InvalidArgumentError('value', 'expected an object');
  }
  switch (format as OutputFormatId) {
    case 'judgelm-scores': {
      const x = value as JudgeOutputValues['judgelm-scores'];
      return withExplanation(scoresLine('value.scores', x.scores, 2), x.explanation, x.blankLine);
    }
    case 'judgelm-multi-scores': {
      const x = value as JudgeOutputValues['judgelm-multi-scores'];
      return withExplanation(scoresLine('value.scores', x.scores), x.explanation, x.blankLine);
    }
    case 'judgelm-single': {
      const x = value as JudgeOutputValues['judgelm-single'];
      return withExplanation(` ${num('value.score', x.score)}`, x.explanation, false);
    }
    case 'judgelrm-answer-tags': {
      const x = value as JudgeOutputValues['judgelrm-answer-tags'];
      const [a, b] = scoresLine('value.scores', x.scores, 2).split(' ');
      return `${x.reasoning ?? ''}</think><answer>${a}</answer><answer>${b}</answer>${x.endToken ?? ''}`;
    }
    case 'judgelrm-single': {
      const x = value as JudgeOutputValues['judgelrm-single'];
      return `${x.reasoning ?? ''}</think><answer>${num('value.score', x.score)}</answer>${x.endToken ?? ''}`;
    }
    case 'pandalm': {
      const x = value as JudgeOutputValues['pandalm'];
      const verdict = verdictValue(x.verdict);
      const result = verdict === 'answer1' ? '1' : verdict === 'answer2' ? '2' : 'Tie';
      if (x.reason === undefined && x.reference === undefined) return result;
      return `${result}\n\n### Reason: ${x.reason ?? ''}\n\n### Reference: ${x.reference ?? ''}\n`;
    }
    case 'mtbench-pair': {
      const x = value as JudgeOutputValues['mtbench-pair'];
      const verdict = verdictValue(x.verdict);
      const tag = verdict === 'answer1' ? '[[A]]' : verdict === 'answer2' ? '[[B]]' : '[[C]]';
      return x.explanation === undefined ? tag : `${x.explanation}\n\n${tag}`;
    }
    case 'mtbench-single': {
      const x = value as JudgeOutputValues['mtbench-single'];
      const tag = `Rating: [[${num('value.rating', x.rating)}]]`;
      return x.explanation === undefined ? tag : `${x.explanation}\n\n${tag}`;
    }
    case 'prometheus-absolute': {
      const x = value as JudgeOutputValues['prometheus-absolute'];
      const tag = `[RESULT] ${num('value.score', x.score)}`;
      return x.feedback === undefined ? tag : `${x.feedback} ${tag}`;
    }
    case 'prometheus-relative': {
      const x = value as JudgeOutputValues['prometheus-relative'];
      if (x.verdict !== 'answer1' && x.verdict !== 'answer2') {
        throw new InvalidArgumentError(
          'value.verdict',
          `prometheus-relative has no tie; expected 'answer1' | 'answer2', got ${String(x.verdict)}`,
        );
      }
      const tag = `[RESULT] ${x.verdict === 'answer1' ? 'A' : 'B'}`;
      return x.feedback === undefined ? tag : `${x.feedback} ${tag}`;
    }
    case 'arena-hard': {
      const x = value as JudgeOutputValues['arena-hard'];
      const verdict = verdictValue(x.verdict);
      const label =
        verdict === 'tie'
          ? 'A=B'
          : verdict === 'answer1'
            ? x.strong
              ? 'A>>B'
              : 'A>B'
            : x.strong
              ? 'B>>A'
              : 'B>A';
      return x.explanation === undefined
        ? `[[${label}]]`
        : `${x.explanation}\n\nMy final verdict is: [[${label}]]`;
    }
    case 'llmbar': {
      const x = value as JudgeOutputValues['llmbar'];
      if (x.verdict !== 'answer1' && x.verdict !== 'answer2') {
        throw new InvalidArgumentError(
          'value.verdict',
          `llmbar has no tie; expected 'answer1' | 'answer2', got ${String(x.verdict)}`,
        );
      }
      return x.verdict === 'answer1' ? 'Output (a)' : 'Output (b)';
    }
    case 'llmbar-cot': {
      const x = value as JudgeOutputValues['llmbar-cot'];
      if (x.verdict !== 'answer1' && x.verdict !== 'answer2') {
        throw new InvalidArgumentError(
          'value.verdict',
          `llmbar-cot has no tie; expected 'answer1' | 'answer2', got ${String(x.verdict)}`,
        );
      }
      const claim = `Therefore, Output (${x.verdict === 'answer1' ? 'a' : 'b'}) is better.`;
      return x.explanation === undefined ? claim : `${x.explanation} ${claim}`;
    }
    default:
      throw new InvalidArgumentError('format', `unknown output format ${JSON.stringify(format)}`);
  }
}
