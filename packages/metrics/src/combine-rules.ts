/**
 * Two-order combination rules: how a benchmark turns a judge's verdicts on both presentation
 * orders of a pair into one score. Each rule is named after the benchmark that uses it, because
 * choosing another rule silently changes the score by several points.
 *
 * Two kinds:
 * - `per-sample`: the two verdicts (both in the original frame) become one verdict per pair,
 *   which is then scored like any verdict ({@link evaluateJudge}: accuracy, P/R/F1, kappa).
 * - `per-order`: a metric-level rule with no per-pair verdict. The score is computed from the two
 *   orders' correctness directly (LLMBar's mean of per-order accuracy; "both must be right").
 *
 * `registerCombineRule` adds a user `per-sample` rule that the pipelines and the CLI
 * (`--combine NAME`) use like the built-ins.
 */

import {
  InvalidArgumentError,
  RegistryConflictError,
  ShapeMismatchError,
  type Verdict,
} from '@judgekit/core';
import {
  type BootstrapOptions,
  bootstrapReplicates,
  type ConfidenceInterval,
  percentileInterval,
  resolveBootstrap,
} from './bootstrap.js';
import { evaluateJudge, type JudgeReport } from './evaluate-judge.js';
import {
  CODE_FAILURE,
  CODE_TIE,
  codeVerdict,
  encodeVerdicts,
  type FailurePolicy,
  type VerdictOrFailure,
} from './verdict-encoding.js';

/** What every rule states about itself (shown in reports). */
interface CombineRuleInfo {
  /** Registry name, e.g. `'fastchat'`. */
  readonly name: string;
  /** One-line statement of the rule. */
  readonly description: string;
  /** Where the rule comes from (repository, file, commit). */
  readonly reference: string;
}

/** A rule that makes one verdict per pair from the two orders. */
export interface PerSampleCombineRule extends CombineRuleInfo {
  readonly kind: 'per-sample';
  /**
   * Combine the verdict of the original order and that of the swapped order (already mapped back
   * to the original frame: `answer1` is the dataset's first answer in both). `null` = a parse
   * failure in that order. Return `null` for "no verdict" (it is then handled by the failure
   * policy), never a tie unless the rule says so.
   */
  combine(original: Verdict | null, swapped: Verdict | null): Verdict | null;
}

/** A metric-level rule: a score from the correctness of each order, with no per-pair verdict. */
export interface PerOrderCombineRule extends CombineRuleInfo {
  readonly kind: 'per-order';
  /** `'mean'`: mean of the two orders' accuracies (LLMBar); `'both'`: share of pairs right in both orders. */
  readonly statistic: 'mean' | 'both';
}

/** A two-order combination rule. */
export type CombineRule = PerSampleCombineRule | PerOrderCombineRule;

const FASTCHAT: PerSampleCombineRule = Object.freeze({
  name: 'fastchat',
  kind: 'per-sample',
  description:
    'FastChat / PandaLM: the common verdict when both orders agree, otherwise tie; a parse failure in either order gives no verdict.',
  reference:
    'lm-sys/FastChat fastchat/llm_judge/show_result.py display_result_pairwise @ 02d4581b (g1_winner == "tie" or g1_winner != g2_winner → tie; "error" rows dropped)',
  combine: (a: Verdict | null, b: Verdict | null) => (a === null || b === null ? null : a === b ? a : 'tie'),
});

const JUDGEBENCH: PerSampleCombineRule = Object.freeze({
  name: 'judgebench',
  kind: 'per-sample',
  description:
    'JudgeBench: each order adds +1 for answer1, −1 for answer2, 0 for a tie or a failure; the sign of the sum is the verdict (a decisive game plus a tie still wins); both orders failed gives no verdict.',
  reference:
    'ScalerLab/JudgeBench utils/metrics.py compute_final_metrics @ 12a499c5 (counter += 1 / −= 1 per decision; None counts 0)',
  combine: (a: Verdict | null, b: Verdict | null) => {
    if (a === null && b === null) return null;
    const v = (x: Verdict | null) => (x === 'answer1' ? 1 : x === 'answer2' ? -1 : 0);
    const sum = v(a) + v(b);
    return sum > 0 ? 'answer1' : sum < 0 ? 'answer2' : 'tie';
  },
});

