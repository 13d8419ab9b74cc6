/**
 * Probability-weighted judgments (G-Eval style) in the pipelines: ask the model for its top
 * log-probabilities, read the answer token's candidates with `@judgekit/parsers`
 * (`expectedScoreFromLogprobs`, `verdictDistributionFromLogprobs`, `LOGPROB_ANSWER_TOKENS`) and
 * summarise them beside the sampled verdicts, which stay the verdicts.
 */

import { ConfigError, swapVerdict, type Verdict } from '@judgekit/core';
import type { TokenLogprob } from '@judgekit/models';
import {
  expectedScoreFromLogprobs,
  LOGPROB_ANSWER_TOKENS,
  type LogprobFailureReason,
  verdictDistributionFromLogprobs,
} from '@judgekit/parsers';
import type { JudgeResultRecord } from './judge-records.js';

/**
 * Request top log-probabilities and compute, per judgment, the expected score (score formats) or
 * the verdict distribution (letter formats) of the answer token. Only the output formats listed in
 * `LOGPROB_ANSWER_TOKENS` of `@judgekit/parsers`; others are a `ConfigError`.
 */
export interface ProbabilityOptions {
  /** Candidates per generated token (`top_logprobs: k`; OpenAI allows up to 20). An integer ≥ 1. */
  topLogprobs: number;
}

/** A G-Eval expected score of one judgment. */
export interface ScoreProbabilities {
  ok: true;
  kind: 'score';
  /** Σ p(value)·value over the allowed values, renormalised by `mass`. */
  expected: number;
  /** Probability of each allowed value (renormalised). */
  distribution: Record<string, number>;
  /** Probability the allowed values held among the returned candidates (before renormalising). */
  mass: number;
  /** The most likely value. */
  mode: number;
  /** Index of the answer token among the generated tokens. */
  position: number;
}

/** The verdict distribution of one judgment. */
export interface VerdictProbabilities {
  ok: true;
  kind: 'verdict';
  /** Probability of each verdict in the original frame (`answer1` = the dataset's first answer). */
  distribution: Record<Verdict, number>;
  /** The same about what the judge was shown (differs from `distribution` for a swapped order). */
  distributionAsJudged: Record<Verdict, number>;
  /** The most likely verdict (argmax of `distribution`), original frame. Not the sampled verdict. */
  verdict: Verdict;
  /** The most likely verdict as judged. */
  verdictAsJudged: Verdict;
  mass: number;
  position: number;
}

/** Why a judgment has no probability view (its sampled verdict is unaffected). */
export interface ProbabilityFailure {
  ok: false;
  /** `'no-logprobs'`: the model returned none; else the parsers' `LogprobFailureReason`. */
  reason: LogprobFailureReason | 'no-logprobs';
  message: string;
}

/** The probability view of one judgment, stored beside its sampled verdict. */
export type JudgmentProbabilities = ScoreProbabilities | VerdictProbabilities | ProbabilityFailure;

type AnswerToken =
  | { kind: 'score'; options: { after?: string }; values: readonly number[] }
  | { kind: 'verdict'; options: { after?: string }; labels: Readonly<Record<string, Verdict>> };

const TABLE = LOGPROB_ANSWER_TOKENS as unknown as Readonly<Record<string, AnswerToken>>;

/** Output formats whose answer token can be read from log-probabilities. */
export function probabilityFormats(): string[] {
  return Object.keys(TABLE);
}

/**
 * Check `options` for `outputFormat` up front: `topLogprobs` an integer ≥ 1 and the format one of
 * `LOGPROB_ANSWER_TOKENS` (the error names them). Throws core `ConfigError`.
 */
export function checkProbabilityOptions(outputFormat: string, options: ProbabilityOptions): void {
  const k = (options as ProbabilityOptions | null)?.topLogprobs;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1)
    throw new ConfigError(`probabilities.topLogprobs must be an integer >= 1, got ${JSON.stringify(k)}`);
  if (!Object.hasOwn(TABLE, outputFormat))
    throw new ConfigError(
      `probabilities are read from the answer token of a score or letter format; output format ${JSON.stringify(outputFormat)} has none. Supported: ${probabilityFormats().join(', ')}`,
    );
}

/** A verdict distribution seen from the other answer order. */
function swapDistribution(d: Record<Verdict, number>): Record<Verdict, number> {
  return { answer1: d.answer2, answer2: d.answer1, tie: d.tie };
}

/**
 * The probability view of one completion's tokens for `outputFormat` (checked with
 * {@link checkProbabilityOptions}); `order: 'swapped'` maps the distribution and its argmax back
 * to the original frame. Never throws on model output: missing or unreadable log-probs are a
 * `ProbabilityFailure`.
 */
