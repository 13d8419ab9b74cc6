/**
 * Probability-weighted judgments from the top log-probabilities of the judge's answer token
 * (G-Eval style: Liu et al. 2023, "G-Eval: NLG Evaluation using GPT-4 with Better Human
 * Alignment", score = Σ p(sᵢ)·sᵢ over the score tokens). Input is the OpenAI-compatible
 * `choices[0].logprobs.content` array (`{ token, logprob, top_logprobs: [{ token, logprob }] }`),
 * which vLLM, SGLang and OpenAI return with `logprobs: true, top_logprobs: k`.
 *
 * The answer token is the first generated token after the last occurrence of a marker (`after`,
 * e.g. `'Rating: [['`), or the first token when there is no marker. Its top candidates whose
 * trimmed text is an allowed value are summed per value (`"7"` and `" 7"` are one value) and
 * renormalised by their total probability (`mass`, reported, so a low-coverage estimate is
 * visible). Pure functions; they never throw on model output.
 */

import { type ParseResult, parseFailure, parseSuccess, type Verdict } from '@judgekit/core';

/** One candidate token with its natural-log probability. */
export interface TopLogprob {
  token: string;
  logprob: number;
}

/** One generated token, as in OpenAI's `logprobs.content[i]`. */
export interface TokenLogprob extends TopLogprob {
  top_logprobs?: readonly TopLogprob[];
}

/** Where the answer token sits and which values it may take. */
export interface LogprobReadOptions {
  /** The answer token is the first token that starts at or after the end of the last occurrence of this text. */
  after?: string;
}

/** Why no probability-weighted value could be computed. */
export type LogprobFailureReason = 'no-tokens' | 'no-marker' | 'no-top-logprobs' | 'no-allowed-candidate';

/** A G-Eval expected score. */
export interface ExpectedScore {
  /** Σ p(value)·value over allowed values, renormalised by `mass`. */
  expected: number;
  /** Probability of each allowed value (renormalised; sums to 1). */
  distribution: Record<string, number>;
  /** Total probability the allowed values held among the returned candidates (before renormalising). */
  mass: number;
  /** The most likely value. */
  mode: number;
  /** Index of the answer token in `content`. */
  position: number;
}

/** A verdict distribution. */
export interface VerdictDistribution {
  /** Probability of each verdict (renormalised over the mapped labels). */
  distribution: Record<Verdict, number>;
  mass: number;
  /** The most likely verdict. */
  verdict: Verdict;
  position: number;
}

function locate(
  content: readonly TokenLogprob[] | null | undefined,
  options: LogprobReadOptions,
):
  | { position: number; candidates: readonly TopLogprob[] }
  | { reason: LogprobFailureReason; message: string } {
  if (!Array.isArray(content) || content.length === 0)
    return {
      reason: 'no-tokens',
      message: 'no token log-probabilities (ask for logprobs: true, top_logprobs: k)',
    };
  let position = 0;
  if (options.after !== undefined && options.after !== '') {
    const text = content.map((t) => (typeof t?.token === 'string' ? t.token : '')).join('');
    const at = text.lastIndexOf(options.after);
    if (at === -1)
      return { reason: 'no-marker', message: `no ${JSON.stringify(options.after)} in the answer` };
    const end = at + options.after.length;
    let offset = 0;
    position = -1;
    for (let i = 0; i < content.length; i++) {
      const len = typeof content[i]?.token === 'string' ? content[i]!.token.length : 0;
      if (offset >= end) {
        position = i;
        break;
      }
      offset += len;
    }
    if (position === -1)
      return { reason: 'no-marker', message: `nothing generated after ${JSON.stringify(options.after)}` };
  }
  const tok = content[position]!;
  const candidates =
    Array.isArray(tok?.top_logprobs) && tok.top_logprobs.length > 0 ? tok.top_logprobs : undefined;
  if (candidates === undefined)
    return { reason: 'no-top-logprobs', message: `token ${position} has no top_logprobs` };
  return { position, candidates };
}

function sumByKey(
  candidates: readonly TopLogprob[],
  key: (trimmed: string) => string | undefined,
): { probs: Map<string, number>; mass: number } {
  const probs = new Map<string, number>();
  let mass = 0;
  for (const c of candidates) {
    // A log-probability is ≤ 0; anything else (NaN, +∞, a positive value) is not one and is skipped.
    if (typeof c?.token !== 'string' || typeof c.logprob !== 'number' || !(c.logprob <= 1e-9)) continue;
    const k = key(c.token.trim());
    if (k === undefined) continue;
    const p = Math.exp(Math.min(0, c.logprob));
    probs.set(k, (probs.get(k) ?? 0) + p);
    mass += p;
  }
  return { probs, mass };
}

