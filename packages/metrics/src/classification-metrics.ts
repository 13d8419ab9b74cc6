/**
 * Accuracy and precision / recall / F1 per class and macro-averaged over {answer1, answer2, tie},
 * computed from confusion counts with scikit-learn's conventions (`accuracy_score`,
 * `precision_recall_fscore_support`, `cohen_kappa_score`; scikit-learn ≥ 1.3 F-score from counts).
 *
 * This is the metric of JudgeLM (baaivision/JudgeLM judgelm/llm_judge/eval_model_judgement.py
 * `calculate_metrics`, commit 00c45169: sklearn `average='macro'` over the labels present in
 * y_true ∪ y_pred), of the PandaLM README table (WeOpenML/PandaLM, commit 3871806e, issue #23:
 * "calculate macro p,r,f1 using sklearn") and of JudgeLRM (NuoJohnChen/JudgeLRM
 * pandalm/calculate_result.py, commit e60f305).
 */

import { InvalidArgumentError, type Verdict, VERDICTS } from '@judgekit/core';
import { CONFUSION_COLS } from './confusion-matrix.js';
import { NUM_CLASSES } from './verdict-encoding.js';

/**
 * Which classes the macro average runs over.
 * - `'present'` (default): the classes that occur in the labels or the predictions, as sklearn does
 *   when `labels=None` (the JudgeLM / PandaLM / JudgeLRM scripts). Parse failures are never a class.
 * - `'all'`: always the three classes, as sklearn with `labels=[answer1, answer2, tie]`.
 */
export type ClassSelection = 'present' | 'all';

/**
 * Value of a ratio whose denominator is zero, sklearn's `zero_division`: `0` (the default, as
 * sklearn's `"warn"`), `1`, or `'nan'` (such classes are then left out of the macro average, as
 * sklearn's `_nanaverage`).
 */
export type ZeroDivision = 0 | 1 | 'nan';

/** Options of the classification metrics. */
export interface ClassificationOptions {
  /** Classes of the macro average. Default `'present'`. */
  classes?: ClassSelection;
  /** Value of 0/0 ratios. Default `0`. */
  zeroDivision?: ZeroDivision;
}

/** Slots of the flat statistics vector written by {@link classificationStatsInto}. */
export const STAT = {
  accuracy: 0,
  macroPrecision: 1,
  macroRecall: 2,
  macroF1: 3,
  cohenKappa: 4,
  precision: 5, // + class
  recall: 8, // + class
  f1: 11, // + class
} as const;
/** Length of the flat statistics vector. */
export const STAT_LENGTH = 14;

function zd(z: ZeroDivision): number {
  return z === 'nan' ? Number.NaN : z;
}

/**
 * Write every classification statistic of 3 × 4 confusion counts (row = true class, last column =
 * parse failures) into `out` (length {@link STAT_LENGTH}, layout {@link STAT}). Allocation-free;
 * the bootstrap calls it once per resample.
 *
 * - accuracy = trace / total (failures count as wrong; NaN when total is 0);
 * - precision_k = tp_k / predicted_k, recall_k = tp_k / support_k (support includes failures),
 *   F1_k = 2 tp_k / (support_k + predicted_k), each `zeroDivision` when the denominator is 0;
 * - macro = mean over the selected classes, NaN entries skipped;
 * - Cohen's kappa (unweighted) of predictions vs labels with the failure as a fourth category,
 *   `1 - Σ w·C / Σ w·E` as sklearn's `cohen_kappa_score` (NaN when expected agreement is 1).
 */
