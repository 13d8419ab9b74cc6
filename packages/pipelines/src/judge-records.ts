/**
 * Per-sample judge results (one JSONL line each) and their summary into an `EvaluationResult`:
 * metrics with bootstrap intervals, swap consistency, parse failures by reason, usage totals.
 */

import { addUsage, emptyUsage, type Usage, type Verdict } from '@judgekit/core';
import {
  type BootstrapOptions,
  evaluateJudge,
  evaluateTwoOrders,
  type FailurePolicy,
  type JudgeReport,
  type SwapConsistency,
  swapConsistency,
  type TwoOrderReport,
} from '@judgekit/metrics';
import type { Judgment } from '@judgekit/parsers';
import {
  type JudgmentProbabilities,
  type ProbabilitySummary,
  summarizeProbabilities,
} from './judge-probabilities.js';

/** Which presentation order a record judged: the dataset's, or with the two answers swapped. */
export type JudgeOrder = 'original' | 'swapped';

/**
 * The outcome of one judgment, kept apart everywhere: `verdict` (the text parsed to a verdict),
 * `parse-failure` (model text we could not read; the reason is in `parse`), `error` (no usable
 * response: HTTP failure after retries, malformed body, timeout). Errors are never scored.
 */
export type JudgeOutcome = 'verdict' | 'parse-failure' | 'error';

/** The parse outcome stored in a record (the raw text is in `text`). */
export type StoredParse =
  | { ok: true; judgment: Judgment; recoveredBy: readonly string[] }
  | { ok: false; reason: string; message: string };

/**
 * One line of a results file: one sample judged in one order.
 * `verdict` is in the original order's frame (for a swapped run, `answer1` still means the
 * dataset's first answer); `verdictAsJudged` is what the judge said about what it was shown.
 */
export interface JudgeResultRecord {
  /** Sample id. */
  id: string;
  /** 0-based position of the sample in the dataset. */
  index: number;
  order: JudgeOrder;
  /** Template id (or `'custom'` for an unregistered template) and output format. */
  templateId: string;
  outputFormat: string;
  /** First 16 hex digits of the SHA-256 of the raw prompt (detects a changed prompt on resume). */
  promptHash: string;
  /** Model id reported by the backend (or the `JudgeModel.id` for pre-computed outputs). */
  model: string;
  /** The juror of a jury run whose call this is (absent for a single judge). */
  juror?: string;
  /** Reference verdict in the original frame, `null` when the sample has none. */
  label: Verdict | null;
  /** The completion text (with no prefill), `null` when the call failed. */
  text: string | null;
  reasoningContent?: string;
  /** The assistant prefill the completion continues (parsed as `prefill + text`). */
  prefill?: string;
  /**
   * Which of the three outcomes this record is. Absent in files written before it existed: then a
   * record with `error` is an error, else `parse.ok` decides (see {@link outcomeOf}).
   */
  outcome?: JudgeOutcome;
  /** Parse outcome; a failed model call has `{ ok: false, reason: 'model-error' }` (never scored). */
  parse: StoredParse;
  verdict: Verdict | null;
  verdictAsJudged: Verdict | null;
  usage: Usage;
  finishReason?: string;
  cached?: boolean;
  /** Wall time of the model call in milliseconds. */
  latencyMs?: number;
  /** Message of a failed model call (credentials redacted). Such records are retried on resume. */
  error?: string;
  /** Code of the failed call's error (`model_call`, `timeout`, …) and its HTTP status, if any. */
  errorCode?: string;
  errorStatus?: number;
  /**
   * With `probabilities`: the expected score or verdict distribution read from the answer token's
   * top log-probabilities (an extra view; `verdict` stays the sampled verdict).
   */
  probabilities?: JudgmentProbabilities;
  /** The `top_logprobs` k the call asked for (with `probabilities`). */
  topLogprobs?: number;
}

/** The outcome of a record, also for records written before `outcome` existed. */
export function outcomeOf(r: Pick<JudgeResultRecord, 'outcome' | 'error' | 'parse'>): JudgeOutcome {
  if (r.outcome !== undefined) return r.outcome;
  if (r.error !== undefined) return 'error';
  return r.parse.ok ? 'verdict' : 'parse-failure';
}

/** A judgment that produced no usable response, kept in the result with its message. */
export interface ErrorExample {
  id: string;
  order: JudgeOrder;
  /** Error code (`model_call`, `timeout`, …) or `'error'`. */
  code: string;
  message: string;
}

/** Judgments with no usable response (never scored; retried on resume). */
export interface ErrorSummary {
  /** Errors in the original order (samples missing from the metrics). */
  total: number;
  /** Errors in the swapped order. */
  swappedTotal: number;
  /** Counts by error code (with the HTTP status, e.g. `model_call 500`) over both orders. */
  byCode: Record<string, number>;
  /** The first 20 errors with their messages. */
  examples: ErrorExample[];
}

/** A parse failure kept in the result with its raw text (truncated to 2,000 characters). */
export interface FailureExample {
  id: string;
  order: JudgeOrder;
  reason: string;
  raw: string;
}

