/**
 * One call that evaluates a judge's verdicts against reference labels and returns a JSON-ready
 * report: accuracy, per-class and macro P/R/F1, Cohen's kappa, confusion matrix, failure counts and
 * optional bootstrap intervals. Also the paired bootstrap of two judges on the same samples.
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import {
  type BootstrapOptions,
  bootstrapReplicates,
  type ConfidenceInterval,
  percentileInterval,
  resolveBootstrap,
} from './bootstrap.js';
import {
  type ClassificationMetrics,
  type ClassificationOptions,
  classificationFromCounts,
  classificationStatsInto,
  STAT,
  STAT_LENGTH,
} from './classification-metrics.js';
import {
  CONFUSION_CELLS,
  CONFUSION_COLS,
  type ConfusionMatrix,
  jointCodes,
  toConfusionMatrix,
} from './confusion-matrix.js';
import {
  CODE_FAILURE,
  CODE_TIE,
  encodeVerdicts,
  type FailurePolicy,
  NUM_CLASSES,
  type VerdictOrFailure,
} from './verdict-encoding.js';

/** The headline metrics that get bootstrap intervals. */
export const HEADLINE_METRICS = [
  'accuracy',
  'macroPrecision',
  'macroRecall',
  'macroF1',
  'cohenKappa',
] as const;
/** One of {@link HEADLINE_METRICS}. */
export type HeadlineMetric = (typeof HEADLINE_METRICS)[number];

const HEADLINE_SLOTS: readonly number[] = [
  STAT.accuracy,
  STAT.macroPrecision,
  STAT.macroRecall,
  STAT.macroF1,
  STAT.cohenKappa,
];

/** Inputs of {@link evaluateJudge}. */
export interface EvaluateJudgeOptions extends ClassificationOptions {
  /** The judge's verdicts; `null` / `undefined` marks a parse failure. */
  predictions: ArrayLike<VerdictOrFailure> | Uint8Array;
  /**
   * Reference verdicts, aligned by position. A `null` label (the reference itself failed to parse)
   * drops the sample, as JudgeLM's `if_filter_minus_one=True` does (baaivision/JudgeLM
   * judgelm/llm_judge/eval_model_judgement.py, commit 00c45169); the count is reported.
   */
  labels: ArrayLike<VerdictOrFailure> | Uint8Array;
  /** What to do with prediction parse failures. Default `'count-separately'`. */
  failurePolicy?: FailurePolicy;
  /** Bootstrap intervals for the headline metrics; omitted or `false` for none. */
  bootstrap?: BootstrapOptions | false;
  /**
   * A group name per sample (category, source), aligned with `predictions`; the report then has
   * `groups` with a full report per group (counts, `correct`, intervals with the same bootstrap
   * options). `null` / `undefined` / `''` puts a sample in no group (it still counts overall).
   */
  groupBy?: ArrayLike<string | null | undefined>;
}

/** The report of {@link evaluateJudge}. Plain data: `JSON.stringify` writes it (NaN as null). */
export interface JudgeReport extends ClassificationMetrics {
  /** Samples scored (after the drops below). */
  n: number;
  /**
   * Samples whose prediction equals the label (after the failure policy): the raw count behind
   * `accuracy` (`accuracy = correct / n`).
   */
  correct: number;
  /** Samples given. */
  inputSamples: number;
  /** Samples dropped because their label failed to parse. */
  droppedLabelFailures: number;
  /** Prediction parse failures among the samples with a valid label (before the policy applies). */
  predictionFailures: number;
  /** Share of prediction failures among samples with a valid label. */
  predictionFailureRate: number;
  /** The failure policy that was applied. */
  failurePolicy: FailurePolicy;
  /** Confusion matrix (rows true, columns predicted) with per-row failure counts. */
  confusion: ConfusionMatrix;
  /** Percentile bootstrap intervals of the headline metrics, when asked for. */
  ci?: Record<HeadlineMetric, ConfidenceInterval>;
  /** One report per group of `groupBy`, sorted by group name. */
  groups?: Record<string, JudgeReport>;
}

