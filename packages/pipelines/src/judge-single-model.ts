/**
 * A pairwise judgment by one model: render the template, call the model (in both answer orders
 * with `swap`), parse, combine the orders with a named rule.
 */

import {
  addUsage,
  ConfigError,
  InvalidArgumentError,
  type NamedUsage,
  type PairwiseSample,
  type ScorePair,
  swapVerdict,
  type Verdict,
  withUsageNames,
} from '@judgekit/core';
import { inconsistentToTie } from '@judgekit/metrics';
import { asJudgeModel, type JudgeModelLike } from '@judgekit/models';
import {
  getParser,
  type JudgeOutputParser,
  type ParseMode,
  type RegistryParseOptions,
} from '@judgekit/parsers';
import { getTemplate, type PromptTemplate, type RenderOptions, render } from '@judgekit/prompts';
import { type CallRecord, type JudgeCallError, type JudgeStatus, runJudgeCall } from './judge-call.js';
import { getJudgeJsonForm, listJudgeJsonForms } from './judge-json-forms.js';
import {
  checkProbabilityOptions,
  type JudgmentProbabilities,
  type ProbabilityOptions,
  swappedFrame,
} from './judge-probabilities.js';

/**
 * How the two orders of a swapped judgment combine into one verdict. Only
 * `'fastchat-inconsistent-to-tie'` for now: the orders' verdict where both name the same original
 * answer, otherwise `tie`; a parse failure or error in either order gives no verdict (FastChat
 * `show_result.py display_result_pairwise`, metrics' `inconsistentToTie`).
 */
export type SwapCombineRule = 'fastchat-inconsistent-to-tie';

/** Template and generation settings shared by `judge`, `grade`, `judgeMany` and juries. */
export interface JudgeSettings {
  /**
   * The prompt format: a registered template id (`'mtbench/pair-v2'`, `'judgelm/pair'`,
   * `'pandalm/pair'`, `'prometheus/relative'`, …) or a `PromptTemplate`. Its output format picks the parser.
   */
  format?: string | PromptTemplate;
  /** Parser mode: `'lenient'` (default here: recovers fenced / think-wrapped answers and says how) or `'strict'` (upstream-exact). */
  parseMode?: ParseMode;
  /** Extra parser options (e.g. JudgeLRM `extraction`). */
  parseOptions?: Omit<RegistryParseOptions, 'mode'>;
  /** Values of the template's extra variables (Prometheus `rubric`, PandaLM `input`, …). */
  vars?: Readonly<Record<string, string>>;
  /** Maximum new tokens per call. */
  maxTokens?: number;
  /** Sampling temperature (default 0). */
  temperature?: number;
  /** Sampling seed, for servers that honour it. */
  seed?: number;
  /** Stop strings. */
  stop?: string[];
  /**
   * Ask the server for JSON following the format's JSON form (structured output / guided
   * decoding) and read it; a reply that is not such JSON is read by the plain-text parser and the
   * call records why (`structured.fallback`). Only formats with a JSON form
   * (`listJudgeJsonForms()`); others are an `InvalidArgumentError`.
   */
  structuredOutput?: boolean;
  /** Cancels the model calls; `judge` / `grade` then reject with core `AbortedError`. */
  abortSignal?: AbortSignal;
  /**
   * Ask for top log-probabilities (`{ topLogprobs: k }`) and add the answer token's expected score
   * or verdict distribution (G-Eval style) to each call and result as `probabilities`; the sampled
   * verdict stays the verdict. Only output formats of `LOGPROB_ANSWER_TOKENS` (`@judgekit/parsers`)
   * and not with `structuredOutput`; otherwise a core `ConfigError`.
   */
  probabilities?: ProbabilityOptions;
}

/** Options of a pairwise judgment by one model. */
export interface JudgeOptions extends JudgeSettings {
  /** The judge: a `JudgeModel` (any `@judgekit/models` backend) or an AI SDK language model object. */
  model: JudgeModelLike;
  /** The question (instruction) both answers respond to. */
  question: string;
  /** The two answers, in the order shown first. */
  answers: readonly [string, string];
  /** A reference answer; uses the template's reference-guided form (error if it has none). */
  reference?: string;
  /** Also judge with the answers swapped and combine both orders by `combine`. */
  swap?: boolean;
  /** The swap combination rule (default `'fastchat-inconsistent-to-tie'`). */
  combine?: SwapCombineRule;
  /** Sample id, carried into the result. */
  id?: string;
}

/** One call of a pairwise judgment. */
export interface JudgeCall extends CallRecord {
  /** Which presentation order this call judged. */
  order: 'original' | 'swapped';
  /** `verdict`, `parse-failure` or `error` for this call alone. */
  status: JudgeStatus;
  /** The verdict in the original frame (`answer1` = `answers[0]`), `null` without one. */
  verdict: Verdict | null;
  /** The verdict about what the judge was shown. */
  verdictAsJudged: Verdict | null;
  /** Scores `[answers[0], answers[1]]` when the format carries them (original frame). */
  scores?: ScorePair;
}

