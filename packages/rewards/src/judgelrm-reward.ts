/**
 * The JudgeLRM rule reward, restated exactly from NuoJohnChen/JudgeLRM,
 * src/verl/utils/reward_score/judgelrm.py (commit 1b20721; byte-identical at 8f7436c), with the
 * Qwen3 variants (`src/verl_qwen3/utils/reward_score/kk.py`, `kkdpo.py` at e60f305 and
 * `src/verl/utils/reward_score/judgelrmqwen3.py` at 4f2e213) and the paper's sensitivity variants
 * (arXiv 2504.00050 v3, Tables 10–11) expressible as configuration. Spec: judgelrm.md §1.
 *
 * The order of floating-point operations is upstream's: content = relation score (built as
 * `2.0`, `+= absolute`, `+= confidence`) × answer weight, then `content += (bonus + penalty)` as one
 * sum, then total = format + content. Model text never makes these functions throw.
 */
import { InvalidArgumentError, type ScorePair } from '@judgekit/core';
import {
  extractAndValidateJudgeLrm,
  extractJudgeLrmSolution,
  type JudgeLrmFormatCheck,
  type JudgeLrmSolution,
  type JudgeLrmStructure,
  pyFloat,
  pyIntExact,
  pySplitWhitespace,
  validateJudgeLrmStructure,
} from '@judgekit/parsers';

export type { JudgeLrmFormatCheck };

/** How the predicted relation is compared with the gold relation. */
export type JudgeLrmRelation =
  /** Upstream (judgelrm.py): binary `s1 >= s2` on both sides, so a tie counts as "Assistant 1 not worse". */
  | 'ge'
  /** The paper's Eq. 2: three-way `sgn(s1 - s2) == sgn(g1 - g2)`, ties are their own class. */
  | 'sign';

/** Constants of the JudgeLRM reward. Defaults are judgelrm.py's. All must be finite. */
export interface JudgeLrmConstants {
  /** Structure check passed (R_format = +1.0). */
  formatOk: number;
  /** Tags fine but a score is not a valid number in [0, 10] (−0.5). */
  formatBadScore: number;
  /** Wrong tag count or order, or not exactly two answer matches (−1.0). */
  formatBadTags: number;
  /** Predicted relation equals the gold relation (+2.0). */
  relationMatch: number;
  /** Predicted relation differs (−1.5; absolute and confidence terms are then skipped). */
  relationMismatch: number;
  /** Absolute term when |g1−p1| + |g2−p2| = 0 (+1.0). */
  absoluteExact: number;
  /** Absolute term when 0 < d ≤ `closeThreshold` (+0.6; −1.5 in judgelrmqwen3.py). */
  absoluteClose: number;
  /** Largest summed absolute difference that still counts as close (2). */
  closeThreshold: number;
  /** Confidence term when |p2−p1| ≥ |g2−g1| (+0.2; +1.8 in judgelrmqwen3.py). */
  confidence: number;
  /** Content score when the format is not positive or extraction failed (−2.0). */
  contentFailure: number;
  /** Whole reward when the ground truth cannot be parsed (−2.0). */
  groundTruthFailure: number;
  /** Length bonus when response length > `lengthThreshold` tokens (+0.2; +1.8 in the Qwen3 files). */
  lengthBonus: number;
  /** Response-length threshold in tokens for the bonus (120, strict `>`). */
  lengthThreshold: number;
  /** Penalty when response length ≥ max response length, i.e. truncated (−1.0). */
  truncationPenalty: number;
}