/** Prepared, aligned codes of a judge after label drops and the failure policy. */
export interface PreparedJudgeCodes {
  labels: Uint8Array;
  predictions: Uint8Array;
  droppedLabelFailures: number;
  predictionFailures: number;
}

/**
 * Align predictions with labels: drop samples with a failed label, count prediction failures,
 * apply `failurePolicy` (`'as-tie'` maps them to tie, `'drop'` removes them, `'count-separately'`
 * keeps code 3). Returns fresh arrays.
 */
export function prepareJudgeCodes(
  predictions: ArrayLike<VerdictOrFailure> | Uint8Array,
  labels: ArrayLike<VerdictOrFailure> | Uint8Array,
  failurePolicy: FailurePolicy = 'count-separately',
  extra?: ArrayLike<VerdictOrFailure> | Uint8Array,
): PreparedJudgeCodes & { extra?: Uint8Array } {
  if (predictions.length !== labels.length)
    throw new ShapeMismatchError('predictions vs labels', [labels.length], [predictions.length]);
  if (extra !== undefined && extra.length !== labels.length)
    throw new ShapeMismatchError('second predictions vs labels', [labels.length], [extra.length]);
  if (failurePolicy !== 'count-separately' && failurePolicy !== 'as-tie' && failurePolicy !== 'drop')
    throw new InvalidArgumentError('failurePolicy', `unknown policy ${JSON.stringify(failurePolicy)}`);
  const p = encodeVerdicts(predictions);
  const l = encodeVerdicts(labels);
  const e = extra === undefined ? undefined : encodeVerdicts(extra);
  const n = l.length;
  const keep = new Uint8Array(n);
  let kept = 0;
  let droppedLabelFailures = 0;
  let predictionFailures = 0;
  for (let i = 0; i < n; i++) {
    if (l[i] === CODE_FAILURE) {
      droppedLabelFailures++;
      continue;
    }
    const fail = p[i] === CODE_FAILURE || (e !== undefined && e[i] === CODE_FAILURE);
    if (p[i] === CODE_FAILURE) predictionFailures++;
    if (fail && failurePolicy === 'drop') continue;
    keep[i] = 1;
    kept++;
  }
  const labelsOut = new Uint8Array(kept);
  const predsOut = new Uint8Array(kept);
  const extraOut = e === undefined ? undefined : new Uint8Array(kept);
  const asTie = failurePolicy === 'as-tie';
  for (let i = 0, j = 0; i < n; i++) {
    if (!keep[i]) continue;
    labelsOut[j] = l[i]!;
    predsOut[j] = asTie && p[i] === CODE_FAILURE ? CODE_TIE : p[i]!;
    if (extraOut !== undefined) extraOut[j] = asTie && e![i] === CODE_FAILURE ? CODE_TIE : e![i]!;
    j++;
  }
  const out: PreparedJudgeCodes & { extra?: Uint8Array } = {
    labels: labelsOut,
    predictions: predsOut,
    droppedLabelFailures,
    predictionFailures,
  };
  if (extraOut !== undefined) out.extra = extraOut;
  return out;
}

/**
 * Evaluate a judge against reference labels.
 *
 * Reproduces the PandaLM README table on the PandaLM test set with `failurePolicy: 'as-tie'`
 * (GPT-3.5: accuracy 0.7107, macro P/R/F1 0.5879 / 0.5736 / 0.5755) and JudgeLM's
 * `calculate_metrics` agreement / macro P/R/F1 (labels that failed to parse dropped, prediction
 * failures as tie). With the default `'count-separately'` a failure is always wrong and never a
 * class. Intervals: seeded percentile bootstrap over samples (see {@link BootstrapOptions}).
 */
