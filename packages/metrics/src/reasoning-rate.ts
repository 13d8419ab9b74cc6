/**
 * JudgeLRM's "reasoning rate": the share of items whose rated need for reasoning is at least 5 on
 * a 1–10 scale, overall and per category (NuoJohnChen/JudgeLRM data/markreasoning.py and
 * data/devide_category.py, commit e60f305; paper App. A, Fig. 5; spec judgelrm.md §5.5).
 * The ratings come from elsewhere (GPT-4 in the paper); this module only aggregates them.
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';

/** Options of {@link reasoningRate}. */
export interface ReasoningRateOptions {
  /** Per-item rating (1–10); `null`/`undefined`/NaN = no rating (counted in `missing`). */
  ratings: ArrayLike<number | null | undefined>;
  /** Per-item category (e.g. JudgeLRM's grouping of PandaLM `motivation_app`), aligned with ratings. */
  categories?: ArrayLike<string>;
  /** An item "needs reasoning" when its rating is ≥ this. Upstream: 5. */
  threshold?: number;
}

/** Reasoning-rate figures of one group. Rates are fractions (the paper prints percent). */
export interface ReasoningRateGroup {
  /** Items with a rating. */
  rated: number;
  /** Items with rating ≥ threshold. */
  needsReasoning: number;
  /** needsReasoning / rated. */
  rate: number;
  /** Mean rating. */
  meanRating: number;
  /** Items without a rating. */
  missing: number;
}

/** Result of {@link reasoningRate}. */
export interface ReasoningRateReport {
  overall: ReasoningRateGroup;
  /** Per category, when categories were given. */
  byCategory: Record<string, ReasoningRateGroup>;
  /** Per item: whether it needs reasoning (`null` when unrated); use it to split metric subsets. */
  needsReasoning: (boolean | null)[];
}

function emptyGroup(): ReasoningRateGroup {
  return { rated: 0, needsReasoning: 0, rate: Number.NaN, meanRating: Number.NaN, missing: 0 };
}

/**
 * Aggregate reasoning ratings into JudgeLRM's reasoning rate (rating ≥ 5 ⇔ "needs reasoning").
 * Note upstream's parser concatenates every digit before "Explanation:" (`Score: 7/10` → 710); a
 * rating outside 1–10 is kept as given, so such values still count as ≥ 5 exactly as upstream.
 */
export function reasoningRate(options: ReasoningRateOptions): ReasoningRateReport {
  const { ratings, categories } = options;
  const threshold = options.threshold ?? 5;
  if (!Number.isFinite(threshold))
    throw new InvalidArgumentError('threshold', `must be finite, got ${threshold}`);
  if (categories !== undefined && categories.length !== ratings.length)
    throw new ShapeMismatchError('categories', [ratings.length], [categories.length]);
  const overall = emptyGroup();
  const byCategory: Record<string, ReasoningRateGroup> = {};
  const sums = new Map<ReasoningRateGroup, number>([[overall, 0]]);
  const needsReasoning: (boolean | null)[] = new Array(ratings.length);
  for (let i = 0; i < ratings.length; i++) {
    const r = ratings[i];
    const groups = [overall];
    if (categories !== undefined) {
      const c = categories[i]!;
      let g = byCategory[c];
      if (g === undefined) {
        g = emptyGroup();
        byCategory[c] = g;
        sums.set(g, 0);
      }
      groups.push(g);
    }
    if (r === null || r === undefined || Number.isNaN(r)) {
      needsReasoning[i] = null;
      for (const g of groups) g.missing++;
      continue;
    }
    const need = r >= threshold;
    needsReasoning[i] = need;
    for (const g of groups) {
      g.rated++;
      if (need) g.needsReasoning++;
      sums.set(g, sums.get(g)! + r);
    }
  }
  for (const [g, s] of sums) {
    if (g.rated > 0) {
      g.rate = g.needsReasoning / g.rated;
      g.meanRating = s / g.rated;
    }
  }
  return { overall, byCategory, needsReasoning };
}
