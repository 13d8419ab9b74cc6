import { AbortedError, type Usage } from '@judgekit/core';
import {
  type GenerateRequest,
  type GenerateResponse,
  type JudgeModel,
  requestAbortSignal,
} from './judge-model.js';

/** What a fake model's function may return: the text, or parts of the response. */
export type FakeJudgeOutput = string | Partial<GenerateResponse>;

/** A `JudgeModel` whose answers come from a function; also records every request it saw. */
export interface FakeJudgeModel extends JudgeModel {
  /** Requests received, in call order (without their `signal`). */
  readonly calls: ReadonlyArray<Omit<GenerateRequest, 'signal' | 'abortSignal'>>;
}

/** Options of `createFakeJudgeModel`. */
export interface FakeJudgeModelOptions {
  /** `id` and default `model` of the fake (default `'fake-judge'`). */
  id?: string;
}

function countTokens(text: string): number {
  const t = text.trim();
  return t === '' ? 0 : t.split(/\s+/).length;
}

/**
 * A deterministic, in-process `JudgeModel` for tests and examples of other packages — no server,
 * no network, no randomness. `fn` receives each request (sync or async) and returns the completion
 * text or a partial `GenerateResponse`; missing fields are filled in: `usage` counts
 * whitespace-separated words of the messages (prompt) and of the text (completion) — a stand-in,
 * not a tokenizer — `finishReason: 'stop'`, `cached: false`, `model: id`, `latencyMs: 0`.
 * Errors thrown by `fn` propagate unchanged; an aborted `signal` rejects with core `AbortedError`.
 */
export function createFakeJudgeModel(
  fn: (request: GenerateRequest, callIndex: number) => FakeJudgeOutput | Promise<FakeJudgeOutput>,
  options: FakeJudgeModelOptions = {},
): FakeJudgeModel {
  const id = options.id ?? 'fake-judge';
  const calls: Array<Omit<GenerateRequest, 'signal' | 'abortSignal'>> = [];
  return {
    id,
    calls,
    async generate(request) {
      const signal = requestAbortSignal(request);
      if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
      const { signal: _signal, abortSignal: _abortSignal, ...rest } = request;
      const index = calls.length;
      calls.push(rest);
      const out = await fn(request, index);
      if (signal?.aborted) throw new AbortedError('model call', { cause: signal.reason });
      const partial: Partial<GenerateResponse> = typeof out === 'string' ? { text: out } : out;
      const text = partial.text ?? '';
      const promptTokens = request.messages.reduce((s, m) => s + countTokens(m.content), 0);
      const completionTokens = countTokens(text);
      const usage: Usage = partial.usage ?? {
        promptTokens,
        completionTokens,
        totalTokens: promptTokens + completionTokens,
      };
      const response: GenerateResponse = {
        text,
        usage,
        finishReason: 'stop',
        cached: false,
        model: id,
        latencyMs: 0,
        ...partial,
      };
      response.text = text;
      response.usage = usage;
      return response;
    },
  };
}
