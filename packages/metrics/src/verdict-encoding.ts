/**
 * Verdicts as small integers. Metrics run on `Uint8Array` codes so that confusion matrices and
 * bootstrap resamples touch one byte per sample and never allocate per element.
 */

import { InvalidArgumentError, type Verdict } from '@judgekit/core';

/** Code of `answer1` (the answer shown first in the original order). */
export const CODE_ANSWER1 = 0;
/** Code of `answer2`. */
export const CODE_ANSWER2 = 1;
/** Code of `tie`. */
export const CODE_TIE = 2;
/** Code of a parse failure (the judge's text gave no verdict). Never a class of its own. */
export const CODE_FAILURE = 3;

/** Number of real classes (answer1, answer2, tie), in `VERDICTS` order. */
export const NUM_CLASSES = 3;

/**
 * What to do with a judge's parse failure (`null` in a verdict array).
 *
 * - `'count-separately'` (default): the sample stays; the failure is never a class, so it counts
 *   as wrong for accuracy, lowers the recall of the true class and no class's precision (exactly
 *   sklearn with `labels=[answer1, answer2, tie]` given explicitly), and is reported in `failures`.
 * - `'as-tie'`: the upstream convention of JudgeLM (`parse_score` gives `[-1,-1]` → tie;
 *   baaivision/JudgeLM judgelm/llm_judge/common.py, commit 00c45169) and PandaLM (unrecognised
 *   first line → 0 = tie; WeOpenML/PandaLM pandalm/utils/pandalm_inference.py, commit 3871806e).
 * - `'drop'`: the sample is removed from both arrays before any metric.
 */
export type FailurePolicy = 'count-separately' | 'as-tie' | 'drop';

/** The verdict arrays judgekit metrics accept: a verdict, or `null` / `undefined` for a parse failure. */
export type VerdictOrFailure = Verdict | null | undefined;

/** Code of one verdict (`null`/`undefined` → {@link CODE_FAILURE}). Throws on anything else. */
export function verdictCode(v: VerdictOrFailure): number {
  switch (v) {
    case 'answer1':
      return CODE_ANSWER1;
    case 'answer2':
      return CODE_ANSWER2;
    case 'tie':
      return CODE_TIE;
    case null:
    case undefined:
      return CODE_FAILURE;
    default:
      throw new InvalidArgumentError(
        'verdict',
        `expected 'answer1' | 'answer2' | 'tie' | null, got ${JSON.stringify(v)}`,
      );
  }
}

/** Verdict of a code; {@link CODE_FAILURE} gives `null`. */
export function codeVerdict(code: number): Verdict | null {
  return code === CODE_ANSWER1
    ? 'answer1'
    : code === CODE_ANSWER2
      ? 'answer2'
      : code === CODE_TIE
        ? 'tie'
        : null;
}

/**
 * Encode verdicts into a `Uint8Array` of codes (0 answer1, 1 answer2, 2 tie, 3 failure). Already
 * encoded `Uint8Array` input is validated and returned as is.
 */
export function encodeVerdicts(verdicts: ArrayLike<VerdictOrFailure> | Uint8Array): Uint8Array {
  if (verdicts instanceof Uint8Array) {
    for (let i = 0; i < verdicts.length; i++) {
      if (verdicts[i]! > CODE_FAILURE)
        throw new InvalidArgumentError('verdicts', `code ${verdicts[i]} at index ${i} is not in 0..3`);
    }
    return verdicts;
  }
  const out = new Uint8Array(verdicts.length);
  for (let i = 0; i < verdicts.length; i++) out[i] = verdictCode(verdicts[i]);
  return out;
}

/** Swap answer1 ↔ answer2 in a code array (tie and failure stay), into `out` (may alias `codes`). */
export function swapCodes(codes: Uint8Array, out: Uint8Array = new Uint8Array(codes.length)): Uint8Array {
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    out[i] = c === CODE_ANSWER1 ? CODE_ANSWER2 : c === CODE_ANSWER2 ? CODE_ANSWER1 : c;
  }
  return out;
}

/** Count of failure codes in an array. */
export function countFailures(codes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === CODE_FAILURE) n++;
  return n;
}
