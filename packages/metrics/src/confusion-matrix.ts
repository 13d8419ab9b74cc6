/**
 * Confusion matrices over {answer1, answer2, tie} with a fourth prediction column for parse
 * failures. Rows are the true class, columns the predicted one (sklearn's `confusion_matrix`
 * orientation), in `VERDICTS` order.
 */

import { ShapeMismatchError, type Verdict, VERDICTS } from '@judgekit/core';
import { CODE_FAILURE, CODE_TIE, NUM_CLASSES } from './verdict-encoding.js';

/** Columns of the raw count matrix: the three classes plus a failure column. */
export const CONFUSION_COLS = 4;
/** Cells of the raw count matrix (`3 × 4`, row-major, row = true class). */
export const CONFUSION_CELLS = NUM_CLASSES * CONFUSION_COLS;

/**
 * Joint code `label * 4 + prediction` of each sample, in `[0, 12)`. Labels must be real classes
 * (0..2); predictions may be failures (3). This is the one byte per sample the bootstrap resamples.
 */
export function jointCodes(labels: Uint8Array, predictions: Uint8Array): Uint8Array {
  if (labels.length !== predictions.length)
    throw new ShapeMismatchError('labels vs predictions', [labels.length], [predictions.length]);
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l > CODE_TIE) throw new ShapeMismatchError('label code (failures must be removed first)', [2], [l]);
    out[i] = l * CONFUSION_COLS + predictions[i]!;
  }
  return out;
}

/**
 * Histogram of joint codes into `out` (length 12, zeroed first; codes ≥ `out.length` are not counted). One
 * pass with four interleaved integer sub-histograms, so runs of one code do not chain on a counter.
 */
export function confusionCounts(
  joint: Uint8Array,
  out: Float64Array = new Float64Array(CONFUSION_CELLS),
): Float64Array {
  const n = joint.length;
  const c0 = new Int32Array(256);
  const c1 = new Int32Array(256);
  const c2 = new Int32Array(256);
  const c3 = new Int32Array(256);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    c0[joint[i]!]!++;
    c1[joint[i + 1]!]!++;
    c2[joint[i + 2]!]!++;
    c3[joint[i + 3]!]!++;
  }
  for (; i < n; i++) c0[joint[i]!]!++;
  out.fill(0);
  const cells = Math.min(out.length, 256);
  for (let b = 0; b < cells; b++) out[b] = c0[b]! + c1[b]! + c2[b]! + c3[b]!;
  return out;
}

/** A JSON-friendly confusion matrix. */
export interface ConfusionMatrix {
  /** Class order of rows and of the first three columns. */
  classes: readonly Verdict[];
  /** `counts[t][p]`: samples with true class `classes[t]` predicted as `classes[p]` (3 × 3). */
  counts: number[][];
  /** `failures[t]`: samples with true class `classes[t]` whose prediction failed to parse. */
  failures: number[];
  /** Total samples (including failures). */
  total: number;
}

/** Turn raw 3 × 4 counts into a {@link ConfusionMatrix}. */
export function toConfusionMatrix(counts: Float64Array): ConfusionMatrix {
  const rows: number[][] = [];
  const failures: number[] = [];
  let total = 0;
  for (let t = 0; t < NUM_CLASSES; t++) {
    const r: number[] = [];
    for (let p = 0; p < NUM_CLASSES; p++) {
      const c = counts[t * CONFUSION_COLS + p]!;
      r.push(c);
      total += c;
    }
    rows.push(r);
    const f = counts[t * CONFUSION_COLS + CODE_FAILURE]!;
    failures.push(f);
    total += f;
  }
  return { classes: VERDICTS, counts: rows, failures, total };
}
