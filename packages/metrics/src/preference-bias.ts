/**
 * AlpacaEval-style annotator diagnostics: the probability of preferring the first output and the
 * probability of preferring the (significantly) longer output.
 *
 * Source: tatsu-lab/alpaca_eval src/alpaca_eval/analyze.py (commit 039ccaaf), `Analyzer.get_length_biases`
 * and `get_metrics_evaluator` ("Proba. prefer longer", "Proba. prefer 1"). AlpacaEval preferences
 * are 1 (output_1), 2 (output_2) and 1.5 (tie); here `answer1` ↔ 1, `answer2` ↔ 2, `tie` ↔ 1.5.
 */

import { ShapeMismatchError } from '@judgekit/core';
import {
  CODE_ANSWER1,
  CODE_ANSWER2,
  CODE_FAILURE,
  encodeVerdicts,
  type VerdictOrFailure,
} from './verdict-encoding.js';

/** Options of {@link preferenceBiases}. */
export interface PreferenceBiasOptions {
  /** The judge's verdicts; `null` = unparsed (left out, as pandas' `mean` skips NaN). */
  verdicts: ArrayLike<VerdictOrFailure> | Uint8Array;
  /** Length of answer 1 of each pair (AlpacaEval: `len(output_1)`, characters). */
  lengths1: ArrayLike<number>;
  /** Length of answer 2 of each pair. */
  lengths2: ArrayLike<number>;
  /** A pair counts as "one is longer" when |Δ length| > this. AlpacaEval's default: 30. */
  significantDeltaLength?: number;
}

/** AlpacaEval's diagnostics. Probabilities in [0, 1]. */
export interface PreferenceBiases {
  /**
   * "Proba. prefer 1" = `2 − mean(preference)`: the share of parsed verdicts preferring answer 1,
   * ties counting one half.
   */
  probPreferFirst: number;
  /**
   * "Proba. prefer longer": among pairs whose lengths differ by more than the threshold, the share
   * whose preferred output is the longer one. As upstream, a tie (1.5) counts as preferring
   * output 2 (`best_output` takes output_1 only for preference in [1, 1.5)).
   */
  probPreferLonger: number;
  /** Pairs with a significant length difference (the denominator above). */
  pairsWithLengthGap: number;
  /** Parsed verdicts used. */
  parsed: number;
}

/** AlpacaEval's "prefer 1" and "prefer longer" diagnostics of a judge. */
export function preferenceBiases(options: PreferenceBiasOptions): PreferenceBiases {
  const v = encodeVerdicts(options.verdicts);
  const { lengths1, lengths2 } = options;
  if (lengths1.length !== v.length) throw new ShapeMismatchError('lengths1', [v.length], [lengths1.length]);
  if (lengths2.length !== v.length) throw new ShapeMismatchError('lengths2', [v.length], [lengths2.length]);
  const gap = options.significantDeltaLength ?? 30;
  let parsed = 0;
  let prefSum = 0;
  let longerDen = 0;
  let longerNum = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === CODE_FAILURE) continue;
    parsed++;
    prefSum += c === CODE_ANSWER1 ? 1 : c === CODE_ANSWER2 ? 2 : 1.5;
    const bestIsFirst = c === CODE_ANSWER1;
    const best = bestIsFirst ? lengths1[i]! : lengths2[i]!;
    const worse = bestIsFirst ? lengths2[i]! : lengths1[i]!;
    if (Math.abs(best - worse) > gap) {
      longerDen++;
      if (best > worse) longerNum++;
    }
  }
  return {
    probPreferFirst: parsed > 0 ? 2 - prefSum / parsed : Number.NaN,
    probPreferLonger: longerDen > 0 ? longerNum / longerDen : Number.NaN,
    pairsWithLengthGap: longerDen,
    parsed,
  };
}
