import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { handleOpenRlhfRequest } from './adapters.js';
import { createJudgeLrmReward } from './reward-function.js';

const cli = fileURLToPath(new URL('./reward-server-cli.ts', import.meta.url));
const nodeArgs = ['--conditions=@judgekit/source', '--import', 'tsx', cli];

const HEADER =
  '<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>';

/** A batch mixing well-formed, malformed and out-of-range answers, with string and pair labels. */
function batch(seed: number, n: number) {
  let x = seed >>> 0;
  const rand = (k: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x % k;
  };
  const query: string[] = [];
  const labels: unknown[] = [];
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = rand(12);
    const b = rand(11);
    const kind = rand(6);
    const body =
      kind === 0
        ? `r</think><answer>${a}.5</answer><answer>${b}</answer>`
        : kind === 1
          ? `<think>r</think><answer>${a}</answer><answer>${b}</answer>`
          : kind === 2
            ? `r</think><answer>${a} ${b}</answer>`
            : `reasoning ${i}</think><answer>${a}</answer><answer>${b}</answer><|im_end|>`;
    query.push(HEADER + body);
    labels.push(i % 2 === 0 ? `${rand(11)} ${rand(11)}` : [rand(11), rand(11)]);
    lengths.push(rand(2048));
  }
  return { query, labels, response_lengths: lengths };
}

function call(
  url: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: () => Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      {
        method: body === undefined ? 'GET' : 'POST',
        agent: false, // a new connection each time, so the primary hands them out round-robin
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let children: ChildProcess[] = [];
let blockers: Server[] = [];
afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const b of blockers) b.close();
  children = [];
  blockers = [];
});

function startCli(args: string[]) {
  const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stderr = '';
  const stderrWaiters: { re: RegExp; resolve: () => void }[] = [];
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of stderrWaiters.splice(0)) {
      if (w.re.test(stderr)) w.resolve();
      else stderrWaiters.push(w);
    }
  });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const waitStderr = (re: RegExp) =>
    new Promise<void>((resolve) => (re.test(stderr) ? resolve() : stderrWaiters.push({ re, resolve })));
  return { child, url, exited, waitStderr, stderr: () => stderr };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** GET /health on fresh connections until `count` distinct workers have answered. */
async function workersSeen(url: string, count: number, tries = 40) {
  const seen = new Map<number, number>();
  for (let i = 0; i < tries && seen.size < count; i++) {
    const h = (await call(url, '/health')).json();
    expect(h.status).toBe('ok');
    seen.set(h.worker as number, h.pid as number);
  }
  return seen;
}

describe('judgekit-reward-server --workers N (node:cluster)', () => {
  it('serves concurrent requests from several processes with the in-process rewards; restarts a crashed worker; SIGTERM stops all', async () => {
    const server = startCli(['--port', '0', '--workers', '2', '--max-response-length', '2048']);
    const url = await server.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // /health says which worker answered: two distinct processes, neither the primary.
    const seen = await workersSeen(url, 2);
    expect(seen.size).toBe(2);
    for (const pid of seen.values()) expect(pid).not.toBe(server.child.pid);

    // 16 concurrent batches, each checked against the in-process reward (bit-identical).
    const reward = createJudgeLrmReward();
    const bodies = Array.from({ length: 16 }, (_, i) => batch(1000 + i, 64));
    const answers = await Promise.all(
      bodies.map((b) => call(url, '/get_reward?extra_logs=1', JSON.stringify(b))),
    );
    for (let i = 0; i < bodies.length; i++) {
      const local = handleOpenRlhfRequest(reward, bodies[i], { maxResponseLength: 2048 });
      if (!local.ok) throw new Error(local.error);
      expect(answers[i]!.status).toBe(200);
      const served = answers[i]!.json();
      expect(served.rewards).toEqual(local.response.rewards);
      expect(served.extra_logs).toEqual(local.response.extra_logs);
    }

    // Kill one worker: the primary logs the crash, forks a replacement, and the port keeps serving.
    const [victimId, victimPid] = [...seen.entries()][0]!;
    process.kill(victimPid, 'SIGKILL');
    await server.waitStderr(/worker crashed; restarting it/);
    expect(server.stderr()).toMatch(
      new RegExp(`"worker":${victimId},"pid":${victimPid},"exit":"signal SIGKILL"`),
    );
    const replacement = /"replacement":(\d+)/.exec(server.stderr())![1];
    await server.waitStderr(
      new RegExp(`"message":"reward server worker listening","worker":${replacement},`),
    );
    const after = await workersSeen(url, 2);
    expect(after.size).toBe(2);
    expect([...after.values()]).not.toContain(victimPid);
    const again = await call(url, '/get_reward', JSON.stringify(bodies[0]));
    expect(again.json().rewards).toEqual(answers[0]!.json().rewards);

    // SIGTERM on the primary: every worker finishes and exits, then the primary exits 0.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    for (const pid of after.values()) expect(alive(pid)).toBe(false);
  }, 60_000);

  it('a worker that keeps crashing on restart makes the primary give up: every worker stops, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-rw-'));
    const file = join(dir, 'reward.json');
    writeFileSync(file, JSON.stringify({ preset: 'qwen25' }));
    const server = startCli(['--port', '0', '--workers', '2', '--config', file, '--quiet']);
    const url = await server.url;
    const seen = await workersSeen(url, 2);
    // Replacements re-read the config at start: without it each one fails before listening.
    unlinkSync(file);
    process.kill([...seen.values()][0]!, 'SIGKILL');
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toMatch(
      /worker crashed; restarting it.*"reason":"Invalid argument `--config`: cannot read/,
    );
    expect(server.stderr()).toMatch(/workers keep crashing; giving up/);
    for (const pid of seen.values()) expect(alive(pid)).toBe(false);
  }, 90_000);

  it('--workers 1 is one process: /health answers from worker 0, the process itself', async () => {
    const server = startCli(['--port', '0', '--workers', '1', '--quiet']);
    const url = await server.url;
    const h = (await call(url, '/health')).json();
    expect(h).toMatchObject({ status: 'ok', worker: 0, pid: server.child.pid });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 30_000);

  it('a port that is taken fails the start with one line and exit 2, leaving no worker behind', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const r = spawnSync(process.execPath, [...nodeArgs, '--port', String(port), '--workers', '2'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    const errors = r.stderr
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('judgekit-reward-server: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/cannot listen: EADDRINUSE/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 40_000);

  it.each([['0'], ['-2'], ['two']])('--workers %s is a usage error (exit 2)', (n) => {
    const r = spawnSync(process.execPath, [...nodeArgs, '--workers', n], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workers/);
  });
});