/** Full configuration of the JudgeLRM reward; every upstream switch plus the variant choices. */
export interface JudgeLrmRewardConfig {
  /** Weight multiplied onto the structure score (upstream `format_reward`, 1.0). */
  formatReward: number;
  /** Weight multiplied onto the relation/absolute/confidence score (upstream `answer_reward`, 1.0). */
  answerReward: number;
  /**
   * Upstream `reward_ablation`: `'reward_wo_score'` drops the absolute and confidence terms; the value
   * equal to `lengthAblation` adds the length terms; any other value (`'reward_wo_length'`,
   * the scripts' unrecognised `'reward_w_length'`) adds nothing. Default `'base_reward'`.
   */
  rewardAblation: string;
  /** The `reward_ablation` value that turns the length terms on: `'base_reward'` in judgelrm.py, `'reward_w_length'` in the Qwen3 files. */
  lengthAblation: string;
  /** Relation semantics; `'ge'` is upstream's, `'sign'` the paper's symmetric three-way relation. */
  relation: JudgeLrmRelation;
  /** How predicted scores are parsed for extraction: Python `int()` (judgelrm.py) or `float()` (Qwen3 files). */
  extractParse: 'int' | 'float';
  /** How predicted scores are parsed inside the structure check (judgelrmqwen3.py mixes `float` extraction with `int` here). */
  formatParse: 'int' | 'float';
  /** How gold "s1 s2" text is parsed: `int` tokens (judgelrm.py) or `float` tokens (Qwen3 files). */
  groundTruthParse: 'int' | 'float';
  /** The structure check. */
  formatCheck: JudgeLrmFormatCheck;
  /** When no response header is found: `true` = no answer (judgelrm.py), `false` = use the whole string (Qwen3 files). */
  requireHeader: boolean;
  /** Reward constants. */
  constants: JudgeLrmConstants;
}

/** Upstream judgelrm.py constants (Qwen2.5 training; spec §1.4–1.7). */
export const JUDGELRM_CONSTANTS: Readonly<JudgeLrmConstants> = Object.freeze({
  formatOk: 1.0,
  formatBadScore: -0.5,
  formatBadTags: -1.0,
  relationMatch: 2.0,
  relationMismatch: -1.5,
  absoluteExact: 1.0,
  absoluteClose: 0.6,
  closeThreshold: 2,
  confidence: 0.2,
  contentFailure: -2.0,
  groundTruthFailure: -2.0,
  lengthBonus: 0.2,
  lengthThreshold: 120,
  truncationPenalty: -1.0,
});

/** judgelrm.py exactly (NuoJohnChen/JudgeLRM, src/verl/utils/reward_score/judgelrm.py, 1b20721). The default. */
export const JUDGELRM_QWEN25_CONFIG: Readonly<JudgeLrmRewardConfig> = Object.freeze({
  formatReward: 1.0,
  answerReward: 1.0,
  rewardAblation: 'base_reward',
  lengthAblation: 'base_reward',
  relation: 'ge',
  extractParse: 'int',
  formatParse: 'int',
  groundTruthParse: 'int',
  formatCheck: 'strict',
  requireHeader: true,
  constants: JUDGELRM_CONSTANTS,
});

/**
 * kk.py (src/verl_qwen3/utils/reward_score/kk.py, e60f305), spec §1.9 item 1: float scores, optional
 * think tags, whole string when no header, +1.8 length bonus under `'reward_w_length'`. Upstream's
 * dispatcher passes no ablation, i.e. `'base_reward'`, so no length term applies by default.
 */
export const JUDGELRM_QWEN3_KK_CONFIG: Readonly<JudgeLrmRewardConfig> = Object.freeze({
  ...JUDGELRM_QWEN25_CONFIG,
  lengthAblation: 'reward_w_length',
  extractParse: 'float',
  formatParse: 'float',
  groundTruthParse: 'float',
  formatCheck: 'qwen3',
  requireHeader: false,
  constants: Object.freeze({ ...JUDGELRM_CONSTANTS, lengthBonus: 1.8 }),
});

/** kkdpo.py (src/verl_qwen3/utils/reward_score/kkdpo.py, e60f305), spec §1.9 item 2: kk.py with lenient think tags (DPO-RC baseline). */
export const JUDGELRM_QWEN3_KKDPO_CONFIG: Readonly<JudgeLrmRewardConfig> = Object.freeze({
  ...JUDGELRM_QWEN3_KK_CONFIG,
  formatCheck: 'qwen3-lenient',
});

