/**
 * Rollout scoring for external trainers: a JSONL of judge rollouts → a reward (JudgeLRM by default,
 * any `RewardFunction`) → group advantages in verl's or TRL's convention → the per-token GRPO loss,
 * its gradient with respect to the log-probs and the usual statistics. Everything numeric is
 * `@judgekit/rewards` and `@judgekit/grpo` (`grpoStep`, the policy losses, the KL estimators);
 * this file only reads, pads and summarises.
 *
 * One JSONL line per rollout:
 *
 * ```json
 * {"prompt": "<|im_start|>user\n…<|im_end|>\n<|im_start|>assistant\n<think>",
 *  "completion": "…</think><answer>8</answer><answer>6</answer>",
 *  "group_id": "q17", "ground_truth": "8 6",
 *  "log_probs": [-0.1, …], "old_log_probs": [-0.12, …], "ref_log_probs": [-0.2, …],
 *  "entropy": [1.2, …], "response_length": 31}
 * ```
 *
 * `ground_truth` is what the reward reads (JudgeLRM: `"s1 s2"` or `[s1, s2]`). Token arrays hold one
 * value per response token and must agree in length; each is given on every line or on none.
 * Without token arrays the row length is `response_length` (else 1 token, with a note).
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSafetensors, type NamedTensor } from '@judgekit/baselines';
import { DataFormatError, type DataLocation, InvalidArgumentError } from '@judgekit/core';
import {
  describeValue,
  optionalNumber,
  optionalNumberArray,
  parseJsonl,
  readTextFile,
  requireId,
  requireRecord,
  requireString,
} from '@judgekit/datasets';
import {
  type GrpoStepTrlOptions,
  type GrpoStepVerlOptions,
  grpoStep,
  klValue,
  trlGrpoLoss,
  verlPolicyLossGspo,
  verlPolicyLossVanilla,
} from '@judgekit/grpo';
import {
  createJudgeLrmReward,
  hasResponseHeader,
  type RewardFunction,
  type RewardSample,
} from '@judgekit/rewards';

/** One judge rollout (a parsed JSONL line). */
export interface Rollout {
  /** The prompt as the policy saw it (with its chat template). */
  prompt: string;
  /** The generated response. */
  completion: string;
  /** Group id (verl `uid`; TRL: rows of a group are contiguous blocks of `num_generations`). */
  groupId: string | number;
  /** Gold label for the reward (JudgeLRM: `"s1 s2"` or `[s1, s2]`). */
  groundTruth?: unknown;
  /** Current per-token log-probs of the response. */
  logProbs?: number[];
  /** π_old per-token log-probs. */
  oldLogProbs?: number[];
  /** Reference per-token log-probs. */
  refLogProbs?: number[];
  /** Per-token entropies (statistics only). */
  entropy?: number[];
  /** Response length in tokens (when no token arrays are given). */
  responseLength?: number;
  /** Where the rollout came from (for messages). */
  location?: DataLocation;
}

const TOKEN_FIELDS = [
  ['log_probs', 'logProbs'],
  ['old_log_probs', 'oldLogProbs'],
  ['ref_log_probs', 'refLogProbs'],
  ['entropy', 'entropy'],
] as const;

/**
 * Parse rollout JSONL text. A bad line is a `DataFormatError` naming `file:line` and the field.
 * Token arrays must agree in length with each other and with `response_length`, and each must be
 * present on every line or on none.
 */
