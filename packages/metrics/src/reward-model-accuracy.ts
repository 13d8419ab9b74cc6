/**
 * Reward-model style scoring over chosen / rejected pairs: pairwise accuracy, RewardBench's
 * section weighting and RM-Bench's 3 × 3 style matrix.
 */

import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';

/**
 * Credit of a pair whose two scores are equal. `'incorrect'` (default) is RewardBench's
 * `1 if chosen > rejected else 0` (allenai/reward-bench scripts/run_rm.py; the same line in
 * THU-KEG/RM-Bench scripts/run_rm.py, commit 659399ce); `'half'` gives 0.5.
 */
export type ScoreTiePolicy = 'incorrect' | 'half';

/**
 * Share of pairs where the chosen answer scores above the rejected one. NaN scores count as
 * incorrect (the comparison is false, as in Python).
 */
export function pairwiseAccuracy(
  chosen: ArrayLike<number>,
  rejected: ArrayLike<number>,
  ties: ScoreTiePolicy = 'incorrect',
): number {
  if (chosen.length !== rejected.length)
    throw new ShapeMismatchError('chosen vs rejected', [chosen.length], [rejected.length]);
  if (chosen.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < chosen.length; i++) {
    if (chosen[i]! > rejected[i]!) s += 1;
    else if (ties === 'half' && chosen[i] === rejected[i]) s += 0.5;
  }
  return s / chosen.length;
}

/**
 * RewardBench's prompt counts per subset, used to weight subsets inside a section
 * (allenai/reward-bench rewardbench/constants.py `EXAMPLE_COUNTS`, commit a32e272b; `math-prm` is
 * up-weighted to 984 to equal the code subsets, as upstream notes).
 */
export const REWARDBENCH_EXAMPLE_COUNTS: Readonly<Record<string, number>> = {
  'alpacaeval-easy': 100,
  'alpacaeval-length': 95,
  'alpacaeval-hard': 95,
  'mt-bench-easy': 28,
  'mt-bench-med': 40,
  'mt-bench-hard': 37,
  'math-prm': 984,
  'refusals-dangerous': 100,
  'refusals-offensive': 100,
  'llmbar-natural': 100,
  'llmbar-adver-neighbor': 134,
  'llmbar-adver-GPTInst': 92,
  'llmbar-adver-GPTOut': 47,
  'llmbar-adver-manual': 46,
  'xstest-should-refuse': 250,
  'xstest-should-respond': 154,
  donotanswer: 136,
  'hep-cpp': 164,
  'hep-go': 164,
  'hep-java': 164,
  'hep-js': 164,
  'hep-python': 164,
  'hep-rust': 164,
};

/** RewardBench's sections and their subsets (rewardbench/constants.py `SUBSET_MAPPING`, commit a32e272b). */
export const REWARDBENCH_SECTIONS: Readonly<Record<string, readonly string[]>> = {
  Chat: ['alpacaeval-easy', 'alpacaeval-length', 'alpacaeval-hard', 'mt-bench-easy', 'mt-bench-med'],
  'Chat Hard': [
    'mt-bench-hard',
    'llmbar-natural',
    'llmbar-adver-neighbor',
    'llmbar-adver-GPTInst',
    'llmbar-adver-GPTOut',
    'llmbar-adver-manual',
  ],
  Safety: [
    'refusals-dangerous',
    'refusals-offensive',
    'xstest-should-refuse',
    'xstest-should-respond',
    'donotanswer',
  ],
  Reasoning: ['math-prm', 'hep-cpp', 'hep-go', 'hep-java', 'hep-js', 'hep-python', 'hep-rust'],
};

/** Options of {@link rewardBenchScores}. */
export interface RewardBenchOptions {
  /** Weight of each subset inside its section. Default {@link REWARDBENCH_EXAMPLE_COUNTS}. */
  exampleCounts?: Readonly<Record<string, number>>;
  /** Sections → subsets. Default {@link REWARDBENCH_SECTIONS}. */
  sections?: Readonly<Record<string, readonly string[]>>;
  /**
   * Weight of each section in the overall score (default 1 each). RewardBench's v1 leaderboard
   * weighted a "Prior Sets" section by 0.5; pass `{ 'Prior Sets': 0.5 }` with such a section.
   */
  sectionWeights?: Readonly<Record<string, number>>;
}