/**
 * judgelrmqwen3.py (src/verl/utils/reward_score/judgelrmqwen3.py, 4f2e213), spec §1.9 item 3: odd
 * constants (close match −1.5, confidence +1.8, length bonus +1.8 under `'reward_w_length'`), float
 * extraction but `int()` in the structure check, strict tags.
 */
export const JUDGELRM_QWEN3_EXPERIMENTAL_CONFIG: Readonly<JudgeLrmRewardConfig> = Object.freeze({
  ...JUDGELRM_QWEN25_CONFIG,
  lengthAblation: 'reward_w_length',
  extractParse: 'float',
  formatParse: 'int',
  groundTruthParse: 'float',
  requireHeader: false,
  constants: Object.freeze({ ...JUDGELRM_CONSTANTS, absoluteClose: -1.5, confidence: 1.8, lengthBonus: 1.8 }),
});

/** Paper Table 10 "slightly modified" reward: relation ±1.1, absolute 1.0/0.5, confidence 0.4 (not in the repo). */
export const JUDGELRM_PAPER_TABLE10_CONFIG: Readonly<JudgeLrmRewardConfig> = Object.freeze({
  ...JUDGELRM_QWEN25_CONFIG,
  constants: Object.freeze({
    ...JUDGELRM_CONSTANTS,
    relationMatch: 1.1,
    relationMismatch: -1.1,
    absoluteExact: 1.0,
    absoluteClose: 0.5,
    confidence: 0.4,
  }),
});

/** Paper Table 11 "relative order changed" reward: relation +1.0/−1.5, absolute 2.0/1.5, confidence 1.8 (not in the repo). */
export const JUDGELRM_PAPER_TABLE11_CONFIG: Readonly<JudgeLrmRewardConfig> = Object.freeze({
  ...JUDGELRM_QWEN25_CONFIG,
  constants: Object.freeze({
    ...JUDGELRM_CONSTANTS,
    relationMatch: 1.0,
    relationMismatch: -1.5,
    absoluteExact: 2.0,
    absoluteClose: 1.5,
    confidence: 1.8,
  }),
});

/** A partial configuration; `constants` may be partial too. Missing fields come from `JUDGELRM_QWEN25_CONFIG` (or `base`). */
export type JudgeLrmRewardOptions = Partial<Omit<JudgeLrmRewardConfig, 'constants'>> & {
  constants?: Partial<JudgeLrmConstants>;
};

const RELATIONS: readonly string[] = ['ge', 'sign'];
const FORMAT_CHECKS: readonly string[] = ['strict', 'qwen3', 'qwen3-lenient'];
const PARSES: readonly string[] = ['int', 'float'];

/**
 * Merge `options` over `base` (default judgelrm.py) and validate: weights and constants finite,
 * enums known. Throws `InvalidArgumentError` naming the offending field.
 */
export function resolveJudgeLrmConfig(
  options: JudgeLrmRewardOptions = {},
  base: Readonly<JudgeLrmRewardConfig> = JUDGELRM_QWEN25_CONFIG,
): JudgeLrmRewardConfig {
  const config: JudgeLrmRewardConfig = {
    ...base,
    ...(options as Partial<JudgeLrmRewardConfig>),
    constants: { ...base.constants, ...(options.constants ?? {}) },
  };
  for (const key of ['formatReward', 'answerReward'] as const) {
    if (typeof config[key] !== 'number' || !Number.isFinite(config[key])) {
      throw new InvalidArgumentError(key, `must be a finite number, got ${String(config[key])}`);
    }
  }
  for (const [key, value] of Object.entries(config.constants)) {
    if (!(key in JUDGELRM_CONSTANTS))
      throw new InvalidArgumentError(`constants.${key}`, 'is not a known constant');
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`constants.${key}`, `must be a finite number, got ${String(value)}`);
    }
  }
  if (typeof config.rewardAblation !== 'string')
    throw new InvalidArgumentError('rewardAblation', 'must be a string');
  if (typeof config.lengthAblation !== 'string')
    throw new InvalidArgumentError('lengthAblation', 'must be a string');
  if (!RELATIONS.includes(config.relation)) {
    throw new InvalidArgumentError('relation', `must be 'ge' or 'sign', got ${String(config.relation)}`);
  }
  if (!FORMAT_CHECKS.includes(config.formatCheck)) {
    throw new InvalidArgumentError('formatCheck', `must be one of ${FORMAT_CHECKS.join(', ')}`);
  }
  for (const key of ['extractParse', 'formatParse', 'groundTruthParse'] as const) {
    if (!PARSES.includes(config[key])) throw new InvalidArgumentError(key, "must be 'int' or 'float'");
  }
  if (typeof config.requireHeader !== 'boolean')
    throw new InvalidArgumentError('requireHeader', 'must be a boolean');
  return config;
}

