/**
 * The small seam where model backends (@judgekit/models: transformers.js, onnxruntime-node, HTTP)
 * plug into the baselines: anything that turns texts into one scalar each (a reward model, a
 * mean token log-prob, a reward head over embeddings) becomes a pairwise judge whose verdicts and
 * 1–10 scores @judgekit/metrics can score like a generative judge's.
 */

import type { PairwiseSample, ScorePair, Verdict } from '@judgekit/core';
import { type ScoreMappingOptions, scorePairFromRewards, verdictFromRewards } from './reward-verdict.js';

/** Scores texts with one scalar each (higher = better). Backends implement this. */
export interface TextScorer {
  score(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<ArrayLike<number>>;
}

/**
 * Single-response prompt used by every scalar JudgeLRM baseline (spec judgelrm.md §6, no system
 * prompt): `<|im_start|>user\n{question}<|im_end|>\n<|im_start|>assistant\n{answer}<|im_end|>`.
 */
export function judgelrmSingleResponseText(question: string, answer: string): string {
  return `<|im_start|>user\n${question}<|im_end|>\n<|im_start|>assistant\n${answer}<|im_end|>`;
}

/** One judged sample. */
export interface RewardJudgement {
  id: string;
  reward1: number;
  reward2: number;
  verdict: Verdict;
  scores: ScorePair;
}

/**
 * Judge pairwise samples with a {@link TextScorer}: each answer is scored alone (formatted with
 * `format`, default {@link judgelrmSingleResponseText}), then mapped with
 * {@link verdictFromRewards} and {@link scorePairFromRewards} under the same options.
 */
export async function judgeWithScorer(
  samples: readonly PairwiseSample[],
  scorer: TextScorer,
  options: ScoreMappingOptions & {
    format?: (question: string, answer: string) => string;
    signal?: AbortSignal;
  } = {},
): Promise<RewardJudgement[]> {
  const format = options.format ?? judgelrmSingleResponseText;
  const texts: string[] = [];
  for (const s of samples) texts.push(format(s.question, s.answer1), format(s.question, s.answer2));
  const r = await scorer.score(texts, { signal: options.signal });
  return samples.map((s, i) => {
    const reward1 = r[2 * i]!;
    const reward2 = r[2 * i + 1]!;
    return {
      id: s.id,
      reward1,
      reward2,
      verdict: verdictFromRewards(reward1, reward2, options),
      scores: scorePairFromRewards(reward1, reward2, options),
    };
  });
}