/** Parse failures of a run (failed model calls are not parse failures: see {@link ErrorSummary}). */
export interface ParseFailureSummary {
  /** Failures in the original order (these enter the metrics under the failure policy). */
  total: number;
  /** Failures in the swapped order. */
  swappedTotal: number;
  /** Counts by reason code over both orders. */
  byReason: Record<string, number>;
  /** Every failure with its raw text, original order first. */
  examples: FailureExample[];
}

/** Counts of a run. */
export interface EvaluationCounts {
  /** Samples in the dataset. */
  samples: number;
  /**
   * Samples judged in the original order: a verdict or a parse failure (a usable response). The
   * metrics are over these; errors are not judged.
   */
  judged: number;
  /** Samples judged in the swapped order. */
  judgedSwapped: number;
  /** Samples whose original-order call ended in an error (no usable response; not scored). */
  errors: number;
  /** Samples with no original-order record at all (an interrupted run). */
  pending: number;
  /** Judged samples that have a reference label. */
  labelled: number;
  /** Calls that ended in an error, both orders (after the backend's retries). */
  modelErrors: number;
  /** Calls served from a cache. */
  cachedCalls: number;
}

/** The summary of an evaluation. Plain data (JSON-ready). */
export interface EvaluationResult {
  templateId: string;
  outputFormat: string;
  model: string;
  parseMode: 'strict' | 'lenient';
  failurePolicy: FailurePolicy;
  /**
   * Whether every sample (and order) has a usable result. False after an interrupted run or when
   * some calls ended in an error.
   */
  complete: boolean;
  counts: EvaluationCounts;
  /** `evaluateJudge` on the original-order verdicts of labelled samples; absent without labels. */
  metrics?: JudgeReport;
  /**
   * The same with `failurePolicy: 'count-separately'` (a failure is always wrong), no intervals;
   * present when `failurePolicy` is something else, so the cost of the convention is visible.
   */
  metricsCountSeparately?: JudgeReport;
  /** JudgeLM consistency / position bias over samples judged in both orders (with `swap`). */
  swap?: SwapConsistency;
  /**
   * The two orders scored under the combine rule named in `SummarizeOptions.combine` (FastChat,
   * JudgeBench, LLMBar, both-agree or a registered rule), over the labelled samples judged in both
   * orders; `combined.rule` says which rule made the numbers.
   */
  combined?: TwoOrderReport;
  parseFailures: ParseFailureSummary;
  /** Calls with no usable response; never scored. */
  errors: ErrorSummary;
  /** Token usage summed over all calls. */
  usage: Usage;
  /**
   * With `probabilities`: mean mass, how often the distribution's argmax equals the sampled
   * verdict, and the argmax verdict's own accuracy (a separate figure from `metrics`).
   */
  probabilities?: ProbabilitySummary;
  /** Original-order verdicts aligned with the dataset (`null`: parse failure, error or pending). */
  predictions: (Verdict | null)[];
  /** Reference labels aligned with the dataset. */
  labels: (Verdict | null)[];
}

/** Options of {@link summarizeJudgeRecords}. */
export interface SummarizeOptions {
  /** Number of samples in the dataset (records may be fewer after an interrupted run). */
  samples?: number;
  /** Whether swapped-order results were asked for (counts them into `complete`). */
  swap?: boolean;
  failurePolicy?: FailurePolicy;
  parseMode?: 'strict' | 'lenient';
  /** Bootstrap of the headline metrics; default 1000 resamples, seed 0; `false` for none. */
  bootstrap?: BootstrapOptions | false;
  /**
   * Two-order combination rule (`getCombineRule` of `@judgekit/metrics`: `'fastchat'`,
   * `'judgebench'`, `'llmbar'`, `'both-agree'` or a registered name) applied when samples were
   * judged in both orders; the result then has `combined`.
   */
  combine?: string;
  /** Group name per dataset sample (category, source); adds per-group reports to `metrics` and `combined`. */
  groups?: readonly (string | null | undefined)[];
}

const MAX_RAW = 2000;
const MAX_ERROR_EXAMPLES = 20;

/** Key of a record: sample position and order. */
export function recordKey(index: number, order: JudgeOrder): string {
  return `${index}:${order}`;
}

/**
 * Summarise result records into an `EvaluationResult`. For each (sample, order) the last record
 * wins (a resumed run may have retried a failed call). The three outcomes stay apart: verdicts are
 * scored; parse failures are passed to `evaluateJudge` as failures and handled by `failurePolicy`
 * (default `'count-separately'`: always wrong, never a tie), never dropped silently; errors (no
 * usable response) are never scored: they are counted in `counts.errors` / `errors` and left out
 * of the metrics' denominators, so a flaky server cannot move the accuracy.
 */