export function parseRollouts(text: string, fileName: string): Rollout[] {
  const out: Rollout[] = [];
  const firstSeen: Partial<Record<(typeof TOKEN_FIELDS)[number][0], { has: boolean; line: number }>> = {};
  for (const { line, value } of parseJsonl(text, fileName)) {
    const loc: DataLocation = { file: fileName, line };
    const rec = requireRecord(value, loc);
    const r: Rollout = {
      prompt: requireString(rec, 'prompt', loc),
      completion: requireString(rec, 'completion', loc),
      groupId: requireId(rec, 'group_id', loc),
      location: loc,
    };
    if (Object.hasOwn(rec, 'ground_truth') && rec.ground_truth !== null) {
      const g = rec.ground_truth;
      const ok =
        typeof g === 'string' ||
        (typeof g === 'number' && Number.isFinite(g)) ||
        (Array.isArray(g) && g.every((x) => typeof x === 'number' || typeof x === 'string'));
      if (!ok)
        throw new DataFormatError(
          { ...loc, field: 'ground_truth' },
          `expected a string, a number or an array of scores, got ${describeValue(g)}`,
        );
      r.groundTruth = g;
    }
    let len: number | undefined;
    let lenField = '';
    for (const [field, key] of TOKEN_FIELDS) {
      const arr = optionalNumberArray(rec, field, loc);
      const seen = firstSeen[field];
      if (seen === undefined) firstSeen[field] = { has: arr !== undefined, line };
      else if (seen.has !== (arr !== undefined)) {
        throw new DataFormatError(
          { ...loc, field },
          seen.has
            ? `missing, but line ${seen.line} has it: give \`${field}\` on every line or on none`
            : `present, but line ${seen.line} has none: give \`${field}\` on every line or on none`,
        );
      }
      if (arr === undefined) continue;
      if (len !== undefined && arr.length !== len) {
        throw new DataFormatError(
          { ...loc, field },
          `has ${arr.length} tokens but \`${lenField}\` has ${len}; per-token arrays must agree`,
        );
      }
      len = arr.length;
      lenField = field;
      r[key] = arr;
    }
    const rl = optionalNumber(rec, 'response_length', loc);
    if (rl !== undefined) {
      if (!Number.isInteger(rl) || rl < 1)
        throw new DataFormatError(
          { ...loc, field: 'response_length' },
          `expected an integer >= 1, got ${rl}`,
        );
      if (len !== undefined && rl !== len)
        throw new DataFormatError(
          { ...loc, field: 'response_length' },
          `is ${rl} but \`${lenField}\` has ${len} tokens`,
        );
      r.responseLength = rl;
    }
    if (len === 0)
      throw new DataFormatError({ ...loc, field: lenField }, 'is empty: a response has at least one token');
    out.push(r);
  }
  if (out.length === 0)
    throw new DataFormatError({ file: fileName }, 'no rollouts (the file has no JSON lines)');
  return out;
}

/** Read and parse a rollout JSONL file (Node). */
export async function readRollouts(path: string): Promise<Rollout[]> {
  return parseRollouts(await readTextFile(path), path);
}

/** Options of {@link scoreRollouts}. */
export interface ScoreRolloutsOptions {
  /**
   * Advantage and loss convention, named after the trainer it reproduces: `'verl'`
   * (`compute_grpo_outcome_advantage` + `compute_policy_loss_vanilla`, token-mean; groups in any
   * order) or `'trl'` (`GRPOTrainer`: contiguous groups of `num_generations`, ε = 1e-4, `dapo`).
   */
  convention: 'verl' | 'trl';
  /** The reward (default `createJudgeLrmReward()`, judgelrm.py exactly). Compose with `weightedSum` / `gate`. */
  reward?: RewardFunction;
  /** verl settings passed to `grpoStep` (clip ratios, `lossAggMode`, KL loss, …). */
  verl?: GrpoStepVerlOptions;
  /** TRL settings passed to `grpoStep` (`scaleRewards`, `lossType`, `beta`, ε, …). */
  trl?: GrpoStepTrlOptions;
  /** Padded response width in tokens: with token lengths it enables the reward's length terms. */
  maxResponseLength?: number;
  /**
   * Count (and note) rollouts whose prompt + completion carries no `Assistant:` /
   * `<|im_start|>assistant` header, which the JudgeLRM reward needs (default: true for the default
   * reward, false for a custom one).
   */
  checkResponseHeader?: boolean;
}

/** Reward statistics of one group. */
export interface GroupRewardStats {
  /** Group id. */
  id: string | number;
  /** Rollouts in the group. */
  size: number;
  /** Mean reward. */
  mean: number;
  /** Unbiased standard deviation (torch.std; 0 for a singleton). */
  std: number;
}

/** Statistics of a scored batch. */
export interface RolloutStats {
  /** Rollouts. */
  rollouts: number;
  /** Mean reward over all rollouts. */
  rewardMean: number;
  /** Unbiased std of the rewards. */
  rewardStd: number;
  /** Per group, in first-seen order. */
  groups: GroupRewardStats[];
  /** Groups whose rewards are all equal (zero advantage: no learning signal). */
  zeroVarianceGroups: number;
  /** Fraction of valid tokens whose ratio was clipped (verl `pg_clipfrac`; TRL `clip_ratio/region_mean`). */
  clipFraction: number;
  /** Token-mean KL(π‖π_ref) with the convention's estimator, or null without reference log-probs. */
  kl: number | null;
  /** Token-mean entropy, or null without entropies. */
  entropy: number | null;
  /** Response length in tokens. */
  responseLength: { mean: number; min: number; max: number };
  /** Rollouts that lack the response header the reward needs (0 when the check is off). */
  missingResponseHeader: number;
  /** Trainer metrics reported by `grpoStep` (`pg_clipfrac`, `ppo_kl`, `kl_loss`, …). */
  trainerMetrics: Record<string, number>;
}

