import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortedError, ConfigError, ModelCallError, TimeoutError } from '@judgekit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  sendJson,
  startVllmLikeServer,
  type VllmLikeServer,
  vllmCompletion,
  vllmError,
} from '../test/vllm-like-server.js';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import { createOpenAICompatibleModel } from './openai-compatible-model.js';
import { cacheKey, createFileCache, createMemoryCache } from './response-cache.js';

const MODEL = 'JudgeLRM-7B';
const user = (content: string) => [{ role: 'user' as const, content }];

let server: VllmLikeServer;
beforeEach(async () => {
  server = await startVllmLikeServer();
});
afterEach(async () => {
  await server.close();
});

/** Records retry waits instead of sleeping. */
function recordingSleep() {
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  return { delays, sleep };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('createOpenAICompatibleModel against a vLLM-like server', () => {
  it('sends a chat-completions body and maps the vLLM response (happy path)', async () => {
    server.handler = (_body, res) =>
      sendJson(
        res,
        vllmCompletion(MODEL, '8 3', {
          reasoning: 'Assistant 1 is better.',
          promptTokens: 40,
          completionTokens: 9,
        }),
      );
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      defaults: { temperature: 0, maxTokens: 256, seed: 7 },
      extraBody: { chat_template_kwargs: { enable_thinking: true } },
    });
    expect(model.id).toBe(MODEL);
    const r = await model.generate({
      messages: [
        { role: 'system', content: 'You are a judge.' },
        { role: 'user', content: 'Compare.' },
      ],
      maxTokens: 64,
      topP: 0.9,
      stop: ['</s>'],
    });
    expect(r.text).toBe('8 3');
    expect(r.reasoningContent).toBe('Assistant 1 is better.');
    expect(r.usage).toEqual({ promptTokens: 40, completionTokens: 9, totalTokens: 49 });
    expect(r.finishReason).toBe('stop');
    expect(r.cached).toBe(false);
    expect(r.model).toBe(MODEL);
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0].body;
    expect(body).toEqual({
      model: MODEL,
      messages: [
        { role: 'system', content: 'You are a judge.' },
        { role: 'user', content: 'Compare.' },
      ],
      stream: false,
      max_tokens: 64,
      temperature: 0,
      top_p: 0.9,
      stop: ['</s>'],
      seed: 7,
      chat_template_kwargs: { enable_thinking: true },
    });
    expect(server.requests[0].headers['content-type']).toBe('application/json');
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });

  it('accepts a trailing slash in baseURL, `reasoning` instead of `reasoning_content`, null content and usage details', async () => {
    server.handler = (_body, res) =>
      sendJson(res, {
        model: MODEL,
        choices: [
          { message: { role: 'assistant', content: null, reasoning: 'thinking…' }, finish_reason: 'length' },
        ],
        usage: {
          prompt_tokens: 10,
          completion_tokens: 4,
          total_tokens: 14,
          prompt_tokens_details: { cached_tokens: 8 },
          completion_tokens_details: { reasoning_tokens: 4 },
        },
      });
    const model = createOpenAICompatibleModel({ baseURL: `${server.baseURL}/`, model: MODEL });
    const r = await model.generate({ messages: user('hi') });
    expect(r.text).toBe('');
    expect(r.reasoningContent).toBe('thinking…');
    expect(r.finishReason).toBe('length');
    expect(r.usage).toEqual({
      promptTokens: 10,
      completionTokens: 4,
      totalTokens: 14,
      cachedTokens: 8,
      reasoningTokens: 4,
    });
  });

  it('gives zero usage when the server reports none', async () => {
    server.handler = (_body, res) => sendJson(res, { choices: [{ message: { content: 'x' } }] });
    const r = await createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL }).generate({
      messages: user('hi'),
    });
    expect(r.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
    expect(r.model).toBe(MODEL);
    expect(r.finishReason).toBeUndefined();
  });

  it('sends an assistant prefill with continue_final_message and returns only the continuation', async () => {
    server.handler = (body, res) => {
      const cont = body.continue_final_message === true && body.add_generation_prompt === false;
      sendJson(res, vllmCompletion(MODEL, cont ? ' 3\nAssistant 1 is better.' : 'WRONG'));
    };
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL });
    const r = await model.generate({
      messages: [
        { role: 'user', content: 'Score both.' },
        { role: 'assistant', content: '8' },
      ],
    });
    expect(r.text).toBe(' 3\nAssistant 1 is better.');
    const body = server.requests[0].body;
    expect(body.continue_final_message).toBe(true);
    expect(body.add_generation_prompt).toBe(false);
    expect(body.messages).toEqual([
      { role: 'user', content: 'Score both.' },
      { role: 'assistant', content: '8' },
    ]);
    await model.generate({ messages: user('no prefill') });
    expect(server.requests[1].body).not.toHaveProperty('continue_final_message');
    expect(server.requests[1].body).not.toHaveProperty('add_generation_prompt');
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    server.handler = (body, res) => {
      setTimeout(() => sendJson(res, vllmCompletion(MODEL, String((body.messages as never[]).length))), 25);
    };
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, concurrency: 3 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => model.generate({ messages: user(`q${i}`) })),
    );
    expect(results).toHaveLength(20);
    expect(server.requests).toHaveLength(20);
    expect(server.maxInFlight).toBe(3);
  });

  it('shares one limiter between models', async () => {
    server.handler = (_body, res) => {
      setTimeout(() => sendJson(res, vllmCompletion(MODEL, 'ok')), 20);
    };
    const limiter = createConcurrencyLimiter(2);
    const a = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, limiter });
    const b = createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'other', limiter });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).generate({ messages: user(`q${i}`) })),
    );
    expect(server.maxInFlight).toBe(2);
  });

  it('retries 503 with seeded exponential back-off, then succeeds', async () => {
    server.handler = (_body, res, n) => {
      if (n < 2) vllmError(res, 503, 'Service Unavailable');
      else sendJson(res, vllmCompletion(MODEL, 'finally'));
    };
    const { delays, sleep } = recordingSleep();
    const values = [0.5, 0.25];
    let i = 0;
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      sleep,
      random: () => values[i++],
    });
    const r = await model.generate({ messages: user('hi') });
    expect(r.text).toBe('finally');
    expect(server.requests).toHaveLength(3);
    // 500 · 2^0 · (1 − 0.25·0.5), 500 · 2^1 · (1 − 0.25·0.25)
    expect(delays).toEqual([437.5, 937.5]);
  });

  it('draws the same jitter for the same seed, within the openai-node bounds', async () => {
    server.handler = (_body, res) => vllmError(res, 503, 'busy');
    const run = async (seed: number | string) => {
      const { delays, sleep } = recordingSleep();
      const model = createOpenAICompatibleModel({
        baseURL: server.baseURL,
        model: MODEL,
        sleep,
        seed,
        maxRetries: 5,
      });
      await rejection(model.generate({ messages: user('hi') }));
      return delays;
    };
    const a = await run('judge');
    expect(await run('judge')).toEqual(a);
    expect(await run(1)).not.toEqual(a);
    for (const [n, d] of a.entries()) {
      const cap = Math.min(500 * 2 ** n, 8000);
      expect(d).toBeLessThanOrEqual(cap);
      expect(d).toBeGreaterThan(0.75 * cap);
    }
  });

  it('retries with real (small) waits and a default seeded jitter', async () => {
    server.handler = (_body, res, n) => {
      if (n === 0) vllmError(res, 502, 'Bad Gateway');
      else sendJson(res, vllmCompletion(MODEL, 'ok'));
    };
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      retryInitialDelayMs: 5,
    });
    expect((await model.generate({ messages: user('hi') })).text).toBe('ok');
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After (seconds) and retry-after-ms', async () => {
    server.handler = (_body, res, n) => {
      if (n === 0) vllmError(res, 429, 'Too Many Requests', { 'retry-after': '2' });
      else if (n === 1) vllmError(res, 429, 'Too Many Requests', { 'retry-after-ms': '30' });
      else sendJson(res, vllmCompletion(MODEL, 'ok'));
    };
    const { delays, sleep } = recordingSleep();
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      sleep,
      random: () => 0,
    });
    expect((await model.generate({ messages: user('hi') })).text).toBe('ok');
    expect(delays).toEqual([2000, 30]);
  });

  it('waits for a small real Retry-After before retrying', async () => {
    const arrivals: number[] = [];
    server.handler = (_body, res, n) => {
      arrivals.push(Date.now());
      if (n === 0) vllmError(res, 429, 'slow down', { 'retry-after': '0.2' });
      else sendJson(res, vllmCompletion(MODEL, 'ok'));
    };
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      retryInitialDelayMs: 1,
    });
    expect((await model.generate({ messages: user('hi') })).text).toBe('ok');
    // The retry came after the requested wait, not after the 1 ms back-off.
    expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(180);
  });

  it('caps a huge Retry-After at maxRetryAfterMs', async () => {
    server.handler = (_body, res, n) => {
      if (n === 0) vllmError(res, 503, 'busy', { 'retry-after': '3600' });
      else sendJson(res, vllmCompletion(MODEL, 'ok'));
    };
    const { delays, sleep } = recordingSleep();
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      sleep,
      maxRetryAfterMs: 1500,
    });
    await model.generate({ messages: user('hi') });
    expect(delays).toEqual([1500]);
  });

  it('does not retry 400 and reports the server message', async () => {
    server.handler = (_body, res) =>
      vllmError(
        res,
        400,
        "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
      );
    const { delays, sleep } = recordingSleep();
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, sleep });
    const error = await rejection(model.generate({ messages: user('long') }));
    expect(ModelCallError.isInstance(error)).toBe(true);
    const e = error as ModelCallError;
    expect(e.status).toBe(400);
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('maximum context length is 4096');
    expect(server.requests).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('reads the OpenAI error shape and truncates long messages', async () => {
    server.handler = (_body, res) =>
      sendJson(res, { error: { message: `x${'y'.repeat(5000)}`, type: 'invalid' } }, 404);
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL });
    const e = (await rejection(model.generate({ messages: user('hi') }))) as ModelCallError;
    expect(e.status).toBe(404);
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('xyyy');
    expect(e.message.length).toBeLessThan(800);
  });

  it('gives up after maxRetries with a retryable ModelCallError', async () => {
    server.handler = (_body, res) => vllmError(res, 503, 'overloaded');
    const { delays, sleep } = recordingSleep();
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      sleep,
      maxRetries: 2,
    });
    const e = (await rejection(model.generate({ messages: user('hi') }))) as ModelCallError;
    expect(ModelCallError.isInstance(e)).toBe(true);
    expect(e.status).toBe(503);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('overloaded');
    expect(e.message).toContain('3 attempts');
    expect(server.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('retries connection errors', async () => {
    const { baseURL } = server;
    await server.close();
    const { delays, sleep } = recordingSleep();
    const model = createOpenAICompatibleModel({ baseURL, model: MODEL, sleep, maxRetries: 1 });
    const e = (await rejection(model.generate({ messages: user('hi') }))) as ModelCallError;
    expect(ModelCallError.isInstance(e)).toBe(true);
    expect(e.retryable).toBe(true);
    expect(e.status).toBeUndefined();
    expect(e.message).toContain('Connection to');
    expect(delays).toHaveLength(1);
    server = await startVllmLikeServer();
  });

  it('times out one attempt with TimeoutError', async () => {
    server.handler = () => {}; // never answers
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      timeoutMs: 100,
      maxRetries: 0,
    });
    const e = await rejection(model.generate({ messages: user('hi') }));
    expect(TimeoutError.isInstance(e)).toBe(true);
    expect((e as TimeoutError).timeoutMs).toBe(100);
  });

  it('retries a timed-out attempt, then reports the timeout', async () => {
    server.handler = () => {};
    const { delays, sleep } = recordingSleep();
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      timeoutMs: 50,
      maxRetries: 1,
      sleep,
    });
    const e = await rejection(model.generate({ messages: user('hi') }));
    expect(TimeoutError.isInstance(e)).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it('aborts an in-flight request with AbortedError', async () => {
    const controller = new AbortController();
    server.handler = () => controller.abort();
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL });
    const e = await rejection(model.generate({ messages: user('hi'), signal: controller.signal }));
    expect(AbortedError.isInstance(e)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('rejects an already-aborted signal without calling the server', async () => {
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL });
    const e = await rejection(model.generate({ messages: user('hi'), signal: AbortSignal.abort() }));
    expect(AbortedError.isInstance(e)).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('aborts during the retry back-off', async () => {
    const controller = new AbortController();
    server.handler = (_body, res) => {
      vllmError(res, 503, 'busy', { 'retry-after': '30' });
      setTimeout(() => controller.abort(), 20);
    };
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL });
    const e = await rejection(model.generate({ messages: user('hi'), signal: controller.signal }));
    expect(AbortedError.isInstance(e)).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts while waiting for a concurrency slot', async () => {
    server.handler = (_body, res) => {
      setTimeout(() => sendJson(res, vllmCompletion(MODEL, 'ok')), 100);
    };
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, concurrency: 1 });
    const first = model.generate({ messages: user('a') });
    const controller = new AbortController();
    const second = model.generate({ messages: user('b'), signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const e = await rejection(second);
    expect(AbortedError.isInstance(e)).toBe(true);
    expect((await first).text).toBe('ok');
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['not json', 'body is not JSON'],
    [JSON.stringify({ object: 'chat.completion' }), '`choices`'],
    [JSON.stringify({ choices: [] }), '`choices` is empty'],
    [JSON.stringify({ choices: [{ finish_reason: 'stop' }] }), '`choices[0].message`'],
    [JSON.stringify({ choices: [{ message: { content: 42 } }] }), 'choices[0].message.content'],
    ['[1,2]', 'not a JSON object'],
  ])('reports a malformed 200 body %s (retried like a 5xx, then an error)', async (raw, expected) => {
    server.handler = (_body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(raw);
    };
    const { delays, sleep } = recordingSleep();
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, sleep });
    const e = (await rejection(model.generate({ messages: user('hi') }))) as ModelCallError;
    expect(ModelCallError.isInstance(e)).toBe(true);
    expect(e.retryable).toBe(true);
    expect(e.status).toBe(200);
    expect(e.message).toContain(expected);
    expect(e.message).toContain('gave up after 4 attempts');
    expect(delays).toHaveLength(3);
  });

  it('serves a repeated request from the memory cache without calling the server', async () => {
    const cache = createMemoryCache();
    const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, cache });
    const req = { messages: user('same'), temperature: 0 };
    const first = await model.generate(req);
    const second = await model.generate({ ...req, signal: new AbortController().signal });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.text).toBe(first.text);
    expect(second.usage).toEqual(first.usage);
    expect(server.requests).toHaveLength(1);
    await model.generate({ ...req, temperature: 0.7 });
    expect(server.requests).toHaveLength(2);
    const stored = await cache.get(cacheKey(MODEL, req, {}));
    expect(stored?.cached).toBe(false);
  });

  it('keys the cache on extraBody', async () => {
    const cache = createMemoryCache();
    const a = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, cache });
    const b = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      cache,
      extraBody: { chat_template_kwargs: { enable_thinking: false } },
    });
    await a.generate({ messages: user('q') });
    await b.generate({ messages: user('q') });
    expect(server.requests).toHaveLength(2);
  });

  it('keeps file-cache entries for a new model instance', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'judgekit-models-'));
    try {
      const cacheDir = join(dir, 'nested', 'cache');
      const first = createOpenAICompatibleModel({
        baseURL: server.baseURL,
        model: MODEL,
        cache: createFileCache(cacheDir),
      });
      const r1 = await first.generate({ messages: user('persist me'), maxTokens: 8 });
      const files = await readdir(cacheDir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^[0-9a-f]{64}\.json$/);

      const second = createOpenAICompatibleModel({
        baseURL: server.baseURL,
        model: MODEL,
        cache: createFileCache(cacheDir),
      });
      const r2 = await second.generate({ messages: user('persist me'), maxTokens: 8 });
      expect(r2.cached).toBe(true);
      expect(r2.text).toBe(r1.text);
      expect(server.requests).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sends the api key as a bearer token and never puts it in errors', async () => {
    const key = 'sk-test-SECRET-0123456789';
    server.handler = (_body, res, _n, req) => {
      // A careless server echoing the header into its error message.
      vllmError(res, 401, `Invalid token: ${req.headers.authorization}`);
    };
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      apiKey: key,
      cache: createMemoryCache(),
    });
    const e = (await rejection(model.generate({ messages: user('hi') }))) as ModelCallError;
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${key}`);
    expect(e.status).toBe(401);
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('Invalid token');
    expect(e.message).not.toContain(key);
    expect(String(e.stack)).not.toContain(key);
    expect(JSON.stringify(e)).not.toContain(key);
  });

  it('reads the api key from apiKeyEnv and fails clearly when it is unset', async () => {
    const name = 'JUDGEKIT_MODELS_TEST_KEY';
    process.env[name] = 'env-secret-key';
    try {
      const model = createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, apiKeyEnv: name });
      await model.generate({ messages: user('hi') });
      expect(server.requests[0].headers.authorization).toBe('Bearer env-secret-key');
    } finally {
      delete process.env[name];
    }
    let err: unknown;
    try {
      createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, apiKeyEnv: name });
    } catch (error) {
      err = error;
    }
    expect(ConfigError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain(name);
  });

  it('validates its options', () => {
    expect(() => createOpenAICompatibleModel({ baseURL: 'not a url', model: MODEL })).toThrow(/baseURL/);
    expect(() => createOpenAICompatibleModel({ baseURL: server.baseURL, model: '' })).toThrow(/model/);
    expect(() =>
      createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, maxRetries: -1 }),
    ).toThrow(/maxRetries/);
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response(JSON.stringify(vllmCompletion(MODEL, 'from fake fetch')), { status: 200 });
    };
    const model = createOpenAICompatibleModel({
      baseURL: 'http://judge.invalid/v1',
      model: MODEL,
      fetch: fakeFetch,
    });
    expect((await model.generate({ messages: user('hi') })).text).toBe('from fake fetch');
    expect(seen).toEqual(['http://judge.invalid/v1/chat/completions']);
  });

  describe.each(['fetch', 'node-http'] as const)('with transport %s', (transport) => {
    it('completes, times out and aborts', async () => {
      // Real requests get the default (generous) timeout; only the stalling server meets a short one.
      const model = createOpenAICompatibleModel({
        baseURL: server.baseURL,
        model: MODEL,
        transport,
        maxRetries: 0,
      });
      expect((await model.generate({ messages: user('hi') })).text).toBe('echo: hi');
      const controller = new AbortController();
      server.handler = () => controller.abort();
      expect(
        AbortedError.isInstance(
          await rejection(model.generate({ messages: user('x'), signal: controller.signal })),
        ),
      ).toBe(true);
      server.handler = () => {}; // stalls: never answers
      const stalled = createOpenAICompatibleModel({
        baseURL: server.baseURL,
        model: MODEL,
        transport,
        timeoutMs: 100,
        maxRetries: 0,
      });
      expect(TimeoutError.isInstance(await rejection(stalled.generate({ messages: user('y') })))).toBe(true);
      server.handler = (_body, res) => vllmError(res, 400, 'bad');
      const e = (await rejection(model.generate({ messages: user('z') }))) as ModelCallError;
      expect(e.status).toBe(400);
    });

    it('caps the response size without buffering it (with and without content-length)', async () => {
      const model = createOpenAICompatibleModel({
        baseURL: server.baseURL,
        model: MODEL,
        transport,
        maxResponseBytes: 64 * 1024,
        maxRetries: 2,
      });
      const big = JSON.stringify(vllmCompletion(MODEL, 'x'.repeat(200_000)));
      server.handler = (_body, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) });
        res.end(big);
      };
      const e1 = (await rejection(model.generate({ messages: user('a') }))) as ModelCallError;
      expect(ModelCallError.isInstance(e1)).toBe(true);
      expect(e1.retryable).toBe(false);
      expect(e1.message).toMatch(/over maxResponseBytes \(65536 bytes\)/);
      server.handler = (_body, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }); // chunked, no length
        for (let i = 0; i < big.length; i += 8192) res.write(big.slice(i, i + 8192));
        res.end();
      };
      const e2 = (await rejection(model.generate({ messages: user('b') }))) as ModelCallError;
      expect(e2.message).toMatch(/over maxResponseBytes/);
      expect(server.requests).toHaveLength(2); // not retried
      server.handler = (_body, res) => sendJson(res, vllmCompletion(MODEL, 'small'));
      expect((await model.generate({ messages: user('c') })).text).toBe('small');
    });

    it('limits the headers and the body phases separately (stalling server)', async () => {
      server.handler = () => {}; // never sends headers
      const headersModel = createOpenAICompatibleModel({
        baseURL: server.baseURL,
        model: MODEL,
        transport,
        headersTimeoutMs: 100,
        maxRetries: 0,
      });
      const e1 = (await rejection(headersModel.generate({ messages: user('a') }))) as TimeoutError;
      expect(TimeoutError.isInstance(e1)).toBe(true);
      expect(e1.message).toMatch(/waiting for response headers\) timed out after 100 ms/);
      server.handler = (_body, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"choices": ['); // then stalls mid-body
      };
      const bodyModel = createOpenAICompatibleModel({
        baseURL: server.baseURL,
        model: MODEL,
        transport,
        bodyTimeoutMs: 100,
        maxRetries: 0,
      });
      const e2 = (await rejection(bodyModel.generate({ messages: user('b') }))) as TimeoutError;
      expect(TimeoutError.isInstance(e2)).toBe(true);
      expect(e2.message).toMatch(/reading the response body\) timed out after 100 ms/);
    });
  });

  it('retries a malformed 2xx body like a 5xx, then succeeds', async () => {
    const { delays, sleep } = recordingSleep();
    server.handler = (_body, res, n) => {
      if (n === 0) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"choices": [{"message": {"content": "trunc');
      } else if (n === 1) sendJson(res, { object: 'chat.completion' });
      else sendJson(res, vllmCompletion(MODEL, 'fine'));
    };
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      maxRetries: 3,
      sleep,
    });
    expect((await model.generate({ messages: user('hi') })).text).toBe('fine');
    expect(server.requests).toHaveLength(3);
    expect(delays).toHaveLength(2);
  });

  it('reports a malformed 2xx body as an error once the retries run out', async () => {
    const { sleep } = recordingSleep();
    server.handler = (_body, res) => sendJson(res, { choices: [] });
    const model = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: MODEL,
      maxRetries: 2,
      sleep,
    });
    const e = (await rejection(model.generate({ messages: user('hi') }))) as ModelCallError;
    expect(ModelCallError.isInstance(e)).toBe(true);
    expect(e.message).toMatch(/malformed chat completion.*`choices` is empty.*gave up after 3 attempts/);
    expect(server.requests).toHaveLength(3);
  });

  it('validates the timeout and size options', () => {
    for (const name of ['connectTimeoutMs', 'headersTimeoutMs', 'bodyTimeoutMs', 'maxResponseBytes']) {
      expect(() => createOpenAICompatibleModel({ baseURL: server.baseURL, model: MODEL, [name]: 0 })).toThrow(
        new RegExp(name),
      );
    }
  });
});
