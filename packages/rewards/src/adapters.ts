/**
 * Adapters from a `RewardFunction` to the reward contracts researchers already use:
 * TRL's reward functions (`prompts`, `completions`, extra dataset columns), verl's
 * `compute_score(data_source, solution_str, ground_truth, extra_info)`, and OpenRLHF's remote
 * reward protocol (`{query, prompts, labels}` → `{rewards, scores, extra_logs}`).
 */
import { InvalidArgumentError, NotSupportedError, ShapeMismatchError } from '@judgekit/core';
import type { RewardFunction, RewardSample } from './reward-function.js';

/** A chat message as TRL's conversational format holds it. */
export interface ChatMessage {
  /** `system`, `user`, `assistant`, … */
  role: string;
  /** Message text. */
  content: string;
}

/** A TRL prompt: raw text (standard format) or a list of messages (conversational format). */
export type TrlPrompt = string | readonly ChatMessage[];
/** A TRL completion: raw text or a list of (assistant) messages. */
export type TrlCompletion = string | readonly ChatMessage[];

/** What TRL passes to a reward function, as one object (Python's keyword arguments). */
export interface TrlRewardInput {
  /** Prompts, one per completion. */
  prompts: readonly TrlPrompt[];
  /** Completions. */
  completions: readonly TrlCompletion[];
  /** Token ids of each completion (TRL passes `completion_ids`); their lengths are the response lengths. */
  completion_ids?: readonly ArrayLike<number>[];
  /** Any other dataset column, one entry per completion. */
  [column: string]: unknown;
}

/**
 * Render messages with the ChatML template Qwen2.5 uses (`<|im_start|>role\ncontent<|im_end|>\n`),
 * followed by the generation prompt `<|im_start|>assistant\n` and `assistantPrefix`.
 */
export function renderChatMl(messages: readonly ChatMessage[], assistantPrefix = ''): string {
  let out = '';
  for (const m of messages) out += `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`;
  return `${out}<|im_start|>assistant\n${assistantPrefix}`;
}

/** Options of `toTrlRewardFunction`. */
export interface TrlAdapterOptions {
  /** Dataset column that holds the gold label (default `'ground_truth'`). */
  groundTruthColumn?: string;
  /** Turns a prompt into text placed before the completion. Default: text prompts as is, message lists through `renderChatMl(messages, '<think>')`. */
  renderPrompt?: (prompt: TrlPrompt) => string;
  /** Padded response width in tokens; with `completion_ids` it enables the length terms. */
  maxResponseLength?: number;
}

function completionText(c: TrlCompletion): string {
  if (typeof c === 'string') return c;
  let out = '';
  for (const m of c) out += m.content;
  return out;
}

/**
 * A TRL-style reward function: `(input) => number[]`, one reward per completion. The sequence the
 * reward sees is `renderPrompt(prompt) + completion`, as upstream's reward manager decodes
 * prompt + response together. Throws `ShapeMismatchError` when columns differ in length.
 */
export function toTrlRewardFunction(
  reward: RewardFunction,
  options: TrlAdapterOptions = {},
): (input: TrlRewardInput) => number[] {
  const column = options.groundTruthColumn ?? 'ground_truth';
  const render =
    options.renderPrompt ?? ((p: TrlPrompt) => (typeof p === 'string' ? p : renderChatMl(p, '<think>')));
  return (input) => {
    const n = input.completions.length;
    if (input.prompts.length !== n) throw new ShapeMismatchError('prompts', [n], [input.prompts.length]);
    const labels = input[column] as readonly unknown[] | undefined;
    if (reward.requiresGroundTruth && !Array.isArray(labels)) {
      throw new InvalidArgumentError(column, `the reward ${reward.name} needs a ${column} column`);
    }
    if (labels !== undefined && labels.length !== n)
      throw new ShapeMismatchError(column, [n], [labels.length]);
    const ids = input.completion_ids;
    if (ids !== undefined && ids.length !== n)
      throw new ShapeMismatchError('completion_ids', [n], [ids.length]);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const prompt = render(input.prompts[i]!);
      const sample: RewardSample = { sequence: prompt + completionText(input.completions[i]!), prompt };
      if (labels !== undefined) sample.groundTruth = labels[i];
      if (ids !== undefined && options.maxResponseLength !== undefined) {
        sample.responseLength = ids[i]!.length;
        sample.maxResponseLength = options.maxResponseLength;
      }
      out[i] = reward.score(sample).total;
    }
    return out;
  };
}

/** Options of `toVerlComputeScore`. */
export interface VerlAdapterOptions {
  /**
   * Which `data_source` values this scorer accepts: upstream JudgeLRM dispatches when `"judgelrm"`
   * is a substring (main_ppo.py `_select_rm_score_fn`). Default: accept any. Others throw
   * `NotSupportedError` (verl raises `NotImplementedError`).
   */
  dataSource?: string | ((dataSource: string) => boolean);
  /**
   * Text put before `solution_str`. Logic-RL's reward manager passes prompt + response; current verl
   * passes the response only, so for the JudgeLRM reward pass the generation header here, e.g.
   * `'<|im_start|>assistant\n<think>'`. Default `''`.
   */
  sequencePrefix?: string;
  /** Return `{ score, ...components }` (verl accepts a dict with a `score` key) instead of a number. */
  returnDict?: boolean;
}