/** Which compute backend produced a {@link ScoredRollouts}' loss and gradients. */
export interface RolloutScoringBackend {
  /** The backend asked for (`scoreRollouts` itself: `'cpu'`). */
  requested: 'cpu' | 'webgpu' | 'auto';
  /** The backend that computed the loss, its gradients and the clip metrics. */
  chosen: 'cpu' | 'webgpu';
  /** The adapter (e.g. `llvmpipe (LLVM 19.1.7, 256 bits)`), when `chosen` is `webgpu`. */
  adapter: string | null;
  /** Why `auto` fell back to the CPU, else null. */
  fallbackReason: string | null;
  /** What computed the loss and gradients: `grpoStep` (float64), or the `grpoClipKlLoss` op of @judgekit/webgpu. */
  computedBy: 'grpoStep' | 'grpoClipKlLoss';
  /** Arithmetic of the loss and gradients (`float32` on WebGPU). */
  precision: 'float64' | 'float32';
  /** One printable line (for `auto`: what was chosen, or what it fell back from and why). */
  message: string;
}

/** Result of {@link scoreRollouts}. Per-token arrays are row-major `[rows, cols]`, padded with mask 0. */
export interface ScoredRollouts {
  /** The convention used. */
  convention: 'verl' | 'trl';
  /** Which backend and adapter produced the loss and gradients. */
  backend: RolloutScoringBackend;
  /** Name of the reward. */
  rewardName: string;
  /** Rollouts (B). */
  rows: number;
  /** Longest response in tokens (T). */
  cols: number;
  /** Response mask `[rows, cols]`. */
  mask: Float64Array;
  /** Rewards `[rows]`. */
  rewards: Float64Array;
  /** Reward components `[rows]` by name. */
  components: Record<string, Float64Array>;
  /** One advantage per rollout `[rows]`. */
  advantages: Float64Array;
  /** Per-token advantages `[rows, cols]`. */
  tokenAdvantages: Float64Array;
  /** The current log-probs used `[rows, cols]` (zeros when the file has none: on-policy, ratio 1). */
  logProbs: Float64Array;
  /** Unaggregated per-token policy loss `[rows, cols]` (verl `pg_losses`; TRL `per_token_loss`). */
  perTokenLoss: Float64Array;
  /** Aggregated total loss. */
  loss: number;
  /** Policy-gradient part of the loss. */
  pgLoss: number;
  /** ∂loss/∂log-probs `[rows, cols]`. */
  gradLogProbs: Float64Array;
  /** ∂loss/∂ref log-probs, or null. */
  gradRefLogProbs: Float64Array | null;
  /** Statistics. */
  stats: RolloutStats;
  /** What was assumed or skipped, in words (empty when nothing was). */
  notes: string[];
}

function unbiasedStd(xs: ArrayLike<number>, mean: number): number {
  if (xs.length < 2) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += ((xs[i] as number) - mean) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] as number;
  return xs.length === 0 ? 0 : s / xs.length;
}

function padded(
  rollouts: readonly Rollout[],
  key: 'logProbs' | 'oldLogProbs' | 'refLogProbs' | 'entropy',
  cols: number,
) {
  if (rollouts[0]![key] === undefined) return undefined;
  const out = new Float64Array(rollouts.length * cols);
  rollouts.forEach((r, i) => {
    out.set(r[key]!, i * cols);
  });
  return out;
}

/**
 * Score rollouts: reward → group advantages → GRPO loss and gradients (`grpoStep`) → statistics.
 * Throws `InvalidArgumentError` for unusable options (for example TRL with non-contiguous groups).
 */
