/**
 * A GRPO training loop end to end, in TypeScript, for a small judge policy: sample groups of
 * completions from a softmax policy over a small token set (a linear body over position, previous
 * token and pair features), score them with a reward from `@judgekit/rewards` (the JudgeLRM reward,
 * plus an optional shaping term composed with `weightedSum`), compute advantages, the GRPO loss and
 * its gradient with respect to the logits (`@judgekit/grpo` `grpoStep`, verl or TRL convention),
 * chain that gradient to the body's parameters and take an AdamW step (`@judgekit/baselines`).
 *
 * The task is JudgeLRM's output structure: after the prompt's `<think>`, emit
 * `</think><answer>s1</answer><answer>s2</answer>` and end. A fresh policy emits random tokens
 * (reward −3: format and content penalties); the loop learns the structure and scores whose order
 * follows the pair features. Float64 throughout and one seeded RNG: two runs with the same
 * config are bit-identical. `trainGrpoJudgePolicyOnBackend` runs the same loop with its loss step
 * on a @judgekit/webgpu backend (CPU or WebGPU).
 *
 * @module
 */
import { AdamW, clipGradNorm, encodeSafetensors } from '@judgekit/baselines';
import {
  ConfigError,
  createRng,
  InvalidArgumentError,
  type PairwiseSample,
  type Verdict,
} from '@judgekit/core';
import { grpoStep, type GrpoStepTrlOptions, type GrpoStepVerlOptions } from '@judgekit/grpo';
import { createJudgeLrmReward, defineReward, type RewardFunction, weightedSum } from '@judgekit/rewards';

/** The policy's token set: the JudgeLRM tags, the scores 0–10, a filler word and end-of-sequence. */
export const JUDGE_POLICY_TOKENS: readonly string[] = [
  '</think>',
  '<answer>',
  '</answer>',
  ...Array.from({ length: 11 }, (_, i) => String(i)),
  ' ok',
  '<eos>',
];
const EOS = JUDGE_POLICY_TOKENS.length - 1;
const SKELETON = ['</think>', '<answer>', '#', '</answer>', '<answer>', '#', '</answer>', '<eos>'];

/** Options of {@link trainGrpoJudgePolicy}. */
export interface GrpoJudgePolicyOptions {
  /** Seed of the initialisation, the prompt order and the sampling (default 0). */
  seed?: number;
  /** Optimiser steps (default 150). */
  steps?: number;
  /** Prompts per step (default 8). */
  promptsPerStep?: number;
  /** Completions per prompt, G (default 8). */
  groupSize?: number;
  /** Most tokens per completion (default 8: the skeleton's 7 and end-of-sequence). */
  maxTokens?: number;
  /** AdamW learning rate (default 0.05), weight decay (default 0). */
  learningRate?: number;
  weightDecay?: number;
  /** Gradient clipping L2 norm (default 1; 0 disables). */
  maxGradNorm?: number;
  /** Sampling temperature (default 1). */
  temperature?: number;
  /** Advantage / loss convention (default `verl`), with its options. */
  convention?: 'verl' | 'trl';
  verl?: GrpoStepVerlOptions;
  trl?: GrpoStepTrlOptions;
  /**
   * Weight of the shaping reward `structure_prefix` (the share of the JudgeLRM answer skeleton a
   * completion gets right from its start), summed with the JudgeLRM reward by `weightedSum`.
   * Without it a random policy never sees a well-formed answer and every group's rewards are equal
   * (zero advantage). Default 1; 0 trains on the JudgeLRM reward alone.
   */
  shapingWeight?: number;
  /** The JudgeLRM reward (default `createJudgeLrmReward()`). */
  judgeReward?: RewardFunction;
  /** Text before each completion (default: a ChatML prompt ending `<|im_start|>assistant\n<think>`). */
  promptText?: (sample: PairwiseSample) => string;
  /** Called after every step. */
  onStep?: (stats: GrpoStepStats) => void;
}