export function evaluateJudge(options: EvaluateJudgeOptions): JudgeReport {
  const failurePolicy = options.failurePolicy ?? 'count-separately';
  const { predictions, labels } = options;
  if (predictions.length !== labels.length)
    throw new ShapeMismatchError('predictions vs labels', [labels.length], [predictions.length]);
  if (failurePolicy !== 'count-separately' && failurePolicy !== 'as-tie' && failurePolicy !== 'drop')
    throw new InvalidArgumentError('failurePolicy', `unknown policy ${JSON.stringify(failurePolicy)}`);
  // Strings are encoded (and checked) here; Uint8Array codes are checked by the counting pass.
  const p = predictions instanceof Uint8Array ? predictions : encodeVerdicts(predictions);
  const l = labels instanceof Uint8Array ? labels : encodeVerdicts(labels);
  const pairs = countCodePairs(l, p);
  if (pairs === undefined) {
    // Some code is out of range: let the validating encoder name it (predictions first).
    encodeVerdicts(p);
    encodeVerdicts(l);
    throw new InvalidArgumentError('verdicts', 'code out of range');
  }
  // pairs[label·4 + prediction]; label row 3 holds the samples dropped for a failed label.
  let droppedLabelFailures = 0;
  let predictionFailures = 0;
  const counts = new Float64Array(CONFUSION_CELLS);
  for (let t = 0; t < CONFUSION_COLS; t++) droppedLabelFailures += pairs[CONFUSION_CELLS + t]!;
  for (let t = 0; t < NUM_CLASSES; t++) {
    const row = t * CONFUSION_COLS;
    for (let c = 0; c < CONFUSION_COLS; c++) counts[row + c] = pairs[row + c]!;
    const failed = pairs[row + CODE_FAILURE]!;
    predictionFailures += failed;
    if (failurePolicy !== 'count-separately') counts[row + CODE_FAILURE] = 0;
    if (failurePolicy === 'as-tie') counts[row + CODE_TIE]! += failed;
  }
  const cls: ClassificationOptions = {};
  if (options.classes !== undefined) cls.classes = options.classes;
  if (options.zeroDivision !== undefined) cls.zeroDivision = options.zeroDivision;
  const metrics = classificationFromCounts(counts, cls);
  const valid = labels.length - droppedLabelFailures;
  const dropped = failurePolicy === 'drop' ? predictionFailures : 0;
  let correct = 0;
  for (let t = 0; t < NUM_CLASSES; t++) correct += counts[t * CONFUSION_COLS + t]!;
  const report: JudgeReport = {
    n: valid - dropped,
    correct,
    inputSamples: labels.length,
    droppedLabelFailures,
    predictionFailures,
    predictionFailureRate: valid > 0 ? predictionFailures / valid : Number.NaN,
    failurePolicy,
    ...metrics,
    confusion: toConfusionMatrix(counts),
  };
  if (options.bootstrap) {
    // Joint codes of the kept samples in input order (what the resamples draw from). Without label
    // failures, and with no prediction failure to remap or drop, they come straight from the input.
    const joint =
      droppedLabelFailures === 0 && (failurePolicy === 'count-separately' || predictionFailures === 0)
        ? jointCodes(l, p)
        : preparedJoint(p, l, failurePolicy);
    report.ci = bootstrapJudgeMetrics(joint, counts, cls, options.bootstrap);
  }
  if (options.groupBy !== undefined) report.groups = groupReports(options, p, l, failurePolicy);
  return report;
}

function groupReports(
  options: EvaluateJudgeOptions,
  p: Uint8Array,
  l: Uint8Array,
  failurePolicy: FailurePolicy,
): Record<string, JudgeReport> {
  const groupBy = options.groupBy!;
  if (groupBy.length !== p.length)
    throw new ShapeMismatchError('groupBy vs predictions', [p.length], [groupBy.length]);
  const members = new Map<string, number[]>();
  for (let i = 0; i < groupBy.length; i++) {
    const g = groupBy[i];
    if (g === null || g === undefined || g === '') continue;
    if (typeof g !== 'string')
      throw new InvalidArgumentError(
        'groupBy',
        `expected a string per sample, got ${JSON.stringify(g)} at ${i}`,
      );
    let list = members.get(g);
    if (list === undefined) members.set(g, (list = []));
    list.push(i);
  }
  const out: Record<string, JudgeReport> = {};
  for (const name of [...members.keys()].sort()) {
    const idx = members.get(name)!;
    const sub: EvaluateJudgeOptions = {
      predictions: Uint8Array.from(idx, (i) => p[i]!),
      labels: Uint8Array.from(idx, (i) => l[i]!),
      failurePolicy,
    };
    if (options.classes !== undefined) sub.classes = options.classes;
    if (options.zeroDivision !== undefined) sub.zeroDivision = options.zeroDivision;
    if (options.bootstrap) sub.bootstrap = options.bootstrap;
    out[name] = evaluateJudge(sub);
  }
  return out;
}

