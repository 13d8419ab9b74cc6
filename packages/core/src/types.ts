/**
 * Shared vocabulary: the samples a judge sees, the verdicts it gives and the records around them.
 */

/** Which answer a pairwise judge prefers. `answer1` is the answer shown first in the original order. */
export type Verdict = 'answer1' | 'answer2' | 'tie';

/** All verdicts, in the order used for confusion matrices and per-class metrics. */
export const VERDICTS: readonly Verdict[] = ['answer1', 'answer2', 'tie'];

/** A judge's two scores: `[score of answer 1, score of answer 2]`, each usually on 1–10. */
export type ScorePair = readonly [number, number];

/** A pairwise judging task: one question, two answers, optional reference and gold label. */
export interface PairwiseSample {
  /** Stable id of the sample (question id, row number, …). */
  id: string;
  /** The instruction or question, with its input appended where the format has one. */
  question: string;
  /** The answer shown as "Assistant 1" / "Response 1" in the original order. */
  answer1: string;
  /** The answer shown second in the original order. */
  answer2: string;
  /** Reference answer for reference-guided judging. */
  reference?: string;
  /** Gold verdict (human or teacher-judge label), in the original order. */
  label?: Verdict;
  /** Gold scores, when the label came from a scoring teacher such as GPT-4 in JudgeLM-100K. */
  scores?: ScorePair;
  /** Anything else the source row carried (annotator ids, categories, …). */
  metadata?: Record<string, unknown>;
}

/** A single-answer grading task. */
export interface SingleAnswerSample {
  id: string;
  question: string;
  answer: string;
  reference?: string;
  /** Gold absolute score. */
  score?: number;
  metadata?: Record<string, unknown>;
}

/** One chat message, as OpenAI-compatible servers and chat templates take it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/**
 * Token counts of one model call or of many added together. `inputTokens` / `outputTokens` are
 * the AI SDK's names for `promptTokens` / `completionTokens` (same numbers); `withUsageNames`
 * fills both. Prefer the new names in new code: the old ones stay as aliases through 0.x.
 */
export interface Usage {
  /** Prompt tokens. Alias of {@link Usage.inputTokens}, kept for compatibility. */
  promptTokens: number;
  /** Completion tokens. Alias of {@link Usage.outputTokens}, kept for compatibility. */
  completionTokens: number;
  totalTokens: number;
  /** Input (prompt) tokens, as the AI SDK names them; equal to `promptTokens` when present. */
  inputTokens?: number;
  /** Output (completion) tokens, as the AI SDK names them; equal to `completionTokens` when present. */
  outputTokens?: number;
  /** Tokens served from a prompt cache, when the backend reports them. */
  cachedTokens?: number;
  /** Reasoning tokens, when the backend reports them separately. */
  reasoningTokens?: number;
}

/** Usage with every count at zero. */
export function emptyUsage(): Usage {
  return { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
}

/** Usage with both naming schemes filled: `inputTokens` / `outputTokens` always present. */
export type NamedUsage = Usage & { inputTokens: number; outputTokens: number };

/**
 * The same counts with `inputTokens` / `outputTokens` set from `promptTokens` /
 * `completionTokens` (the old names are the source of truth while both exist).
 */
export function withUsageNames(usage: Usage): NamedUsage {
  return { ...usage, inputTokens: usage.promptTokens, outputTokens: usage.completionTokens };
}

/** Sum two usage records; optional counts are kept when either side has them. */
export function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  if (a.inputTokens !== undefined || b.inputTokens !== undefined) {
    out.inputTokens = out.promptTokens;
    out.outputTokens = out.completionTokens;
  }
  if (a.cachedTokens !== undefined || b.cachedTokens !== undefined) {
    out.cachedTokens = (a.cachedTokens ?? 0) + (b.cachedTokens ?? 0);
  }
  if (a.reasoningTokens !== undefined || b.reasoningTokens !== undefined) {
    out.reasoningTokens = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  }
  return out;
}

/**
 * Verdict from two scores with JudgeLM's `translate_score_to_win_list` rule: answer 1 wins when
 * `s1 - s2 > threshold`, answer 2 when `s2 - s1 > threshold`, otherwise a tie. Upstream uses
 * `threshold = 0`, so only exactly equal scores tie.
 */
export function verdictFromScores(scores: ScorePair, threshold = 0): Verdict {
  const [s1, s2] = scores;
  if (s1 - s2 > threshold) return 'answer1';
  if (s2 - s1 > threshold) return 'answer2';
  return 'tie';
}

/**
 * The verdict as seen after the two answers swap places (`answer1` ↔ `answer2`, tie stays). A
 * failure (`null` / `undefined`: no verdict could be read) stays a failure; it never becomes a tie.
 */
export function swapVerdict(verdict: Verdict): Verdict;
export function swapVerdict(verdict: Verdict | null): Verdict | null;
export function swapVerdict(verdict: Verdict | null | undefined): Verdict | null | undefined;
export function swapVerdict(verdict: Verdict | null | undefined): Verdict | null | undefined {
  if (verdict === null || verdict === undefined) return verdict;
  return verdict === 'answer1' ? 'answer2' : verdict === 'answer2' ? 'answer1' : 'tie';
}

/** The sample with its two answers (and gold scores / label) swapped. */
export function swapSample(sample: PairwiseSample): PairwiseSample {
  const out: PairwiseSample = { ...sample, answer1: sample.answer2, answer2: sample.answer1 };
  if (sample.label !== undefined) out.label = swapVerdict(sample.label);
  if (sample.scores !== undefined) out.scores = [sample.scores[1], sample.scores[0]];
  return out;
}

/**
 * Numeric verdict codes used by upstream code: JudgeLM's win list (`1`, `-1`, `0`) and PandaLM's
 * labels (`1`, `2`, `0` for tie).
 */
export const VERDICT_CODES = {
  judgelm: { answer1: 1, answer2: -1, tie: 0 },
  pandalm: { answer1: 1, answer2: 2, tie: 0 },
} as const satisfies Record<string, Record<Verdict, number>>;
