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

/** Which presentation order a record judged: the dataset's, or with the two answers swapped. */
export type JudgeOrder = 'original' | 'swapped';

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
  /** Reference verdict in the original frame, `null` when the sample has none. */
  label: Verdict | null;
  /** The completion text (with no prefill), `null` when the call failed. */
  text: string | null;
  reasoningContent?: string;
  /** The assistant prefill the completion continues (parsed as `prefill + text`). */
  prefill?: string;
  /** Parse outcome; a failed model call has `{ ok: false, reason: 'model-error' }`. */
  parse: StoredParse;
  verdict: Verdict | null;
  verdictAsJudged: Verdict | null;
  usage: Usage;
  finishReason?: string;
  cached?: boolean;
  /** Wall time of the model call in milliseconds. */
  latencyMs?: number;
  /** Message of a failed model call. Such records are retried when the run is resumed. */
  error?: string;
}

/** A parse failure kept in the result with its raw text (truncated to 2,000 characters). */
export interface FailureExample {
  id: string;
  order: JudgeOrder;
  reason: string;
  raw: string;
}

/** Parse failures (and failed model calls) of a run. */
export interface ParseFailureSummary {
  /** Failures in the original order (these enter the metrics under the failure policy). */
  total: number;
  /** Failures in the swapped order. */
  swappedTotal: number;
  /** Counts by reason code over both orders (`model-error` for failed calls). */
  byReason: Record<string, number>;
  /** Every failure with its raw text, original order first. */
  examples: FailureExample[];
}

/** Counts of a run. */
export interface EvaluationCounts {
  /** Samples in the dataset. */
  samples: number;
  /** Samples judged in the original order (with or without a parse). */
  judged: number;
  /** Samples judged in the swapped order. */
  judgedSwapped: number;
  /** Samples not yet judged (an interrupted run). */
  pending: number;
  /** Judged samples that have a reference label. */
  labelled: number;
  /** Model calls that failed (after the backend's retries). */
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
  /** Whether every sample (and order) has a result. False after an interrupted run. */
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
  /** Token usage summed over all calls. */
  usage: Usage;
  /** Original-order verdicts aligned with the dataset (`null`: failure or pending). */
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

/** Key of a record: sample position and order. */
export function recordKey(index: number, order: JudgeOrder): string {
  return `${index}:${order}`;
}

/**
 * Summarise result records into an `EvaluationResult`. For each (sample, order) the last record
 * wins (a resumed run may have retried a failed call). Parse failures are passed to
 * `evaluateJudge` as failures and handled by `failurePolicy` (default `'count-separately'`:
 * always wrong, never a tie); they are never dropped silently.
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
    if (r.error !== undefined) modelErrors++;
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
    if (o === undefined) continue;
    judged++;
    judgedIdx.push(i);
    predictions[i] = o.verdict;
    labels[i] = o.label;
    const s = latest.get(recordKey(i, 'swapped'));
    if (s !== undefined) {
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
      pending: n - judged,
      labelled,
      modelErrors,
      cachedCalls,
    },
    parseFailures: { total, swappedTotal, byReason, examples: [...originals, ...swappedFailures] },
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
  return result;
}
