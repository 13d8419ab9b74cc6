import { AbortedError, InvalidArgumentError, ModelCallError } from '@judgekit/core';
import {
  type GenerateRequest,
  type GenerateResponse,
  type JudgeModel,
  requestAbortSignal,
  type TokenLogprob,
} from './judge-model.js';

/**
 * One recorded judge output: the completion text, optionally with its split-off reasoning and the
 * recorded token log-probabilities (returned only to requests that ask for `topLogprobs`).
 */
export type ReplayOutput =
  | string
  | { text: string; reasoningContent?: string; finishReason?: string; logprobs?: TokenLogprob[] };

/** Options of {@link createReplayJudgeModel}. */
export interface ReplayJudgeModelOptions {
  /** `JudgeModel.id` and the responses' `model` (e.g. `'replay:gpt-3.5-turbo'`). */
  id: string;
  /** Recorded outputs by sample id, for the dataset's answer order. */
  outputs: ReadonlyMap<string, ReplayOutput> | Readonly<Record<string, ReplayOutput>>;
  /** Recorded outputs by sample id for the swapped presentation, when the run judged both orders. */
  swappedOutputs?: ReadonlyMap<string, ReplayOutput> | Readonly<Record<string, ReplayOutput>>;
}

/** A `JudgeModel` that serves recorded outputs; see {@link createReplayJudgeModel}. */
export interface ReplayJudgeModel extends JudgeModel {
  /** Number of recorded outputs (original order). */
  readonly size: number;
}

function toMap(
  outputs: ReadonlyMap<string, ReplayOutput> | Readonly<Record<string, ReplayOutput>>,
  name: string,
): ReadonlyMap<string, ReplayOutput> {
  if (outputs instanceof Map) return outputs;
  if (outputs === null || typeof outputs !== 'object')
    throw new InvalidArgumentError(name, 'must be a Map or an object of sample id → output');
  return new Map(Object.entries(outputs as Record<string, ReplayOutput>));
}

/**
 * A judge that replays recorded outputs by sample id: re-score any recorded run (a paper's
 * released judge outputs, an earlier `judgekit eval`) through the same pipeline as a live model,
 * with no server. The request's `sampleId` (set by `evaluateJudgeOnDataset`) picks the output,
 * `sampleOrder: 'swapped'` picks from `swappedOutputs`; the prompt itself is not looked at.
 *
 * A request with no `sampleId`, or an id with no recording, rejects with core `ModelCallError`
 * (`retryable: false`): an error outcome, never a made-up verdict. Usage is reported as zeros
 * (nothing was generated), `cached: false`, `latencyMs` the lookup time.
 */
export function createReplayJudgeModel(options: ReplayJudgeModelOptions): ReplayJudgeModel {
  if (typeof options.id !== 'string' || options.id === '')
    throw new InvalidArgumentError('id', 'must be a non-empty string');
  const original = toMap(options.outputs, 'outputs');
  const swapped =
    options.swappedOutputs === undefined ? undefined : toMap(options.swappedOutputs, 'swappedOutputs');
  return {
    id: options.id,
    size: original.size,
    async generate(request: GenerateRequest): Promise<GenerateResponse> {
      const started = performance.now();
      const signal = requestAbortSignal(request);
      if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
      if (request.sampleId === undefined)
        throw new ModelCallError(`replay judge ${options.id}: the request has no sampleId to look up`, {
          retryable: false,
        });
      const order = request.sampleOrder ?? 'original';
      const table = order === 'swapped' ? swapped : original;
      if (table === undefined)
        throw new ModelCallError(
          `replay judge ${options.id}: no swapped-order recordings (pass swappedOutputs, or judge without swap)`,
          { retryable: false },
        );
      const out = table.get(request.sampleId);
      if (out === undefined)
        throw new ModelCallError(
          `replay judge ${options.id}: no recorded ${order}-order output for sample ${JSON.stringify(request.sampleId)}`,
          { retryable: false },
        );
      const o = typeof out === 'string' ? { text: out } : out;
      const response: GenerateResponse = {
        text: o.text,
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
        finishReason: o.finishReason ?? 'stop',
        cached: false,
        model: options.id,
        latencyMs: performance.now() - started,
      };
      if (o.reasoningContent !== undefined) response.reasoningContent = o.reasoningContent;
      if (request.topLogprobs !== undefined && 'logprobs' in o && Array.isArray(o.logprobs))
        response.logprobs = o.logprobs;
      return response;
    },
  };
}
