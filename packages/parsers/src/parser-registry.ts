/**
 * One parser per output format, keyed by the output-format ids of `@judgekit/prompts`, with a
 * common result shape so evaluation code can stay format-agnostic.
 */

import type { ParseResult, ScorePair, Verdict } from '@judgekit/core';
import { isOutputFormatId, type OutputFormatId } from '@judgekit/prompts';
import { type ArenaHardStrength, parseArenaHard } from './arena-hard-parser.js';
import type { JudgeTextInput, ParseMode } from './judge-input.js';
import { userParser, userParserList } from './judge-format-registry.js';
import { parseJudgeLm, parseJudgeLmMulti, parseJudgeLmSingle } from './judgelm-parser.js';
import { type JudgeLrmExtraction, parseJudgeLrm, parseJudgeLrmSingle } from './judgelrm-parser.js';
import { parseLlmBarCotOutput, parseLlmBarOutput } from './llmbar-parser.js';
import { parseMtBenchPair, parseMtBenchSingle } from './mt-bench-parser.js';
import { parsePandaLm } from './pandalm-parser.js';
import { parsePrometheusAbsolute, parsePrometheusRelative } from './prometheus-parser.js';

/**
 * A format-agnostic judgment.
 * - `pairwise`: a verdict between two answers (`scores` when the format carries them).
 * - `rating`: one absolute score (single-answer grading).
 * - `multi-scores`: one score per answer (JudgeLM multi-answer); `best` = 0-based indices of the top score.
 */
export type Judgment =
  | {
      kind: 'pairwise';
      verdict: Verdict;
      scores?: ScorePair;
      /** Arena-Hard with `keepStrength: true`: `>>` (strong) or `>` (weak) for a decisive verdict. */
      strength?: ArenaHardStrength;
    }
  | { kind: 'rating'; score: number }
  | { kind: 'multi-scores'; scores: readonly number[]; best: readonly number[] };

/** Options a registry parser takes (each format uses the ones that apply to it). */
export interface RegistryParseOptions {
  /** `'strict'` (default) or `'lenient'`. */
  mode?: ParseMode;
  /** `judgelm-multi-scores`: number of answers N; default: the number of scores on line 1 (≥ 2). */
  answerCount?: number;
  /** `judgelrm-answer-tags`: which upstream reading strict mode copies; default `'reward'`. */
  extraction?: JudgeLrmExtraction;
  /** `prometheus-relative`: which upstream parser version strict mode copies; default `'a6938ea'`. */
  relativeParser?: 'a6938ea' | 'f2589f7';
  /** `arena-hard`: keep `strength` (`A>>B` strong, `A>B` weak) in the judgment. Default false (JudgeBench drops it). */
  keepStrength?: boolean;
}

/** The parser registered for one output format. */
export interface JudgeOutputParser {
  /** The output format id (from `@judgekit/prompts`; a user format's id is a plain string). */
  readonly id: OutputFormatId | (string & {});
  /** What kind of judgment the format carries. */
  readonly kind: Judgment['kind'];
  /** Parse judge text; never throws on model text. Failure reasons are the format parser's codes. */
  parse(input: JudgeTextInput, options?: RegistryParseOptions): ParseResult<Judgment, string>;
  /**
   * How a pairwise judgment made on the swapped presentation reads in the original order. Absent:
   * the verdict is swapped (`answer1` ↔ `answer2`) and `scores` reversed, which is right for every
   * format that names answers by position. A user format that names them otherwise supplies its own.
   */
  readonly swap?: (judgment: Judgment) => Judgment;
}

function map<T, R extends string>(
  r: ParseResult<T, R>,
  f: (v: T) => Judgment,
): ParseResult<Judgment, string> {
  return r.ok ? { ok: true, value: f(r.value), raw: r.raw, recoveredBy: r.recoveredBy } : r;
}

function firstLineTokenCount(input: JudgeTextInput): number {
  const text = typeof input === 'string' ? input : typeof input?.text === 'string' ? input.text : '';
  const nl = text.indexOf('\n');
  const line = (nl === -1 ? text : text.slice(0, nl)).replace(/,/g, ' ');
  const strictCount = line.split(' ').length;
  return Math.max(2, strictCount);
}

