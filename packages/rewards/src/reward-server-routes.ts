/**
 * The reward server's routes, one per trainer contract, all over the same `RewardFunction`:
 *
 * - OpenRLHF (`/`, `/get_reward`, `/reward`): `{query, prompts, labels}` → `{rewards, scores}`, plus
 *   `extra_logs` when the request asks for them (`extraLogs`).
 * - TRL (`/trl`): what `GRPOTrainer` passes a reward function — `{prompts, completions,
 *   completion_ids?, <dataset columns>…}` → `{rewards, components, notes?}`. Prompts may be text or
 *   chat messages (rendered with ChatML and the `<think>` generation prefix); completions text or
 *   messages; `completion_ids` give response lengths (length terms, with the server's
 *   `maxResponseLength`); the gold label is the `ground_truth` column (or `ground_truth_column`).
 * - verl (`/verl`): `compute_score`'s arguments, one (`{data_source, solution_str, ground_truth,
 *   extra_info}` → `{score, …components}`) or batched (`{data_sources, solution_strs, ground_truths,
 *   extra_infos}` → `{scores, results}`). verl passes the response alone: `sequence_prefix` (e.g.
 *   `"<|im_start|>assistant\n<think>"`) is put before each `solution_str`.
 *
 * Every route checks whether the sequences the reward reads carry the response header it needs
 * (`Assistant:` / `<|im_start|>assistant`); a batch where some do not is answered (those samples
 * score as format failures, as upstream) with a `WARNING` note, a logged warning and a counter in
 * `/health` — the silent trap of sending completions without the assistant header.
 *
 * @module
 */
import { type ChatMessage, handleOpenRlhfRequest, renderChatMl } from './adapters.js';
import type { RewardFunction, RewardSample } from './reward-function.js';

/** Paths of the TRL- and verl-shaped routes. */
export const TRL_REWARD_PATH = '/trl';
/** Path of the verl-shaped route. */
export const VERL_REWARD_PATH = '/verl';

/** Either a JSON response body or a client error. */
export type RouteResult =
  | { ok: true; response: unknown; samples: number }
  | { ok: false; status: number; error: string };

/** Header-check counters reported in `/health`. */
export interface RewardRouteCounters {
  /** Batches in which at least one sequence lacked the response header. */
  missing_response_header_batches: number;
  /** Sequences that lacked it. */
  missing_response_header_samples: number;
  /** Requests per route. */
  requests: Record<string, number>;
}

/** Options of {@link createRewardRoutes}. */
export interface RewardRoutesOptions {
  /** The reward. */
  reward: RewardFunction;
  /** Padded response width in tokens (enables length terms with per-sample lengths). */
  maxResponseLength?: number;
  /**
   * Whether to check for the response header (default: true for rewards named `judgelrm…`, the
   * names `createJudgeLrmReward` / `createJudgeLrmFormatReward` give, whose judgelrm.py extraction
   * needs it; false otherwise). The check only counts and warns; it never changes a score.
   */
  checkResponseHeader?: boolean;
  /** Called once per batch with missing headers (the server logs it as a warning). */
  onMissingHeader?: (info: { path: string; missing: number; samples: number }) => void;
}

/** The routes of a reward server. */
export interface RewardRoutes {
  /** Whether `path` is a reward route. */
  accepts(path: string): boolean;
  /**
   * Score one parsed JSON body for `path`. Never throws on request content. `extraLogs` (default
   * true) adds OpenRLHF's per-sample `extra_logs`; the server passes what the request asked for.
   */
  handle(path: string, body: unknown, options?: { extraLogs?: boolean }): RouteResult;
  /** Counters for `/health`. */
  health(): RewardRouteCounters & { response_header_check: boolean };
}

const OPENRLHF_PATHS: readonly string[] = ['/', '/get_reward', '/reward'];

/** Whether `sequence` carries a response header judgelrm.py splits on. */
export function hasResponseHeader(sequence: string): boolean {
  // What `extractJudgeLrmSolution` reports as `missing-response-header`, without its answer scan.
  return (
    typeof sequence === 'string' &&
    (sequence.includes('Assistant:') || sequence.includes('<|im_start|>assistant'))
  );
}

