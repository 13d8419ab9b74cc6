import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortedError, InvalidArgumentError } from '@judgekit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeJudgeModel } from './fake-judge-model.js';
import { requestAbortSignal } from './judge-model.js';
import { createOpenAICompatibleModel } from './openai-compatible-model.js';

/** A chat-completions server that answers after `delayMs` (so a call can be aborted in flight). */
let server: Server;
let baseURL = '';
let requests = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
      const delay = req.url?.includes('slow') ? 2000 : 0;
      const timer = setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            model: 'm',
            choices: [{ message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          }),
        );
      }, delay);
      res.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('abortSignal on GenerateRequest', () => {
  it('requestAbortSignal resolves abortSignal, the deprecated signal, and both when equal', () => {
    const a = new AbortController().signal;
    const b = new AbortController().signal;
    expect(requestAbortSignal({ abortSignal: a })).toBe(a);
    expect(requestAbortSignal({ signal: b })).toBe(b);
    expect(requestAbortSignal({ abortSignal: a, signal: a })).toBe(a);
    expect(requestAbortSignal({})).toBeUndefined();
    expect(() => requestAbortSignal({ abortSignal: a, signal: b })).toThrow(InvalidArgumentError);
  });

  it('aborts an HTTP call in flight through abortSignal and through the signal alias', async () => {
    const model = createOpenAICompatibleModel({
      baseURL: `${baseURL}/slow/v1`,
      model: 'm',
      apiKey: '',
      maxRetries: 0,
    });
    for (const key of ['abortSignal', 'signal'] as const) {
      const c = new AbortController();
      const p = model.generate({ messages, [key]: c.signal });
      setTimeout(() => c.abort(), 50);
      await expect(p).rejects.toSatisfy((e: unknown) => AbortedError.isInstance(e));
    }
  });

  it('answers when not aborted, and refuses two different signals with a typed error before any request', async () => {
    const model = createOpenAICompatibleModel({
      baseURL: `${baseURL}/v1`,
      model: 'm',
      apiKey: '',
      maxRetries: 0,
    });
    const c = new AbortController();
    const r = await model.generate({ messages, abortSignal: c.signal });
    expect(r.text).toBe('ok');
    const before = requests;
    await expect(
      model.generate({ messages, abortSignal: c.signal, signal: new AbortController().signal }),
    ).rejects.toSatisfy(
      (e: unknown) => InvalidArgumentError.isInstance(e) && /abortSignal/.test((e as Error).message),
    );
    expect(requests).toBe(before);
  });

  it('the fake model honours an aborted abortSignal and does not record it in calls', async () => {
    const model = createFakeJudgeModel(() => 'x');
    const c = new AbortController();
    await model.generate({ messages, abortSignal: c.signal });
    expect(Object.keys(model.calls[0]!)).not.toContain('abortSignal');
    c.abort();
    await expect(model.generate({ messages, abortSignal: c.signal })).rejects.toSatisfy((e: unknown) =>
      AbortedError.isInstance(e),
    );
  });
});
