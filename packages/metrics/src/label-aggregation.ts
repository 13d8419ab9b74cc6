/**
 * Aggregating several raters' verdicts into one reference label, and JudgeLM's rule for labels that
 * failed to parse.
 */

import { InvalidArgumentError, ShapeMismatchError, type Verdict, VERDICT_CODES } from '@judgekit/core';
import type { VerdictOrFailure } from './verdict-encoding.js';

/**
 * How a plurality vote resolves a tie between the most-voted verdicts (with three raters: a
 * three-way split).
 *
 * - `'first-seen'`: the tied verdict given by the earliest rater wins, as Python's
 *   `collections.Counter(votes).most_common(1)` (insertion order). The PandaLM data's SOURCE note
 *   computes its majority this way.
 * - `'min-code'`: the smallest PandaLM code wins (tie = 0 < answer1 = 1 < answer2 = 2), as
 *   JudgeLRM's `data/step1_label_testset_v1.py` ("ties in the vote broken by min", NuoJohnChen/
 *   JudgeLRM commit e60f305, spec judgelrm.md §5.2) and as `max(set(votes), key=votes.count)` on
 *   PandaLM's integer labels.
 * - `'tie'`: the result is `tie`.
 * - `'none'`: the result is `null` (no reference; evaluation drops the sample).
 * - `'error'`: throw.
 *
 * The PandaLM test set (999 × 3 annotators) has no split, so every option gives the same labels.
 */
export type SplitPolicy = 'first-seen' | 'min-code' | 'tie' | 'none' | 'error';

/** Options of {@link majorityVote}. */
export interface MajorityVoteOptions {
  /** Resolution of a tied plurality. Default `'first-seen'`. */
  onSplit?: SplitPolicy;
}

/** Result of {@link majorityVote}. */
export interface MajorityVoteResult {
  /** One label per item (`null` where no rater gave a verdict, or a split with `'none'`). */
  labels: (Verdict | null)[];
  /** Items whose top vote was tied (resolved by the policy). */
  splits: number;
  /** Items where all present raters agree. */
  unanimous: number;
}

/**
 * Plurality vote per item over raters, one verdict array per rater (aligned by position). Missing
 * verdicts (`null`) are skipped; an item with no verdict at all gets `null`.
 */
export function majorityVote(
  raters: readonly ArrayLike<VerdictOrFailure>[],
  options: MajorityVoteOptions = {},
): MajorityVoteResult {
  const onSplit = options.onSplit ?? 'first-seen';
  if (raters.length === 0) throw new InvalidArgumentError('raters', 'need at least one rater');
  const n = raters[0]!.length;
  for (const [r, a] of raters.entries())
    if (a.length !== n) throw new ShapeMismatchError(`rater ${r}`, [n], [a.length]);
  const labels: (Verdict | null)[] = new Array(n);
  let splits = 0;
  let unanimous = 0;
  const order: Verdict[] = [];
  const count = new Map<Verdict, number>();
  for (let i = 0; i < n; i++) {
    order.length = 0;
    count.clear();
    for (const a of raters) {
      const v = a[i];
      if (v === null || v === undefined) continue;
      if (v !== 'answer1' && v !== 'answer2' && v !== 'tie')
        throw new InvalidArgumentError('raters', `item ${i}: ${JSON.stringify(v)} is not a verdict`);
      const c = count.get(v);
      if (c === undefined) {
        order.push(v);
        count.set(v, 1);
      } else count.set(v, c + 1);
    }
    if (order.length === 0) {
      labels[i] = null;
      continue;
    }
    if (order.length === 1) unanimous++;
    let best = 0;
    for (const v of order) best = Math.max(best, count.get(v)!);
    const top = order.filter((v) => count.get(v) === best);
    if (top.length === 1) {
      labels[i] = top[0]!;
      continue;
    }
    splits++;
    switch (onSplit) {
      case 'first-seen':
        labels[i] = top[0]!;
        break;
      case 'min-code':
        labels[i] = top.reduce((m, v) => (VERDICT_CODES.pandalm[v] < VERDICT_CODES.pandalm[m] ? v : m));
        break;
      case 'tie':
        labels[i] = 'tie';
        break;
      case 'none':
        labels[i] = null;
        break;
      case 'error':
        throw new InvalidArgumentError('raters', `item ${i}: tied vote between ${top.join(', ')}`);
      default:
        throw new InvalidArgumentError('onSplit', `unknown policy ${JSON.stringify(onSplit)}`);
    }
  }
  return { labels, splits, unanimous };
}

/**
 * JudgeLM's filter (`if_filter_minus_one=True` in baaivision/JudgeLM
 * judgelm/llm_judge/eval_model_judgement.py, commit 00c45169): keep only positions whose reference
 * verdict parsed, and apply the same mask to every aligned array. Returns the kept indices too.
 */
export function dropFailedLabels<T>(
  labels: ArrayLike<VerdictOrFailure>,
  ...aligned: ArrayLike<T>[]
): { labels: Verdict[]; aligned: T[][]; kept: number[]; dropped: number } {
  for (const [k, a] of aligned.entries())
    if (a.length !== labels.length)
      throw new ShapeMismatchError(`aligned array ${k}`, [labels.length], [a.length]);
  const kept: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== null && labels[i] !== undefined) kept.push(i);
  return {
    labels: kept.map((i) => labels[i] as Verdict),
    aligned: aligned.map((a) => kept.map((i) => a[i]!)),
    kept,
    dropped: labels.length - kept.length,
  };
}
