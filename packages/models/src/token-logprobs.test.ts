/**
 * Top log-probabilities end to end: `topLogprobs` asks a real 127.0.0.1 server for
 * `logprobs: true, top_logprobs: k` and the response's `choices[0].logprobs.content` (shaped as
 * vLLM's and OpenAI's, with `bytes`) comes back checked in `GenerateResponse.logprobs`.
 */
import { InvalidArgumentError } from '@judgekit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  sendJson,
  startVllmLikeServer,
  type VllmLikeServer,
  vllmCompletion,
} from '../test/vllm-like-server.js';
import { readTokenLogprobs, requestBodyFields } from './chat-completion-fields.js';
import { createOpenAICompatibleModel } from './openai-compatible-model.js';
import { createReplayJudgeModel } from './replay-judge-model.js';
import { cacheKey, createMemoryCache } from './response-cache.js';

const MODEL = 'Qwen2.5-7B-Instruct';
const user = (content: string) => [{ role: 'user' as const, content }];
const bytes = (s: string) => [...Buffer.from(s, 'utf8')];

/** `choices[0].logprobs` as vLLM's OpenAI server writes it (ChatCompletionLogProbs). */
function vllmLogprobs(tokens: Array<[string, number, Array<[string, number]>]>): Record<string, unknown> {
  return {
    content: tokens.map(([token, logprob, top]) => ({
      token,
      logprob,
      bytes: bytes(token),
      top_logprobs: top.map(([t, lp]) => ({ token: t, logprob: lp, bytes: bytes(t) })),
    })),
  };
}

function withLogprobs(content: string, logprobs: unknown): Record<string, unknown> {
  const body = vllmCompletion(MODEL, content) as { choices: Array<Record<string, unknown>> };
  body.choices[0]!.logprobs = logprobs;
  return body;
}

const ANSWER = vllmLogprobs([
  ['[[', -0.01, [['[[', -0.01]]],
  [
    'A',
    -0.2231435513,
    [
      ['A', -0.2231435513],
      ['B', -1.6094379124],
      ['C', -3.0],
    ],
  ],
  [']]', 0, [[']]', 0]]],
]);

let server: VllmLikeServer;
beforeEach(async () => {
  server = await startVllmLikeServer();
});
afterEach(async () => {
  await server.close();
});

describe('topLogprobs against a vLLM-like server', () => {
  it('sends logprobs: true, top_logprobs: k and returns the checked token list (bytes dropped)', async () => {
    server.handler = (_b, res) => sendJson(res, withLogprobs('[[A]]', ANSWER));
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, apiKey: '' });
    const r = await model.generate({ messages: user('Which?'), topLogprobs: 5 });
    expect(server.requests[0]!.body.logprobs).toBe(true);
    expect(server.requests[0]!.body.top_logprobs).toBe(5);
    expect(r.text).toBe('[[A]]');
    expect(r.logprobs).toHaveLength(3);
    expect(r.logprobs![1]).toEqual({
      token: 'A',
      logprob: -0.2231435513,
      top_logprobs: [
        { token: 'A', logprob: -0.2231435513 },
        { token: 'B', logprob: -1.6094379124 },
        { token: 'C', logprob: -3.0 },
      ],
    });
  });

  it('does not ask for log-probs unless requested, and keeps none a server sends anyway', async () => {
    server.handler = (_b, res) => sendJson(res, withLogprobs('[[A]]', ANSWER));
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, apiKey: '' });
    const r = await model.generate({ messages: user('Which?') });
    expect(server.requests[0]!.body).not.toHaveProperty('logprobs');
    expect(server.requests[0]!.body).not.toHaveProperty('top_logprobs');
    expect(r).not.toHaveProperty('logprobs');
  });

  it('a malformed logprobs member is ignored whole (no crash, no partial list), the text is kept', async () => {
    const bad: unknown[] = [
      null,
      { content: null },
      { content: 'A' },
      { content: [{ token: 'A' }] },
      { content: [{ token: 'A', logprob: 0.5 }] },
      { content: [{ token: 7, logprob: -1 }] },
      { content: [{ token: 'A', logprob: -0.1, top_logprobs: 'B' }] },
      { content: [{ token: 'A', logprob: -0.1, top_logprobs: [{ token: 'B', logprob: 'x' }] }] },
      { content: [{ token: '[[', logprob: 0 }, 42] },
    ];
    let n = 0;
    server.handler = (_b, res) => sendJson(res, withLogprobs('[[A]]', bad[n++]));
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, apiKey: '' });
    for (let i = 0; i < bad.length; i++) {
      const r = await model.generate({ messages: user(`q${i}`), topLogprobs: 3 });
      expect(r.text).toBe('[[A]]');
      expect(r.logprobs, JSON.stringify(bad[i])).toBeUndefined();
    }
  });

  it('is part of the cache key: a response cached without log-probs is not served to a request for them', async () => {
    server.handler = (body, res) =>
      sendJson(res, body.logprobs === true ? withLogprobs('[[A]]', ANSWER) : vllmCompletion(MODEL, '[[A]]'));
    const cache = createMemoryCache();
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, apiKey: '', cache });
    const plain = await model.generate({ messages: user('Which?') });
    expect(plain.logprobs).toBeUndefined();
    const first = await model.generate({ messages: user('Which?'), topLogprobs: 5 });
    expect(first.cached).toBe(false);
    expect(first.logprobs).toHaveLength(3);
    const again = await model.generate({ messages: user('Which?'), topLogprobs: 5 });
    expect(again.cached).toBe(true);
    expect(again.logprobs).toEqual(first.logprobs);
    expect(server.requests).toHaveLength(2);
    const req = { messages: user('Which?') };
    expect(cacheKey(MODEL, { ...req, topLogprobs: 5 })).not.toBe(cacheKey(MODEL, req));
    expect(cacheKey(MODEL, { ...req, topLogprobs: 5 })).not.toBe(cacheKey(MODEL, { ...req, topLogprobs: 3 }));
  });

  it('rejects a topLogprobs that is not an integer >= 0 before calling', async () => {
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, apiKey: '' });
    await expect(model.generate({ messages: user('x'), topLogprobs: -1 })).rejects.toSatisfy((e) =>
      InvalidArgumentError.isInstance(e),
    );
    await expect(model.generate({ messages: user('x'), topLogprobs: 2.5 })).rejects.toSatisfy((e) =>
      InvalidArgumentError.isInstance(e),
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('token log-prob helpers', () => {
  it('requestBodyFields maps topLogprobs (0 included) and readTokenLogprobs keeps tokens without candidates', () => {
    expect(requestBodyFields({ topLogprobs: 0 })).toEqual({ logprobs: true, top_logprobs: 0 });
    expect(readTokenLogprobs({ content: [{ token: 'a', logprob: -1, top_logprobs: null }] })).toEqual([
      { token: 'a', logprob: -1 },
    ]);
    expect(readTokenLogprobs({ content: [] })).toEqual([]);
    expect(readTokenLogprobs(undefined)).toBeUndefined();
  });

  it('the replay model returns recorded log-probs only to a request that asks for them', async () => {
    const logprobs = [{ token: '1', logprob: -0.1, top_logprobs: [{ token: '1', logprob: -0.1 }] }];
    const replay = createReplayJudgeModel({ id: 'replay:x', outputs: { s1: { text: '1', logprobs } } });
    const asked = await replay.generate({ messages: user('q'), sampleId: 's1', topLogprobs: 5 });
    expect(asked.logprobs).toEqual(logprobs);
    const plain = await replay.generate({ messages: user('q'), sampleId: 's1' });
    expect(plain.logprobs).toBeUndefined();
  });
});