const PARSERS: Record<OutputFormatId, JudgeOutputParser> = {
  'judgelm-scores': {
    id: 'judgelm-scores',
    kind: 'pairwise',
    parse: (input, o = {}) =>
      map(parseJudgeLm(input, { mode: o.mode ?? 'strict' }), (v) => ({
        kind: 'pairwise',
        verdict: v.verdict,
        scores: v.scores,
      })),
  },
  'judgelm-multi-scores': {
    id: 'judgelm-multi-scores',
    kind: 'multi-scores',
    parse: (input, o = {}) =>
      map(
        parseJudgeLmMulti(input, {
          mode: o.mode ?? 'strict',
          answerCount: o.answerCount ?? firstLineTokenCount(input),
        }),
        (v) => ({
          kind: 'multi-scores',
          scores: v.scores,
          best: v.best,
        }),
      ),
  },
  'judgelm-single': {
    id: 'judgelm-single',
    kind: 'rating',
    parse: (input, o = {}) =>
      map(parseJudgeLmSingle(input, { mode: o.mode ?? 'strict' }), (v) => ({
        kind: 'rating',
        score: v.score,
      })),
  },
  'judgelrm-answer-tags': {
    id: 'judgelrm-answer-tags',
    kind: 'pairwise',
    parse: (input, o = {}) => {
      const opts =
        o.extraction === undefined
          ? { mode: o.mode ?? 'strict' }
          : { mode: o.mode ?? 'strict', extraction: o.extraction };
      return map(parseJudgeLrm(input, opts), (v) => ({
        kind: 'pairwise',
        verdict: v.verdict,
        scores: v.scores,
      }));
    },
  },
  'judgelrm-single': {
    id: 'judgelrm-single',
    kind: 'rating',
    parse: (input, o = {}) =>
      map(parseJudgeLrmSingle(input, { mode: o.mode ?? 'strict' }), (v) => ({
        kind: 'rating',
        score: v.score,
      })),
  },
  pandalm: {
    id: 'pandalm',
    kind: 'pairwise',
    parse: (input, o = {}) =>
      map(parsePandaLm(input, { mode: o.mode ?? 'strict' }), (v) => ({
        kind: 'pairwise',
        verdict: v.verdict,
      })),
  },
  'mtbench-pair': {
    id: 'mtbench-pair',
    kind: 'pairwise',
    parse: (input, o = {}) =>
      map(parseMtBenchPair(input, { mode: o.mode ?? 'strict' }), (v) =>
        v.scores
          ? { kind: 'pairwise', verdict: v.verdict, scores: v.scores }
          : { kind: 'pairwise', verdict: v.verdict },
      ),
  },
  'mtbench-single': {
    id: 'mtbench-single',
    kind: 'rating',
    parse: (input, o = {}) =>
      map(parseMtBenchSingle(input, { mode: o.mode ?? 'strict' }), (v) => ({
        kind: 'rating',
        score: v.rating,
      })),
  },
  'prometheus-absolute': {
    id: 'prometheus-absolute',
    kind: 'rating',
    parse: (input, o = {}) =>
      map(parsePrometheusAbsolute(input, { mode: o.mode ?? 'strict' }), (v) => ({
        kind: 'rating',
        score: v.score,
      })),
  },
  'prometheus-relative': {
    id: 'prometheus-relative',
    kind: 'pairwise',
    parse: (input, o = {}) => {
      const opts =
        o.relativeParser === undefined
          ? { mode: o.mode ?? 'strict' }
          : { mode: o.mode ?? 'strict', relativeParser: o.relativeParser };
      return map(parsePrometheusRelative(input, opts), (v) => ({ kind: 'pairwise', verdict: v.verdict }));
    },
  },
  'arena-hard': {
    id: 'arena-hard',
    kind: 'pairwise',
    parse: (input, o = {}) =>
      map(parseArenaHard(input, { mode: o.mode ?? 'strict' }), (v) =>
        o.keepStrength && v.strength !== undefined
          ? { kind: 'pairwise', verdict: v.verdict, strength: v.strength }
          : { kind: 'pairwise', verdict: v.verdict },
      ),
  },
  llmbar: {
    id: 'llmbar',
    kind: 'pairwise',
    parse: (input, o = {}) =>
      map(parseLlmBarOutput(input, { mode: o.mode ?? 'strict' }), (v) => ({
        kind: 'pairwise',
        verdict: v.verdict,
      })),
  },
  'llmbar-cot': {
    id: 'llmbar-cot',
    kind: 'pairwise',
    parse: (input, o = {}) =>
      map(parseLlmBarCotOutput(input, { mode: o.mode ?? 'strict' }), (v) => ({
        kind: 'pairwise',
        verdict: v.verdict,
      })),
  },
};

/**
 * The parser for an output format id of `@judgekit/prompts` (`OUTPUT_FORMAT_IDS`) or of a format
 * registered with `registerJudgeFormat` / `registerParser`, or `undefined` for an unknown id.
 */
export function getParser(outputFormat: OutputFormatId): JudgeOutputParser;
export function getParser(outputFormat: string): JudgeOutputParser | undefined;
export function getParser(outputFormat: string): JudgeOutputParser | undefined {
  return isOutputFormatId(outputFormat) ? PARSERS[outputFormat] : userParser(outputFormat);
}

/** Every parser: the built-ins in `OUTPUT_FORMAT_IDS` order of the prompts package, then user parsers by id. */
export function listParsers(): readonly JudgeOutputParser[] {
  return [...Object.values(PARSERS), ...userParserList()];
}
