/**
 * `judgekit eval` in the ordinary situations that used to give wrong numbers without a word, each
 * against a real HTTP server on 127.0.0.1 that injects the fault.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRunDir } from './eval-command.js';
import { runCli } from './run-cli.js';

const data = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));

type Reply = 'ok' | '500' | 'malformed' | 'stall' | 'garbage';
interface FakeServer {
  url: string;
  requests: number;
  headers: IncomingHttpHeaders[];
  /** Decides the reply from the prompt's key (stable per sample and order) and the attempt number. */
  reply: (key: string, attempt: number) => Reply;
  close(): Promise<void>;
}

const keyOf = (prompt: string) => createHash('sha256').update(prompt).digest('hex').slice(0, 12);
/** A stable pseudo-random bucket 0..99 of a sample's prompt. */
const bucket = (key: string) => Number.parseInt(key.slice(0, 6), 16) % 100;

async function startServer(): Promise<FakeServer> {
  const attempts = new Map<string, number>();
  const stalled: import('node:http').ServerResponse[] = [];
  const s: FakeServer = {
    url: '',
    requests: 0,
    headers: [],
    reply: () => 'ok',
    close: () =>
      new Promise<void>((r) => {
        for (const res of stalled) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      s.requests++;
      s.headers.push(req.headers);
      const { messages, model } = JSON.parse(body) as { messages: { content: string }[]; model: string };
      const prompt = messages.map((m) => m.content).join('\n');
      const key = keyOf(prompt);
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const reply = s.reply(key, attempt);
      if (reply === 'stall') {
        stalled.push(res);
        return;
      }
      if (reply === '500') {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `boom; you sent ${req.headers.authorization ?? 'no auth'}` }));
        return;
      }
      if (reply === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"choices": [ {"message": ');
        return;
      }
      const m = /### Response 1:\n([\s\S]*?)\n\n### Response 2:\n([\s\S]*?)\n\n### Evaluation:/.exec(prompt);
      const a = m?.[1]?.length ?? 0;
      const b = m?.[2]?.length ?? 0;
      const verdict = reply === 'garbage' ? 'not sure' : a > b ? '1' : a < b ? '2' : 'Tie';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: `${verdict}\n\n### Reason: length.\n\n### Reference: none.\n`,
              },
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return s;
}

interface Ran {
  code: number | 'running';
  stdout: string;
  stderr: string;
}

async function cli(args: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (x: string) => (stdout += x) },
    stderr: { write: (x: string) => (stderr += x), isTTY: false },
  });
  return { code, stdout, stderr };
}

let srv: FakeServer;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

const tmp = () => mkdtempSync(join(tmpdir(), 'jk-trust-'));
const fast = ['--retries', '1', '--resamples', '50'];
function args(out: string, extra: string[] = [], url = srv.url): string[] {
  return [
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
    'judge-a',
    '--limit',
    '20',
    '--out',
    out,
    ...fast,
    ...extra,
  ];
}
const readAll = (dir: string) =>
  readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
const records = (dir: string) =>
  readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { id: string; order: string; outcome: string; error?: string });

describe('judgekit eval: run identity', () => {
  it('refuses to resume under another --model or --mode before writing anything, naming the fields', async () => {
    srv.reply = () => 'ok';
    const out = tmp();
    expect((await cli(args(out))).code).toBe(0);
    const runJson = readFileSync(join(out, 'run.json'), 'utf8');
    const results = readFileSync(join(out, 'results.jsonl'), 'utf8');
    const before = srv.requests;
    const other = await cli(args(out).map((a) => (a === 'judge-a' ? 'judge-b' : a)));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/model "judge-a" → "judge-b"/);
    const mode = await cli(args(out, ['--mode', 'lenient']));
    expect(mode.stderr).toMatch(/parseMode "strict" → "lenient"/);
    expect(srv.requests).toBe(before);
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(runJson);
    expect(readFileSync(join(out, 'results.jsonl'), 'utf8')).toBe(results);
    // The default output directory already keeps models apart.
    expect(defaultRunDir(data, 'pandalm', 'pandalm/pair', 'judge-a')).not.toBe(
      defaultRunDir(data, 'pandalm', 'pandalm/pair', 'judge-b'),
    );
  });

  it('a rejected resume (--limit 5 on a finished 10-item run, or other data) leaves run.json and the report as they were', async () => {
    srv.reply = () => 'ok';
    const out = tmp();
    const ten = args(out).map((a) => (a === '20' ? '10' : a));
    expect((await cli(ten)).code).toBe(0);
    const runJson = readFileSync(join(out, 'run.json'), 'utf8');
    const five = await cli(ten.map((a) => (a === '10' ? '5' : a)));
    expect(five.code).toBe(1);
    expect(five.stderr).toMatch(/limit 10 → 5/);
    const otherData = join(tmp(), 'testset-v1.json');
    const set = JSON.parse(readFileSync(join(data, 'testset-v1.json'), 'utf8')) as { instruction: string }[];
    set[0]!.instruction += ' (edited)';
    writeFileSync(otherData, JSON.stringify(set));
    const other = await cli(ten.map((a) => (a === data ? otherData : a)));
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/dataHash/);
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(runJson);
    const rep = await cli(['report', join(out, 'results.jsonl'), '--resamples', '50']);
    expect(rep.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).judges[0].counts.samples).toBe(10);
  });
});