const LLMBAR: PerOrderCombineRule = Object.freeze({
  name: 'llmbar',
  kind: 'per-order',
  statistic: 'mean',
  description:
    'LLMBar: the mean of the accuracy of each order (correct_average); a failure is wrong in its order. No per-pair verdict exists under this rule.',
  reference:
    'princeton-nlp/LLMBar LLMEvaluator/evaluate.py @ caa7bee7 (correct_average = (correct_False + correct_True) / 2 / len(dataset))',
});

const BOTH_AGREE: PerOrderCombineRule = Object.freeze({
  name: 'both-agree',
  kind: 'per-order',
  statistic: 'both',
  description:
    'Both must agree: a pair counts as correct only when both orders give the reference verdict (a disagreement or a failure is wrong).',
  reference: 'princeton-nlp/LLMBar LLMEvaluator/evaluate.py @ caa7bee7 (correct_both)',
});

const BUILTIN: ReadonlyMap<string, CombineRule> = new Map<string, CombineRule>(
  [FASTCHAT, JUDGEBENCH, LLMBAR, BOTH_AGREE].map((r) => [r.name, r]),
);
const userRules = new Map<string, PerSampleCombineRule>();

/** Names of the built-in rules. */
export const COMBINE_RULE_NAMES: readonly string[] = ['fastchat', 'judgebench', 'llmbar', 'both-agree'];

/** The rule with this name (built-in or registered); throws `InvalidArgumentError` listing the known names. */
export function getCombineRule(name: string): CombineRule {
  const rule = BUILTIN.get(name) ?? userRules.get(name);
  if (rule === undefined)
    throw new InvalidArgumentError(
      'combine',
      `unknown combine rule ${JSON.stringify(name)}; known rules: ${listCombineRules()
        .map((r) => r.name)
        .join(', ')}`,
    );
  return rule;
}

/** Every rule: the built-ins, then user rules by name. */
export function listCombineRules(): CombineRule[] {
  return [...BUILTIN.values(), ...[...userRules.values()].sort((a, b) => (a.name < b.name ? -1 : 1))];
}

/** User definition of a per-sample rule (input of {@link registerCombineRule}). */
export interface CombineRuleDefinition {
  name: string;
  description: string;
  reference?: string;
  combine(original: Verdict | null, swapped: Verdict | null): Verdict | null;
}

/**
 * Register a user `per-sample` rule. A built-in name is a `RegistryConflictError`; so is a name
 * registered before, unless `{ override: true }`.
 */
export function registerCombineRule(
  definition: CombineRuleDefinition,
  options: { override?: boolean } = {},
): PerSampleCombineRule {
  const { name, description, combine } = definition ?? ({} as CombineRuleDefinition);
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._/-]*$/.test(name))
    throw new InvalidArgumentError(
      'definition.name',
      `expected a lowercase name, got ${JSON.stringify(name)}`,
    );
  if (BUILTIN.has(name))
    throw new RegistryConflictError('combine-rule', name, `'${name}' is a built-in combine rule`);
  if (userRules.has(name) && !options.override)
    throw new RegistryConflictError(
      'combine-rule',
      name,
      `a combine rule '${name}' is already registered; pass { override: true } to replace it`,
    );
  if (typeof description !== 'string' || description === '')
    throw new InvalidArgumentError('definition.description', 'expected a non-empty string');
  if (typeof combine !== 'function')
    throw new InvalidArgumentError('definition.combine', 'expected (original, swapped) => Verdict | null');
  const rule: PerSampleCombineRule = Object.freeze({
    name,
    kind: 'per-sample',
    description,
    reference: definition.reference ?? 'user rule',
    combine: (a: Verdict | null, b: Verdict | null) => {
      const out = combine(a, b);
      if (out !== null && out !== 'answer1' && out !== 'answer2' && out !== 'tie')
        throw new InvalidArgumentError(
          `combine rule '${name}'`,
          `returned ${JSON.stringify(out)}; expected 'answer1' | 'answer2' | 'tie' | null`,
        );
      return out;
    },
  });
  userRules.set(name, rule);
  return rule;
}