export function classificationStatsInto(
  counts: Float64Array,
  options: ClassificationOptions,
  out: Float64Array,
): Float64Array {
  const z = zd(options.zeroDivision ?? 0);
  const all = (options.classes ?? 'present') === 'all';
  let total = 0;
  let trace = 0;
  let mp = 0;
  let mr = 0;
  let mf = 0;
  let np = 0;
  let nr = 0;
  let nf = 0;
  let expected = 0;
  for (let k = 0; k < NUM_CLASSES; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < CONFUSION_COLS; j++) support += counts[k * CONFUSION_COLS + j]!;
    for (let t = 0; t < NUM_CLASSES; t++) predicted += counts[t * CONFUSION_COLS + k]!;
    const tp = counts[k * CONFUSION_COLS + k]!;
    total += support;
    trace += tp;
    expected += support * predicted;
    const p = predicted > 0 ? tp / predicted : z;
    const r = support > 0 ? tp / support : z;
    const f = support + predicted > 0 ? (2 * tp) / (support + predicted) : z;
    out[STAT.precision + k] = p;
    out[STAT.recall + k] = r;
    out[STAT.f1 + k] = f;
    if (all || support > 0 || predicted > 0) {
      if (!Number.isNaN(p)) {
        mp += p;
        np++;
      }
      if (!Number.isNaN(r)) {
        mr += r;
        nr++;
      }
      if (!Number.isNaN(f)) {
        mf += f;
        nf++;
      }
    }
  }
  out[STAT.accuracy] = total > 0 ? trace / total : Number.NaN;
  out[STAT.macroPrecision] = np > 0 ? mp / np : Number.NaN;
  out[STAT.macroRecall] = nr > 0 ? mr / nr : Number.NaN;
  out[STAT.macroF1] = nf > 0 ? mf / nf : Number.NaN;
  // kappa = 1 - (1 - po) / (1 - pe) with po = trace/total, pe = Σ support·predicted / total².
  const pe = total > 0 ? expected / (total * total) : Number.NaN;
  const po = total > 0 ? trace / total : Number.NaN;
  out[STAT.cohenKappa] = 1 - pe === 0 ? Number.NaN : (po - pe) / (1 - pe);
  return out;
}

/** Precision, recall and F1 of one class, with its support (true count) and predicted count. */
export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  /** Samples whose label is this class (sklearn's `support`). */
  support: number;
  /** Samples predicted as this class. */
  predicted: number;
}

/** Headline classification metrics of a judge against labels. Ratios are fractions in [0, 1]. */
export interface ClassificationMetrics {
  /** Share of samples whose prediction equals the label ("Agreement" in JudgeLM / JudgeLRM). */
  accuracy: number;
  /** Macro averages over {@link ClassificationMetrics.classesAveraged}. */
  macro: { precision: number; recall: number; f1: number };
  /** Per-class scores, keyed by verdict. */
  perClass: Record<Verdict, ClassScores>;
  /** Classes the macro average ran over. */
  classesAveraged: Verdict[];
  /** Cohen's kappa of predictions vs labels (failures as a fourth category). */
  cohenKappa: number;
}

/** {@link ClassificationMetrics} of 3 × 4 confusion counts. */
export function classificationFromCounts(
  counts: Float64Array,
  options: ClassificationOptions = {},
): ClassificationMetrics {
  if (counts.length !== NUM_CLASSES * CONFUSION_COLS)
    throw new InvalidArgumentError('counts', `expected 12 confusion cells, got ${counts.length}`);
  const s = classificationStatsInto(counts, options, new Float64Array(STAT_LENGTH));
  const all = (options.classes ?? 'present') === 'all';
  const perClass = {} as Record<Verdict, ClassScores>;
  const classesAveraged: Verdict[] = [];
  for (let k = 0; k < NUM_CLASSES; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < CONFUSION_COLS; j++) support += counts[k * CONFUSION_COLS + j]!;
    for (let t = 0; t < NUM_CLASSES; t++) predicted += counts[t * CONFUSION_COLS + k]!;
    const v = VERDICTS[k]!;
    perClass[v] = {
      precision: s[STAT.precision + k]!,
      recall: s[STAT.recall + k]!,
      f1: s[STAT.f1 + k]!,
      support,
      predicted,
    };
    if (all || support > 0 || predicted > 0) classesAveraged.push(v);
  }
  return {
    accuracy: s[STAT.accuracy]!,
    macro: { precision: s[STAT.macroPrecision]!, recall: s[STAT.macroRecall]!, f1: s[STAT.macroF1]! },
    perClass,
    classesAveraged,
    cohenKappa: s[STAT.cohenKappa]!,
  };
}
