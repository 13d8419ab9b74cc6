/**
 * The open door for judge formats: `registerJudgeFormat` registers a user output format (its id,
 * description and writer, in `@judgekit/prompts`) together with its parser (here), so that
 * templates, `render`, `getParser` in strict and lenient modes, the pipelines' scoring and the CLI
 * (`--plugin`) use it exactly as they use a built-in format.
 */

import {
  InvalidArgumentError,
  type ParseResult,
  parseFailure,
  RegistryConflictError,
  type Verdict,
} from '@judgekit/core';
import {
  hasOutputFormat,
  isOutputFormatId,
  type OutputFormatDefinition,
  type RegisterOutputFormatOptions,
  registerOutputFormat,
  unregisterOutputFormat,
} from '@judgekit/prompts';
import { type JudgeTextInput, type ParseMode, splitJudgeInput } from './judge-input.js';
import type { JudgeOutputParser, Judgment, RegistryParseOptions } from './parser-registry.js';

/** What a user parse function receives besides the text. */
export interface JudgeFormatParseOptions extends Omit<RegistryParseOptions, 'mode'> {
  /** `'strict'`: read exactly the format's rule; `'lenient'`: recover what a human would read. */
  mode: ParseMode;
  /** The message's `reasoning_content`, when the server split the reasoning off. */
  reasoningContent?: string;
}

/** A user parser for a format id already known to `@judgekit/prompts` (input of {@link registerParser}). */
export interface ParserDefinition {
  /** The output format id (registered with `registerOutputFormat`). */
  id: string;
  /** What the format carries: a pairwise verdict, a rating, or one score per answer. */
  kind: Judgment['kind'];
  /**
   * Read the judge's text. Return `parseSuccess(judgment, text)` or `parseFailure(reason,
   * message, text)` (from `@judgekit/core`). A thrown exception or a malformed return value is
   * turned into a failure (`parser-threw` / `invalid-parser-result`), never a verdict.
   */
  parse(text: string, options: JudgeFormatParseOptions): ParseResult<Judgment, string>;
  /**
   * Optional: map a judgment made on the swapped presentation back to the original order. Default:
   * swap the verdict and reverse `scores` (right whenever the format names answers by position).
   */
  swap?: (judgment: Judgment) => Judgment;
}

/** A user judge format: the output format and its parser in one definition. */
export interface JudgeFormatDefinition<V = never> extends OutputFormatDefinition<V>, ParserDefinition {}

const userParsers = new Map<string, JudgeOutputParser>();
const VERDICT_SET: ReadonlySet<Verdict> = new Set(['answer1', 'answer2', 'tie']);
const KINDS: ReadonlySet<string> = new Set(['pairwise', 'rating', 'multi-scores']);

function validJudgment(v: unknown, kind: Judgment['kind']): v is Judgment {
  if (typeof v !== 'object' || v === null) return false;
  const j = v as Record<string, unknown>;
  if (j.kind !== kind) return false;
  if (kind === 'pairwise') return VERDICT_SET.has(j.verdict as Verdict);
  if (kind === 'rating') return typeof j.score === 'number' && Number.isFinite(j.score);
  return Array.isArray(j.scores) && Array.isArray(j.best);
}

function wrap(def: ParserDefinition): JudgeOutputParser {
  const { id, kind } = def;
  const parse = def.parse;
  const swap = def.swap;
  return Object.freeze({
    ...(swap === undefined ? {} : { swap }),
    id: id as JudgeOutputParser['id'],
    kind,
    parse(input: JudgeTextInput, options: RegistryParseOptions = {}): ParseResult<Judgment, string> {
      const { text, reasoning, raw } = splitJudgeInput(input);
      const opts: JudgeFormatParseOptions = { ...options, mode: options.mode ?? 'strict' };
      if (reasoning !== '') opts.reasoningContent = reasoning;
      let out: unknown;
      try {
        out = parse(text, opts);
      } catch (err) {
        return parseFailure(
          'parser-threw',
          `the '${id}' parser threw: ${err instanceof Error ? err.message : String(err)}`,
          raw,
        );
      }
      if (typeof out === 'object' && out !== null) {
        const r = out as Record<string, unknown>;
        if (r.ok === true && validJudgment(r.value, kind)) {
          const recovered = Array.isArray(r.recoveredBy) ? (r.recoveredBy as string[]) : [];
          return { ok: true, value: r.value, raw, recoveredBy: recovered };
        }
        if (r.ok === false && typeof r.reason === 'string' && r.reason !== '') {
          return parseFailure(r.reason, typeof r.message === 'string' ? r.message : r.reason, raw);
        }
      }
      return parseFailure(
        'invalid-parser-result',
        `the '${id}' parser returned something other than a '${kind}' ParseResult`,
        raw,
      );
    },
  });
}