/** Remove a user rule; returns whether it was there. Built-ins cannot be removed. */
export function unregisterCombineRule(name: string): boolean {
  if (BUILTIN.has(name))
    throw new RegistryConflictError('combine-rule', name, `'${name}' is a built-in combine rule`);
  return userRules.delete(name);
}

/**
 * Apply a `per-sample` rule to aligned verdicts. `swapped` must be in the original frame (map a
 * swapped run's as-judged verdicts with `swapVerdict` first).
 */
export function combineOrders(
  original: ArrayLike<VerdictOrFailure>,
  swapped: ArrayLike<VerdictOrFailure>,
  rule: string | PerSampleCombineRule,
): (Verdict | null)[] {
  const r = typeof rule === 'string' ? getCombineRule(rule) : rule;
  if (r.kind !== 'per-sample')
    throw new InvalidArgumentError(
      'rule',
      `'${r.name}' is a per-order (metric-level) rule and gives no per-pair verdict; use evaluateTwoOrders`,
    );
  if (original.length !== swapped.length)
    throw new ShapeMismatchError('original vs swapped', [original.length], [swapped.length]);
  const a = encodeVerdicts(original);
  const b = encodeVerdicts(swapped);
  const out: (Verdict | null)[] = new Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = r.combine(codeVerdict(a[i]!), codeVerdict(b[i]!));
  return out;
}

/** Inputs of {@link evaluateTwoOrders}. */
export interface EvaluateTwoOrdersOptions {
  /** Verdicts on the original order (`null`: parse failure). */
  original: ArrayLike<VerdictOrFailure>;
  /** Verdicts on the swapped order, in the original frame. */
  swapped: ArrayLike<VerdictOrFailure>;
  /** Reference verdicts (`null` drops the sample). */
  labels: ArrayLike<VerdictOrFailure>;
  /** Rule name or rule. */
  rule: string | CombineRule;
  /** Failure policy (see `evaluateJudge`). For per-order rules `'as-tie'` reads a failure as a tie and `'drop'` drops the pair. */
  failurePolicy?: FailurePolicy;
  bootstrap?: BootstrapOptions | false;
  /** Group per sample (category, source), as in `evaluateJudge`. */
  groupBy?: ArrayLike<string | null | undefined>;
}

/** The score of a judge under a two-order rule. Plain data. */
export interface TwoOrderReport {
  /** The rule that produced the numbers. */
  rule: { name: string; kind: CombineRule['kind']; description: string; reference: string };
  /** Pairs scored. */
  n: number;
  /** The rule's accuracy. */
  accuracy: number;
  /**
   * Raw count behind `accuracy`: pairs whose combined verdict is right (per-sample), pairs right
   * in both orders (`both-agree`), or correct judgments over both orders (`llmbar`, out of `2n`).
   */
  correct: number;
  /** Denominator of `correct` (`n`, or `2n` for `llmbar`). */
  outOf: number;
  /** Percentile bootstrap interval of `accuracy`, when asked for. */
  ci?: ConfidenceInterval;
  /** Per-sample rules: the full report of the combined verdicts. */
  combined?: JudgeReport;
  /** Per-sample rules: the combined verdict of each pair. */
  verdicts?: (Verdict | null)[];
  /** Each order scored alone. */
  perOrder: { original: JudgeReport; swapped: JudgeReport };
  /** One report per group. */
  groups?: Record<string, TwoOrderReport>;
}

function info(r: CombineRule): TwoOrderReport['rule'] {
  return { name: r.name, kind: r.kind, description: r.description, reference: r.reference };
}

/**
 * Score a judge's two orders under a named rule. Per-sample rules combine the verdicts and score
 * them with `evaluateJudge`; per-order rules score each order and combine the correctness (LLMBar's
 * mean of per-order accuracy, or "both right"), with a paired bootstrap interval over pairs.
 */