describe('judgekit eval: errors are never verdicts', () => {
  it('HTTP 500 after retries is an error: not scored (not even as a tie), coverage shown, retried on resume', async () => {
    const failing = (key: string) => bucket(key) < 15;
    srv.reply = (key) => (failing(key) ? '500' : 'ok');
    const out = tmp();
    const r = await cli(args(out, ['--failure-policy', 'as-tie']));
    expect(r.code).toBe(1);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).judges[0];
    const errors = rep.counts.errors as number;
    expect(errors).toBeGreaterThan(0);
    expect(r.stdout).toMatch(new RegExp(`^judged ${20 - errors}/20, ${errors} errors, accuracy`));
    expect(r.stderr).toMatch(
      /calls ended in an error \(model_call 500 \d+; no usable response, not scored\)/,
    );
    expect(rep.metrics.n).toBe(20 - errors);
    expect(rep.parseFailures.total).toBe(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(
      new RegExp(`judged ${20 - errors}/20, ${errors} errors`),
    );
    // The accuracy is that of the answered samples, not dragged down by the flaky server.
    const clean = tmp();
    srv.reply = (key) => (failing(key) ? 'garbage' : 'ok');
    await cli(args(clean, ['--failure-policy', 'drop']));
    const dropped = JSON.parse(readFileSync(join(clean, 'report.json'), 'utf8')).judges[0].metrics;
    expect(rep.metrics.accuracy).toBeCloseTo(dropped.accuracy, 12);
    // A resume retries exactly the errors.
    srv.reply = () => 'ok';
    const before = srv.requests;
    const again = await cli(args(out, ['--failure-policy', 'as-tie']));
    expect(again.code).toBe(0);
    expect(srv.requests - before).toBe(errors);
    expect(again.stdout).toMatch(/^judged 20\/20, accuracy/);
  });

  it('a malformed 200 body is an error, never a parse failure', async () => {
    srv.reply = (key) => (bucket(key) < 20 ? 'malformed' : 'ok');
    const out = tmp();
    const r = await cli(args(out));
    expect(r.code).toBe(1);
    const recs = records(out);
    const bad = recs.filter((x) => x.outcome === 'error');
    expect(bad.length).toBeGreaterThan(0);
    expect(recs.filter((x) => x.outcome === 'parse-failure')).toHaveLength(0);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).judges[0];
    expect(rep.metrics.n).toBe(20 - bad.length);
  });

  it('a stalling server holds an item only for --timeout × attempts, then it is an error', async () => {
    const stallKeys = new Set<string>();
    srv.reply = (key) => {
      if (stallKeys.size < 3) stallKeys.add(key);
      return stallKeys.has(key) ? 'stall' : 'ok';
    };
    const out = tmp();
    const r = await cli(args(out, ['--timeout', '0.5', '--retries', '0', '--concurrency', '8']));
    expect(r.code).toBe(1);
    const stalled = records(out).filter((x) => x.outcome === 'error');
    // Three prompts stall (the test set repeats some prompts, so possibly a few more samples).
    expect(stalled.length).toBeGreaterThanOrEqual(3);
    expect(stalled.every((x) => /timed out after 500 ms/.test(x.error!))).toBe(true);
    expect(r.stdout).toMatch(new RegExp(`^judged ${20 - stalled.length}/20, ${stalled.length} errors`));
    expect(r.stderr).toMatch(/timeout \d+/);
  });

  it('--retry-errors retries this session’s errors once more at the end', async () => {
    srv.reply = (key, attempt) => (bucket(key) < 30 && attempt <= 1 ? '500' : 'ok');
    const out = tmp();
    const r = await cli(args(out, ['--retries', '0', '--retry-errors']));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^judged 20\/20, accuracy/);
  });
});

