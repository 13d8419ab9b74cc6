import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const data = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));
const nodeArgs = ['--conditions=@judgekit/source', '--import', 'tsx', cli];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], onSpawn?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    onSpawn?.(child);
  });
}

/** A PandaLM-speaking OpenAI-compatible server: longer response wins; some prompts get garbage. */
let server: Server;
let baseURL: string;
let requests = 0;
let delayMs = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      requests++;
      const { messages, model } = JSON.parse(body) as { messages: { content: string }[]; model: string };
      const prompt = messages.map((m) => m.content).join('\n');
      const m = /### Response 1:\n([\s\S]*?)\n\n### Response 2:\n([\s\S]*?)\n\n### Evaluation:/.exec(prompt);
      const a = m?.[1]?.length ?? 0;
      const b = m?.[2]?.length ?? 0;
      const verdict = a % 9 === 0 ? 'not sure' : a > b ? '1' : a < b ? '2' : 'Tie';
      const content = `${verdict}\n\n### Reason: length.\n\n### Reference: none.\n`;
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'x',
            object: 'chat.completion',
            model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
          }),
        );
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function evalArgs(out: string, extra: string[] = []): string[] {
  return [
    'eval',
    '--data',
    data,
    '--format',
    'pandalm',
    '--template',
    'pandalm/pair',
    '--base-url',
    baseURL,
    '--model',
    'fake-pandalm',
    '--limit',
    '20',
    '--out',
    out,
    ...extra,
  ];
}

const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');

describe('judgekit CLI', () => {
  it.each([['--help'], ['eval', '--help'], ['report', '--help'], ['serve-reward', '--help']])(
    '%s prints usage and exits 0',
    async (...args) => {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^usage: judgekit/);
    },
  );

  it.each([
    [['frobnicate']],
    [['eval', '--format', 'pandalm']],
    [['eval', '--data', 'x', '--format', 'csv']],
    [['eval', '--bogus']],
    [
      [
        'eval',
        '--data',
        'x',
        '--format',
        'pandalm',
        '--template',
        'pandalm/pair',
        '--base-url',
        'http://h/v1',
        '--model',
        'm',
        '--concurrency',
        '0',
      ],
    ],
    [
      [
        'eval',
        '--data',
        'x',
        '--format',
        'pandalm',
        '--template',
        'no/such',
        '--base-url',
        'http://h/v1',
        '--model',
        'm',
      ],
    ],
    [['report']],
    [['serve-reward', '--port', 'abc']],
  ])('usage error %j: one line, exit 2, no stack', async (args) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/^judgekit: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing data file is a one-line failure, exit 1', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jk-cli-'));
    const r = await run(evalArgs(out).map((a) => (a === data ? '/nonexistent/pandalm' : a)));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^judgekit: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('eval judges 20 PandaLM pairs over HTTP, writes results and report, and resumes', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jk-cli-'));
    const before = requests;
    const r = await run(evalArgs(out, ['--swap', '--concurrency', '4', '--resamples', '200']));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    expect(requests - before).toBe(40);
    expect(r.stdout).toMatch(
      /^judged 20\/20, accuracy 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\], macro F1 0\.\d{4} \[[^\]]+\], \d+ parse failures, swap consistency/,
    );
    const results = join(out, 'results.jsonl');
    expect(lines(results)).toHaveLength(40);
    for (const f of ['report.md', 'report.json', 'report.svg', 'report.html', 'run.json'])
      expect(existsSync(join(out, f))).toBe(true);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const judge = report.judges[0];
    expect(judge.counts).toMatchObject({ samples: 20, judged: 20, judgedSwapped: 20, pending: 0 });
    expect(judge.metrics.n).toBe(20);
    expect(judge.parseFailures.total).toBe(judge.metrics.predictionFailures);
    expect(judge.usage.totalTokens).toBe(40 * 110);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('Confusion matrix');

    // Re-running resumes: nothing left to ask.
    const again = requests;
    const r2 = await run(evalArgs(out, ['--swap', '--resamples', '200']));
    expect(r2.code).toBe(0);
    expect(requests - again).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).judges[0].metrics).toEqual(
      judge.metrics,
    );

    // A truncated last line is repaired and only that call is made again.
    const all = lines(results);
    writeFileSync(results, `${all.slice(0, -1).join('\n')}\n${all.at(-1)!.slice(0, 30)}`);
    const third = requests;
    const r3 = await run(evalArgs(out, ['--swap', '--resamples', '200']));
    expect(r3.code).toBe(0);
    expect(requests - third).toBe(1);
    expect(lines(results)).toHaveLength(40);

    // `report` re-renders the same figures from the results file.
    const reportDir = mkdtempSync(join(tmpdir(), 'jk-cli-rep-'));
    const r4 = await run(['report', results, '--out', reportDir, '--resamples', '200']);
    expect(r4.code).toBe(0);
    expect(r4.stdout).toContain(`html: ${join(reportDir, 'report.html')}`);
    // The HTML report read the results file and run.json beside it (not in --out).
    const html = readFileSync(join(reportDir, 'report.html'), 'utf8');
    expect(html).toContain('<th class="l">swap</th><td class="l"><code>true</code></td>');
    expect(html).toContain('Swap consistency and position bias');
    const rerendered = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')).judges[0];
    expect(rerendered.metrics).toEqual(judge.metrics);
    expect(rerendered.swap).toEqual(judge.swap);
  }, 60_000);

  it('--cache answers repeated requests from disk, in a fresh output folder', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'jk-cli-cache-'));
    const first = mkdtempSync(join(tmpdir(), 'jk-cli-'));
    const before = requests;
    const r1 = await run(evalArgs(first, ['--cache', cache, '--resamples', '100']));
    expect(r1.code).toBe(0);
    expect(requests - before).toBe(20);
    const second = mkdtempSync(join(tmpdir(), 'jk-cli-'));
    const again = requests;
    const r2 = await run(evalArgs(second, ['--cache', cache, '--resamples', '100']));
    expect(r2.code).toBe(0);
    expect(requests - again).toBe(0);
    const m1 = JSON.parse(readFileSync(join(first, 'report.json'), 'utf8')).judges[0];
    const m2 = JSON.parse(readFileSync(join(second, 'report.json'), 'utf8')).judges[0];
    expect(m2.metrics).toEqual(m1.metrics);
    expect(m2.counts.cachedCalls).toBe(20);
  }, 60_000);

  it('SIGINT stops scheduling, keeps finished results, exits 130; a re-run finishes the set', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jk-cli-'));
    const results = join(out, 'results.jsonl');
    delayMs = 150;
    try {
      const r = await run(evalArgs(out, ['--concurrency', '2', '--resamples', '50']), (child) => {
        const timer = setInterval(() => {
          if (existsSync(results) && lines(results).length >= 2) {
            clearInterval(timer);
            child.kill('SIGINT');
          }
        }, 20);
        child.on('close', () => clearInterval(timer));
      });
      expect(r.code).toBe(130);
      expect(r.stderr).toMatch(/SIGINT: finishing the calls in flight/);
      expect(r.stderr).toMatch(/incomplete: \d+ samples pending/);
      const kept = lines(results).length;
      expect(kept).toBeGreaterThanOrEqual(2);
      expect(kept).toBeLessThan(20);
      const before = requests;
      delayMs = 0;
      const r2 = await run(evalArgs(out, ['--resamples', '50']));
      expect(r2.code).toBe(0);
      expect(requests - before).toBe(20 - kept);
      expect(lines(results)).toHaveLength(20);
    } finally {
      delayMs = 0;
    }
  }, 60_000);
});
