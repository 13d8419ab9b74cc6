/**
 * Composable reward functions: one interface every reward implements, the JudgeLRM reward as one of
 * them, weighted sums, gates, per-component breakdowns and batch scoring into `Float64Array`s.
 */
import { InvalidArgumentError, ShapeMismatchError } from '@judgekit/core';
import { extractJudgeLrmSolution, validateJudgeLrmStructure } from '@judgekit/parsers';
import {
  type JudgeLrmRewardConfig,
  type JudgeLrmRewardOptions,
  type RewardBounds,
  judgeLrmRewardBounds,
  resolveJudgeLrmConfig,
  scoreWithConfig,
  structureScore,
} from './judgelrm-reward.js';

/** One sample to score. */
export interface RewardSample {
  /**
   * The text the reward sees. For the JudgeLRM reward this is upstream's `solution_str`: the decoded
   * prompt + response with special tokens kept (it must contain the `<|im_start|>assistant` header).
   */
  sequence: string;
  /** The prompt alone, when known (informational for most rewards). */
  prompt?: string;
  /** The gold label; for JudgeLRM `[s1, s2]` or a string whose first line is "s1 s2". */
  groundTruth?: unknown;
  /** Valid response tokens (for length terms). Length terms are skipped when absent. */
  responseLength?: number;
  /** Padded response width in tokens (for the truncation penalty). Length terms are skipped when absent. */
  maxResponseLength?: number;
}

/** The score of one sample: the total and named components (each a plain number). */
export interface RewardResult {
  /** The scalar reward. */
  total: number;
  /** Named parts of the total, e.g. `format`, `content`; combinators prefix them with child names. */
  components: Record<string, number>;
}

/** A reward: a name, documented bounds, and a pure, synchronous `score`. Never throws on model text. */
export interface RewardFunction {
  /** Name used as the component prefix in combinators and as the `extra_logs` key prefix. */
  readonly name: string;
  /** Whether `score` needs `sample.groundTruth` (the server then requires `labels`). */
  readonly requiresGroundTruth: boolean;
  /** Inclusive bounds of `total` over every input. */
  readonly bounds: RewardBounds;
  /** Score one sample. */
  score(sample: RewardSample): RewardResult;
}

/** Options of `createJudgeLrmReward`: a configuration (partial, over `base`) and a name. */
export interface JudgeLrmRewardFunctionOptions extends JudgeLrmRewardOptions {
  /** Name of the reward (default `'judgelrm'`). */
  name?: string;
  /** The preset the options apply over (default `JUDGELRM_QWEN25_CONFIG`, i.e. judgelrm.py). */
  base?: Readonly<JudgeLrmRewardConfig>;
}

/**
 * The JudgeLRM reward (judgelrm.py exactly, or a §1.9 variant through `base` / options) as a
 * `RewardFunction`. Components: `format`, `content`, `structure`, `relation`, `absolute`,
 * `confidence`, `length_bonus`, `length_penalty`, `length_applied` (0/1), `ground_truth_valid` (0/1).
 * Length terms are applied only when the sample carries both `responseLength` and
 * `maxResponseLength` (upstream's defaults of 0/0 would always fire the truncation penalty).
 */
export function createJudgeLrmReward(options: JudgeLrmRewardFunctionOptions = {}): RewardFunction {
  const { name = 'judgelrm', base, ...rest } = options;
  const config = resolveJudgeLrmConfig(rest, base);
  const bounds = judgeLrmRewardBounds(config);
  return {
    name,
    requiresGroundTruth: true,
    bounds,
    score(sample: RewardSample): RewardResult {
      const known = typeof sample.responseLength === 'number' && typeof sample.maxResponseLength === 'number';
      const lengths: { responseLength?: number; maxResponseLength?: number; skipLengthTerms: boolean } = {
        skipLengthTerms: !known,
      };
      if (known) {
        lengths.responseLength = sample.responseLength!;
        lengths.maxResponseLength = sample.maxResponseLength!;
      }
      const r = scoreWithConfig(config, String(sample.sequence), sample.groundTruth, lengths);
      return {
        total: r.total,
        components: {
          format: r.format,
          content: r.content,
          structure: r.structure ?? 0,
          relation: r.relation,
          absolute: r.absolute,
          confidence: r.confidence,
          length_bonus: r.lengthBonus,
          length_penalty: r.lengthPenalty,
          length_applied: r.lengthApplied ? 1 : 0,
          ground_truth_valid: r.outcome === 'invalid-ground-truth' ? 0 : 1,
        },
      };
    },
  };
}