/** A parsed score: a float, or an integer (`bigint` only for ground-truth integers beyond 2^53). */
export type PyNumber = number | bigint;

/**
 * Upstream's name for `extract_solution` (judgelrm.py, commit 1b20721): an alias of
 * `extractJudgeLrmSolution` from `@judgekit/parsers`, which holds the one implementation
 * (options `parse: 'int' | 'float'`, `requireHeader`).
 */
export const extractSolution = extractJudgeLrmSolution;

/** Result of {@link extractSolution}: an alias of `JudgeLrmSolution` from `@judgekit/parsers`. */
export type ExtractedSolution = JudgeLrmSolution;

/**
 * Upstream's name for `validate_response_structure` (judgelrm.py, commit 1b20721; kk.py / kkdpo.py
 * variants via `check`): an alias of `validateJudgeLrmStructure` from `@judgekit/parsers`. Its
 * score is upstream's unweighted 1 / −0.5 / −1; the reward maps it onto
 * `constants.formatOk` / `formatBadScore` / `formatBadTags`.
 */
export const validateResponseStructure = validateJudgeLrmStructure;

/** Result of {@link validateResponseStructure}: an alias of `JudgeLrmStructure` from `@judgekit/parsers`. */
export type StructureCheck = JudgeLrmStructure;

/**
 * The structure score under `constants`: `formatOk` for a pass, `formatBadScore` for a bad score
 * (upstream −0.5), `formatBadTags` for a tag / order / match-count failure (upstream −1.0).
 */
export function structureScore(
  structure: JudgeLrmStructure,
  constants: Pick<JudgeLrmConstants, 'formatOk' | 'formatBadScore' | 'formatBadTags'>,
): number {
  return structure.score === 1
    ? constants.formatOk
    : structure.score === -0.5
      ? constants.formatBadScore
      : constants.formatBadTags;
}

function isNumberLike(x: unknown): x is number | bigint {
  return typeof x === 'number' || typeof x === 'bigint';
}

/**
 * Upstream `parse_solution_text_format`. Accepts what the reward manager hands over:
 * - a length-2 array of numbers (JudgeLM `score`, e.g. `[8.0, 4.0]`): returned as is;
 * - a string, or an array whose first element is a string (upstream received `np.array([text])`):
 *   first line (split on `\n` only), whitespace-split, each token `int()`-parsed (`float()` with
 *   `parse: 'float'`), exactly two tokens;
 * - an object with a `solution_text_format` field (upstream's `ground_truth` dict): that field.
 * Anything else gives `null` (upstream returns `None` and the reward is −2.0). Deviation: a
 * length-2 array of non-numbers (which crashes or compares strings upstream) also gives `null`.
 */
export function parseSolutionTextFormat(
  groundTruth: unknown,
  parse: 'int' | 'float' = 'int',
): [PyNumber, PyNumber] | null {
  let value = groundTruth;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value)) {
    if (!('solution_text_format' in value)) return null;
    value = (value as { solution_text_format: unknown }).solution_text_format;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    value = Array.from(value as unknown as ArrayLike<number>);
  }
  let text: unknown;
  if (typeof value === 'string') text = value;
  else if (Array.isArray(value)) {
    if (value.length === 2) {
      return isNumberLike(value[0]) && isNumberLike(value[1]) ? [value[0], value[1]] : null;
    }
    text = value[0];
  } else return null;
  if (typeof text !== 'string') return null;
  const nl = text.indexOf('\n');
  const firstLine = nl === -1 ? text : text.slice(0, nl);
  const tokens = pySplitWhitespace(firstLine);
  const scores: PyNumber[] = [];
  for (const token of tokens) {
    const v = parse === 'int' ? pyIntExact(token) : pyFloat(token);
    if (v === null) return null;
    scores.push(v);
  }
  return scores.length === 2 ? [scores[0]!, scores[1]!] : null;
}