export function scoreRollouts(rollouts: readonly Rollout[], options: ScoreRolloutsOptions): ScoredRollouts {
  const { convention } = options;
  if (convention !== 'verl' && convention !== 'trl')
    throw new InvalidArgumentError(
      'convention',
      `must be "verl" or "trl", got ${JSON.stringify(convention)}`,
    );
  if (rollouts.length === 0) throw new InvalidArgumentError('rollouts', 'needs at least one rollout');
  const reward = options.reward ?? createJudgeLrmReward();
  const checkHeader = options.checkResponseHeader ?? options.reward === undefined;
  const notes: string[] = [];
  const rows = rollouts.length;
  const lengths = rollouts.map(
    (r) =>
      r.logProbs?.length ??
      r.oldLogProbs?.length ??
      r.refLogProbs?.length ??
      r.entropy?.length ??
      r.responseLength ??
      0,
  );
  const unknownLength = lengths.filter((l) => l === 0).length;
  if (unknownLength > 0) {
    notes.push(
      `${unknownLength} rollouts carry no token arrays and no response_length: counted as 1 token each (the loss is then a per-sequence mean)`,
    );
    for (let i = 0; i < rows; i++) if (lengths[i] === 0) lengths[i] = 1;
  }
  const cols = Math.max(...lengths);
  const mask = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) mask.fill(1, i * cols, i * cols + lengths[i]!);

  // rewards
  const rewards = new Float64Array(rows);
  const components: Record<string, Float64Array> = {};
  let missingHeader = 0;
  const lengthsKnown = unknownLength === 0;
  if (options.maxResponseLength !== undefined && !lengthsKnown)
    notes.push('length terms skipped for rollouts without token lengths');
  else if (options.maxResponseLength === undefined)
    notes.push('length terms skipped: no maxResponseLength given');
  for (let i = 0; i < rows; i++) {
    const r = rollouts[i]!;
    if (reward.requiresGroundTruth && r.groundTruth === undefined) {
      throw new DataFormatError(
        { ...(r.location ?? { file: 'rollouts', record: i }), field: 'ground_truth' },
        `missing: the reward ${reward.name} needs a gold label on every rollout`,
      );
    }
    const sample: RewardSample = { sequence: r.prompt + r.completion, prompt: r.prompt };
    if (r.groundTruth !== undefined) sample.groundTruth = r.groundTruth;
    if (options.maxResponseLength !== undefined && r.logProbs !== undefined) {
      sample.responseLength = lengths[i]!;
      sample.maxResponseLength = options.maxResponseLength;
    } else if (options.maxResponseLength !== undefined && r.responseLength !== undefined) {
      sample.responseLength = r.responseLength;
      sample.maxResponseLength = options.maxResponseLength;
    }
    if (checkHeader && !hasResponseHeader(sample.sequence)) missingHeader++;
    const res = reward.score(sample);
    rewards[i] = res.total;
    for (const key in res.components) {
      let col = components[key];
      if (col === undefined) components[key] = col = new Float64Array(rows);
      col[i] = res.components[key]!;
    }
  }
  if (missingHeader > 0) {
    notes.push(
      `WARNING: ${missingHeader} of ${rows} rollouts have no "<|im_start|>assistant" / "Assistant:" header in prompt + completion; the JudgeLRM reward scores them as format failures. Put the chat template's generation prompt at the end of \`prompt\`.`,
    );
  }

  // advantages, loss, gradients: grpoStep
  const logProbsGiven = padded(rollouts, 'logProbs', cols);
  if (logProbsGiven === undefined)
    notes.push('no log_probs: the current log-probs are taken as 0 with old = current (on-policy, ratio 1)');
  const logProbs = logProbsGiven ?? new Float64Array(rows * cols);
  const old = padded(rollouts, 'oldLogProbs', cols);
  const ref = padded(rollouts, 'refLogProbs', cols);
  const entropy = padded(rollouts, 'entropy', cols);
  const groupIds = rollouts.map((r) => r.groupId);
  const step = grpoStep(
    {
      rows,
      cols,
      mask,
      rewards,
      groupIds,
      logProbs,
      ...(old === undefined ? {} : { oldLogProbs: old }),
      ...(ref === undefined ? {} : { refLogProbs: ref }),
    },
    convention === 'verl'
      ? { impl: 'verl', ...(options.verl === undefined ? {} : { verl: options.verl }) }
      : { impl: 'trl', ...(options.trl === undefined ? {} : { trl: options.trl }) },
  );
  const advantages = new Float64Array(rows);
  for (let i = 0; i < rows; i++) advantages[i] = step.advantages[i * cols] as number;

  // per-token loss (the unaggregated policy loss of the same function grpoStep called)
  const oldLp = old ?? logProbs;
  let perTokenLoss: Float64Array;
  let clipFraction: number;
  if (convention === 'verl') {
    const o = options.verl ?? {};
    const pin = {
      oldLogProb: oldLp,
      logProb: logProbs,
      advantages: step.advantages,
      responseMask: mask,
      rows,
      cols,
    };
    const clip = {
      ...(o.clipRatio === undefined ? {} : { clipRatio: o.clipRatio }),
      ...(o.clipRatioLow === undefined ? {} : { clipRatioLow: o.clipRatioLow }),
      ...(o.clipRatioHigh === undefined ? {} : { clipRatioHigh: o.clipRatioHigh }),
      computeGrad: false,
    };
    perTokenLoss =
      (o.policyLoss ?? 'vanilla') === 'gspo'
        ? verlPolicyLossGspo(pin, clip).pgLosses
        : verlPolicyLossVanilla(pin, {
            ...clip,
            ...(o.clipRatioC === undefined ? {} : { clipRatioC: o.clipRatioC }),
          }).pgLosses;
    clipFraction = step.metrics.pg_clipfrac ?? 0;
  } else {
    const o = options.trl ?? {};
    const { entropyCoef: _e, numGenerations: _g, scaleRewards: _s, ...lossOpts } = o;
    const r = trlGrpoLoss(
      {
        perTokenLogps: logProbs,
        oldPerTokenLogps: oldLp,
        ...(ref === undefined ? {} : { refPerTokenLogps: ref }),
        advantages,
        mask,
        rows,
        cols,
      },
      { ...lossOpts, computeGrad: false },
    );
    perTokenLoss = r.perTokenLoss;
    // TRL's clip_ratio/region_mean: tokens whose ratio left [1-ε, 1+ε_high] on the clipped side
    const eps = o.epsilon ?? 0.2;
    const epsHigh = o.epsilonHigh ?? eps;
    let clipped = 0;
    let count = 0;
    for (let i = 0; i < rows; i++) {
      const a = advantages[i] as number;
      for (let t = i * cols; t < i * cols + lengths[i]!; t++) {
        const ratio = Math.exp((logProbs[t] as number) - (oldLp[t] as number));
        if ((ratio < 1 - eps && a < 0) || (ratio > 1 + epsHigh && a > 0)) clipped++;
        count++;
      }
    }
    clipFraction = count === 0 ? 0 : clipped / count;
  }

  // statistics
  const valid = mask.reduce((s, m) => s + m, 0);
  let kl: number | null = null;
  if (ref !== undefined) {
    const type = convention === 'verl' ? (options.verl?.klLossType ?? 'low_var_kl') : 'k3';
    let s = 0;
    for (let t = 0; t < rows * cols; t++)
      if (mask[t]) s += klValue(logProbs[t] as number, ref[t] as number, type, convention);
    kl = s / valid;
  }
  let ent: number | null = null;
  if (entropy !== undefined) {
    let s = 0;
    for (let t = 0; t < rows * cols; t++) if (mask[t]) s += entropy[t] as number;
    ent = s / valid;
  }
  const byGroup = new Map<string | number, number[]>();
  for (let i = 0; i < rows; i++) {
    const g = groupIds[i]!;
    let list = byGroup.get(g);
    if (list === undefined) byGroup.set(g, (list = []));
    list.push(rewards[i] as number);
  }
  const groups: GroupRewardStats[] = [];
  let zeroVarianceGroups = 0;
  for (const [id, xs] of byGroup) {
    const m = mean(xs);
    groups.push({ id, size: xs.length, mean: m, std: unbiasedStd(xs, m) });
    if (xs.every((x) => x === xs[0])) zeroVarianceGroups++;
  }
  const rm = mean(rewards);
  const stats: RolloutStats = {
    rollouts: rows,
    rewardMean: rm,
    rewardStd: unbiasedStd(rewards, rm),
    groups,
    zeroVarianceGroups,
    clipFraction,
    kl,
    entropy: ent,
    responseLength: { mean: mean(lengths), min: Math.min(...lengths), max: cols },
    missingResponseHeader: missingHeader,
    trainerMetrics: step.metrics,
  };
  return {
    convention,
    backend: {
      requested: 'cpu',
      chosen: 'cpu',
      adapter: null,
      fallbackReason: null,
      computedBy: 'grpoStep',
      precision: 'float64',
      message: 'cpu: @judgekit/grpo grpoStep (float64 reference)',
    },
    rewardName: reward.name,
    rows,
    cols,
    mask,
    rewards,
    components,
    advantages,
    tokenAdvantages: step.advantages,
    logProbs,
    perTokenLoss,
    loss: step.loss,
    pgLoss: step.pgLoss,
    gradLogProbs: step.gradLogProbs,
    gradRefLogProbs: step.gradRefLogProbs,
    stats,
    notes,
  };
}