function preparedJoint(p: Uint8Array, l: Uint8Array, failurePolicy: FailurePolicy): Uint8Array {
  const prep = prepareJudgeCodes(p, l, failurePolicy);
  return jointCodes(prep.labels, prep.predictions);
}

/**
 * Histogram of `label·4 + prediction` over aligned code arrays (16 bins), in one pass with four
 * interleaved sub-histograms (so runs of the same code do not chain on one counter). Returns
 * `undefined` when some code is above 3 (the caller reports which).
 */
function countCodePairs(labels: Uint8Array, predictions: Uint8Array): Float64Array | undefined {
  const n = labels.length;
  // Out-of-range pairs index past 16 and land in the spare tail of each sub-histogram.
  const c0 = new Int32Array(PAIR_SPAN);
  const c1 = new Int32Array(PAIR_SPAN);
  const c2 = new Int32Array(PAIR_SPAN);
  const c3 = new Int32Array(PAIR_SPAN);
  let seen = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const l0 = labels[i]!;
    const l1 = labels[i + 1]!;
    const l2 = labels[i + 2]!;
    const l3 = labels[i + 3]!;
    const p0 = predictions[i]!;
    const p1 = predictions[i + 1]!;
    const p2 = predictions[i + 2]!;
    const p3 = predictions[i + 3]!;
    seen |= l0 | l1 | l2 | l3 | p0 | p1 | p2 | p3;
    c0[(l0 << 2) | p0]!++;
    c1[(l1 << 2) | p1]!++;
    c2[(l2 << 2) | p2]!++;
    c3[(l3 << 2) | p3]!++;
  }
  for (; i < n; i++) {
    const li = labels[i]!;
    const pi = predictions[i]!;
    seen |= li | pi;
    c0[(li << 2) | pi]!++;
  }
  if (seen > CODE_FAILURE) return undefined;
  const out = new Float64Array(16);
  for (let b = 0; b < 16; b++) out[b] = c0[b]! + c1[b]! + c2[b]! + c3[b]!;
  return out;
}

/** Length of a pair sub-histogram: every `(l << 2) | p` of two bytes fits. */
const PAIR_SPAN = 1024;

function bootstrapJudgeMetrics(
  joint: Uint8Array,
  counts: Float64Array,
  cls: ClassificationOptions,
  bootstrap: BootstrapOptions,
): Record<HeadlineMetric, ConfidenceInterval> {
  const { confidence } = resolveBootstrap(bootstrap);
  const full = classificationStatsInto(counts, cls, new Float64Array(STAT_LENGTH));
  const scratch = new Float64Array(STAT_LENGTH);
  const k = HEADLINE_SLOTS.length;
  const reps = bootstrapReplicates(
    joint,
    CONFUSION_CELLS,
    k,
    (hist, out) => {
      classificationStatsInto(hist, cls, scratch);
      for (let s = 0; s < k; s++) out[s] = scratch[HEADLINE_SLOTS[s]!]!;
    },
    bootstrap,
  );
  const ci = {} as Record<HeadlineMetric, ConfidenceInterval>;
  HEADLINE_METRICS.forEach((name, s) => {
    ci[name] = percentileInterval(reps, k, s, full[HEADLINE_SLOTS[s]!]!, confidence);
  });
  return ci;
}

/** The paired comparison of one headline metric between two judges. */
export interface PairedDifference extends ConfidenceInterval {
  /** Metric of judge A on the full sample. */
  a: number;
  /** Metric of judge B on the full sample. */
  b: number;
  /**
   * Two-sided bootstrap p-value of "no difference": `min(1, 2 · min(P*(Δ ≤ 0), P*(Δ ≥ 0)))` over the
   * replicates Δ* (the percentile-bootstrap test, e.g. Koehn 2004's paired bootstrap).
   */
  pValue: number;
}