/** The terms of `parse_model_answer` before the answer weight. */
export interface ContentTerms {
  /** `relationMatch` or `relationMismatch`. */
  relation: number;
  /** Absolute term (0 when skipped or far). */
  absolute: number;
  /** Confidence term (0 when skipped or not earned). */
  confidence: number;
  /** The returned score, accumulated in upstream's order. */
  score: number;
}

function sign(x: PyNumber): number {
  return typeof x === 'bigint' ? (x > 0n ? 1 : x < 0n ? -1 : 0) : Math.sign(x);
}

/**
 * Upstream `parse_model_answer`: relation (+2.0 / −1.5), then, unless `rewardAblation` is
 * `'reward_wo_score'`, absolute (+1.0 if d = 0, +0.6 if d ≤ 2) and confidence (+0.2 if
 * |p2−p1| ≥ |g2−g1|). Floats follow IEEE doubles as Python does; integers beyond 2^53 use `bigint`.
 */
export function parseModelAnswer(
  predicted: readonly [number, number],
  expected: readonly [PyNumber, PyNumber],
  options: { rewardAblation?: string; relation?: JudgeLrmRelation; constants?: JudgeLrmConstants } = {},
): ContentTerms {
  const { rewardAblation = 'base_reward', relation = 'ge', constants = JUDGELRM_CONSTANTS } = options;
  const exact = typeof expected[0] === 'bigint' || typeof expected[1] === 'bigint';
  const g0 = expected[0];
  const g1 = expected[1];
  let relOk: boolean;
  let d: number;
  let close: boolean;
  let confident: boolean;
  if (exact) {
    const eg0 = BigInt(g0);
    const eg1 = BigInt(g1);
    // Predictions are integers in [0, 10] whenever a bigint ground truth exists (int parsing).
    const p0 = BigInt(Math.trunc(predicted[0]));
    const p1 = BigInt(Math.trunc(predicted[1]));
    relOk = relation === 'ge' ? eg0 >= eg1 === p0 >= p1 : sign(eg0 - eg1) === sign(p0 - p1);
    const babs = (x: bigint) => (x < 0n ? -x : x);
    const bd = babs(eg0 - p0) + babs(eg1 - p1);
    d = bd === 0n ? 0 : 1;
    close = bd <= BigInt(Math.floor(constants.closeThreshold));
    confident = babs(p1 - p0) >= babs(eg1 - eg0);
  } else {
    const n0 = g0 as number;
    const n1 = g1 as number;
    relOk =
      relation === 'ge'
        ? n0 >= n1 === predicted[0] >= predicted[1]
        : Math.sign(n0 - n1) === Math.sign(predicted[0] - predicted[1]);
    d = Math.abs(n0 - predicted[0]) + Math.abs(n1 - predicted[1]);
    close = d <= constants.closeThreshold;
    confident = Math.abs(predicted[1] - predicted[0]) >= Math.abs(n1 - n0);
  }
  if (!relOk)
    return {
      relation: constants.relationMismatch,
      absolute: 0,
      confidence: 0,
      score: constants.relationMismatch,
    };
  let score = constants.relationMatch;
  let absolute = 0;
  let confidence = 0;
  if (rewardAblation !== 'reward_wo_score') {
    if (d === 0) {
      absolute = constants.absoluteExact;
      score += absolute;
    } else if (close) {
      absolute = constants.absoluteClose;
      score += absolute;
    }
    if (confident) {
      confidence = constants.confidence;
      score += confidence;
    }
  }
  return { relation: constants.relationMatch, absolute, confidence, score };
}

