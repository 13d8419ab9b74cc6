/**
 * `judge()` and `judgeMany()`: a pairwise judgment in one call — template, model call(s), parse,
 * swap combination, or a jury when `model` is an array.
 */

import { AbortedError, emptyUsage, InvalidArgumentError, withUsageNames } from '@judgekit/core';
import type { JudgeModelLike } from '@judgekit/models';
import { type JudgeOptions, type JudgeResult, judgeWithModel } from './judge-single-model.js';
import { type Juror, type JuryResult, type JuryRule, jury } from './jury.js';

/** Options of {@link judge} with a panel: `model` is an array of judges (a jury). */
export interface JudgePanelOptions extends Omit<JudgeOptions, 'model'> {
  /** The jurors. */
  model: readonly (JudgeModelLike | Juror)[];
  /** Jury aggregation rule (default `'majority'`). */
  rule?: JuryRule;
  /** Samples per juror (default 1). */
  samples?: number;
}

/**
 * Judge which of two answers is better, in one call:
 *
 * ```ts
 * const r = await judge({ model, question, answers: [a, b] });
 * if (r.status === 'verdict') console.log(r.verdict, r.rationale);
 * ```
 *
 * The result keeps three outcomes apart (`status`): a verdict, a parse failure (reason and raw
 * text; never counted as a tie) and an error (no usable response, e.g. HTTP 500 after retries).
 * With `swap: true` both answer orders are judged and combined by `combine` (FastChat's
 * inconsistent → tie by default; `swap.consistent` says whether they agreed). With an array of
 * models it is a jury (see {@link jury}). Rejects only for invalid options and for an abort
 * (`abortSignal` → core `AbortedError`).
 */
export function judge(options: JudgeOptions): Promise<JudgeResult>;
export function judge(options: JudgePanelOptions): Promise<JuryResult>;
export function judge(options: JudgeOptions | JudgePanelOptions): Promise<JudgeResult | JuryResult>;
export async function judge(options: JudgeOptions | JudgePanelOptions): Promise<JudgeResult | JuryResult> {
  if (options === null || typeof options !== 'object')
    throw new InvalidArgumentError('options', 'expected an object with model, question and answers');
  if (Array.isArray(options.model)) {
    const { model, ...rest } = options as JudgePanelOptions;
    return jury({ ...rest, jurors: model });
  }
  return judgeWithModel(options as JudgeOptions);
}

/** One item of {@link judgeMany}. */
export interface JudgeItem {
  id?: string;
  question: string;
  answers: readonly [string, string];
  reference?: string;
  /** Template variables of this item (merged over the shared `vars`). */
  vars?: Readonly<Record<string, string>>;
}

/** Progress of a batch, after each finished item. */
export interface JudgeManyProgress {
  done: number;
  total: number;
  verdicts: number;
  parseFailures: number;
  errors: number;
}

/** Batch options shared by {@link judgeMany} and `gradeMany`. */
export interface BatchOptions<P> {
  /** Items judged at once (default 4). Each item may make several calls (swap, jurors). */
  concurrency?: number;
  /** Called after every finished item. */
  onProgress?: (progress: P) => void;
}

/** Options of {@link judgeMany}: everything of `judge` except the per-item fields. */
export type JudgeManyOptions = (
  | Omit<JudgeOptions, 'question' | 'answers' | 'reference' | 'id'>
  | Omit<JudgePanelOptions, 'question' | 'answers' | 'reference' | 'id'>
) &
  BatchOptions<JudgeManyProgress>;

/** An item not judged because the batch was aborted (status `error`, code `aborted`). @internal */
function abortedError(message: string) {
  return { code: 'aborted', message };
}

/**
 * Run `worker` over `items` with at most `concurrency` in flight, results in input order. When
 * `signal` aborts, no new item starts; items that did not finish get `onAbort(index)`. `onDone`
 * runs for each item that finished.
 * @internal
 */