function isMessages(x: unknown): x is ChatMessage[] {
  return (
    Array.isArray(x) &&
    x.every(
      (m) =>
        m !== null && typeof m === 'object' && typeof m.role === 'string' && typeof m.content === 'string',
    )
  );
}

function describe(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
}

/** Create the routes (used by `createRewardServer`; usable in-process too). */
export function createRewardRoutes(options: RewardRoutesOptions): RewardRoutes {
  const { reward, maxResponseLength } = options;
  const check = options.checkResponseHeader ?? reward.name.startsWith('judgelrm');
  const counters: RewardRouteCounters = {
    missing_response_header_batches: 0,
    missing_response_header_samples: 0,
    requests: {},
  };

  const headerNote = (path: string, sequences: readonly string[]): string | undefined => {
    if (!check) return undefined;
    let missing = 0;
    for (const s of sequences) if (!hasResponseHeader(s)) missing++;
    if (missing === 0) return undefined;
    counters.missing_response_header_batches++;
    counters.missing_response_header_samples += missing;
    options.onMissingHeader?.({ path, missing, samples: sequences.length });
    return `WARNING: ${missing} of ${sequences.length} sequences have no "<|im_start|>assistant" / "Assistant:" header; the reward ${reward.name} scores them as format failures. Send prompt + completion with the chat template (OpenRLHF \`query\`), chat-message prompts (TRL), or a \`sequence_prefix\` (verl).`;
  };

  const scoreAll = (samples: RewardSample[]) => {
    const rewards = new Array<number>(samples.length);
    const components: Record<string, number[]> = {};
    const results: Record<string, number>[] = [];
    samples.forEach((s, i) => {
      const r = reward.score(s);
      rewards[i] = r.total;
      results.push({ ...r.components, score: r.total });
      for (const k in r.components) {
        let col = components[k];
        if (col === undefined) components[k] = col = new Array<number>(samples.length).fill(0);
        col[i] = r.components[k]!;
      }
    });
    return { rewards, components, results };
  };

  const fail = (error: string, status = 400): RouteResult => ({ ok: false, status, error });

  const trl = (body: Record<string, unknown>): RouteResult => {
    const { prompts, completions } = body;
    if (!Array.isArray(completions))
      return fail(`\`completions\` must be an array, got ${describe(completions)}`);
    const n = completions.length;
    if (!Array.isArray(prompts) || prompts.length !== n)
      return fail(
        `\`prompts\` must be an array of ${n} prompts (one per completion), got ${Array.isArray(prompts) ? `${prompts.length}` : describe(prompts)}`,
      );
    const column = body.ground_truth_column ?? 'ground_truth';
    if (typeof column !== 'string') return fail('`ground_truth_column` must be a string');
    const labels = body[column];
    if (labels !== undefined && labels !== null && (!Array.isArray(labels) || labels.length !== n))
      return fail(`\`${column}\` must be an array of ${n} labels`);
    if (reward.requiresGroundTruth && !Array.isArray(labels))
      return fail(
        `missing column \`${column}\`: the reward ${reward.name} needs one gold label per completion (set ground_truth_column to the dataset column that holds it)`,
        422,
      );
    const ids = body.completion_ids;
    if (
      ids !== undefined &&
      ids !== null &&
      (!Array.isArray(ids) || ids.length !== n || !ids.every(Array.isArray))
    )
      return fail(`\`completion_ids\` must be an array of ${n} token-id arrays`);
    const samples: RewardSample[] = [];
    for (let i = 0; i < n; i++) {
      const p = prompts[i];
      const c = completions[i];
      let prompt: string;
      if (typeof p === 'string') prompt = p;
      else if (isMessages(p)) prompt = renderChatMl(p, '<think>');
      else return fail(`\`prompts[${i}]\` must be a string or a list of {role, content} messages`);
      let completion: string;
      if (typeof c === 'string') completion = c;
      else if (isMessages(c)) completion = c.map((m) => m.content).join('');
      else return fail(`\`completions[${i}]\` must be a string or a list of {role, content} messages`);
      const s: RewardSample = { sequence: prompt + completion, prompt };
      if (Array.isArray(labels)) s.groundTruth = labels[i];
      if (Array.isArray(ids) && maxResponseLength !== undefined) {
        s.responseLength = (ids[i] as unknown[]).length;
        s.maxResponseLength = maxResponseLength;
      }
      samples.push(s);
    }
    const notes: string[] = [];
    const note = headerNote(
      TRL_REWARD_PATH,
      samples.map((s) => s.sequence),
    );
    if (note) notes.push(note);
    if (!(Array.isArray(ids) && maxResponseLength !== undefined))
      notes.push(
        Array.isArray(ids)
          ? 'length terms skipped: the server has no maxResponseLength configured'
          : 'length terms skipped: the request carries no `completion_ids`',
      );
    const { rewards, components } = scoreAll(samples);
    return { ok: true, samples: n, response: { rewards, components, notes } };
  };

  const verl = (body: Record<string, unknown>): RouteResult => {
    const prefix = body.sequence_prefix ?? '';
    if (typeof prefix !== 'string') return fail('`sequence_prefix` must be a string');
    const batched = Array.isArray(body.solution_strs);
    const sols = batched ? (body.solution_strs as unknown[]) : [body.solution_str];
    const n = sols.length;
    const col = (name: string, single: string): unknown[] | string => {
      const v = batched ? body[name] : [body[single]];
      if (v === undefined || v === null) return new Array(n).fill(undefined);
      if (!Array.isArray(v) || v.length !== n)
        return `\`${name}\` must be an array of ${n} entries (one per solution_str)`;
      return v;
    };
    const sources = col('data_sources', 'data_source');
    const truths = col('ground_truths', 'ground_truth');
    const infos = col('extra_infos', 'extra_info');
    for (const c of [sources, truths, infos]) if (typeof c === 'string') return fail(c);
    const samples: RewardSample[] = [];
    for (let i = 0; i < n; i++) {
      const sol = sols[i];
      if (typeof sol !== 'string')
        return fail(
          batched
            ? `\`solution_strs[${i}]\` must be a string`
            : '`solution_str` must be a string (or send `solution_strs` for a batch)',
        );
      const gt = (truths as unknown[])[i];
      if (reward.requiresGroundTruth && (gt === undefined || gt === null))
        return fail(`missing ground truth for sample ${i}: the reward ${reward.name} needs one`, 422);
      const s: RewardSample = { sequence: prefix + sol, groundTruth: gt };
      const info = (infos as unknown[])[i];
      if (info !== undefined && info !== null && typeof info === 'object') {
        const rl = (info as Record<string, unknown>).response_length;
        const ml = (info as Record<string, unknown>).max_response_length ?? maxResponseLength;
        if (typeof rl === 'number' && typeof ml === 'number') {
          s.responseLength = rl;
          s.maxResponseLength = ml;
        }
      }
      samples.push(s);
    }
    const note = headerNote(
      VERL_REWARD_PATH,
      samples.map((s) => s.sequence),
    );
    const { results } = scoreAll(samples);
    const notes = note ? [note] : [];
    const response = batched
      ? { scores: results.map((r) => r.score), results, notes }
      : { ...results[0], notes };
    return { ok: true, samples: n, response };
  };

  return {
    accepts: (path) => OPENRLHF_PATHS.includes(path) || path === TRL_REWARD_PATH || path === VERL_REWARD_PATH,
    handle(path, body, handleOptions = {}) {
      counters.requests[path] = (counters.requests[path] ?? 0) + 1;
      if (OPENRLHF_PATHS.includes(path)) {
        const extraLogs = handleOptions.extraLogs ?? true;
        const r = handleOpenRlhfRequest(
          reward,
          body,
          maxResponseLength === undefined ? { extraLogs } : { maxResponseLength, extraLogs },
        );
        if (!r.ok) return r;
        const note = headerNote(path, (body as { query: string[] }).query);
        if (note) r.response.notes = [note, ...(r.response.notes ?? [])];
        return { ok: true, samples: r.response.rewards.length, response: r.response };
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        return fail(
          `request body must be a JSON object (${path === TRL_REWARD_PATH ? 'prompts, completions, …' : 'solution_str(s), ground_truth(s), …'})`,
        );
      return path === TRL_REWARD_PATH
        ? trl(body as Record<string, unknown>)
        : verl(body as Record<string, unknown>);
    },
    health: () => ({ ...counters, requests: { ...counters.requests }, response_header_check: check }),
  };
}