/** Inputs of `computeJudgeLrmScore` besides the text and the gold scores (upstream keyword arguments). */
export interface JudgeLrmScoreOptions extends JudgeLrmRewardOptions {
  /** Valid response tokens (upstream `response_length`, default 0). */
  responseLength?: number;
  /** Padded response width in tokens (upstream `max_response_length`, default 0). */
  maxResponseLength?: number;
  /**
   * judgekit extension: skip the length terms even in the length mode (for callers that do not know
   * token lengths, such as the OpenRLHF protocol). Upstream has no such switch: with its defaults
   * (0, 0) the truncation penalty always fires in `'base_reward'` mode.
   */
  skipLengthTerms?: boolean;
}

/** Full breakdown of one JudgeLRM reward evaluation. `total === format + content` always. */
export interface JudgeLrmScore {
  /** The reward (upstream `total_score`). */
  total: number;
  /** `structure × formatReward` (upstream `format_score`); 0 when the ground truth was invalid. */
  format: number;
  /** Upstream `answer_score`: content terms × answerReward + length terms, or `contentFailure` (`groundTruthFailure` when the ground truth was invalid). */
  content: number;
  /** Structure score under `constants` before the format weight (see `structureScore`), `null` when the ground truth was invalid (never computed). */
  structure: number | null;
  /** Relation term before weighting (0 when content was not scored). */
  relation: number;
  /** Absolute term before weighting. */
  absolute: number;
  /** Confidence term before weighting. */
  confidence: number;
  /** Length bonus added (0 when not applied). */
  lengthBonus: number;
  /** Truncation penalty added (0 when not applied). */
  lengthPenalty: number;
  /** Whether the length terms were added. */
  lengthApplied: boolean;
  /** Predicted `[s1, s2]`, or `null`. */
  predicted: ScorePair | null;
  /** Gold `[g1, g2]` as numbers, or `null`. */
  expected: [number, number] | null;
  /** `'scored'`: content computed; `'content-failed'`: format ≤ 0 or extraction failed; `'invalid-ground-truth'`. */
  outcome: 'scored' | 'content-failed' | 'invalid-ground-truth';
  /**
   * Why the structure check or extraction failed, when it did: a `JudgeLrmStructure` reason
   * (`tag-count`, `tag-order`, `answer-match-count`, `invalid-answer-number`, `score-out-of-range`),
   * else a `JudgeLrmSolution` reason (`missing-response-header`, `too-few-answer-tags`, …), else
   * `invalid-ground-truth`.
   */
  reason?: string;
}

/**
 * Upstream `compute_score(solution_str, ground_truth, format_reward, answer_reward, reward_ablation,
 * response_length, max_response_length)` of judgelrm.py with its full breakdown, without the
 * per-sample printing. `solutionStr` is the decoded prompt + response with special tokens kept.
 * Never throws on model text; throws `InvalidArgumentError` only for an invalid configuration.
 */
export function computeJudgeLrmScore(
  solutionStr: string,
  groundTruth: unknown,
  options: JudgeLrmScoreOptions = {},
): JudgeLrmScore {
  const config = resolveJudgeLrmConfig(options);
  return scoreWithConfig(config, String(solutionStr), groundTruth, options);
}

