/**
 * Crash safety of `judgekit eval`: the process is killed with SIGKILL at random points and resumed;
 * across the resumes no judgment is lost and none is duplicated.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const data = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const { model, messages } = JSON.parse(body) as { model: string; messages: { content: string }[] };
      const verdict =
        messages.at(-1)!.content.length % 3 === 0 ? 'Tie' : messages.at(-1)!.content.length % 2 ? '1' : '2';
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            model,
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: `${verdict}\n\n### Reason: r\n` },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
          }),
        );
      }, 5);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const lineCount = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '').length
    : 0;

/** Run the CLI; with `killAt`, SIGKILL it once the results file has that many lines. */
function run(out: string, killAt?: number): Promise<number | null> {
  const results = join(out, 'results.jsonl');
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@judgekit/source',
        '--import',
        'tsx',
        cli,
        'eval',
        '--data',
        data,
        '--format',
        'pandalm',
        '--template',
        'pandalm/pair',
        '--base-url',
        url,
        '--model',
        'm',
        '--limit',
        '40',
        '--swap',
        '--concurrency',
        '4',
        '--resamples',
        '20',
        '--out',
        out,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer =
      killAt === undefined
        ? undefined
        : setInterval(() => {
            if (lineCount(results) >= killAt) child.kill('SIGKILL');
          }, 2);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearInterval(timer);
      if (code !== null && code !== 0) reject(new Error(`exit ${code}: ${stderr}`));
      else resolve(code);
    });
  });
}

it('SIGKILL at random points: 0 lost and 0 duplicated judgments across resumes', async () => {
  const out = mkdtempSync(join(tmpdir(), 'jk-kill-'));
  // Seeded "random" kill points over the 80 calls (40 samples × 2 orders).
  let x = 12345;
  const rand = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  let killed = 0;
  let previous = 0;
  for (let k = 0; k < 3; k++) {
    const target = previous + 1 + Math.floor(rand() * ((80 - previous) / 2));
    const code = await run(out, target);
    if (code === null) killed++;
    const now = lineCount(join(out, 'results.jsonl'));
    expect(now).toBeGreaterThanOrEqual(previous);
    previous = now;
  }
  expect(killed).toBeGreaterThan(0);
  expect(await run(out)).toBe(0);
  const recs = readFileSync(join(out, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { id: string; order: string; outcome: string });
  const keys = recs.map((r) => `${r.id}:${r.order}`);
  expect(new Set(keys).size).toBe(80); // none lost
  expect(keys).toHaveLength(80); // none duplicated
  expect(recs.every((r) => r.outcome !== 'error')).toBe(true);
}, 120_000);