/** Statistics of one step. */
export interface GrpoStepStats {
  step: number;
  /** Mean of the training reward (JudgeLRM + shaping). */
  rewardMean: number;
  /** Mean of the JudgeLRM reward alone. */
  judgeRewardMean: number;
  /** Share of completions whose JudgeLRM format check passed. */
  wellFormed: number;
  /** Share of groups with equal rewards (no learning signal). */
  zeroVarianceGroups: number;
  loss: number;
  /** Mean token entropy of the sampled positions. */
  entropy: number;
  /** Mean completion length in tokens (eos included). */
  meanLength: number;
  gradNorm: number;
  /** One sampled completion, for a look. */
  example: string;
}

/** Result of {@link trainGrpoJudgePolicy}. */
export interface GrpoJudgePolicyResult {
  /** The trained parameters: `weight` [V, F] row-major then `bias` [V]. */
  params: Float64Array;
  /** Feature size F and vocabulary size V. */
  features: number;
  vocab: number;
  history: GrpoStepStats[];
  /** Greedy completion for a sample. */
  greedy(sample: PairwiseSample): string;
}

/** Ground truth of a pair for the JudgeLRM reward ("s1 s2"), from its verdict, by a named convention. */
export function judgeLrmGroundTruth(
  label: Verdict,
  scores: { winner: number; loser: number; tie: number },
): string {
  return label === 'answer1'
    ? `${scores.winner} ${scores.loser}`
    : label === 'answer2'
      ? `${scores.loser} ${scores.winner}`
      : `${scores.tie} ${scores.tie}`;
}

/**
 * The shaping reward: the number of leading tokens of the completion that follow the skeleton
 * `</think><answer>N</answer><answer>N</answer><eos>` (N any score), divided by its length (8).
 * Reads `sample.prompt` as the tokens joined by U+241F (set by the loop).
 */
function structurePrefixReward(): RewardFunction {
  return defineReward(
    'structure_prefix',
    (s) => {
      const toks = String(s.prompt ?? '').split('\u241f');
      let k = 0;
      while (k < SKELETON.length && k < toks.length) {
        const want = SKELETON[k]!;
        const t = toks[k]!;
        if (want === '#' ? !/^\d+$/.test(t) : t !== want) break;
        k++;
      }
      return k / SKELETON.length;
    },
    { bounds: { min: 0, max: 1 } },
  );
}

function pairFeatures(s: PairwiseSample): [number, number] {
  const words = (t: string) => (t.match(/\S+/g) ?? []).length;
  return [1, Math.tanh((words(s.answer1) - words(s.answer2)) / 50)];
}

const defaultPrompt = (s: PairwiseSample) =>
  `<|im_start|>user\nWhich answer is better?\n[Question]\n${s.question}\n[Answer 1]\n${s.answer1}\n[Answer 2]\n${s.answer2}<|im_end|>\n<|im_start|>assistant\n<think>`;

/**
 * Train the small judge policy with GRPO on labelled pairs. `groundTruths[i]` is the JudgeLRM gold
 * ("s1 s2") of `samples[i]` (see {@link judgeLrmGroundTruth}).
 */
export function trainGrpoJudgePolicy(
  samples: readonly PairwiseSample[],
  groundTruths: readonly string[],
  options: GrpoJudgePolicyOptions = {},
): GrpoJudgePolicyResult {
  const loop = judgePolicyLoop(samples, groundTruths, options);
  let next = loop.next();
  while (!next.done) next = loop.next(grpoStepLoss(next.value, options));
  return next.value;
}

/** What one step asks of its loss: the sampled batch, its rewards and the logits they came from. */
export interface PolicyLossRequest {
  /** Completions (B = prompts × group size) and tokens per completion (T). */
  rows: number;
  cols: number;
  /** Response mask `[B, T]`. */
  mask: Float64Array;
  /** Reward per completion `[B]`. */
  rewards: Float64Array;
  /** Group (prompt) of each completion `[B]`. */
  groupIds: number[];
  /** Logits `[B·T, V]`, sampled tokens `[B·T]` (−1 = padding), V and the sampling temperature. */
  logits: Float64Array;
  labels: Int32Array;
  vocab: number;
  temperature: number;
}

