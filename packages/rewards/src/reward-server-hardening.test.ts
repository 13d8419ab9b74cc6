/**
 * The reward server under misuse, driven by a real Python `requests` client posting the way
 * OpenRLHF's remote reward function does (test/openrlhf_client.py), plus the connection cap and
 * body drain checked from node. Under CI (or JUDGEKIT_REQUIRE_PYTHON=1) a missing python3 /
 * `requests` fails the suite instead of skipping it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createJudgeLrmReward } from './reward-function.js';
import { createRewardServer, type RewardServer, silentLogger } from './reward-server.js';

const CLIENT = fileURLToPath(new URL('../test/openrlhf_client.py', import.meta.url));
const hasRequests = spawnSync('python3', ['-c', 'import requests']).status === 0;
const mustRun = Boolean(process.env.CI || process.env.JUDGEKIT_REQUIRE_PYTHON);
if (!hasRequests && mustRun) {
  throw new Error(
    'python3 with `requests` is required here (CI or JUDGEKIT_REQUIRE_PYTHON is set): run scripts/install-python-deps.sh',
  );
}

type Outcome = { status?: number; body?: { error?: string; rewards?: number[] }; exception?: string };

function runClient(
  url: string,
  token: string | undefined,
  scenarios: string[],
): Promise<Record<string, Outcome>> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [CLIENT, url, token ?? '-', ...scenarios], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`python client exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as Record<string, Outcome>);
    });
  });
}

let server: RewardServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.skipIf(!hasRequests)(
  'reward server with the Python requests client (OpenRLHF remote reward)',
  () => {
    it('scores, rejects wrong label types naming field and index, and delivers a 413 instead of a reset', async () => {
      server = await createRewardServer({
        reward: createJudgeLrmReward(),
        maxBodyBytes: 4096,
        token: 's3cret',
        logger: silentLogger,
      });
      const r = await runClient(server.url, 's3cret', [
        'ok',
        'labels:[123]',
        'labels:[null]',
        'labels:[{}]',
        'labels:[["a","b"]]',
        'labels:["8 6", 7]',
        'labels:[[8, 6], ["8 6"], {"solution_text_format": "3 9"}, "not a label"]',
        'oversize:1000000',
        'oversize:5000',
        'http.client-oversize:30000000',
        'malformed',
        'no-token',
        'then-ok',
      ]);
      expect(r.ok!.status).toBe(200);
      expect(r.ok!.body!.rewards).toHaveLength(2);
      for (const bad of ['labels:[123]', 'labels:[null]', 'labels:[{}]', 'labels:[["a","b"]]']) {
        expect(r[bad]!.status, bad).toBe(400);
        expect(r[bad]!.body!.error, bad).toMatch(/^`labels\[0\]` must be a string/);
      }
      expect(r['labels:[["a","b"]]']!.body!.error).toMatch(/pair must hold two numbers/);
      expect(r['labels:["8 6", 7]']!.body!.error).toMatch(/^`labels\[1\]`/);
      // Right types; the unparsable text keeps upstream's −2.
      const mixed = r['labels:[[8, 6], ["8 6"], {"solution_text_format": "3 9"}, "not a label"]']!;
      expect(mixed.status).toBe(200);
      expect(mixed.body!.rewards![3]).toBe(-2);
      // Python's http.client writes the whole body before reading: it must see the 413, not a reset.
      expect(r['oversize:1000000']).toMatchObject({ status: 413 });
      expect(r['oversize:1000000']!.body!.error).toMatch(/exceeds the limit of 4096 bytes/);
      expect(r['oversize:5000']).toMatchObject({ status: 413 });
      // Plain http.client (urllib3 1.x) needs the body read: the server used to close at once and a
      // 30 MB body then ended in ConnectionResetError.
      expect(r['http.client-oversize:30000000']).toMatchObject({ status: 413 });
      expect(r.malformed).toMatchObject({ status: 400 });
      expect(r['no-token']).toMatchObject({ status: 401 });
      expect(r['then-ok']).toMatchObject({ status: 200 });
    }, 60_000);

    it('answers 503 on a connection past the cap, and serves again once connections close', async () => {
      server = await createRewardServer({
        reward: createJudgeLrmReward(),
        maxConnections: 2,
        logger: silentLogger,
      });
      const { port } = server;
      const idle: Socket[] = await Promise.all(
        [0, 1].map(
          () =>
            new Promise<Socket>((resolve) => {
              const s = connect(port, '127.0.0.1', () => resolve(s));
            }),
        ),
      );
      const busy = await runClient(server.url, undefined, ['ok']);
      expect(busy.ok).toMatchObject({ status: 503 });
      expect(busy.ok!.body!.error).toMatch(/too many open connections \(limit 2\)/);
      await Promise.all(idle.map((s) => new Promise<void>((r) => s.end(() => r()))));
      const free = await runClient(server.url, undefined, ['ok']);
      expect(free.ok).toMatchObject({ status: 200 });
    }, 60_000);
  },
);

describe('reward server body limit from node', () => {
  it('reads and discards an oversized body up to maxDrainBytes, then drops the connection', async () => {
    server = await createRewardServer({
      reward: createJudgeLrmReward(),
      maxBodyBytes: 1024,
      maxDrainBytes: 4096,
      logger: silentLogger,
    });
    // Declared far beyond limit + drain: the server answers 413 and closes without waiting.
    const reply = await new Promise<string>((resolve) => {
      const s = connect(server!.port, '127.0.0.1', () => {
        s.write(
          'POST /get_reward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n',
        );
        const chunk = Buffer.alloc(2048, 0x20);
        for (let i = 0; i < 4; i++) s.write(chunk);
      });
      let text = '';
      s.on('data', (d: Buffer) => {
        text += d.toString();
      });
      s.on('error', () => resolve(text));
      s.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 413/);
    expect(reply).toMatch(/connection: close/i);
  });

  it('serves extra routes through the same checks (route table)', async () => {
    server = await createRewardServer({
      reward: createJudgeLrmReward(),
      token: 't',
      logger: silentLogger,
      routes: [
        {
          path: '/echo-count',
          handle: (body) =>
            Array.isArray((body as { items?: unknown }).items)
              ? { ok: true, response: { n: (body as { items: unknown[] }).items.length } }
              : { ok: false, status: 422, error: '`items` must be an array' },
        },
      ],
    });
    const post = (path: string, body: unknown, token = 't') =>
      fetch(`${server!.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const ok = await post('/echo-count', { items: [1, 2, 3] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ n: 3 });
    const bad = await post('/echo-count', { items: 'x' });
    expect(bad.status).toBe(422);
    expect((await post('/echo-count', { items: [] }, 'wrong')).status).toBe(401);
    const missing = await post('/nope', {});
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toMatch(/\/get_reward.*\/echo-count/);
    expect((await post('/get_reward', { query: ['x'], labels: ['8 6'] })).status).toBe(200);
  });

  it('refuses an explicit tokenEnv naming an unset variable (no silent unauthenticated server)', async () => {
    await expect(
      createRewardServer({
        reward: createJudgeLrmReward(),
        tokenEnv: 'JUDGEKIT_TEST_SURELY_UNSET_VARIABLE',
        logger: silentLogger,
      }),
    ).rejects.toThrow(/unset or empty.*NAME of the variable/);
  });
});