/** What every judgment result carries. */
interface JudgeResultBase {
  id?: string;
  /** Template id (`'custom'` when a template object had none registered). */
  format: string;
  /** The template's output format (parser id). */
  outputFormat: string;
  /** `JudgeModel.id` of the judge. */
  model: string;
  /** The calls made: one, or two with `swap` (original first). */
  calls: JudgeCall[];
  /** The completion text of the original-order call (`null` when it failed). */
  text: string | null;
  /** The rationale of the original-order call. */
  rationale: string | null;
  /** Reasoning of the original-order call, kept apart from its answer. */
  reasoningContent?: string;
  /** Token usage summed over the calls. */
  usage: NamedUsage;
  /** With `swap`: the rule applied and whether both orders agreed (`null` when one had no verdict). */
  swap?: { rule: SwapCombineRule; consistent: boolean | null };
  /** With `probabilities`: the original-order call's probability view (original frame). */
  probabilities?: JudgmentProbabilities;
}

/** A judgment with a verdict. */
export interface JudgeVerdictResult extends JudgeResultBase {
  status: 'verdict';
  verdict: Verdict;
  /** Scores of the original-order call, when the format carries them. */
  scores?: ScorePair;
}

/** A judgment whose reply could not be read (kept with its reason and raw text; never a tie). */
export interface JudgeParseFailureResult extends JudgeResultBase {
  status: 'parse-failure';
  verdict: null;
  failure: { reason: string; message: string; raw: string };
}

/** A judgment without a usable response (never scored). */
export interface JudgeErrorResult extends JudgeResultBase {
  status: 'error';
  verdict: null;
  error: JudgeCallError;
}

/** The result of a pairwise judgment: `status` tells the three outcomes apart. */
export type JudgeResult = JudgeVerdictResult | JudgeParseFailureResult | JudgeErrorResult;

/** A template, its parser and the parse options for `settings`. @internal */
export interface ResolvedFormat {
  template: PromptTemplate;
  parser: JudgeOutputParser;
  parseOptions: RegistryParseOptions;
}

/** Resolve `settings.format` for a template of `kind`. @internal */
export function resolveFormat(
  settings: JudgeSettings,
  kind: 'pairwise' | 'single',
  defaultId: string,
): ResolvedFormat {
  const template =
    settings.format === undefined
      ? getTemplate(defaultId)
      : typeof settings.format === 'string'
        ? getTemplate(settings.format)
        : settings.format;
  if (template.format !== kind)
    throw new InvalidArgumentError(
      'format',
      `${template.id} is a ${template.format} template; ${kind === 'pairwise' ? 'judge() compares two answers' : 'grade() grades one answer'} (try ${defaultId})`,
    );
  const parser = getParser(template.outputFormat);
  if (parser === undefined)
    throw new InvalidArgumentError('format', `no parser for output format ${template.outputFormat}`);
  if (settings.structuredOutput && getJudgeJsonForm(template.outputFormat) === undefined)
    throw new InvalidArgumentError(
      'structuredOutput',
      `output format ${template.outputFormat} has no JSON form (formats with one: ${listJudgeJsonForms().join(', ')})`,
    );
  if (settings.probabilities !== undefined) {
    checkProbabilityOptions(template.outputFormat, settings.probabilities);
    if (settings.structuredOutput)
      throw new ConfigError(
        'probabilities read the answer token of the plain-text format; they cannot be combined with structuredOutput',
      );
  }
  return {
    template,
    parser,
    parseOptions: { ...settings.parseOptions, mode: settings.parseMode ?? 'lenient' },
  };
}

/** Render options for an optional reference. @internal */
export function referenceRenderOptions(
  template: PromptTemplate,
  reference: string | undefined,
): RenderOptions {
  const hasVariant = template.variants?.some((v) => v.when === 'reference') ?? false;
  const baseUses = `${template.system ?? ''}${template.user}`.includes('{reference}');
  if (reference === undefined) return {};
  if (hasVariant) return { reference: true };
  if (baseUses) return {};
  throw new InvalidArgumentError(
    'reference',
    `template ${template.id} has no reference-guided form; drop reference or use one that has (e.g. mtbench/pair-math-v1, judgelm/pair)`,
  );
}

function checkText(value: unknown, name: string): void {
  if (typeof value !== 'string')
    throw new InvalidArgumentError(name, `must be a string, got ${typeof value}`);
}