/**
 * The JudgeLRM structure check alone (R_format × formatReward) as a reward, for use in gates:
 * `gate(createJudgeLrmFormatReward(), other)`. Needs no ground truth. Component: `structure`.
 */
export function createJudgeLrmFormatReward(options: JudgeLrmRewardFunctionOptions = {}): RewardFunction {
  const { name = 'judgelrm_format', base, ...rest } = options;
  const config = resolveJudgeLrmConfig(rest, base);
  const c = config.constants;
  const values = [c.formatOk, c.formatBadScore, c.formatBadTags].map((v) => v * config.formatReward);
  return {
    name,
    requiresGroundTruth: false,
    bounds: { min: Math.min(...values), max: Math.max(...values) },
    score(sample: RewardSample): RewardResult {
      const { processed } = extractJudgeLrmSolution(String(sample.sequence), {
        parse: config.extractParse,
        requireHeader: config.requireHeader,
      });
      const s = structureScore(
        validateJudgeLrmStructure(processed, { check: config.formatCheck, parse: config.formatParse }),
        c,
      );
      return { total: s * config.formatReward, components: { structure: s } };
    },
  };
}

/**
 * A reward from a plain function. `fn` may return a number or a `RewardResult`; a non-finite number
 * is replaced by `bounds.min` (so one bad rule never poisons a batch) and reported in the
 * `non_finite` component.
 */
export function defineReward(
  name: string,
  fn: (sample: RewardSample) => number | RewardResult,
  options: { bounds: RewardBounds; requiresGroundTruth?: boolean },
): RewardFunction {
  checkBounds(options.bounds, 'bounds');
  return {
    name,
    requiresGroundTruth: options.requiresGroundTruth ?? false,
    bounds: { ...options.bounds },
    score(sample) {
      const out = fn(sample);
      const result: RewardResult = typeof out === 'number' ? { total: out, components: {} } : out;
      if (!Number.isFinite(result.total)) {
        return { total: options.bounds.min, components: { ...result.components, non_finite: 1 } };
      }
      return result;
    },
  };
}

function checkBounds(b: RewardBounds, what: string): void {
  if (!b || !Number.isFinite(b.min) || !Number.isFinite(b.max) || b.min > b.max) {
    throw new InvalidArgumentError(what, 'must be finite numbers with min <= max');
  }
}

function prefixInto(out: Record<string, number>, prefix: string, components: Record<string, number>): void {
  for (const key in components) out[`${prefix}.${key}`] = components[key]!;
}

/** One term of a weighted sum. */
export interface WeightedReward {
  /** The reward. */
  reward: RewardFunction;
  /** Its weight (finite). */
  weight: number;
}

/**
 * Σ weight·reward. Components: each child's total under its name and each child component as
 * `child.component`. Child names must be unique. Bounds are the sum of the weighted child bounds.
 */
export function weightedSum(terms: readonly WeightedReward[], name = 'weighted_sum'): RewardFunction {
  if (terms.length === 0) throw new InvalidArgumentError('terms', 'needs at least one reward');
  const names = new Set<string>();
  let min = 0;
  let max = 0;
  for (const t of terms) {
    if (!Number.isFinite(t.weight))
      throw new InvalidArgumentError('weight', `of ${t.reward.name} must be finite`);
    if (names.has(t.reward.name))
      throw new InvalidArgumentError('terms', `duplicate reward name ${t.reward.name}`);
    names.add(t.reward.name);
    const a = t.weight * t.reward.bounds.min;
    const b = t.weight * t.reward.bounds.max;
    min += Math.min(a, b);
    max += Math.max(a, b);
  }
  const list = terms.slice();
  return {
    name,
    requiresGroundTruth: list.some((t) => t.reward.requiresGroundTruth),
    bounds: { min, max },
    score(sample) {
      let total = 0;
      const components: Record<string, number> = {};
      for (const t of list) {
        const r = t.reward.score(sample);
        total += t.weight * r.total;
        components[t.reward.name] = r.total;
        prefixInto(components, t.reward.name, r.components);
      }
      return { total, components };
    },
  };
}