/** Inputs of {@link pairedBootstrap}. */
export interface PairedBootstrapOptions extends ClassificationOptions {
  /** Verdicts of judge A. */
  predictionsA: ArrayLike<VerdictOrFailure> | Uint8Array;
  /** Verdicts of judge B, on the same samples in the same order. */
  predictionsB: ArrayLike<VerdictOrFailure> | Uint8Array;
  /** Shared reference labels (`null` drops the sample, as in {@link evaluateJudge}). */
  labels: ArrayLike<VerdictOrFailure> | Uint8Array;
  /** Failure policy for both judges (`'drop'` drops a sample when either judge failed). */
  failurePolicy?: FailurePolicy;
  /** Resamples, seed, confidence. */
  bootstrap?: BootstrapOptions;
}

/** Result of {@link pairedBootstrap}: A − B for each headline metric, resampling samples jointly. */
export interface PairedBootstrapReport {
  n: number;
  difference: Record<HeadlineMetric, PairedDifference>;
}

/**
 * Paired bootstrap of the difference (A − B) of every headline metric between two judges scored
 * on the same samples: each resample draws sample indices once and applies them to both judges,
 * so the sample-to-sample correlation of the two judges is kept. Joint code per sample is
 * `label·16 + predA·4 + predB` (48 bins).
 */
export function pairedBootstrap(options: PairedBootstrapOptions): PairedBootstrapReport {
  const failurePolicy = options.failurePolicy ?? 'count-separately';
  const prep = prepareJudgeCodes(options.predictionsA, options.labels, failurePolicy, options.predictionsB);
  const a = prep.predictions;
  const b = prep.extra!;
  const n = a.length;
  const codes = new Uint8Array(n);
  for (let i = 0; i < n; i++) codes[i] = prep.labels[i]! * 16 + a[i]! * 4 + b[i]!;
  const cls: ClassificationOptions = {};
  if (options.classes !== undefined) cls.classes = options.classes;
  if (options.zeroDivision !== undefined) cls.zeroDivision = options.zeroDivision;
  const ca = new Float64Array(CONFUSION_CELLS);
  const cb = new Float64Array(CONFUSION_CELLS);
  const sa = new Float64Array(STAT_LENGTH);
  const sb = new Float64Array(STAT_LENGTH);
  const k = HEADLINE_SLOTS.length;
  const split = (hist: Float64Array): void => {
    ca.fill(0);
    cb.fill(0);
    for (let code = 0; code < 48; code++) {
      const c = hist[code]!;
      if (c === 0) continue;
      const l = code >> 4;
      ca[l * CONFUSION_COLS + ((code >> 2) & 3)]! += c;
      cb[l * CONFUSION_COLS + (code & 3)]! += c;
    }
    classificationStatsInto(ca, cls, sa);
    classificationStatsInto(cb, cls, sb);
  };
  const full = new Float64Array(48);
  for (let i = 0; i < n; i++) full[codes[i]!]! += 1;
  split(full);
  const fullA = sa.slice();
  const fullB = sb.slice();
  const bs = options.bootstrap ?? {};
  const { confidence } = resolveBootstrap(bs);
  const reps = bootstrapReplicates(
    codes,
    48,
    k,
    (hist, out) => {
      split(hist);
      for (let s = 0; s < k; s++) out[s] = sa[HEADLINE_SLOTS[s]!]! - sb[HEADLINE_SLOTS[s]!]!;
    },
    bs,
  );
  const difference = {} as Record<HeadlineMetric, PairedDifference>;
  const resamples = reps.length / k;
  HEADLINE_METRICS.forEach((name, s) => {
    const slot = HEADLINE_SLOTS[s]!;
    const av = fullA[slot]!;
    const bv = fullB[slot]!;
    const ci = percentileInterval(reps, k, s, av - bv, confidence);
    let le = 0;
    let ge = 0;
    let m = 0;
    for (let r = 0; r < resamples; r++) {
      const d = reps[r * k + s]!;
      if (Number.isNaN(d)) continue;
      m++;
      if (d <= 0) le++;
      if (d >= 0) ge++;
    }
    difference[name] = {
      ...ci,
      a: av,
      b: bv,
      pValue: m > 0 ? Math.min(1, (2 * Math.min(le, ge)) / m) : Number.NaN,
    };
  });
  return { n, difference };
}