/** One line of the scored JSONL that {@link writeScoredRollouts} writes. */
export interface ScoredRolloutLine {
  /** 0-based row. */
  index: number;
  /** Group id. */
  group_id: string | number;
  /** Reward. */
  reward: number;
  /** Reward components. */
  components: Record<string, number>;
  /** Row advantage. */
  advantage: number;
  /** Response length in tokens. */
  response_length: number;
  /** Σ of the row's unaggregated per-token loss. */
  loss_sum: number;
  /** ∂loss/∂log-probs of the row's valid tokens. */
  grad_log_probs: number[];
}

/** The per-rollout lines of a scored batch. */
export function scoredRolloutLines(
  scored: ScoredRollouts,
  rollouts: readonly Rollout[],
): ScoredRolloutLine[] {
  const { rows, cols } = scored;
  const out: ScoredRolloutLine[] = [];
  for (let i = 0; i < rows; i++) {
    let len = 0;
    let lossSum = 0;
    for (let t = i * cols; t < (i + 1) * cols; t++) {
      len += scored.mask[t] as number;
      lossSum += (scored.perTokenLoss[t] as number) * (scored.mask[t] as number);
    }
    const components: Record<string, number> = {};
    for (const k in scored.components) components[k] = scored.components[k]![i] as number;
    out.push({
      index: i,
      group_id: rollouts[i]!.groupId,
      reward: scored.rewards[i] as number,
      components,
      advantage: scored.advantages[i] as number,
      response_length: len,
      loss_sum: lossSum,
      grad_log_probs: Array.from(scored.gradLogProbs.subarray(i * cols, i * cols + len)),
    });
  }
  return out;
}