export function evaluateTwoOrders(options: EvaluateTwoOrdersOptions): TwoOrderReport {
  const rule = typeof options.rule === 'string' ? getCombineRule(options.rule) : options.rule;
  const { original, swapped, labels } = options;
  if (original.length !== labels.length || swapped.length !== labels.length)
    throw new ShapeMismatchError(
      'original / swapped vs labels',
      [labels.length, labels.length],
      [original.length, swapped.length],
    );
  const failurePolicy = options.failurePolicy ?? 'count-separately';
  const bootstrap = options.bootstrap ?? false;
  const perOrder = {
    original: evaluateJudge({ predictions: original, labels, failurePolicy }),
    swapped: evaluateJudge({ predictions: swapped, labels, failurePolicy }),
  };
  let report: TwoOrderReport;
  if (rule.kind === 'per-sample') {
    const verdicts = combineOrders(original, swapped, rule);
    const combined = evaluateJudge({ predictions: verdicts, labels, failurePolicy, bootstrap });
    report = {
      rule: info(rule),
      n: combined.n,
      accuracy: combined.accuracy,
      correct: combined.correct,
      outOf: combined.n,
      combined,
      verdicts,
      perOrder,
    };
    if (combined.ci) report.ci = combined.ci.accuracy;
  } else {
    report = perOrderScore(rule, original, swapped, labels, failurePolicy, bootstrap, perOrder);
  }
  if (options.groupBy !== undefined) {
    const g = options.groupBy;
    if (g.length !== labels.length)
      throw new ShapeMismatchError('groupBy vs labels', [labels.length], [g.length]);
    const members = new Map<string, number[]>();
    for (let i = 0; i < g.length; i++) {
      const name = g[i];
      if (name === null || name === undefined || name === '') continue;
      let list = members.get(name);
      if (list === undefined) members.set(name, (list = []));
      list.push(i);
    }
    report.groups = {};
    for (const name of [...members.keys()].sort()) {
      const idx = members.get(name)!;
      const pick = (xs: ArrayLike<VerdictOrFailure>) => idx.map((i) => xs[i] ?? null);
      const sub = evaluateTwoOrders({
        original: pick(original),
        swapped: pick(swapped),
        labels: pick(labels),
        rule,
        failurePolicy,
        bootstrap,
      });
      delete sub.verdicts;
      report.groups[name] = sub;
    }
  }
  return report;
}

function perOrderScore(
  rule: PerOrderCombineRule,
  original: ArrayLike<VerdictOrFailure>,
  swapped: ArrayLike<VerdictOrFailure>,
  labels: ArrayLike<VerdictOrFailure>,
  failurePolicy: FailurePolicy,
  bootstrap: BootstrapOptions | false,
  perOrder: TwoOrderReport['perOrder'],
): TwoOrderReport {
  const a = encodeVerdicts(original);
  const b = encodeVerdicts(swapped);
  const l = encodeVerdicts(labels);
  // Per pair: bit 0 = original right, bit 1 = swapped right.
  const codes: number[] = [];
  for (let i = 0; i < l.length; i++) {
    if (l[i] === CODE_FAILURE) continue;
    let x = a[i]!;
    let y = b[i]!;
    if (failurePolicy === 'drop' && (x === CODE_FAILURE || y === CODE_FAILURE)) continue;
    if (failurePolicy === 'as-tie') {
      if (x === CODE_FAILURE) x = CODE_TIE;
      if (y === CODE_FAILURE) y = CODE_TIE;
    }
    codes.push((x === l[i] ? 1 : 0) | (y === l[i] ? 2 : 0));
  }
  const joint = Uint8Array.from(codes);
  const n = joint.length;
  const stat = (hist: ArrayLike<number>): number => {
    const total = hist[0]! + hist[1]! + hist[2]! + hist[3]!;
    if (total === 0) return Number.NaN;
    return rule.statistic === 'mean' ? (hist[1]! + hist[2]! + 2 * hist[3]!) / (2 * total) : hist[3]! / total;
  };
  const full = [0, 0, 0, 0];
  for (const c of joint) full[c]!++;
  const correct = rule.statistic === 'mean' ? full[1]! + full[2]! + 2 * full[3]! : full[3]!;
  const report: TwoOrderReport = {
    rule: info(rule),
    n,
    accuracy: stat(full),
    correct,
    outOf: rule.statistic === 'mean' ? 2 * n : n,
    perOrder,
  };
  if (bootstrap) {
    const { confidence } = resolveBootstrap(bootstrap);
    const reps = bootstrapReplicates(
      joint,
      4,
      1,
      (hist, out) => {
        out[0] = stat(hist);
      },
      bootstrap,
    );
    report.ci = percentileInterval(reps, 1, 0, report.accuracy, confidence);
  }
  return report;
}