export async function mapBatch<T, R>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  worker: (item: T, index: number) => Promise<R>,
  onAbort: (index: number) => R,
  onDone: (result: R) => void,
): Promise<R[]> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new InvalidArgumentError('concurrency', `must be a positive integer, got ${concurrency}`);
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      if (signal?.aborted) {
        out[i] = onAbort(i);
        continue;
      }
      try {
        out[i] = await worker(items[i]!, i);
      } catch (error) {
        if (!AbortedError.isInstance(error)) throw error;
        out[i] = onAbort(i);
        continue;
      }
      onDone(out[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return out;
}

/**
 * Judge many pairs with bounded concurrency; results in input order, one per item. Progress is
 * reported after each item. When `abortSignal` aborts, calls in flight are cancelled and every
 * unfinished item is an `error` result with code `'aborted'` (so the batch still resolves with
 * what finished). Invalid options reject before any call.
 */
export function judgeMany(
  items: readonly JudgeItem[],
  options: Omit<JudgeOptions, 'question' | 'answers' | 'reference' | 'id'> & BatchOptions<JudgeManyProgress>,
): Promise<JudgeResult[]>;
export function judgeMany(
  items: readonly JudgeItem[],
  options: Omit<JudgePanelOptions, 'question' | 'answers' | 'reference' | 'id'> &
    BatchOptions<JudgeManyProgress>,
): Promise<JuryResult[]>;
export async function judgeMany(
  items: readonly JudgeItem[],
  options: JudgeManyOptions,
): Promise<(JudgeResult | JuryResult)[]> {
  if (!Array.isArray(items))
    throw new InvalidArgumentError('items', 'must be an array of { question, answers }');
  const { concurrency = 4, onProgress, ...shared } = options;
  const progress: JudgeManyProgress = {
    done: 0,
    total: items.length,
    verdicts: 0,
    parseFailures: 0,
    errors: 0,
  };
  const signal = shared.abortSignal;
  const isPanel = Array.isArray(shared.model);
  const worker = (item: JudgeItem) =>
    judge({
      ...shared,
      question: item.question,
      answers: item.answers,
      ...(item.reference === undefined ? {} : { reference: item.reference }),
      ...(item.id === undefined ? {} : { id: item.id }),
      ...(item.vars === undefined ? {} : { vars: { ...shared.vars, ...item.vars } }),
    } as JudgeOptions | JudgePanelOptions);
  const onAbort = (i: number): JudgeResult | JuryResult => {
    const id = items[i]?.id;
    const error = abortedError('the batch was aborted before this item finished');
    const usage = withUsageNames(emptyUsage());
    if (isPanel)
      return {
        ...(id === undefined ? {} : { id }),
        status: 'error',
        verdict: null,
        rule: (shared as JudgePanelOptions).rule ?? 'majority',
        jurors: [],
        votes: { answer1: 0, answer2: 0, tie: 0 },
        abstained: 0,
        agreement: { share: null, unanimous: false },
        usage,
        error,
      };
    return {
      ...(id === undefined ? {} : { id }),
      status: 'error',
      verdict: null,
      error,
      format: typeof shared.format === 'string' ? shared.format : (shared.format?.id ?? 'mtbench/pair-v2'),
      outputFormat: '',
      model: '',
      calls: [],
      text: null,
      rationale: null,
      usage,
    };
  };
  for (const [i, item] of items.entries())
    if (typeof item?.question !== 'string' || !Array.isArray(item?.answers))
      throw new InvalidArgumentError(
        `items[${i}]`,
        'must be { question: string, answers: [string, string] }',
      );
  return mapBatch<JudgeItem, JudgeResult | JuryResult>(items, concurrency, signal, worker, onAbort, (r) => {
    progress.done++;
    if (r.status === 'verdict') progress.verdicts++;
    else if (r.status === 'parse-failure') progress.parseFailures++;
    else progress.errors++;
    onProgress?.({ ...progress });
  });
}
