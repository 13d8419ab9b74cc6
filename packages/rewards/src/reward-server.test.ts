import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createJudgeLrmReward, defineReward } from './reward-function.js';
import { type RewardServer, type RewardServerLogger, createRewardServer } from './reward-server.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: test helper reads arbitrary JSON replies
  json: () => any;
}

function call(
  url: string,
  options: { method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(options.path ?? '/get_reward', url);
    const req = request(
      u,
      {
        method: options.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const HEADER =
  '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>';
const good = `${HEADER}fine</think><answer>8</answer><answer>6</answer><|im_end|>`;
const SECRET_TEXT = 'TOP-SECRET-MODEL-TEXT-42';
const TOKEN = 'tok-DO-NOT-LOG-9f8e7d';

function captureLogger(): RewardServerLogger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string, f?: object) => lines.push(JSON.stringify({ level, m, ...f }));
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

let servers: RewardServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function start(opts: Partial<Parameters<typeof createRewardServer>[0]> = {}) {
  const logger = captureLogger();
  const s = await createRewardServer({ reward: createJudgeLrmReward(), port: 0, logger, ...opts });
  servers.push(s);
  return { s, logger };
}

describe('reward server over HTTP on 127.0.0.1', () => {
  it('binds to 127.0.0.1 on an ephemeral port and answers health', async () => {
    const { s } = await start();
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.port).toBeGreaterThan(0);
    const r = await call(s.url, { method: 'GET', path: '/health' });
    expect(r.status).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ok', reward: 'judgelrm' });
  });

  it('scores an OpenRLHF request and reports skipped length terms', async () => {
    const { s } = await start();
    const r = await call(s.url, {
      path: '/get_reward?extra_logs=1',
      body: JSON.stringify({
        query: [good, `${HEADER}x</think><answer>2</answer><answer>9</answer>`],
        prompts: ['p', 'q'],
        labels: ['8 6', '8 6'],
      }),
    });
    expect(r.status).toBe(200);
    const j = r.json();
    expect(j.rewards).toEqual([4.2, -0.5]);
    expect(j.scores).toEqual(j.rewards);
    expect(j.extra_logs.format).toEqual([1, 1]);
    expect(j.extra_logs.length_terms_skipped).toEqual([1, 1]);
    expect(j.notes[0]).toMatch(/length terms skipped/);
    // Without `?extra_logs=1` (and without the server's `extraLogs`) no logs are built.
    const plain = (
      await call(s.url, { body: JSON.stringify({ query: [good], labels: ['8 6'] }) })
    ).json() as Record<string, unknown>;
    expect(Object.keys(plain).sort()).toEqual(['notes', 'rewards', 'scores']);
    expect(plain.rewards).toEqual([4.2]);
    const off = (
      await call(s.url, {
        path: '/get_reward?extra_logs=0',
        body: JSON.stringify({ query: [good], labels: ['8 6'] }),
      })
    ).json();
    expect(off.extra_logs).toBeUndefined();
    // Root path works too.
    expect(
      (await call(s.url, { path: '/', body: JSON.stringify({ query: [good], labels: ['8 6'] }) })).json()
        .rewards,
    ).toEqual([4.2]);
  });

  it('applies length terms with response_lengths and a configured max_response_length', async () => {
    const { s } = await start({ maxResponseLength: 1024, extraLogs: true });
    const r = await call(s.url, {
      body: JSON.stringify({
        query: [good, good, good],
        labels: ['8 6', [8, 6], '8 6\nwhy'],
        response_lengths: [300, 1024, 50],
      }),
    });
    const j = r.json();
    expect(j.rewards[0]).toBeCloseTo(4.4, 12);
    expect(j.rewards[1]).toBeCloseTo(3.4, 12);
    expect(j.rewards[2]).toBeCloseTo(4.2, 12);
    expect(j.extra_logs.length_terms_skipped).toEqual([0, 0, 0]);
    expect(j.notes).toBeUndefined();
    // Without response_lengths the server says so.
    const k = (await call(s.url, { body: JSON.stringify({ query: [good], labels: ['8 6'] }) })).json();
    expect(k.extra_logs.length_terms_skipped).toEqual([1]);
    // With the server's `extraLogs`, `?extra_logs=0` still turns them off.
    const q = (
      await call(s.url, {
        path: '/get_reward?extra_logs=0',
        body: JSON.stringify({ query: [good], labels: ['8 6'] }),
      })
    ).json();
    expect(q.extra_logs).toBeUndefined();
    expect(q.rewards).toEqual(k.rewards);
  });

  const badInputs: [string, string | Buffer, number, RegExp][] = [
    ['malformed JSON', '{"query": [', 400, /malformed JSON/],
    ['empty body', '', 400, /empty/],
    ['not an object', '[1,2]', 400, /JSON object/],
    ['missing query', JSON.stringify({ labels: ['8 6'] }), 400, /missing field `query`/],
    ['missing labels', JSON.stringify({ query: [good] }), 400, /missing field `labels`/],
    [
      'query not an array',
      JSON.stringify({ query: 'x', labels: ['8 6'] }),
      400,
      /`query` must be an array of strings, got string/,
    ],
    [
      'query element not a string',
      JSON.stringify({ query: [good, 5], labels: ['a', 'b'] }),
      400,
      /`query\[1\]` must be a string, got number/,
    ],
    [
      'labels not an array',
      JSON.stringify({ query: [good], labels: '8 6' }),
      400,
      /`labels` must be an array/,
    ],
    [
      'labels of different length',
      JSON.stringify({ query: [good, good], labels: ['8 6'] }),
      400,
      /`labels` has 1 entries but `query` has 2/,
    ],
    [
      'prompts of different length',
      JSON.stringify({ query: [good], prompts: ['a', 'b'], labels: ['8 6'] }),
      400,
      /`prompts` has 2 entries/,
    ],
    [
      'prompts wrong type',
      JSON.stringify({ query: [good], prompts: [null], labels: ['8 6'] }),
      400,
      /`prompts\[0\]` must be a string/,
    ],
    [
      'response_lengths wrong type',
      JSON.stringify({ query: [good], labels: ['8 6'], response_lengths: ['x'] }),
      400,
      /`response_lengths\[0\]`/,
    ],
    [
      'response_lengths of different length',
      JSON.stringify({ query: [good], labels: ['8 6'], response_lengths: [1, 2] }),
      400,
      /`response_lengths` has 2/,
    ],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, /UTF-8/],
  ];
  for (const [name, body, status, message] of badInputs) {
    it(`bad input: ${name} → ${status} naming the problem; keeps serving`, async () => {
      const { s } = await start();
      const r = await call(s.url, { body });
      expect(r.status).toBe(status);
      expect(r.json().error).toMatch(message);
      const ok = await call(s.url, { body: JSON.stringify({ query: [good], labels: ['8 6'] }) });
      expect(ok.json().rewards).toEqual([4.2]);
    });
  }

  it('bad input: huge body → 413 (declared and streamed), keeps serving', async () => {
    const { s } = await start({ maxBodyBytes: 1024 });
    const big = JSON.stringify({ query: ['x'.repeat(5000)], labels: ['8 6'] });
    const r = await call(s.url, { body: big });
    expect(r.status).toBe(413);
    expect(r.json().error).toMatch(/exceeds the limit of 1024 bytes/);
    // Chunked upload without content-length.
    const r2 = await new Promise<number>((resolve, reject) => {
      const req = request(
        new URL('/get_reward', s.url),
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', (e) =>
        String(e).includes('EPIPE') || String(e).includes('ECONNRESET') ? resolve(413) : reject(e),
      );
      for (let i = 0; i < 10; i++) req.write('x'.repeat(500));
      req.end();
    });
    expect(r2).toBe(413);
    const ok = await call(s.url, { body: JSON.stringify({ query: [good], labels: ['8 6'] }) });
    expect(ok.status).toBe(200);
  });

  it('wrong method, unknown path and wrong content type get 405/404/415', async () => {
    const { s } = await start();
    expect((await call(s.url, { method: 'GET' })).status).toBe(405);
    expect((await call(s.url, { path: '/nope', body: '{}' })).status).toBe(404);
    const r = await call(s.url, { body: 'query=x', headers: { 'content-type': 'text/plain' } });
    expect(r.status).toBe(415);
    expect(r.json().error).toMatch(/application\/json/);
  });

  it('times out a slow request with 408 and keeps serving', async () => {
    const { s } = await start({ requestTimeoutMs: 200 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        new URL('/get_reward', s.url),
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '100' } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write('{"query": ['); // never finishes
    });
    expect(status).toBe(408);
    expect((await call(s.url, { body: JSON.stringify({ query: [good], labels: ['8 6'] }) })).status).toBe(
      200,
    );
  });

  it('a reward that throws gives 500 without leaking its message; server keeps serving', async () => {
    let calls = 0;
    const reward = defineReward(
      'flaky',
      (sample) => {
        calls++;
        if (sample.sequence === 'boom') throw new Error(`failure with ${SECRET_TEXT}`);
        return 1;
      },
      { bounds: { min: 0, max: 1 } },
    );
    const { s, logger } = await start({ reward });
    const r = await call(s.url, { body: JSON.stringify({ query: ['boom'] }) });
    expect(r.status).toBe(500);
    expect(r.body).not.toContain(SECRET_TEXT);
    expect(logger.lines.join('\n')).not.toContain(SECRET_TEXT);
    expect((await call(s.url, { body: JSON.stringify({ query: ['fine'] }) })).json().rewards).toEqual([1]);
    expect(calls).toBe(2);
  });

  it('serves many concurrent clients correctly', async () => {
    const { s } = await start({ maxResponseLength: 1024 });
    const jobs = Array.from({ length: 32 }, (_, k) => {
      const n = 16 + (k % 7);
      const query = Array.from(
        { length: n },
        (_, i) => `${HEADER}x</think><answer>${i % 11}</answer><answer>${(k + i) % 11}</answer>`,
      );
      const labels = Array.from({ length: n }, (_, i) => `${(i * 3) % 11} ${(i * 7 + k) % 11}`);
      const response_lengths = Array.from({ length: n }, (_, i) => (i * 97) % 1500);
      return { query, labels, response_lengths };
    });
    const reward = createJudgeLrmReward();
    const replies = await Promise.all(jobs.map((j) => call(s.url, { body: JSON.stringify(j) })));
    replies.forEach((r, k) => {
      expect(r.status).toBe(200);
      const expected = jobs[k]!.query.map(
        (q, i) =>
          reward.score({
            sequence: q,
            groundTruth: jobs[k]!.labels[i],
            responseLength: jobs[k]!.response_lengths[i],
            maxResponseLength: 1024,
          }).total,
      );
      expect(r.json().rewards).toEqual(expected);
    });
  });

  it('requires the bearer token when configured (env var), compares it, never logs it or bodies', async () => {
    process.env.JUDGEKIT_TEST_TOKEN = TOKEN;
    try {
      const { s, logger } = await start({ tokenEnv: 'JUDGEKIT_TEST_TOKEN' });
      const body = JSON.stringify({ query: [`${good}${SECRET_TEXT}`], labels: ['8 6'] });
      const none = await call(s.url, { body });
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe('Bearer');
      const wrong = await call(s.url, { body, headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const ok = await call(s.url, { body, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(ok.status).toBe(200);
      await call(s.url, {
        body: `{"query": ["${SECRET_TEXT}"`,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      await call(s.url, {
        body: JSON.stringify({ query: [SECRET_TEXT] }),
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      const logs = logger.lines.join('\n');
      expect(logger.lines.length).toBeGreaterThan(3);
      expect(logs).not.toContain(TOKEN);
      expect(logs).not.toContain(SECRET_TEXT);
      expect(logs).not.toContain('8 6');
      // Health stays open for probes.
      expect((await call(s.url, { method: 'GET', path: '/health' })).status).toBe(200);
    } finally {
      delete process.env.JUDGEKIT_TEST_TOKEN;
    }
  });

  it('close() is graceful: in-flight requests finish, new connections are refused', async () => {
    let release!: () => void;
    const gateOpen = new Promise<void>((r) => (release = r));
    const { s } = await start({ requestTimeoutMs: 5000 });
    // A slow client: headers now, body later, so the request is in flight when close() starts.
    const inflight = new Promise<Reply>((resolve, reject) => {
      const body = JSON.stringify({ query: [good], labels: ['8 6'] });
      const req = request(
        new URL('/get_reward', s.url),
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              body: text,
              json: () => JSON.parse(text),
            });
          });
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      gateOpen.then(() => req.end(body.slice(10)));
    });
    await new Promise((r) => setTimeout(r, 50));
    const closing = s.close();
    await new Promise((r) => setTimeout(r, 50));
    await expect(call(s.url, { body: '{}' })).rejects.toThrow();
    release();
    const reply = await inflight;
    expect(reply.status).toBe(200);
    expect(reply.json().rewards).toEqual([4.2]);
    await closing;
    servers = servers.filter((x) => x !== s);
  });

  it('rejects bad options', async () => {
    await expect(createRewardServer({ reward: createJudgeLrmReward(), port: -1 })).rejects.toThrow(/port/);
    await expect(createRewardServer({ reward: createJudgeLrmReward(), maxBodyBytes: 0 })).rejects.toThrow(
      /maxBodyBytes/,
    );
  });
});