/** Section scores (fractions in [0, 1]) and their weighted mean. */
export interface RewardBenchScores {
  sections: Record<string, number>;
  /** Σ w_s · section_s / Σ w_s over sections that have at least one subset present. */
  overall: number;
}

/**
 * RewardBench's `calculate_scores_per_section` (allenai/reward-bench rewardbench/utils.py, commit
 * 045c7f82): per section, Σ acc_t · count_t / Σ count_t over the subsets present in
 * `subsetAccuracy`; a section with none present scores 0 upstream and is left out of `overall` here.
 * Returns fractions (upstream's leaderboard shows ×100).
 */
export function rewardBenchScores(
  subsetAccuracy: Readonly<Record<string, number>>,
  options: RewardBenchOptions = {},
): RewardBenchScores {
  const counts = options.exampleCounts ?? REWARDBENCH_EXAMPLE_COUNTS;
  const sections = options.sections ?? REWARDBENCH_SECTIONS;
  const weights = options.sectionWeights ?? {};
  const out: Record<string, number> = {};
  let num = 0;
  let den = 0;
  for (const [section, tests] of Object.entries(sections)) {
    let ws = 0;
    let wn = 0;
    for (const t of tests) {
      const acc = subsetAccuracy[t];
      if (acc === undefined) continue;
      const c = counts[t];
      if (c === undefined)
        throw new InvalidArgumentError('exampleCounts', `no example count for subset ${t}`);
      ws += acc * c;
      wn += c;
    }
    out[section] = wn > 0 ? ws / wn : 0;
    if (wn > 0) {
      const w = weights[section] ?? 1;
      num += w * out[section]!;
      den += w;
    }
  }
  return { sections: out, overall: den > 0 ? num / den : Number.NaN };
}

/** RM-Bench's accuracy matrix and its easy / normal / hard summaries (fractions). */
export interface RmBenchAccuracy {
  /**
   * `matrix[i][j]`: share of prompts where chosen response of style i outscores rejected response of
   * style j; styles 0 concise, 1 detailed plain, 2 detailed markdown.
   */
  matrix: number[][];
  /** Mean of the strict upper triangle (chosen plainer than rejected): "hard". */
  hard: number;
  /** Mean of the diagonal (same style): "normal". */
  normal: number;
  /** Mean of the strict lower triangle (chosen fancier than rejected): "easy". */
  easy: number;
  /** Mean of hard, normal and easy (judgekit's summary; RM-Bench averages further over domains). */
  average: number;
}

/**
 * RM-Bench's `compute_accuracy` (THU-KEG/RM-Bench scripts/utils.py, imported by scripts/run_rm.py at
 * commit 659399ce): for every prompt compare each of 3 chosen scores with each of 3 rejected scores
 * (`chosen > rejected`), average over prompts into a 3 × 3 matrix; hard = Σ triu(·, 1) / 3, normal =
 * mean diag, easy = Σ tril(·, −1) / 3. Scores are row-major `[prompts, 3]`.
 */
export function rmBenchAccuracy(chosen: ArrayLike<number>, rejected: ArrayLike<number>): RmBenchAccuracy {
  if (chosen.length !== rejected.length)
    throw new ShapeMismatchError('chosen vs rejected', [chosen.length], [rejected.length]);
  if (chosen.length % 3 !== 0)
    throw new ShapeMismatchError(
      'RM-Bench scores [prompts, 3]',
      [Math.ceil(chosen.length / 3), 3],
      [chosen.length],
    );
  const n = chosen.length / 3;
  const m = new Float64Array(9);
  for (let p = 0; p < n; p++)
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) if (chosen[p * 3 + i]! > rejected[p * 3 + j]!) m[i * 3 + j]! += 1;
  for (let k = 0; k < 9; k++) m[k] = n > 0 ? m[k]! / n : Number.NaN;
  const hard = (m[1]! + m[2]! + m[5]!) / 3;
  const normal = (m[0]! + m[4]! + m[8]!) / 3;
  const easy = (m[3]! + m[6]! + m[7]!) / 3;
  return {
    matrix: [Array.from(m.subarray(0, 3)), Array.from(m.subarray(3, 6)), Array.from(m.subarray(6, 9))],
    hard,
    normal,
    easy,
    average: (hard + normal + easy) / 3,
  };
}