/** The loss of one step: its value, ∂loss/∂logits `[B·T, V]` and the token entropies `[B·T]`. */
export interface PolicyLossResult {
  loss: number;
  gradLogits: ArrayLike<number>;
  entropy: ArrayLike<number>;
}

/** The CPU loss: `grpoStep` (float64) with the logits, in the convention asked for. */
function grpoStepLoss(req: PolicyLossRequest, options: GrpoJudgePolicyOptions): PolicyLossResult {
  const { rows, cols, mask, rewards, groupIds, logits, labels, vocab, temperature } = req;
  const out = grpoStep(
    { rows, cols, mask, rewards, groupIds, logits: { logits, labels, vocab, temperature } },
    (options.convention ?? 'verl') === 'verl'
      ? { impl: 'verl', ...(options.verl ? { verl: options.verl } : {}) }
      : { impl: 'trl', trl: { numGenerations: options.groupSize ?? 8, ...options.trl } },
  );
  return { loss: out.loss, gradLogits: out.gradLogits!, entropy: out.entropy! };
}

/**
 * The loop as a generator: it yields each step's loss request and resumes with its result, so
 * the CPU driver ({@link trainGrpoJudgePolicy}) stays synchronous and a backend driver may await.
 */
export function* judgePolicyLoop(
  samples: readonly PairwiseSample[],
  groundTruths: readonly string[],
  options: GrpoJudgePolicyOptions = {},
): Generator<PolicyLossRequest, GrpoJudgePolicyResult, PolicyLossResult> {
  if (samples.length === 0 || groundTruths.length !== samples.length)
    throw new InvalidArgumentError('samples', 'needs one ground truth per sample and at least one sample');
  const seed = options.seed ?? 0;
  const steps = options.steps ?? 150;
  const P = options.promptsPerStep ?? 8;
  const G = options.groupSize ?? 8;
  const T = options.maxTokens ?? 8;
  const temperature = options.temperature ?? 1;
  const shaping = options.shapingWeight ?? 1;
  const judge = options.judgeReward ?? createJudgeLrmReward();
  const reward =
    shaping === 0
      ? judge
      : weightedSum([
          { reward: judge, weight: 1 },
          { reward: structurePrefixReward(), weight: shaping },
        ]);
  const promptText = options.promptText ?? defaultPrompt;
  const V = JUDGE_POLICY_TOKENS.length;
  const C = 2;
  const F = T + V + 1 + C; // position one-hot, previous token one-hot (+ "start"), pair features
  const rng = createRng(seed);
  const params = new Float64Array(V * F + V);
  const bound = 1 / Math.sqrt(F);
  for (let i = 0; i < V * F; i++) params[i] = (rng.nextFloat() * 2 - 1) * bound;
  const opt = new AdamW(params, { lr: options.learningRate ?? 0.05, weightDecay: options.weightDecay ?? 0 });
  const maxNorm = options.maxGradNorm ?? 1;

  const feat = new Float64Array(F);
  const setFeatures = (t: number, prev: number, c: readonly number[]) => {
    feat.fill(0);
    feat[t] = 1;
    feat[T + (prev < 0 ? V : prev)] = 1;
    feat[T + V + 1] = c[0]!;
    feat[T + V + 2] = c[1]!;
  };
  const logitsInto = (out: Float64Array, o: number) => {
    for (let v = 0; v < V; v++) {
      let z = params[V * F + v] as number;
      const w = v * F;
      for (let f = 0; f < F; f++) z += (params[w + f] as number) * (feat[f] as number);
      out[o + v] = z;
    }
  };
  const text = (toks: readonly number[]) =>
    toks
      .filter((t) => t !== EOS)
      .map((t) => JUDGE_POLICY_TOKENS[t])
      .join('');

  const history: GrpoStepStats[] = [];
  const order = Array.from({ length: samples.length }, (_, i) => i);
  let cursor = samples.length;
  const rows = P * G;
  const logits = new Float64Array(rows * T * V);
  const labels = new Int32Array(rows * T);
  const mask = new Float64Array(rows * T);
  const feats = new Float64Array(rows * T * F);
  const probs = new Float64Array(V);
  for (let step = 0; step < steps; step++) {
    // pick P prompts (reshuffled each pass)
    const picked: number[] = [];
    for (let p = 0; p < P; p++) {
      if (cursor >= order.length) {
        rng.shuffle(order);
        cursor = 0;
      }
      picked.push(order[cursor++]!);
    }
    // sample G completions per prompt
    labels.fill(-1);
    mask.fill(0);
    const groupIds: number[] = [];
    const rewards = new Float64Array(rows);
    let judgeSum = 0;
    let formatOk = 0;
    let lenSum = 0;
    let example = '';
    for (let p = 0; p < P; p++) {
      const s = samples[picked[p]!]!;
      const c = pairFeatures(s);
      for (let g = 0; g < G; g++) {
        const r = p * G + g;
        groupIds.push(p);
        const toks: number[] = [];
        let prev = -1;
        for (let t = 0; t < T; t++) {
          setFeatures(t, prev, c);
          const o = (r * T + t) * V;
          feats.set(feat, (r * T + t) * F);
          logitsInto(logits, o);
          if (toks.length > 0 && toks[toks.length - 1] === EOS) continue; // padding: logits kept, masked out
          let max = Number.NEGATIVE_INFINITY;
          for (let v = 0; v < V; v++) max = Math.max(max, (logits[o + v] as number) / temperature);
          let z = 0;
          for (let v = 0; v < V; v++) z += probs[v] = Math.exp((logits[o + v] as number) / temperature - max);
          let u = rng.nextFloat() * z;
          let tok = V - 1;
          for (let v = 0; v < V; v++) {
            u -= probs[v] as number;
            if (u < 0) {
              tok = v;
              break;
            }
          }
          toks.push(tok);
          labels[r * T + t] = tok;
          mask[r * T + t] = 1;
          prev = tok;
        }
        const completion = text(toks);
        const res = reward.score({
          sequence: promptText(s) + completion,
          prompt: toks.map((t) => JUDGE_POLICY_TOKENS[t]).join('\u241f'),
          groundTruth: groundTruths[picked[p]!],
        });
        rewards[r] = res.total;
        const jr =
          shaping === 0
            ? res
            : {
                total: res.components[judge.name]!,
                components: { format: res.components[`${judge.name}.format`]! },
              };
        judgeSum += jr.total;
        if ((jr.components.format ?? -1) > 0) formatOk++;
        lenSum += toks.length;
        if (r === 0) example = completion;
      }
    }
    // advantages, loss and ∂loss/∂logits
    const out: PolicyLossResult = yield {
      rows,
      cols: T,
      mask,
      rewards,
      groupIds,
      logits,
      labels,
      vocab: V,
      temperature,
    };
    // chain to the linear body: ∂W[v, f] = Σ_rt ∂z[rt, v]·x[rt, f], ∂b[v] = Σ_rt ∂z[rt, v]
    const grads = new Float64Array(params.length);
    const gl = out.gradLogits;
    for (let rt = 0; rt < rows * T; rt++) {
      const xo = rt * F;
      for (let v = 0; v < V; v++) {
        const d = gl[rt * V + v] as number;
        if (d === 0) continue;
        grads[V * F + v] = (grads[V * F + v] as number) + d;
        const w = v * F;
        for (let f = 0; f < F; f++) {
          const x = feats[xo + f] as number;
          if (x !== 0) grads[w + f] = (grads[w + f] as number) + d * x;
        }
      }
    }
    const gradNorm = maxNorm > 0 ? clipGradNorm(grads, maxNorm) : Number.NaN;
    opt.step(grads);

    let entSum = 0;
    let valid = 0;
    for (let i = 0; i < rows * T; i++) {
      if (mask[i]) {
        entSum += out.entropy[i] as number;
        valid++;
      }
    }
    let zeroVar = 0;
    for (let p = 0; p < P; p++) {
      let same = true;
      for (let g = 1; g < G; g++) if (rewards[p * G + g] !== rewards[p * G]) same = false;
      if (same) zeroVar++;
    }
    let rsum = 0;
    for (let i = 0; i < rows; i++) rsum += rewards[i] as number;
    const stats: GrpoStepStats = {
      step: step + 1,
      rewardMean: rsum / rows,
      judgeRewardMean: judgeSum / rows,
      wellFormed: formatOk / rows,
      zeroVarianceGroups: zeroVar / P,
      loss: out.loss,
      entropy: entSum / valid,
      meanLength: lenSum / rows,
      gradNorm,
      example,
    };
    history.push(stats);
    options.onStep?.(stats);
  }

  const greedy = (s: PairwiseSample): string => {
    const c = pairFeatures(s);
    const z = new Float64Array(V);
    const toks: number[] = [];
    let prev = -1;
    for (let t = 0; t < T; t++) {
      setFeatures(t, prev, c);
      logitsInto(z, 0);
      let best = 0;
      for (let v = 1; v < V; v++) if ((z[v] as number) > (z[best] as number)) best = v;
      toks.push(best);
      if (best === EOS) break;
      prev = best;
    }
    return text(toks);
  };
  return { params, features: F, vocab: V, history, greedy };
}