/** verl's `compute_score` signature. `extra_info.response_length` / `max_response_length` enable length terms. */
export type VerlComputeScore = (
  dataSource: string,
  solutionStr: string,
  groundTruth: unknown,
  extraInfo?: Record<string, unknown> | null,
) => number | ({ score: number } & Record<string, number>);

/** A verl-style `compute_score(data_source, solution_str, ground_truth, extra_info)`. */
export function toVerlComputeScore(
  reward: RewardFunction,
  options: VerlAdapterOptions = {},
): VerlComputeScore {
  const { dataSource, sequencePrefix = '', returnDict = false } = options;
  const accepts =
    dataSource === undefined
      ? () => true
      : typeof dataSource === 'string'
        ? (s: string) => s.includes(dataSource)
        : dataSource;
  return (source, solutionStr, groundTruth, extraInfo) => {
    if (!accepts(String(source))) {
      throw new NotSupportedError(
        `data_source ${JSON.stringify(source)} is not handled by the reward ${reward.name}`,
      );
    }
    const sample: RewardSample = { sequence: sequencePrefix + String(solutionStr), groundTruth };
    const rl = extraInfo?.response_length;
    const ml = extraInfo?.max_response_length;
    if (typeof rl === 'number' && typeof ml === 'number') {
      sample.responseLength = rl;
      sample.maxResponseLength = ml;
    }
    const r = reward.score(sample);
    return returnDict ? { ...r.components, score: r.total } : r.total;
  };
}

/** OpenRLHF's remote reward request. */
export interface OpenRlhfRequest {
  /** prompt + response text, with its chat template (one per sample). */
  query: string[];
  /** Prompts (optional; same length as `query`). */
  prompts?: string[];
  /** Labels (for JudgeLRM the gold "s1 s2" string); required when the reward needs a ground truth. */
  labels?: unknown[];
  /** judgekit extension: response lengths in tokens; with the server's `maxResponseLength` enables length terms. */
  response_lengths?: number[];
}

/** OpenRLHF's remote reward response. */
export interface OpenRlhfResponse {
  /** Rewards used for training. */
  rewards: number[];
  /** Scores (OpenRLHF uses them for dynamic filtering); equal to `rewards`. */
  scores: number[];
  /**
   * Per-sample logs: every reward component, plus `length_terms_skipped` (0/1). Present unless the
   * caller turned them off (`extraLogs: false`; the reward server's default, as OpenRLHF does not
   * need them).
   */
  extra_logs?: Record<string, number[]>;
  /** judgekit extension for humans (OpenRLHF ignores it): e.g. why the length terms were skipped. */
  notes?: string[];
}

/** Either a response or a client error (status 4xx) with a message naming the problem. */
export type OpenRlhfResult =
  | { ok: true; response: OpenRlhfResponse }
  | { ok: false; status: number; error: string };

function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((v) => typeof v === 'string');
}