export function judgmentProbabilities(
  outputFormat: string,
  logprobs: readonly TokenLogprob[] | undefined,
  order: 'original' | 'swapped' = 'original',
): JudgmentProbabilities {
  const entry = Object.hasOwn(TABLE, outputFormat) ? TABLE[outputFormat] : undefined;
  if (entry === undefined)
    return { ok: false, reason: 'no-tokens', message: `no answer token known for ${outputFormat}` };
  if (logprobs === undefined)
    return {
      ok: false,
      reason: 'no-logprobs',
      message:
        'the model returned no token log-probabilities (a backend without logprobs, or a malformed list that was dropped)',
    };
  if (entry.kind === 'score') {
    const r = expectedScoreFromLogprobs(logprobs, entry.values, entry.options);
    if (!r.ok) return { ok: false, reason: r.reason, message: r.message };
    return { ok: true, kind: 'score', ...r.value };
  }
  const r = verdictDistributionFromLogprobs(logprobs, entry.labels, entry.options);
  if (!r.ok) return { ok: false, reason: r.reason, message: r.message };
  const asJudged = r.value.distribution;
  const swapped = order === 'swapped';
  return {
    ok: true,
    kind: 'verdict',
    distribution: swapped ? swapDistribution(asJudged) : { ...asJudged },
    distributionAsJudged: asJudged,
    verdict: swapped ? swapVerdict(r.value.verdict) : r.value.verdict,
    verdictAsJudged: r.value.verdict,
    mass: r.value.mass,
    position: r.value.position,
  };
}

/** The probability view of a call that judged the swapped order (computed as judged), in the original frame. @internal */
export function swappedFrame(p: JudgmentProbabilities): JudgmentProbabilities {
  if (!p.ok || p.kind !== 'verdict') return p;
  return {
    ...p,
    distribution: swapDistribution(p.distributionAsJudged),
    verdict: swapVerdict(p.verdictAsJudged),
  };
}

/**
 * The probability section of an evaluation, over original-order judgments with a usable response
 * (as the metrics). The sampled verdicts remain the verdicts; these are extra views.
 */
export interface ProbabilitySummary {
  /** Original-order judgments with a usable response. */
  judged: number;
  /** Of those, with a probability view. */
  read: number;
  /** Judgments without one, by reason. */
  unreadable: Record<string, number>;
  /** Mean `mass` over the read judgments (`null` when none). */
  meanMass: number | null;
  /** Score formats: mean expected score over the read judgments. */
  meanExpectedScore?: number | null;
  /**
   * Verdict formats: how often the argmax of the distribution equals the sampled verdict (over read
   * judgments that have a sampled verdict), and the accuracy of the argmax verdict against the
   * reference labels (over read, labelled judgments) — a separate figure, not the run's accuracy.
   */
  argmax?: {
    agreesWithSampled: number;
    comparedWithSampled: number;
    agreementRate: number | null;
    correct: number;
    labelled: number;
    accuracy: number | null;
  };
}

/**
 * Summarise the probability views of result records (the last record per sample and order wins, as
 * in `summarizeJudgeRecords`); `undefined` when no record has one.
 */
export function summarizeProbabilities(
  records: readonly JudgeResultRecord[],
): ProbabilitySummary | undefined {
  if (!records.some((r) => r.probabilities !== undefined)) return undefined;
  const latest = new Map<number, JudgeResultRecord>();
  for (const r of records) if (r.order === 'original') latest.set(r.index, r);
  let judged = 0;
  let read = 0;
  let massSum = 0;
  let expectedSum = 0;
  let scores = 0;
  let verdicts = 0;
  const unreadable: Record<string, number> = {};
  const argmax = { agreesWithSampled: 0, comparedWithSampled: 0, correct: 0, labelled: 0 };
  for (const r of latest.values()) {
    if (r.outcome === 'error' || r.error !== undefined) continue;
    judged++;
    const p = r.probabilities;
    if (p === undefined || !p.ok) {
      const reason = p === undefined ? 'not-requested' : p.reason;
      unreadable[reason] = (unreadable[reason] ?? 0) + 1;
      continue;
    }
    read++;
    massSum += p.mass;
    if (p.kind === 'score') {
      scores++;
      expectedSum += p.expected;
      continue;
    }
    verdicts++;
    if (r.verdict !== null) {
      argmax.comparedWithSampled++;
      if (p.verdict === r.verdict) argmax.agreesWithSampled++;
    }
    if (r.label !== null) {
      argmax.labelled++;
      if (p.verdict === r.label) argmax.correct++;
    }
  }
  const out: ProbabilitySummary = { judged, read, unreadable, meanMass: read > 0 ? massSum / read : null };
  if (scores > 0) out.meanExpectedScore = expectedSum / scores;
  if (verdicts > 0)
    out.argmax = {
      ...argmax,
      agreementRate:
        argmax.comparedWithSampled > 0 ? argmax.agreesWithSampled / argmax.comparedWithSampled : null,
      accuracy: argmax.labelled > 0 ? argmax.correct / argmax.labelled : null,
    };
  return out;
}
