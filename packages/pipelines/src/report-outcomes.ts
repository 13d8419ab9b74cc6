/**
 * Per-sample outcome counts of an evaluation, kept apart as the design asks: a verdict, a parse
 * failure (text we could not read) or an error (no usable response). The reports' confusion
 * matrices are built from these, so a failure scored as a tie under `failurePolicy: 'as-tie'`
 * still shows up as a failure, never as a tie.
 */

import type { Verdict } from '@judgekit/core';
import { type EvaluationResult, type JudgeResultRecord, outcomeOf } from './judge-records.js';

/** Row and column order of {@link OutcomeConfusion}. */
export const OUTCOME_CLASSES: readonly Verdict[] = ['answer1', 'answer2', 'tie'];

/**
 * A confusion matrix over the three outcomes: rows are reference labels, columns the judge's
 * verdicts, plus a parse-failure column and an error column (raw counts, before any failure
 * policy is applied).
 */
export interface OutcomeConfusion {
  /** Order of the rows and of the three verdict columns. */
  classes: readonly Verdict[];
  /** `verdicts[t][p]`: samples labelled `classes[t]` the judge called `classes[p]`. */
  verdicts: number[][];
  /** `parseFailures[t]`: samples labelled `classes[t]` whose judge text did not parse. */
  parseFailures: number[];
  /** `errors[t]`: samples labelled `classes[t]` with no usable response (failed model call). */
  errors: number[];
  /** All labelled, judged samples (the sum of every cell). */
  total: number;
}

/** Whether a stored record is an error (no usable response) rather than a parse failure. */
export function isErrorRecord(record: JudgeResultRecord): boolean {
  return outcomeOf(record) === 'error';
}

/**
 * Sample positions (original order) whose outcome is an error, from the records when given,
 * else from the failure examples of the result that carry an index.
 */
export function errorIndices(result: EvaluationResult, records?: readonly JudgeResultRecord[]): Set<number> {
  const out = new Set<number>();
  if (records !== undefined) {
    const latest = new Map<number, JudgeResultRecord>();
    for (const r of records) if (r.order === 'original') latest.set(r.index, r);
    for (const [i, r] of latest) if (isErrorRecord(r)) out.add(i);
    return out;
  }
  for (const ex of result.parseFailures.examples) {
    const e = ex as typeof ex & { index?: number; outcome?: string };
    const isError = e.outcome !== undefined ? e.outcome === 'error' : e.reason === 'model-error';
    if (ex.order === 'original' && isError && typeof e.index === 'number') out.add(e.index);
  }
  return out;
}

/**
 * Count outcomes of the labelled samples of a result: verdicts by (label, verdict), parse failures
 * and errors by label. `records` (the run's results) tell errors from parse failures exactly; without
 * them the result's failure examples are used.
 */
export function outcomeConfusion(
  result: EvaluationResult,
  records?: readonly JudgeResultRecord[],
): OutcomeConfusion {
  const errors = errorIndices(result, records);
  const k = OUTCOME_CLASSES.length;
  const c: OutcomeConfusion = {
    classes: OUTCOME_CLASSES,
    verdicts: Array.from({ length: k }, () => new Array<number>(k).fill(0)),
    parseFailures: new Array<number>(k).fill(0),
    errors: new Array<number>(k).fill(0),
    total: 0,
  };
  // Errors are not scored, so the result carries no label for them: take it from their record.
  const errorLabels = new Map<number, Verdict | null>();
  for (const r of records ?? [])
    if (r.order === 'original' && errors.has(r.index)) errorLabels.set(r.index, r.label);
  for (let i = 0; i < result.labels.length; i++) {
    const label = result.labels[i] ?? errorLabels.get(i);
    if (label === null || label === undefined) continue;
    const t = OUTCOME_CLASSES.indexOf(label);
    if (t < 0) continue;
    const p = result.predictions[i];
    c.total++;
    if (p !== null && p !== undefined) c.verdicts[t]![OUTCOME_CLASSES.indexOf(p)]!++;
    else if (errors.has(i)) c.errors[t]!++;
    else c.parseFailures[t]!++;
  }
  return c;
}
