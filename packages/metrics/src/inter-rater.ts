/**
 * Inter-rater agreement: Cohen's kappa for two raters and Fleiss' kappa for any fixed number of
 * raters, over arbitrary categorical labels (verdicts, PandaLM's 0/1/2, strings, …).
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';

/** A categorical rating; `null` / `undefined` means missing. */
export type Rating = string | number | boolean | null | undefined;

/**
 * Cohen's kappa of two raters, unweighted, as scikit-learn's `cohen_kappa_score(a, b)`:
 * κ = (p_o − p_e) / (1 − p_e) with p_e from the two raters' marginals over the union of their
 * labels. Items where either rating is missing are skipped. NaN when p_e = 1 (sklearn warns and
 * returns nan) or when no item is rated by both.
 *
 * On the PandaLM test set this gives the README's 0.85 / 0.88 / 0.86 (a1–a2, a1–a3, a2–a3).
 */
export function cohenKappa(a: ArrayLike<Rating>, b: ArrayLike<Rating>): number {
  if (a.length !== b.length) throw new ShapeMismatchError('cohenKappa raters', [a.length], [b.length]);
  const index = new Map<Rating, number>();
  const idOf = (r: Rating): number => {
    let id = index.get(r);
    if (id === undefined) {
      id = index.size;
      index.set(r, id);
    }
    return id;
  };
  const ia: number[] = [];
  const ib: number[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || x === undefined || y === null || y === undefined) continue;
    ia.push(idOf(x));
    ib.push(idOf(y));
  }
  const n = ia.length;
  const k = index.size;
  if (n === 0) return Number.NaN;
  const ma = new Float64Array(k);
  const mb = new Float64Array(k);
  let agree = 0;
  for (let i = 0; i < n; i++) {
    ma[ia[i]!]! += 1;
    mb[ib[i]!]! += 1;
    if (ia[i] === ib[i]) agree++;
  }
  let pe = 0;
  for (let c = 0; c < k; c++) pe += (ma[c]! / n) * (mb[c]! / n);
  const po = agree / n;
  return 1 - pe === 0 ? Number.NaN : (po - pe) / (1 - pe);
}

/**
 * Fleiss' kappa from an item × category count table (row-major `[items, categories]`), every row
 * summing to the same number of raters m ≥ 2 (statsmodels `fleiss_kappa(table, method='fleiss')`):
 * P_i = (Σ_j n_ij² − m) / (m (m − 1)), P̄ = mean P_i, p_j = Σ_i n_ij / (N m), P_e = Σ p_j²,
 * κ = (P̄ − P_e) / (1 − P_e). NaN when P_e = 1.
 */
export function fleissKappaFromCounts(counts: ArrayLike<number>, items: number, categories: number): number {
  if (counts.length !== items * categories)
    throw new ShapeMismatchError('fleiss counts', [items, categories], [counts.length]);
  if (items === 0) return Number.NaN;
  let m = -1;
  let pBarSum = 0;
  const colSums = new Float64Array(categories);
  for (let i = 0; i < items; i++) {
    let rowSum = 0;
    let sq = 0;
    for (let j = 0; j < categories; j++) {
      const c = counts[i * categories + j]!;
      rowSum += c;
      sq += c * c;
      colSums[j]! += c;
    }
    if (m === -1) m = rowSum;
    else if (rowSum !== m)
      throw new InvalidArgumentError(
        'counts',
        `item ${i} has ${rowSum} ratings, item 0 has ${m}; Fleiss' kappa needs a fixed number of raters`,
      );
    pBarSum += (sq - m) / (m * (m - 1));
  }
  if (m < 2)
    throw new InvalidArgumentError('counts', `Fleiss' kappa needs at least 2 raters per item, got ${m}`);
  const pBar = pBarSum / items;
  let pe = 0;
  for (let j = 0; j < categories; j++) {
    const p = colSums[j]! / (items * m);
    pe += p * p;
  }
  return 1 - pe === 0 ? Number.NaN : (pBar - pe) / (1 - pe);
}

/**
 * Fleiss' kappa of several raters given as one label array per rater (all the same length, no
 * missing ratings). Categories are the union of the labels seen. On the PandaLM test set's three
 * annotators this is 0.8642.
 */
export function fleissKappa(raters: readonly ArrayLike<Rating>[]): number {
  if (raters.length < 2)
    throw new InvalidArgumentError('raters', `need at least 2 raters, got ${raters.length}`);
  const n = raters[0]!.length;
  const index = new Map<Rating, number>();
  for (const [r, labels] of raters.entries()) {
    if (labels.length !== n) throw new ShapeMismatchError(`rater ${r} labels`, [n], [labels.length]);
    for (let i = 0; i < n; i++) {
      const x = labels[i];
      if (x === null || x === undefined)
        throw new InvalidArgumentError(
          'raters',
          `rater ${r} has no rating for item ${i}; Fleiss' kappa needs complete ratings`,
        );
      if (!index.has(x)) index.set(x, index.size);
    }
  }
  const k = index.size;
  const counts = new Float64Array(n * k);
  for (const labels of raters) for (let i = 0; i < n; i++) counts[i * k + index.get(labels[i])!]! += 1;
  return fleissKappaFromCounts(counts, n, k);
}
