/**
 * Bring-your-own judge format end to end through the CLI: a format and a template defined in this
 * test file (written out as a plugin module) run through `judgekit eval` against a local
 * OpenAI-compatible server on 127.0.0.1, and recorded outputs are re-scored with `judgekit score`
 * under several combine rules.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const data = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));
const judgebench = fileURLToPath(new URL('../../../fixtures/data/judgebench/pairs.jsonl', import.meta.url));
const nodeArgs = ['--conditions=@judgekit/source', '--import', 'tsx', cli];

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
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
  });
}

/** The user's format: the judge ends with `VERDICT: first|second|same`. Defined here, loaded as a plugin. */
const PLUGIN = `
export function register(judgekit) {
  judgekit.registerJudgeFormat({
    id: 'test-lab/verdict-word',
    description: 'Reasoning, then a last line "VERDICT: first", "VERDICT: second" or "VERDICT: same".',
    kind: 'pairwise',
    format: (v) => 'VERDICT: ' + (v.verdict === 'answer1' ? 'first' : v.verdict === 'answer2' ? 'second' : 'same'),
    parse(text, { mode }) {
      const re = mode === 'lenient' ? /verdict\\s*[:=]\\s*(first|second|same)/i : /(?:^|\\n)VERDICT: (first|second|same)\\s*$/;
      const m = re.exec(text);
      if (!m) return judgekit.parseFailure('no-verdict-line', 'no VERDICT line', text);
      const w = m[1].toLowerCase();
      return judgekit.parseSuccess(
        { kind: 'pairwise', verdict: w === 'first' ? 'answer1' : w === 'second' ? 'answer2' : 'tie' },
        text,
      );
    },
  });
  judgekit.registerTemplate({
    id: 'test-lab/verdict-word-pair',
    version: 1,
    format: 'pairwise',
    description: 'Compare two responses; end with VERDICT: first|second|same.',
    source: { repo: 'test-lab/judges', path: 'prompts/verdict-word.txt', commit: '0123456' },
    user: 'Instruction: {question}\\n\\n[First]\\n{answer1}\\n\\n[Second]\\n{answer2}\\n\\nEnd with "VERDICT: first", "VERDICT: second" or "VERDICT: same".',
    raw: '{user}',
    outputFormat: 'test-lab/verdict-word',
  });
}
`;

let server: Server;
let baseURL: string;
const dir = mkdtempSync(join(tmpdir(), 'judgekit-formats-'));
const plugin = join(dir, 'verdict-word.mjs');