describe('judgekit eval: flags', () => {
  it('reports every flag problem at once, with a hint for a URL without scheme', async () => {
    const r = await cli([
      'eval',
      '--format',
      'csv',
      '--base-url',
      'localhost:8000',
      '--concurrency',
      '0',
      '--bogus',
    ]);
    expect(r.code).toBe(2);
    const line = r.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    for (const p of [
      /unknown flag --bogus/,
      /--data is required/,
      /--format must be one of/,
      /--template is required/,
      /--model is required/,
      /--base-url must be an http:\/\/ or https:\/\/ URL, got "localhost:8000" \(did you mean http:\/\/localhost:8000\/v1\?\)/,
      /--concurrency must be an integer/,
    ])
      expect(line).toMatch(p);
  });

  it('an empty data file and a directory as --data are errors naming the path', async () => {
    const dir = tmp();
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '[]');
    const r = await cli(args(tmp()).map((a) => (a === data ? empty : a)));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/empty\.json holds no samples/);
    const d = await cli([...args(tmp()).map((a) => (a === data ? dir : a === 'pandalm' ? 'llmbar' : a))]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain(`--data ${dir} is a directory`);
  });

  it('keeps credentials in --base-url out of every file and message, and sends them as Basic auth', async () => {
    srv.reply = (key) => (bucket(key) < 20 ? '500' : 'ok');
    const out = tmp();
    const url = srv.url.replace('http://', 'http://alice:S3CRETPW@');
    const r = await cli(args(out, [], url));
    expect(r.code).toBe(1);
    const basic = Buffer.from('alice:S3CRETPW').toString('base64');
    expect(srv.headers.at(-1)!.authorization).toBe(`Basic ${basic}`);
    const everything = readAll(out) + r.stdout + r.stderr;
    expect(everything).not.toContain('S3CRETPW');
    expect(everything).not.toContain(basic);
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toContain(srv.url);
  });

  it('keeps an api key out of every file and message, even when the server echoes it', async () => {
    srv.reply = (key) => (bucket(key) < 20 ? '500' : 'ok');
    const out = tmp();
    process.env.JK_TRUST_TEST_KEY = 'sk-VERYSECRETKEY';
    try {
      const r = await cli(args(out, ['--api-key-env', 'JK_TRUST_TEST_KEY']));
      expect(r.code).toBe(1);
      expect(srv.headers.at(-1)!.authorization).toBe('Bearer sk-VERYSECRETKEY');
      expect(readAll(out) + r.stdout + r.stderr).not.toContain('VERYSECRETKEY');
      expect(readFileSync(join(out, 'results.jsonl'), 'utf8')).toContain('[redacted]');
    } finally {
      delete process.env.JK_TRUST_TEST_KEY;
    }
  });

  it('never sends an OPENAI_API_KEY from the environment to the --base-url server unless named', async () => {
    srv.reply = () => 'ok';
    const out = tmp();
    const before = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-ENVKEYNOTFORTHISHOST';
    try {
      const r = await cli(args(out));
      expect(r.code).toBe(0);
      expect(srv.headers.length).toBeGreaterThan(0);
      expect(srv.headers.at(-1)!.authorization).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = before;
    }
  });

  it('several --base-url values spread the calls round-robin', async () => {
    srv.reply = () => 'ok';
    const second = await startServer();
    try {
      const out = tmp();
      const before = srv.requests;
      const r = await cli(args(out, ['--base-url', second.url]));
      expect(r.code).toBe(0);
      expect(srv.requests - before).toBe(10);
      expect(second.requests).toBe(10);
    } finally {
      await second.close();
    }
  });

  it('--config FILE takes the same names as the flags; the command line wins; --version', async () => {
    srv.reply = () => 'ok';
    const dir = tmp();
    const config = join(dir, 'eval.json');
    writeFileSync(
      config,
      JSON.stringify({
        data,
        format: 'pandalm',
        template: 'pandalm/pair',
        'base-url': [srv.url],
        model: 'judge-a',
        limit: 4,
        resamples: 50,
      }),
    );
    const out = join(dir, 'out');
    const r = await cli(['eval', '--config', config, '--limit', '3', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^judged 3\/3/);
    writeFileSync(config, JSON.stringify({ nonsense: 1, swap: 'yes' }));
    const bad = await cli(['eval', '--config', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown key "nonsense".*"swap" must be true or false/);
    const v = await cli(['--version']);
    expect(v.stdout).toMatch(/^judgekit \d+\.\d+\.\d+/);
  });
});

describe('judgekit eval: parse-failure rate', () => {
  it('warns loudly above 20% with the top reasons; --max-parse-failure-rate makes it an error', async () => {
    srv.reply = (key) => (bucket(key) < 50 ? 'garbage' : 'ok');
    const out = tmp();
    const r = await cli(args(out));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/WARNING: \d+ of 20 judge outputs \(\d+\.\d%\) could not be parsed/);
    expect(r.stderr).toMatch(/most common reasons: \S+ \d+/);
    const strict = await cli(args(out, ['--max-parse-failure-rate', '0.1']));
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/over --max-parse-failure-rate 0\.1/);
  });
});

describe('judgekit eval: embedded default', () => {
  it('replays GPT-3.5-turbo on the PandaLM test set: accuracy 0.7107, macro F1 0.5755, with intervals', async () => {
    const out = join(tmp(), 'default');
    mkdirSync(out);
    const r = await cli(['eval', '--out', out, '--resamples', '200']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^judged 999\/999, accuracy 0\.7107 \[0\.\d{4}, 0\.\d{4}\], macro F1 0\.5755 \[0\.\d{4}, 0\.\d{4}\]/,
    );
    expect(existsSync(join(out, 'report.md'))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('| GPT-3.5-turbo | 0.7107 [');
  });
});
