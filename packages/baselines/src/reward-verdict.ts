/**
 * Reward → verdict: turn the scalars a baseline produces for answer 1 and answer 2 (reward-model
 * scores, sequence log-probs, a cross-encoder logit) into a core `Verdict` and a 1–10 `ScorePair`,
 * so @judgekit/metrics scores every baseline exactly like a generative judge.
 *
 * Upstream conventions (JudgeLRM `baseline/src`, spec judgelrm.md §6):
 * - DPO-Answer (`test_dpo_probability.py`): score = mean token log-prob of each response; higher
 *   wins, exact equality is a tie → `verdictFromRewards(lp1, lp2)` with `tieThreshold: 0`.
 * - CLS-RM / Bradley–Terry (`test_reward_model.py`, `test_bt_reward.py`): 1 if r1 > r2 else 2,
 *   never a tie → `onTie: 'answer2'`.
 * - Cross-BT (`test_crossencoderbt.py`): p = σ(logit) > 0.5 → 1, < 0.5 → 2, else tie; optional
 *   debiasing logit = (ℓ(1,2) − ℓ(2,1))/2 → {@link verdictFromLogit} / {@link debiasedLogit}.
 */

import { InvalidArgumentError, type ScorePair, type Verdict } from '@judgekit/core';
import { sigmoid } from './numerics.js';

/** Options of the reward → verdict functions. */
export interface RewardVerdictOptions {
  /**
   * A margin |r1 − r2| ≤ tieThreshold is a tie (default 0: only exact equality ties, as the
   * DPO-Answer tester and core's `verdictFromScores`).
   */
  tieThreshold?: number;
  /**
   * What a tie becomes: `'tie'` (default) or `'answer2'` (the CLS-RM / BT testers'
   * `1 if r1 > r2 else 2`, which never predicts a tie).
   */
  onTie?: 'tie' | 'answer2';
}

function tieOf(options: RewardVerdictOptions): number {
  const t = options.tieThreshold ?? 0;
  if (!(t >= 0)) throw new InvalidArgumentError('tieThreshold', `must be ≥ 0, got ${t}`);
  return t;
}

/**
 * Verdict from a signed margin m = s(answer 1) − s(answer 2): answer1 if m > threshold, answer2
 * if m < −threshold, otherwise a tie (or answer2 with `onTie: 'answer2'`). NaN margins are ties.
 */
export function verdictFromMargin(margin: number, options: RewardVerdictOptions = {}): Verdict {
  const t = tieOf(options);
  if (margin > t) return 'answer1';
  if (margin < -t) return 'answer2';
  return options.onTie === 'answer2' ? 'answer2' : 'tie';
}

/** Verdict from two scalar rewards (or sequence log-probs): {@link verdictFromMargin}(r1 − r2). */
export function verdictFromRewards(
  reward1: number,
  reward2: number,
  options: RewardVerdictOptions = {},
): Verdict {
  return verdictFromMargin(reward1 - reward2, options);
}

/** Batched {@link verdictFromRewards} over two arrays of length N. */
export function verdictsFromRewards(
  rewards1: ArrayLike<number>,
  rewards2: ArrayLike<number>,
  options: RewardVerdictOptions = {},
): Verdict[] {
  if (rewards1.length !== rewards2.length) {
    throw new InvalidArgumentError(
      'rewards2',
      `length ${rewards2.length} differs from rewards1 (${rewards1.length})`,
    );
  }
  const out: Verdict[] = new Array(rewards1.length);
  for (let i = 0; i < rewards1.length; i++) out[i] = verdictFromRewards(rewards1[i]!, rewards2[i]!, options);
  return out;
}

/**
 * Verdict from a pairwise classifier logit for "answer 1 is better" (Cross-BT): p = σ(logit);
 * the tie threshold applies to the logit (σ is monotone, so p = 0.5 ⇔ logit = 0).
 */
export function verdictFromLogit(logit: number, options: RewardVerdictOptions = {}): Verdict {
  return verdictFromMargin(logit, options);
}

/** Cross-BT position debiasing: (ℓ(1,2) − ℓ(2,1)) / 2 from the logits of both answer orders. */
export function debiasedLogit(logitForward: number, logitSwapped: number): number {
  return (logitForward - logitSwapped) / 2;
}

/** How {@link scorePairFromRewards} maps rewards to 1–10 scores. */
export interface ScoreMappingOptions extends RewardVerdictOptions {
  /**
   * - `'sigmoid'` (default): p = σ((r1 − r2)/temperature); scores [1 + 9p, 1 + 9(1 − p)] (they
   *   sum to 11, equal 5.5 each for equal rewards);
   * - `'linear'`: each reward on its own, s = clamp(1 + 9(r − low)/(high − low), 1, 10), with the
   *   reward range [low, high] given by the caller (e.g. from a calibration set).
   */
  mapping?: 'sigmoid' | 'linear';
  /** Temperature of the sigmoid mapping (reward units). Default 1. */
  temperature?: number;
  /** Reward mapped to score 1 (linear mapping). Required for `'linear'`. */
  low?: number;
  /** Reward mapped to score 10 (linear mapping). Required for `'linear'`. */
  high?: number;
}

/**
 * 1–10 score pair from two rewards, with the tie threshold honoured: when
 * |r1 − r2| ≤ tieThreshold both answers get the same score (their mean), so core's
 * `verdictFromScores(pair)` gives the same verdict as {@link verdictFromRewards} with the same
 * options (with `onTie: 'answer2'`, a tie gives answer 2 a 1e-9 lead instead).
 */
export function scorePairFromRewards(
  reward1: number,
  reward2: number,
  options: ScoreMappingOptions = {},
): ScorePair {
  const t = tieOf(options);
  const mapping = options.mapping ?? 'sigmoid';
  let s1: number;
  let s2: number;
  if (mapping === 'sigmoid') {
    const temp = options.temperature ?? 1;
    if (!(temp > 0)) throw new InvalidArgumentError('temperature', `must be > 0, got ${temp}`);
    const p = sigmoid((reward1 - reward2) / temp);
    s1 = 1 + 9 * p;
    s2 = 1 + 9 * (1 - p);
  } else if (mapping === 'linear') {
    const { low, high } = options;
    if (low === undefined || high === undefined || !(high > low)) {
      throw new InvalidArgumentError('high', `linear mapping needs low < high, got low=${low}, high=${high}`);
    }
    const f = (r: number) => Math.min(10, Math.max(1, 1 + (9 * (r - low)) / (high - low)));
    s1 = f(reward1);
    s2 = f(reward2);
  } else {
    throw new InvalidArgumentError('mapping', `unknown mapping "${mapping as string}"`);
  }
  const v = verdictFromRewards(reward1, reward2, options);
  const tied = !(Math.abs(reward1 - reward2) > t);
  if (tied) {
    const m = Number.isFinite(s1 + s2) ? (s1 + s2) / 2 : 5.5;
    if (v === 'answer2') return [m, m + 1e-9];
    return [m, m];
  }
  // A clamped linear mapping can make a decided pair equal (both at 1 or 10): keep the order.
  if (v === 'answer1' && !(s1 > s2)) return [s2 + 1e-9, s2];
  if (v === 'answer2' && !(s2 > s1)) return [s1, s1 + 1e-9];
  return [s1, s2];
}