export function summarizeJudgeRecords(
  records: readonly JudgeResultRecord[],
  options: SummarizeOptions = {},
): EvaluationResult {
  const failurePolicy = options.failurePolicy ?? 'count-separately';
  const latest = new Map<string, JudgeResultRecord>();
  let maxIndex = -1;
  for (const r of records) {
    latest.set(recordKey(r.index, r.order), r);
    if (r.index > maxIndex) maxIndex = r.index;
  }
  const n = options.samples ?? maxIndex + 1;
  const predictions: (Verdict | null)[] = new Array(n).fill(null);
  const labels: (Verdict | null)[] = new Array(n).fill(null);
  const byReason: Record<string, number> = {};
  const originals: FailureExample[] = [];
  const swappedFailures: FailureExample[] = [];
  let usage = emptyUsage();
  let judged = 0;
  let judgedSwapped = 0;
  let modelErrors = 0;
  let errorTotal = 0;
  let errorSwapped = 0;
  const errorsByCode: Record<string, number> = {};
  const errorExamples: ErrorExample[] = [];
  let cachedCalls = 0;
  let total = 0;
  let swappedTotal = 0;
  const judgedIdx: number[] = [];
  const seq: (Verdict | null)[] = [];
  const rev: (Verdict | null)[] = [];
  const bothIdx: number[] = [];
  let first: JudgeResultRecord | undefined;
  for (const r of latest.values()) {
    first ??= r;
    usage = addUsage(usage, r.usage);
    if (r.cached) cachedCalls++;
    if (outcomeOf(r) === 'error') {
      modelErrors++;
      const code = `${r.errorCode ?? 'error'}${r.errorStatus === undefined ? '' : ` ${r.errorStatus}`}`;
      errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
      if (r.order === 'original') errorTotal++;
      else errorSwapped++;
      if (errorExamples.length < MAX_ERROR_EXAMPLES)
        errorExamples.push({
          id: r.id,
          order: r.order,
          code,
          message: r.error ?? (r.parse.ok ? '' : r.parse.message),
        });
      continue;
    }
    if (!r.parse.ok) {
      byReason[r.parse.reason] = (byReason[r.parse.reason] ?? 0) + 1;
      const ex: FailureExample = {
        id: r.id,
        order: r.order,
        reason: r.parse.reason,
        raw: (r.text ?? r.error ?? '').slice(0, MAX_RAW),
      };
      if (r.order === 'original') {
        total++;
        originals.push(ex);
      } else {
        swappedTotal++;
        swappedFailures.push(ex);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const o = latest.get(recordKey(i, 'original'));
    if (o === undefined || outcomeOf(o) === 'error') continue;
    judged++;
    judgedIdx.push(i);
    predictions[i] = o.verdict;
    labels[i] = o.label;
    const s = latest.get(recordKey(i, 'swapped'));
    if (s !== undefined && outcomeOf(s) !== 'error') {
      judgedSwapped++;
      seq.push(o.verdict);
      rev.push(s.verdict);
      bothIdx.push(i);
    }
  }
  const jp = judgedIdx.map((i) => predictions[i]!);
  const jl = judgedIdx.map((i) => labels[i]!);
  const labelled = jl.filter((l) => l !== null).length;
  const result: EvaluationResult = {
    templateId: first?.templateId ?? '',
    outputFormat: first?.outputFormat ?? '',
    model: first?.model ?? '',
    parseMode: options.parseMode ?? 'strict',
    failurePolicy,
    complete: judged === n && (!options.swap || judgedSwapped === n),
    counts: {
      samples: n,
      judged,
      judgedSwapped,
      errors: errorTotal,
      pending: n - judged - errorTotal,
      labelled,
      modelErrors,
      cachedCalls,
    },
    parseFailures: { total, swappedTotal, byReason, examples: [...originals, ...swappedFailures] },
    errors: { total: errorTotal, swappedTotal: errorSwapped, byCode: errorsByCode, examples: errorExamples },
    usage,
    predictions,
    labels,
  };
  if (labelled > 0) {
    const bootstrap = options.bootstrap === undefined ? { resamples: 1000, seed: 0 } : options.bootstrap;
    result.metrics = evaluateJudge({
      predictions: jp,
      labels: jl,
      failurePolicy,
      bootstrap,
      ...(options.groups === undefined ? {} : { groupBy: judgedIdx.map((i) => options.groups![i] ?? null) }),
    });
    if (failurePolicy !== 'count-separately') {
      result.metricsCountSeparately = evaluateJudge({
        predictions: jp,
        labels: jl,
        failurePolicy: 'count-separately',
      });
    }
  }
  if (seq.length > 0) {
    result.swap = swapConsistency(seq, rev, { reversedFrame: 'original', failurePolicy });
  }
  if (options.combine !== undefined && bothIdx.some((i) => labels[i] !== null)) {
    const bootstrap = options.bootstrap === undefined ? { resamples: 1000, seed: 0 } : options.bootstrap;
    result.combined = evaluateTwoOrders({
      original: seq,
      swapped: rev,
      labels: bothIdx.map((i) => labels[i]!),
      rule: options.combine,
      failurePolicy,
      bootstrap,
      ...(options.groups === undefined ? {} : { groupBy: bothIdx.map((i) => options.groups![i] ?? null) }),
    });
    delete result.combined.verdicts;
  }
  const probabilities = summarizeProbabilities([...latest.values()]);
  if (probabilities !== undefined) result.probabilities = probabilities;
  return result;
}