/** A small SVG line chart of per-step series (e.g. mean rewards), self-contained. */
export function renderStepPlot(
  history: readonly GrpoStepStats[],
  series: readonly {
    key: 'rewardMean' | 'judgeRewardMean' | 'wellFormed' | 'entropy' | 'loss';
    label: string;
    color: string;
  }[],
  title: string,
): string {
  const W = 640;
  const H = 320;
  const m = { l: 50, r: 150, t: 30, b: 35 };
  const xs = history.map((h) => h.step);
  const all = history.flatMap((h) => series.map((s) => h[s.key]));
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const span = hi - lo || 1;
  const x = (v: number) =>
    m.l + ((v - (xs[0] ?? 0)) / Math.max(1, (xs.at(-1) ?? 1) - (xs[0] ?? 0))) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - ((v - lo) / span) * (H - m.t - m.b);
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const lines = series.map((s, k) => {
    const pts = history.map((h) => `${x(h.step).toFixed(1)},${y(h[s.key]).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${pts}"/><text x="${W - m.r + 10}" y="${m.t + 15 + 18 * k}" fill="${s.color}" font-size="12">${esc(s.label)}</text>`;
  });
  const ticks = [lo, lo + span / 2, hi].map(
    (v) => `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${v.toFixed(2)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/><text x="${m.l}" y="18" font-size="14">${esc(title)}</text><line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="#888"/><line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="#888"/>${ticks.join('')}<text x="${(W - m.r + m.l) / 2}" y="${H - 8}" text-anchor="middle" font-size="11">step</text>${lines.join('')}</svg>\n`;
}

/** The JSON config of `judgekit train-grpo` (paths relative to the config file). */
export interface GrpoJudgePolicyConfig {
  /** Labelled pairs: a pairwise dataset (`loadPairwiseDataset` formats). */
  data: { path: string; format: 'pandalm' | 'judgelm' | 'llmbar'; limit?: number };
  /** Ground truth "s1 s2" from each verdict (see {@link judgeLrmGroundTruth}). */
  verdictScores: { winner: number; loser: number; tie: number };
  /** Output directory (default `grpo-run`). */
  out?: string;
  seed?: number;
  steps?: number;
  promptsPerStep?: number;
  groupSize?: number;
  maxTokens?: number;
  learningRate?: number;
  weightDecay?: number;
  maxGradNorm?: number;
  temperature?: number;
  convention?: 'verl' | 'trl';
  shapingWeight?: number;
  /**
   * Where each step's loss and gradients run (`trainGrpoJudgePolicyOnBackend`): `cpu`, `webgpu`
   * or `auto`. Absent: `trainGrpoJudgePolicy` (grpoStep, float64, both conventions).
   */
  backend?: 'cpu' | 'webgpu' | 'auto';
}

const CONFIG_NUMBERS = [
  'seed',
  'steps',
  'promptsPerStep',
  'groupSize',
  'maxTokens',
  'learningRate',
  'weightDecay',
  'maxGradNorm',
  'temperature',
  'shapingWeight',
] as const;

/**
 * Check a parsed `train-grpo` config; a wrong or unknown key is a `ConfigError` naming the file and
 * the key.
 */
export function parseGrpoJudgePolicyConfig(value: unknown, file: string): GrpoJudgePolicyConfig {
  const bad = (key: string, problem: string) => new ConfigError(`${file}: \`${key}\` ${problem}`);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw bad('(root)', 'must be a JSON object');
  const v = value as Record<string, unknown>;
  const known = new Set<string>(['data', 'verdictScores', 'out', 'convention', 'backend', ...CONFIG_NUMBERS]);
  for (const k of Object.keys(v))
    if (!known.has(k)) throw bad(k, `is not a config key (known: ${[...known].join(', ')})`);
  const data = v.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object' || typeof data.path !== 'string')
    throw bad('data', 'must be {"path": "...", "format": "pandalm|judgelm|llmbar"}');
  if (!['pandalm', 'judgelm', 'llmbar'].includes(data.format as string))
    throw bad('data.format', 'must be pandalm, judgelm or llmbar');
  if (data.limit !== undefined && !(Number.isInteger(data.limit) && (data.limit as number) > 0))
    throw bad('data.limit', 'must be a positive integer');
  const vs = v.verdictScores as Record<string, unknown> | undefined;
  if (!vs || !['winner', 'loser', 'tie'].every((k) => typeof vs[k] === 'number' && Number.isFinite(vs[k])))
    throw bad(
      'verdictScores',
      'must be {"winner": n, "loser": n, "tie": n} (the gold "s1 s2" each verdict stands for)',
    );
  for (const k of CONFIG_NUMBERS)
    if (v[k] !== undefined && !(typeof v[k] === 'number' && Number.isFinite(v[k])))
      throw bad(k, 'must be a finite number');
  if (v.convention !== undefined && v.convention !== 'verl' && v.convention !== 'trl')
    throw bad('convention', 'must be "verl" or "trl"');
  if (v.backend !== undefined && v.backend !== 'cpu' && v.backend !== 'webgpu' && v.backend !== 'auto')
    throw bad('backend', 'must be "cpu", "webgpu" or "auto"');
  if (v.out !== undefined && typeof v.out !== 'string') throw bad('out', 'must be a path string');
  return v as unknown as GrpoJudgePolicyConfig;
}

/** The trained policy as safetensors bytes: `weight` [V, F], `bias` [V]; tokens in the metadata. */
export function encodeJudgePolicy(result: GrpoJudgePolicyResult): Uint8Array {
  const { params, vocab: V, features: F } = result;
  return encodeSafetensors(
    {
      weight: { shape: [V, F], data: params.subarray(0, V * F) },
      bias: { shape: [V], data: params.subarray(V * F) },
    },
    {
      tokens: JSON.stringify(JUDGE_POLICY_TOKENS),
      features: 'position one-hot, previous token one-hot (+start), [1, tanh(Δwords/50)]',
    },
  );
}