function badType(field: string, expected: string, value: unknown): string {
  if (!Array.isArray(value))
    return `\`${field}\` must be ${expected}, got ${value === null ? 'null' : typeof value}`;
  const i = value.findIndex((v) => typeof v !== 'string');
  return `\`${field}[${i}]\` must be a string, got ${value[i] === null ? 'null' : typeof value[i]}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

/**
 * Why one label has the wrong type, or `undefined` when its type is one the JudgeLRM ground truth
 * takes (`parseSolutionTextFormat`): a string (`"8 6"`), a `[number, number]` pair, an array whose
 * first element is a string and that is not a pair (`["8 6"]`, numpy's `np.array([text])`), or an
 * object with a `solution_text_format` field of one of those kinds. A label of the right type whose
 * text does not parse (e.g. `"x"`) is scored by upstream's rule (reward −2), not rejected here.
 */
function labelTypeError(label: unknown, nested = false): string | undefined {
  if (typeof label === 'string') return undefined;
  if (Array.isArray(label)) {
    if (label.length === 2) {
      return typeof label[0] === 'number' && typeof label[1] === 'number'
        ? undefined
        : `a pair must hold two numbers, got [${label.map(describeValue).join(', ')}]`;
    }
    return typeof label[0] === 'string'
      ? undefined
      : `an array label must be a [number, number] pair or start with a string, got ${describeValue(label)} starting with ${describeValue(label[0])}`;
  }
  if (!nested && label !== null && typeof label === 'object' && 'solution_text_format' in label) {
    const inner = labelTypeError((label as { solution_text_format: unknown }).solution_text_format, true);
    return inner === undefined ? undefined : `solution_text_format: ${inner}`;
  }
  return `got ${describeValue(label)}`;
}

/**
 * Validate and score one OpenRLHF remote-reward request body (already JSON-parsed). Never throws on
 * request content: a bad body returns `{ ok: false, status: 400 | 422, error }`.
 */
export function handleOpenRlhfRequest(
  reward: RewardFunction,
  body: unknown,
  options: {
    maxResponseLength?: number;
    /** Build `extra_logs` (default true); false skips the per-component columns. */
    extraLogs?: boolean;
  } = {},
): OpenRlhfResult {
  const withLogs = options.extraLogs ?? true;
  const fail = (error: string, status = 400): OpenRlhfResult => ({ ok: false, status, error });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return fail('request body must be a JSON object with `query`, `prompts` and `labels`');
  }
  const b = body as Record<string, unknown>;
  if (!('query' in b)) return fail('missing field `query` (array of prompt+response strings)');
  if (!isStringArray(b.query)) return fail(badType('query', 'an array of strings', b.query));
  const n = b.query.length;
  if (b.prompts !== undefined && b.prompts !== null) {
    if (!isStringArray(b.prompts)) return fail(badType('prompts', 'an array of strings', b.prompts));
    if (b.prompts.length !== n) {
      return fail(
        `\`prompts\` has ${b.prompts.length} entries but \`query\` has ${n}; they must be the same length`,
      );
    }
  }
  let labels: unknown[] | undefined;
  if (b.labels !== undefined && b.labels !== null) {
    if (!Array.isArray(b.labels)) return fail(`\`labels\` must be an array, got ${typeof b.labels}`);
    if (b.labels.length !== n) {
      return fail(
        `\`labels\` has ${b.labels.length} entries but \`query\` has ${n}; they must be the same length`,
      );
    }
    for (let i = 0; i < n; i++) {
      const problem = labelTypeError(b.labels[i]);
      if (problem !== undefined) {
        return fail(
          `\`labels[${i}]\` must be a string such as "8 6", a [number, number] pair, a one-element [string] array or {"solution_text_format": …}; ${problem}`,
        );
      }
    }
    labels = b.labels;
  } else if (reward.requiresGroundTruth) {
    return fail(
      `missing field \`labels\`: the reward ${reward.name} needs one gold label per query (e.g. "8 6")`,
    );
  }
  let lengths: number[] | undefined;
  if (b.response_lengths !== undefined && b.response_lengths !== null) {
    const rl = b.response_lengths;
    if (!Array.isArray(rl)) return fail(`\`response_lengths\` must be an array of numbers, got ${typeof rl}`);
    if (rl.length !== n) {
      return fail(
        `\`response_lengths\` has ${rl.length} entries but \`query\` has ${n}; they must be the same length`,
      );
    }
    const i = rl.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v) || v < 0);
    if (i !== -1) return fail(`\`response_lengths[${i}]\` must be a finite number >= 0`);
    lengths = rl as number[];
  }
  const useLengths = lengths !== undefined && options.maxResponseLength !== undefined;
  const notes: string[] = [];
  if (!useLengths) {
    notes.push(
      lengths === undefined
        ? 'length terms skipped: the request carries no `response_lengths`'
        : 'length terms skipped: the server has no `maxResponseLength` configured',
    );
  }
  const rewards = new Array<number>(n);
  const extra: Record<string, number[]> = {};
  const prompts = b.prompts as string[] | undefined;
  for (let i = 0; i < n; i++) {
    const sample: RewardSample = { sequence: b.query[i]! };
    if (prompts) sample.prompt = prompts[i]!;
    if (labels) sample.groundTruth = labels[i];
    if (useLengths) {
      sample.responseLength = lengths![i]!;
      sample.maxResponseLength = options.maxResponseLength!;
    }
    const r = reward.score(sample);
    rewards[i] = r.total;
    if (!withLogs) continue;
    for (const key in r.components) {
      let col = extra[key];
      if (col === undefined) extra[key] = col = new Array<number>(n).fill(0);
      col[i] = r.components[key]!;
    }
  }
  const response: OpenRlhfResponse = { rewards, scores: rewards.slice() };
  if (withLogs) {
    extra.length_terms_skipped = new Array<number>(n).fill(useLengths ? 0 : 1);
    response.extra_logs = extra;
  }
  if (notes.length > 0) response.notes = notes;
  return { ok: true, response };
}

/**
 * OpenRLHF's in-process form, `reward_func(queries, prompts, labels)` returning
 * `{rewards, scores, extra_logs}` (what a `--remote_rm_url` pointing at a Python file provides).
 * Throws `InvalidArgumentError` where the server would answer 4xx.
 */
export function toOpenRlhfRewardFunc(
  reward: RewardFunction,
  options: { maxResponseLength?: number } = {},
): (
  queries: string[],
  prompts?: string[],
  labels?: unknown[],
  responseLengths?: number[],
) => OpenRlhfResponse {
  return (queries, prompts, labels, responseLengths) => {
    const result = handleOpenRlhfRequest(
      reward,
      { query: queries, prompts, labels, response_lengths: responseLengths },
      options,
    );
    if (!result.ok) throw new InvalidArgumentError('request', result.error);
    return result.response;
  };
}