/** Options of `gate`. */
export interface GateOptions {
  /** The gate passes when its total is strictly greater than this (default 0). */
  threshold?: number;
  /** Total when the gate fails (default: the gate's own total, e.g. the format penalty). */
  onFail?: number;
  /** Name (default `gated_<reward>`). */
  name?: string;
}

/**
 * Gate: score `reward` only when `gateReward` passes (`total > threshold`), else return `onFail`
 * (default: the gate's total). Components: `gate` (total), `gate_passed` (0/1), the gate's
 * components as `<gate>.*`, and — when passed — the reward's total and components under its name.
 */
export function gate(
  gateReward: RewardFunction,
  reward: RewardFunction,
  options: GateOptions = {},
): RewardFunction {
  const threshold = options.threshold ?? 0;
  const onFail = options.onFail;
  if (onFail !== undefined && !Number.isFinite(onFail))
    throw new InvalidArgumentError('onFail', 'must be finite');
  const failMin = onFail ?? gateReward.bounds.min;
  const failMax = onFail ?? Math.min(gateReward.bounds.max, threshold);
  return {
    name: options.name ?? `gated_${reward.name}`,
    requiresGroundTruth: reward.requiresGroundTruth || gateReward.requiresGroundTruth,
    bounds: { min: Math.min(failMin, reward.bounds.min), max: Math.max(failMax, reward.bounds.max) },
    score(sample) {
      const g = gateReward.score(sample);
      const components: Record<string, number> = { gate: g.total };
      prefixInto(components, gateReward.name, g.components);
      if (!(g.total > threshold)) {
        components.gate_passed = 0;
        return { total: onFail ?? g.total, components };
      }
      components.gate_passed = 1;
      const r = reward.score(sample);
      components[reward.name] = r.total;
      prefixInto(components, reward.name, r.components);
      return { total: r.total, components };
    },
  };
}

/** Batch scores: totals and one column per component name (missing components are 0). */
export interface BatchScores {
  /** Totals, length n. */
  totals: Float64Array;
  /** Component columns, each length n. */
  components: Record<string, Float64Array>;
}

/** Score a batch. Component columns are the union of component names (0 where a sample lacks one). */
export function scoreBatch(reward: RewardFunction, samples: readonly RewardSample[]): BatchScores {
  const n = samples.length;
  const totals = new Float64Array(n);
  const components: Record<string, Float64Array> = {};
  for (let i = 0; i < n; i++) {
    const r = reward.score(samples[i]!);
    totals[i] = r.total;
    for (const key in r.components) {
      let col = components[key];
      if (col === undefined) components[key] = col = new Float64Array(n);
      col[i] = r.components[key]!;
    }
  }
  return { totals, components };
}

/** Build samples from parallel arrays (checks lengths; `ShapeMismatchError` when they differ). */
export function samplesFromColumns(columns: {
  sequences: readonly string[];
  prompts?: readonly string[];
  groundTruths?: readonly unknown[];
  responseLengths?: ArrayLike<number>;
  maxResponseLength?: number;
}): RewardSample[] {
  const n = columns.sequences.length;
  const check = (what: string, len: number | undefined) => {
    if (len !== undefined && len !== n) throw new ShapeMismatchError(what, [n], [len]);
  };
  check('prompts', columns.prompts?.length);
  check('groundTruths', columns.groundTruths?.length);
  check('responseLengths', columns.responseLengths?.length);
  const out: RewardSample[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s: RewardSample = { sequence: columns.sequences[i]! };
    if (columns.prompts) s.prompt = columns.prompts[i]!;
    if (columns.groundTruths) s.groundTruth = columns.groundTruths[i];
    if (columns.responseLengths && columns.maxResponseLength !== undefined) {
      s.responseLength = columns.responseLengths[i]!;
      s.maxResponseLength = columns.maxResponseLength;
    }
    out[i] = s;
  }
  return out;
}