beforeAll(async () => {
  writeFileSync(plugin, PLUGIN);
  // Judges the longer response better; every 7th prompt gets text with no verdict line.
  let calls = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      const { messages, model } = JSON.parse(body) as { messages: { content: string }[]; model: string };
      const prompt = messages.map((m) => m.content).join('\n');
      const arena =
        /<\|The Start of Assistant A's Answer\|>\n([\s\S]*?)\n<\|The End of Assistant A's Answer\|>[\s\S]*<\|The Start of Assistant B's Answer\|>\n([\s\S]*?)\n<\|The End/.exec(
          prompt,
        );
      if (arena !== null) {
        const [la, lb] = [arena[1]!.length, arena[2]!.length];
        const label = la > lb ? 'A>B' : la < lb ? 'B>>A' : 'A=B';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            model,
            choices: [
              {
                index: 0,
                message: {
                  role: 'assistant',
                  content: `Longer is better.\n\nMy final verdict is: [[${label}]]`,
                },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
          }),
        );
        return;
      }
      const m = /\[First\]\n([\s\S]*?)\n\n\[Second\]\n([\s\S]*?)\n\nEnd with/.exec(prompt);
      const a = m?.[1]?.length ?? 0;
      const b = m?.[2]?.length ?? 0;
      calls++;
      const content =
        m === null || calls % 7 === 0
          ? 'I cannot decide.'
          : `The ${a >= b ? 'first' : 'second'} one is longer.\nVERDICT: ${a > b ? 'first' : a < b ? 'second' : 'same'}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'x',
          object: 'chat.completion',
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('a user format through the CLI', () => {
  it('judgekit eval --plugin runs the user template and parser, both orders, under a named rule', async () => {
    const out = join(dir, 'eval');
    const r = await run([
      'eval',
      '--plugin',
      plugin,
      '--data',
      data,
      '--format',
      'pandalm',
      '--template',
      'test-lab/verdict-word-pair',
      '--base-url',
      baseURL,
      '--model',
      'fake-verdict-word',
      '--limit',
      '12',
      '--swap',
      '--combine',
      'judgebench',
      '--concurrency',
      '1',
      '--resamples',
      '50',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toContain('judgekit:');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^judged 12\/12, accuracy \d\.\d{4}/);
    expect(r.stdout).toMatch(/judgebench rule accuracy \d\.\d{4} \(\d+\/\d+\)/);
    const records = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { outputFormat: string; parse: { ok: boolean; reason?: string }; text: string },
      );
    expect(records).toHaveLength(24);
    expect(new Set(records.map((x) => x.outputFormat))).toEqual(new Set(['test-lab/verdict-word']));
    const failures = records.filter((x) => !x.parse.ok);
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures)
      expect([f.parse.reason, f.text]).toEqual(['no-verdict-line', 'I cannot decide.']);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('output format `test-lab/verdict-word`');
    expect(report).toContain('combined with the `judgebench` rule');
  }, 60_000);

  it('judgekit eval --format judgebench with the Arena-Hard template groups by category under a named rule', async () => {
    const out = join(dir, 'jb-eval');
    const r = await run([
      'eval',
      '--data',
      judgebench,
      '--format',
      'judgebench',
      '--template',
      'arena-hard/v0.1',
      '--base-url',
      baseURL,
      '--model',
      'fake-arena',
      '--swap',
      '--combine',
      'judgebench',
      '--resamples',
      '20',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toContain('judgekit:');
    expect(r.code).toBe(0);
    // Longer answer wins in both games: right on jb-2, jb-4 (B longer, label B>A) and jb-3 (A longer).
    // jb-1: equal lengths → tie in both games → tie → wrong.
    expect(r.stdout).toContain('judgebench rule accuracy 0.7500 (3/4)');
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(
      'by group (`judgebench` rule): coding 1.0000 (1/1), knowledge 0.0000 (0/1), math 1.0000 (1/1), reasoning 1.0000 (1/1).',
    );
    // `judgekit report` re-scores with the run's rule, or another one by name.
    const again = await run(['report', join(out, 'results.jsonl'), '--resamples', '20']);
    expect(again.code).toBe(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('combined with the `judgebench` rule');
    const other = await run([
      'report',
      join(out, 'results.jsonl'),
      '--combine',
      'llmbar',
      '--resamples',
      '20',
    ]);
    expect(other.code).toBe(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      'combined with the `llmbar` rule (per-order): accuracy',
    );
  }, 60_000);

  it('without the plugin the template is unknown: a one-line usage error', async () => {
    const r = await run(['score', join(dir, 'none.jsonl'), '--template', 'test-lab/verdict-word-pair']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^judgekit: --template: .*no template 'test-lab\/verdict-word-pair'/);
  });

  it('judgekit score re-scores recorded outputs of the user format under each rule', async () => {
    const file = join(dir, 'recorded.jsonl');
    const rows = [
      // label, original, swapped (as judged on the swapped presentation)
      ['answer1', 'VERDICT: first', 'VERDICT: second'], // consistent, right
      ['answer1', 'VERDICT: first', 'VERDICT: same'], // decisive + tie
      ['answer1', 'VERDICT: second', 'VERDICT: second'], // inconsistent
      ['answer2', 'no line', 'VERDICT: first'], // failure + right
    ];
    writeFileSync(
      file,
      rows
        .map(([label, o, s], i) => JSON.stringify({ id: `r${i}`, label, output: o, swapped_output: s }))
        .join('\n'),
    );
    const score = (combine: string) =>
      run([
        'score',
        file,
        '--plugin',
        plugin,
        '--format',
        'test-lab/verdict-word',
        '--combine',
        combine,
        '--resamples',
        '20',
      ]);
    const jb = await score('judgebench');
    expect(jb.code).toBe(0);
    // JudgeBench: r0 +2, r1 +1, r2 0 (tie), r3 0 + (−1 → answer2) → 3 of 4.
    expect(jb.stdout).toContain(
      'combined (judgebench, per-sample): accuracy 0.7500 (3/4 correct over 4 pairs)',
    );
    expect(jb.stdout).toContain('original order: accuracy 0.5000 (2/4 correct)');
    const fc = await score('fastchat');
    // FastChat: r0 right, r1 tie, r2 tie, r3 no verdict → 1 of 4.
    expect(fc.stdout).toContain(
      'combined (fastchat, per-sample): accuracy 0.2500 (1/4 correct over 4 pairs)',
    );
    const lb = await score('llmbar');
    // LLMBar: original right 2/4 (r0, r1), swapped right 3/4 (r0, r2? no: r2 swapped "second" → answer1 right, r3 right) → 5/8.
    expect(lb.stdout).toContain('combined (llmbar, per-order): accuracy 0.6250 (5/8 correct over 4 pairs)');
    const bad = await run(['score', file, '--format', 'test-lab/verdict-word']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no parser for output format "test-lab\/verdict-word"; register it/);
  }, 60_000);

  it('judgekit score reads a published JudgeBench-style run with Arena-Hard verdicts and dotted fields', async () => {
    const file = join(dir, 'judgebench-run.jsonl');
    const pair = (id: string, source: string, label: string, g1: string | null, g2: string | null) =>
      JSON.stringify({
        pair_id: id,
        source,
        label,
        judgments: [
          g1 === null
            ? null
            : { judgment: { response: `Reasoning.\n\nMy final verdict is: ${g1}` }, decision: 'x' },
          g2 === null
            ? null
            : { judgment: { response: `Reasoning.\n\nMy final verdict is: ${g2}` }, decision: 'x' },
        ],
      });
    writeFileSync(
      file,
      [
        pair('p1', 'mmlu-pro-law', 'A>B', '[[A>>B]]', '[[B>A]]'),
        pair('p2', 'livebench-math', 'B>A', '[[A=B]]', '[[A>B]]'),
        pair('p3', 'livebench-math', 'A>B', '[[A>B]] [[B>A]]', '[[A=B]]'),
      ].join('\n'),
    );
    const r = await run([
      'score',
      file,
      '--template',
      'arena-hard/v0.1',
      '--id-field',
      'pair_id',
      '--output-field',
      'judgments.0.judgment.response',
      '--swapped-field',
      'judgments.1.judgment.response',
      '--group-field',
      'source',
      '--combine',
      'judgebench',
      '--resamples',
      '20',
      '--out',
      join(dir, 'jb-report'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // p1: +1 +1 → right; p2: 0 + (A>B on (B,A) → B wins in the original) → right; p3: game 1 has
    // two distinct labels (failure, 0) + tie → tie → wrong.
    expect(r.stdout).toContain(
      'combined (judgebench, per-sample): accuracy 0.6667 (2/3 correct over 3 pairs)',
    );
    expect(r.stdout).toContain('1 parse failures in the original order');
    expect(r.stdout).toContain('  livebench-math: 0.5000 (1/2)');
    expect(readFileSync(join(dir, 'jb-report', 'report.md'), 'utf8')).toContain('`judgebench` rule');
  }, 60_000);
});
