/**
 * Judging each pair twice, once per answer order: JudgeLM's consistency and position-bias rates,
 * slot-preference and flip rates, and the FastChat / PandaLM "inconsistent → tie" aggregation.
 *
 * Frames: `sequential` verdicts refer to the original order (`answer1` = the original first
 * answer). `reversed` verdicts are as the judge gave them on the swapped presentation, so
 * `answer1` there means "the answer shown first in the reversed run" = the original answer 2
 * (JudgeLM §2.4). Pass `reversedFrame: 'original'` when the reversed verdicts were already mapped
 * back to the original order.
 */

import { InvalidArgumentError, ShapeMismatchError, type Verdict } from '@judgekit/core';
import {
  CODE_ANSWER1,
  CODE_ANSWER2,
  CODE_FAILURE,
  CODE_TIE,
  codeVerdict,
  encodeVerdicts,
  type FailurePolicy,
  swapCodes,
  type VerdictOrFailure,
} from './verdict-encoding.js';

/** Options shared by the swap functions. */
export interface SwapOptions {
  /** Frame of the reversed verdicts. Default `'as-judged'`. */
  reversedFrame?: 'as-judged' | 'original';
  /**
   * Parse failures in either run. `'as-tie'` is JudgeLM's convention (a `[-1,-1]` parse is a tie);
   * `'drop'` removes the pair; `'count-separately'` (default) keeps the pair in the denominator as
   * inconsistent, favouring neither slot, and reports it in `failures`.
   */
  failurePolicy?: FailurePolicy;
}

/** JudgeLM-style consistency and position-bias figures. Rates are fractions of `n`. */
export interface SwapConsistency {
  /** Pairs scored. */
  n: number;
  /** Pairs where either run failed to parse (before the policy). */
  failures: number;
  /** Pairs whose two verdicts name the same original answer (or both tie): JudgeLM `consistency`. */
  consistency: number;
  /**
   * Inconsistent pairs leaning to the first slot: with s′ = sequential mapped to the reversed frame
   * and r = reversed, JudgeLM codes (+1 slot 1, 0 tie, −1 slot 2), s′ − r < 0 (`perfer_before`).
   */
  preferFirstRate: number;
  /** Inconsistent pairs leaning to the second slot, s′ − r > 0 (`perfer_after`). */
  preferSecondRate: number;
  /** JudgeLM `delta_bias` = |before − after| / n. */
  deltaBias: number;
  /** JudgeLM `total_bias` = (before + after) / n. */
  totalBias: number;
  /** Pairs where both runs pick an answer and they pick different original answers (a full flip). */
  flipRate: number;
  /** Share of all decided single judgments (both runs) naming the first slot shown. */
  firstSlotRate: number;
  /** Share of all decided single judgments naming the second slot shown. */
  secondSlotRate: number;
  /** Share of all parsed single judgments that are ties. */
  tieRate: number;
  /** The raw counts behind the rates (pairs for the pair rates, single judgments for the slot and tie rates). */
  counts: {
    consistent: number;
    preferFirst: number;
    preferSecond: number;
    flips: number;
    firstSlot: number;
    secondSlot: number;
    ties: number;
    parsed: number;
  };
}

function prepareSwap(
  sequential: ArrayLike<VerdictOrFailure> | Uint8Array,
  reversed: ArrayLike<VerdictOrFailure> | Uint8Array,
  options: SwapOptions,
): { s: Uint8Array; rAsJudged: Uint8Array; failures: number } {
  if (sequential.length !== reversed.length)
    throw new ShapeMismatchError('sequential vs reversed', [sequential.length], [reversed.length]);
  const policy = options.failurePolicy ?? 'count-separately';
  if (policy !== 'count-separately' && policy !== 'as-tie' && policy !== 'drop')
    throw new InvalidArgumentError('failurePolicy', `unknown policy ${JSON.stringify(policy)}`);
  let s = encodeVerdicts(sequential);
  let r = encodeVerdicts(reversed);
  if ((options.reversedFrame ?? 'as-judged') === 'original') r = swapCodes(r);
  let failures = 0;
  for (let i = 0; i < s.length; i++) if (s[i] === CODE_FAILURE || r[i] === CODE_FAILURE) failures++;
  if (failures > 0 && policy !== 'count-separately') {
    const keep: number[] = [];
    for (let i = 0; i < s.length; i++)
      if (policy === 'as-tie' || (s[i] !== CODE_FAILURE && r[i] !== CODE_FAILURE)) keep.push(i);
    const s2 = new Uint8Array(keep.length);
    const r2 = new Uint8Array(keep.length);
    keep.forEach((i, j) => {
      s2[j] = s[i] === CODE_FAILURE ? CODE_TIE : s[i]!;
      r2[j] = r[i] === CODE_FAILURE ? CODE_TIE : r[i]!;
    });
    s = s2;
    r = r2;
  }
  return { s, rAsJudged: r, failures };
}