function toJudgeCall(record: CallRecord, order: 'original' | 'swapped'): JudgeCall {
  let status: JudgeStatus;
  let asJudged: Verdict | null = null;
  let scores: ScorePair | undefined;
  if (record.error !== undefined || record.parse === undefined) status = 'error';
  else if (!record.parse.ok) status = 'parse-failure';
  else if (record.parse.judgment.kind !== 'pairwise') {
    status = 'parse-failure';
    record.parse = {
      ok: false,
      reason: 'not-pairwise',
      message: `a ${record.parse.judgment.kind} judgment, not a verdict between two answers`,
    };
  } else {
    status = 'verdict';
    asJudged = record.parse.judgment.verdict;
    const s = record.parse.judgment.scores;
    if (s !== undefined) scores = order === 'swapped' ? [s[1], s[0]] : s;
  }
  const call: JudgeCall = {
    ...record,
    order,
    status,
    verdict: asJudged === null ? null : order === 'swapped' ? swapVerdict(asJudged) : asJudged,
    verdictAsJudged: asJudged,
  };
  if (scores !== undefined) call.scores = scores;
  if (order === 'swapped' && call.probabilities !== undefined)
    call.probabilities = swappedFrame(call.probabilities);
  return call;
}

/** Build the result of one model's calls (original first). @internal */
export function combineCalls(
  calls: JudgeCall[],
  base: Omit<JudgeResultBase, 'calls' | 'text' | 'rationale' | 'usage' | 'reasoningContent' | 'swap'>,
  combine: SwapCombineRule | undefined,
): JudgeResult {
  const first = calls[0]!;
  let usage = withUsageNames(first.usage);
  for (const c of calls.slice(1)) usage = withUsageNames(addUsage(usage, c.usage));
  const common: JudgeResultBase = {
    ...base,
    calls,
    text: first.text,
    rationale: first.rationale,
    usage,
  };
  if (first.reasoningContent !== undefined) common.reasoningContent = first.reasoningContent;
  if (first.probabilities !== undefined) common.probabilities = first.probabilities;
  const failed = calls.find((c) => c.status === 'error');
  const unread = calls.find((c) => c.status === 'parse-failure');
  let verdict: Verdict | null = first.verdict;
  if (calls.length === 2) {
    const rule = combine ?? 'fastchat-inconsistent-to-tie';
    const [a, b] = [first.verdict, calls[1]!.verdict];
    verdict = inconsistentToTie([a], [b], { reversedFrame: 'original' })[0] ?? null;
    common.swap = { rule, consistent: a === null || b === null ? null : a === b };
  }
  if (failed !== undefined)
    return {
      ...common,
      status: 'error',
      verdict: null,
      error: failed.error ?? { code: 'unknown', message: '' },
    };
  if (unread !== undefined || verdict === null) {
    const c = unread ?? first;
    const p =
      c.parse !== undefined && !c.parse.ok ? c.parse : { reason: 'no-verdict', message: 'no verdict' };
    return {
      ...common,
      status: 'parse-failure',
      verdict: null,
      failure: {
        reason: p.reason,
        message: calls.length === 2 ? `${c.order} order: ${p.message}` : p.message,
        raw: (c.prefill ?? '') + (c.text ?? ''),
      },
    };
  }
  const out: JudgeVerdictResult = { ...common, status: 'verdict', verdict };
  if (first.scores !== undefined) out.scores = first.scores;
  return out;
}

/** Judge two answers with one model. @internal (public door: `judge`). */
export async function judgeWithModel(options: JudgeOptions): Promise<JudgeResult> {
  checkText(options.question, 'question');
  if (!Array.isArray(options.answers) || options.answers.length !== 2)
    throw new InvalidArgumentError('answers', 'must be an array of exactly two answers');
  checkText(options.answers[0], 'answers[0]');
  checkText(options.answers[1], 'answers[1]');
  if (options.reference !== undefined) checkText(options.reference, 'reference');
  const model = asJudgeModel(options.model);
  const { template, parser, parseOptions } = resolveFormat(options, 'pairwise', 'mtbench/pair-v2');
  const sample: PairwiseSample = {
    id: options.id ?? 'judge',
    question: options.question,
    answer1: options.answers[0],
    answer2: options.answers[1],
    ...(options.reference === undefined ? {} : { reference: options.reference }),
  };
  const renderBase: RenderOptions = {
    ...referenceRenderOptions(template, options.reference),
    ...(options.vars === undefined ? {} : { vars: options.vars }),
  };
  const orders: ('original' | 'swapped')[] = options.swap ? ['original', 'swapped'] : ['original'];
  const settings = { ...options, parser, parseOptions };
  const records = await Promise.all(
    orders.map((order) =>
      runJudgeCall(model, render(template, sample, { ...renderBase, swap: order === 'swapped' }), settings),
    ),
  );
  const calls = records.map((r, i) => toJudgeCall(r, orders[i]!));
  return combineCalls(
    calls,
    {
      ...(options.id === undefined ? {} : { id: options.id }),
      format: template.id,
      outputFormat: template.outputFormat,
      model: model.id,
    },
    options.combine,
  );
}