/** The tensors of a scored batch, by safetensors name (float64). */
export function scoredRolloutTensors(scored: ScoredRollouts): Record<string, NamedTensor> {
  const { rows, cols } = scored;
  const t: Record<string, NamedTensor> = {
    rewards: { shape: [rows], data: scored.rewards },
    advantages: { shape: [rows], data: scored.advantages },
    token_advantages: { shape: [rows, cols], data: scored.tokenAdvantages },
    response_mask: { shape: [rows, cols], data: scored.mask },
    log_probs: { shape: [rows, cols], data: scored.logProbs },
    per_token_loss: { shape: [rows, cols], data: scored.perTokenLoss },
    grad_log_probs: { shape: [rows, cols], data: scored.gradLogProbs },
  };
  if (scored.gradRefLogProbs) t.grad_ref_log_probs = { shape: [rows, cols], data: scored.gradRefLogProbs };
  for (const k in scored.components) t[`reward.${k}`] = { shape: [rows], data: scored.components[k]! };
  return t;
}

/** Files written by {@link writeScoredRollouts}. */
export interface ScoredRolloutFiles {
  /** One {@link ScoredRolloutLine} per rollout. */
  jsonl: string;
  /** Every tensor of {@link scoredRolloutTensors}; the summary sits in `__metadata__.summary`. */
  safetensors: string;
  /** Loss, statistics and notes as JSON. */
  summary: string;
}

/** Write `scored.jsonl`, `scored.safetensors` and `summary.json` into `dir` (created). */
export async function writeScoredRollouts(
  dir: string,
  scored: ScoredRollouts,
  rollouts: readonly Rollout[],
): Promise<ScoredRolloutFiles> {
  await mkdir(dir, { recursive: true });
  const files = {
    jsonl: join(dir, 'scored.jsonl'),
    safetensors: join(dir, 'scored.safetensors'),
    summary: join(dir, 'summary.json'),
  };
  const summary = {
    convention: scored.convention,
    backend: scored.backend,
    reward: scored.rewardName,
    rows: scored.rows,
    cols: scored.cols,
    loss: scored.loss,
    pg_loss: scored.pgLoss,
    stats: scored.stats,
    notes: scored.notes,
  };
  const lines = scoredRolloutLines(scored, rollouts).map((l) => JSON.stringify(l));
  await writeFile(files.jsonl, `${lines.join('\n')}\n`);
  await writeFile(
    files.safetensors,
    encodeSafetensors(scoredRolloutTensors(scored), { summary: JSON.stringify(summary) }),
  );
  await writeFile(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
  return files;
}