/** Score with an already resolved configuration (no validation; the hot path). */
export function scoreWithConfig(
  config: JudgeLrmRewardConfig,
  solutionStr: string,
  groundTruth: unknown,
  lengths: { responseLength?: number; maxResponseLength?: number; skipLengthTerms?: boolean } = {},
): JudgeLrmScore {
  const c = config.constants;
  const expected = parseSolutionTextFormat(groundTruth, config.groundTruthParse);
  if (expected === null) {
    return {
      total: c.groundTruthFailure,
      format: 0,
      content: c.groundTruthFailure,
      structure: null,
      relation: 0,
      absolute: 0,
      confidence: 0,
      lengthBonus: 0,
      lengthPenalty: 0,
      lengthApplied: false,
      predicted: null,
      expected: null,
      outcome: 'invalid-ground-truth',
      reason: 'invalid-ground-truth',
    };
  }
  // The extraction and the structure check in one pass (one answer scan, each answer parsed once).
  const { solution: extracted, structure } = extractAndValidateJudgeLrm(solutionStr, {
    parse: config.extractParse,
    requireHeader: config.requireHeader,
    check: config.formatCheck,
    formatParse: config.formatParse,
  });
  const structureValue = structureScore(structure, c);
  const formatScore = structureValue * config.formatReward;
  const expectedNumbers: [number, number] = [Number(expected[0]), Number(expected[1])];
  let content: number;
  let relation = 0;
  let absolute = 0;
  let confidence = 0;
  let lengthBonus = 0;
  let lengthPenalty = 0;
  let lengthApplied = false;
  let outcome: JudgeLrmScore['outcome'];
  if (formatScore > 0 && extracted.scores !== null) {
    const terms = parseModelAnswer(extracted.scores, expected, {
      rewardAblation: config.rewardAblation,
      relation: config.relation,
      constants: c,
    });
    relation = terms.relation;
    absolute = terms.absolute;
    confidence = terms.confidence;
    content = terms.score * config.answerReward;
    if (config.rewardAblation === config.lengthAblation && !lengths.skipLengthTerms) {
      const responseLength = lengths.responseLength ?? 0;
      const maxResponseLength = lengths.maxResponseLength ?? 0;
      lengthBonus = responseLength > c.lengthThreshold ? c.lengthBonus : 0.0;
      lengthPenalty = responseLength >= maxResponseLength ? c.truncationPenalty : 0.0;
      content += lengthBonus + lengthPenalty;
      lengthApplied = true;
    }
    outcome = 'scored';
  } else {
    content = c.contentFailure;
    outcome = 'content-failed';
  }
  const result: JudgeLrmScore = {
    total: formatScore + content,
    format: formatScore,
    content,
    structure: structureValue,
    relation,
    absolute,
    confidence,
    lengthBonus,
    lengthPenalty,
    lengthApplied,
    predicted: extracted.scores,
    expected: expectedNumbers,
    outcome,
  };
  const reason = structure.reason ?? extracted.reason;
  if (reason !== undefined) result.reason = reason;
  return result;
}

/** Inclusive bounds `[min, max]` of a reward's total. */
export interface RewardBounds {
  /** Smallest possible total. */
  min: number;
  /** Largest possible total. */
  max: number;
}

/**
 * Bounds of the JudgeLRM total under `config`, by enumerating every reachable combination of the
 * structure score, content terms and length terms in upstream's order of operations (a superset of
 * the reachable totals, so the bounds hold; for judgelrm.py defaults they are [−3.0, 4.4]).
 */
export function judgeLrmRewardBounds(options: JudgeLrmRewardOptions = {}): RewardBounds {
  const config = resolveJudgeLrmConfig(options);
  const c = config.constants;
  const contents: number[] = [c.relationMismatch];
  const absolutes = config.rewardAblation === 'reward_wo_score' ? [0] : [0, c.absoluteExact, c.absoluteClose];
  const confidences = config.rewardAblation === 'reward_wo_score' ? [0] : [0, c.confidence];
  for (const a of absolutes) for (const f of confidences) contents.push(c.relationMatch + a + f);
  const lengthSums =
    config.rewardAblation === 'reward_wo_length' || config.rewardAblation !== config.lengthAblation
      ? [0]
      : [0, c.lengthBonus, c.truncationPenalty, c.lengthBonus + c.truncationPenalty];
  let min = c.groundTruthFailure;
  let max = c.groundTruthFailure;
  const take = (v: number) => {
    if (v < min) min = v;
    if (v > max) max = v;
  };
  for (const s of [c.formatOk, c.formatBadScore, c.formatBadTags]) {
    const f = s * config.formatReward;
    take(f + c.contentFailure);
    if (f > 0) {
      for (const raw of contents) {
        take(f + raw * config.answerReward);
        // Length terms may be skipped by the caller, so both with and without are reachable.
        for (const l of lengthSums) take(f + (raw * config.answerReward + l));
      }
    }
  }
  return { min, max };
}