/**
 * G-Eval expected score at the answer token: `values` are the allowed scores (e.g. 1–10 for
 * MT-Bench single, 1–5 for Prometheus absolute). Failures (no tokens, no marker, no candidates,
 * no allowed candidate) are a `ParseResult` failure.
 */
export function expectedScoreFromLogprobs(
  content: readonly TokenLogprob[] | null | undefined,
  values: readonly number[],
  options: LogprobReadOptions = {},
): ParseResult<ExpectedScore, LogprobFailureReason> {
  const raw = JSON.stringify(content ?? null).slice(0, 2000);
  const found = locate(content, options);
  if ('reason' in found) return parseFailure(found.reason, found.message, raw);
  const allowed = new Map(values.map((v) => [String(v), v]));
  const { probs, mass } = sumByKey(found.candidates, (t) => (allowed.has(t) ? t : undefined));
  if (mass === 0)
    return parseFailure(
      'no-allowed-candidate',
      `none of the top candidates at token ${found.position} is one of ${values.join(', ')}`,
      raw,
    );
  const distribution: Record<string, number> = {};
  let expected = 0;
  let mode = Number.NaN;
  let best = -1;
  for (const [k, p] of probs) {
    const q = p / mass;
    distribution[k] = q;
    expected += q * allowed.get(k)!;
    if (q > best) {
      best = q;
      mode = allowed.get(k)!;
    }
  }
  return parseSuccess({ expected, distribution, mass, mode, position: found.position }, raw);
}

/**
 * Verdict distribution at the answer token: `labels` maps a candidate's trimmed text to a verdict
 * (e.g. `{ A: 'answer1', B: 'answer2', C: 'tie' }` for MT-Bench `[[A]]`).
 */
export function verdictDistributionFromLogprobs(
  content: readonly TokenLogprob[] | null | undefined,
  labels: Readonly<Record<string, Verdict>>,
  options: LogprobReadOptions = {},
): ParseResult<VerdictDistribution, LogprobFailureReason> {
  const raw = JSON.stringify(content ?? null).slice(0, 2000);
  const found = locate(content, options);
  if ('reason' in found) return parseFailure(found.reason, found.message, raw);
  const { probs, mass } = sumByKey(found.candidates, (t) =>
    Object.hasOwn(labels, t) ? labels[t] : undefined,
  );
  if (mass === 0)
    return parseFailure(
      'no-allowed-candidate',
      `none of the top candidates at token ${found.position} is one of ${Object.keys(labels).join(', ')}`,
      raw,
    );
  const distribution: Record<Verdict, number> = { answer1: 0, answer2: 0, tie: 0 };
  for (const [k, p] of probs) distribution[k as Verdict] = p / mass;
  const verdict = (['answer1', 'answer2', 'tie'] as const).reduce((a, b) =>
    distribution[b] > distribution[a] ? b : a,
  );
  return parseSuccess({ distribution, mass, verdict, position: found.position }, raw);
}

/**
 * Where the answer token of each built-in format sits, and its values: pass the entry's
 * `options` and `values` / `labels` to the functions above.
 */
export const LOGPROB_ANSWER_TOKENS = Object.freeze({
  'mtbench-single': {
    kind: 'score',
    options: { after: 'Rating: [[' },
    values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  },
  'mtbench-pair': {
    kind: 'verdict',
    options: { after: '[[' },
    labels: { A: 'answer1', B: 'answer2', C: 'tie' },
  },
  'prometheus-absolute': { kind: 'score', options: { after: '[RESULT]' }, values: [1, 2, 3, 4, 5] },
  'prometheus-relative': {
    kind: 'verdict',
    options: { after: '[RESULT]' },
    labels: { A: 'answer1', B: 'answer2' },
  },
  llmbar: { kind: 'verdict', options: { after: 'Output (' }, labels: { a: 'answer1', b: 'answer2' } },
  pandalm: { kind: 'verdict', options: {}, labels: { '1': 'answer1', '2': 'answer2', Tie: 'tie' } },
  'judgelm-single': { kind: 'score', options: {}, values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
} as const);