function checkParserDefinition(def: ParserDefinition): void {
  if (typeof def !== 'object' || def === null)
    throw new InvalidArgumentError('definition', 'expected { id, kind, parse }');
  if (!KINDS.has(def.kind))
    throw new InvalidArgumentError(
      'definition.kind',
      `expected 'pairwise' | 'rating' | 'multi-scores', got ${JSON.stringify(def.kind)}`,
    );
  if (typeof def.parse !== 'function')
    throw new InvalidArgumentError('definition.parse', 'expected a function (text, { mode }) => ParseResult');
  if (def.swap !== undefined && typeof def.swap !== 'function')
    throw new InvalidArgumentError('definition.swap', 'expected a function (judgment) => judgment');
}

/**
 * Register the parser of a format id that `@judgekit/prompts` already knows (registered with
 * `registerOutputFormat`). Built-in ids are a `RegistryConflictError`; so is an id that already
 * has a user parser, unless `{ override: true }`.
 */
export function registerParser(
  definition: ParserDefinition,
  options: RegisterOutputFormatOptions = {},
): JudgeOutputParser {
  checkParserDefinition(definition);
  const { id } = definition;
  if (isOutputFormatId(id))
    throw new RegistryConflictError(
      'parser',
      id,
      `'${id}' is a built-in format; its parser cannot be replaced`,
    );
  if (!hasOutputFormat(id))
    throw new InvalidArgumentError(
      'definition.id',
      `no output format '${String(id)}'; register it first with registerOutputFormat, or use registerJudgeFormat`,
    );
  if (userParsers.has(id) && !options.override)
    throw new RegistryConflictError(
      'parser',
      id,
      `a parser for '${id}' is already registered; pass { override: true } to replace it`,
    );
  const parser = wrap(definition);
  userParsers.set(id, parser);
  return parser;
}

/**
 * Register a judge format in one call: the output format (id, description, prefill, writer) in
 * `@judgekit/prompts` and its parser here. Templates may then name it in `outputFormat`, and
 * `getParser`, `scoreJudgeOutputs`, `evaluateJudgeOnDataset` and the CLI read it like a built-in.
 * Registering over a built-in id is a `RegistryConflictError`.
 *
 * @example
 * registerJudgeFormat({
 *   id: 'my-lab/winner',
 *   description: 'One line: "Winner: A", "Winner: B" or "Winner: tie".',
 *   kind: 'pairwise',
 *   format: (v: { verdict: Verdict }) => `Winner: ${v.verdict === 'answer1' ? 'A' : v.verdict === 'answer2' ? 'B' : 'tie'}`,
 *   parse(text, { mode }) {
 *     const m = (mode === 'lenient' ? /winner:\s*(a|b|tie)/i : /^Winner: (A|B|tie)$/).exec(text.trim());
 *     if (!m) return parseFailure('no-winner', 'no "Winner:" line', text);
 *     const w = m[1]!.toLowerCase();
 *     return parseSuccess({ kind: 'pairwise', verdict: w === 'a' ? 'answer1' : w === 'b' ? 'answer2' : 'tie' }, text);
 *   },
 * });
 */
export function registerJudgeFormat<V>(
  definition: JudgeFormatDefinition<V>,
  options: RegisterOutputFormatOptions = {},
): JudgeOutputParser {
  checkParserDefinition(definition);
  const { id } = definition;
  if (!isOutputFormatId(id) && userParsers.has(id) && !options.override)
    throw new RegistryConflictError(
      'output-format',
      id,
      `a judge format '${id}' is already registered; pick another id or pass { override: true }`,
    );
  const formatDef: OutputFormatDefinition<V> = { id, description: definition.description };
  if (definition.prefill !== undefined) formatDef.prefill = definition.prefill;
  if (definition.parser !== undefined) formatDef.parser = definition.parser;
  if (definition.format !== undefined) formatDef.format = definition.format;
  registerOutputFormat(formatDef, options);
  return registerParser(definition, { override: true });
}

/** Remove a user judge format (its output format and parser); returns whether it was there. */
export function unregisterJudgeFormat(id: string): boolean {
  const hadParser = userParsers.delete(id);
  const hadFormat = unregisterOutputFormat(id);
  return hadParser || hadFormat;
}

/** The user parser of a format id. @internal */
export function userParser(id: string): JudgeOutputParser | undefined {
  return userParsers.get(id);
}

/** Every user parser, by id. @internal */
export function userParserList(): JudgeOutputParser[] {
  return [...userParsers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