// JudgeLM numeric code of a verdict in the reversed frame: slot 1 = +1, tie = 0, slot 2 = -1.
const SLOT_SIGN = [1, -1, 0, Number.NaN];

/**
 * Consistency and position bias from a sequential and a reversed run, as JudgeLM's
 * `calculate_metrics` (baaivision/JudgeLM judgelm/llm_judge/eval_model_judgement.py, commit
 * 00c45169; spec judgelm.md §4 step 6), plus slot-preference, tie and flip rates.
 */
export function swapConsistency(
  sequential: ArrayLike<VerdictOrFailure> | Uint8Array,
  reversed: ArrayLike<VerdictOrFailure> | Uint8Array,
  options: SwapOptions = {},
): SwapConsistency {
  const { s, rAsJudged: r, failures } = prepareSwap(sequential, reversed, options);
  const n = s.length;
  let consistent = 0;
  let before = 0;
  let after = 0;
  let flips = 0;
  let slot1 = 0;
  let slot2 = 0;
  let ties = 0;
  let parsed = 0;
  for (let i = 0; i < n; i++) {
    const si = s[i]!;
    const ri = r[i]!;
    for (const c of [si, ri]) {
      if (c === CODE_FAILURE) continue;
      parsed++;
      if (c === CODE_ANSWER1) slot1++;
      else if (c === CODE_ANSWER2) slot2++;
      else ties++;
    }
    if (si === CODE_FAILURE || ri === CODE_FAILURE) continue;
    // s' = sequential mapped into the reversed frame: original answer1 sits in slot 2 there.
    const sPrime = -SLOT_SIGN[si]!;
    const rr = SLOT_SIGN[ri]!;
    const d = sPrime - rr;
    if (d === 0) consistent++;
    else if (d > 0) after++;
    else before++;
    if (si !== CODE_TIE && ri !== CODE_TIE && sPrime !== rr) flips++;
  }
  const decided = slot1 + slot2;
  return {
    n,
    failures,
    consistency: n > 0 ? consistent / n : Number.NaN,
    preferFirstRate: n > 0 ? before / n : Number.NaN,
    preferSecondRate: n > 0 ? after / n : Number.NaN,
    deltaBias: n > 0 ? Math.abs(before - after) / n : Number.NaN,
    totalBias: n > 0 ? (before + after) / n : Number.NaN,
    flipRate: n > 0 ? flips / n : Number.NaN,
    firstSlotRate: decided > 0 ? slot1 / decided : Number.NaN,
    secondSlotRate: decided > 0 ? slot2 / decided : Number.NaN,
    tieRate: parsed > 0 ? ties / parsed : Number.NaN,
    counts: {
      consistent,
      preferFirst: before,
      preferSecond: after,
      flips,
      firstSlot: slot1,
      secondSlot: slot2,
      ties,
      parsed,
    },
  };
}

/**
 * Combine the two runs into one verdict in the original frame: the runs' verdict where they name
 * the same original answer, otherwise `tie`. This is FastChat's pairwise rule (lm-sys/FastChat
 * fastchat/llm_judge/show_result.py `display_result_pairwise`, commit 02d4581b: `g1_winner == "tie"
 * or g1_winner != g2_winner` → tie) and PandaLM's paper protocol (conflicting orders → Tie; spec
 * pandalm.md §4, issues #18 / #21). A parse failure in either run gives `null` — FastChat drops
 * such rows (`g1_winner != "error"`); pass the result to {@link evaluateJudge} with the failure
 * policy you want.
 */
export function inconsistentToTie(
  sequential: ArrayLike<VerdictOrFailure> | Uint8Array,
  reversed: ArrayLike<VerdictOrFailure> | Uint8Array,
  options: Pick<SwapOptions, 'reversedFrame'> = {},
): (Verdict | null)[] {
  if (sequential.length !== reversed.length)
    throw new ShapeMismatchError('sequential vs reversed', [sequential.length], [reversed.length]);
  const s = encodeVerdicts(sequential);
  let r = encodeVerdicts(reversed);
  // Map the reversed run into the original frame.
  if ((options.reversedFrame ?? 'as-judged') === 'as-judged') r = swapCodes(r);
  const out: (Verdict | null)[] = new Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const a = s[i]!;
    const b = r[i]!;
    out[i] = a === CODE_FAILURE || b === CODE_FAILURE ? null : a === b ? codeVerdict(a) : 'tie';
  }
  return out;
}
