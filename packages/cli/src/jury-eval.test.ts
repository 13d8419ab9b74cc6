/**
 * `judgekit eval` with a jury of three models on real HTTP servers on 127.0.0.1 (one per model, one
 * of them failing on some samples): per-juror and panel numbers, abstentions, Fleiss' kappa, resume
 * after SIGKILL, and refusal of a resume under another panel.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Verdict } from '@judgekit/core';
import { evaluateJudge, fleissKappa } from '@judgekit/metrics';
import type { JudgeResultRecord } from '@judgekit/pipelines';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJuryEval } from './jury-command.js';
import { runCli } from './run-cli.js';

const cliTs = fileURLToPath(new URL('./cli.ts', import.meta.url));
const data = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));
const N = 24;

/** A stable bucket 0..99 of a prompt. */
const bucket = (prompt: string) =>
  Number.parseInt(createHash('sha256').update(prompt).digest('hex').slice(0, 6), 16) % 100;

interface Srv {
  url: string;
  requests: number;
  close(): Promise<void>;
}

/** `one` always says Response 1, `two` always Response 2, `flaky` fails (500) on a third of the prompts. */
function reply(kind: string, prompt: string): { status: number; content?: string } {
  if (kind === 'one') return { status: 200, content: '1' };
  if (kind === 'two') return { status: 200, content: '2' };
  const b = bucket(prompt);
  if (b < 33) return { status: 500 };
  return { status: 200, content: b % 3 === 0 ? 'Tie' : b % 2 ? '1' : '2' };
}

async function start(kind: string): Promise<Srv> {
  const s: Srv = { url: '', requests: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString();
    });
    req.on('end', () => {
      s.requests++;
      const { model, messages } = JSON.parse(body) as { model: string; messages: { content: string }[] };
      const r = reply(kind, messages.map((m) => m.content).join('\n'));
      setTimeout(() => {
        res.writeHead(r.status, { 'content-type': 'application/json' });
        res.end(
          r.status !== 200
            ? JSON.stringify({ error: { message: 'boom' } })
            : JSON.stringify({
                model,
                choices: [
                  {
                    index: 0,
                    message: { role: 'assistant', content: `${r.content}\n\n### Reason: r\n` },
                    finish_reason: 'stop',
                  },
                ],
                usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
              }),
        );
      }, 3);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  s.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return s;
}

let srv: Record<'one' | 'two' | 'flaky', Srv>;
beforeAll(async () => {
  const [one, two, flaky] = await Promise.all([start('one'), start('two'), start('flaky')]);
  srv = { one: one!, two: two!, flaky: flaky! };
});
afterAll(() => Promise.all(Object.values(srv).map((s) => s.close())));

const tmp = () => mkdtempSync(join(tmpdir(), 'jk-jury-cli-'));
const JURORS = ['one', 'two', 'flaky'] as const;

function juryFile(dir: string, jurors: readonly string[] = JURORS): string {
  const file = join(dir, 'jury.json');
  writeFileSync(
    file,
    JSON.stringify({
      jurors: jurors.map((j) => ({ model: `m-${j}`, name: j, 'base-url': srv[j as 'one'].url })),
    }),
  );
  return file;
}

const base = (out: string) => [
  'eval',
  '--data',
  data,
  '--format',
  'pandalm',
  '--template',
  'pandalm/pair',
  '--limit',
  String(N),
  '--retries',
  '0',
  '--resamples',
  '20',
  '--out',
  out,
];

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (x: string) => (stdout += x) },
    stderr: { write: (x: string) => (stderr += x), isTTY: false },
  });
  return { code, stdout, stderr };
}

/** The latest record per sample, in dataset order (lines are appended as calls finish). */
const records = (file: string): JudgeResultRecord[] => {
  if (!existsSync(file)) return [];
  const byIndex = new Map<number, JudgeResultRecord>();
  for (const l of readFileSync(file, 'utf8').split('\n'))
    if (l.trim() !== '') {
      const r = JSON.parse(l) as JudgeResultRecord;
      byIndex.set(r.index, r);
    }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
};
const jurorFile = (out: string, id: string) => join(out, 'jurors', id, 'results.jsonl');

describe('judgekit eval with a jury', () => {
  it('dispatches only jury command lines', () => {
    expect(isJuryEval(['--model', 'a'])).toBe(false);
    expect(isJuryEval(['--model', 'a', '--model=b'])).toBe(true);
    expect(isJuryEval(['--jury-config', 'x.json'])).toBe(true);
    expect(isJuryEval(['--jury-rule=majority'])).toBe(true);
  });

  it('scores each juror and the panel; errors abstain; kappa is fleissKappa of the juror verdicts', async () => {
    const out = tmp();
    const r = await cli([...base(out), '--jury-config', juryFile(out)]);
    expect(r.code).toBe(1); // the flaky juror's errors are left to retry
    expect(r.stderr).toMatch(/juror calls ended in an error/);
    const recs = JURORS.map((j) => records(jurorFile(out, j)));
    for (const rs of recs) expect(rs).toHaveLength(N);
    const labels = recs[0]!.map((x) => x.label);
    const verdicts = recs.map((rs) => rs.map((x) => x.verdict));
    const errors = recs[2]!.filter((x) => x.outcome === 'error').length;
    expect(errors).toBeGreaterThan(0);
    expect(errors).toBeLessThan(N);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const text = JSON.stringify(report);
    // Per-juror accuracy as metrics computes it on that juror's verdicts.
    for (const [k, id] of JURORS.entries()) {
      const judged = verdicts[k]!.map((v, i) => [v, labels[i]] as const).filter(
        (_, i) => recs[k]![i]!.outcome !== 'error',
      );
      const m = evaluateJudge({
        predictions: judged.map(([v]) => v as Verdict),
        labels: judged.map(([, l]) => l as Verdict),
        bootstrap: false,
      });
      expect(r.stdout).toContain(`juror ${id}: judged ${judged.length}/${N}`);
      const line = r.stdout.split('\n').find((l) => l.startsWith(`juror ${id}:`))!;
      expect(line).toContain(`accuracy ${m.accuracy.toFixed(4)}`);
    }
    // The panel: one vs two split → tie unless flaky broke it; when flaky erred it abstained.
    const panel = records(join(out, 'panel.jsonl'));
    expect(panel).toHaveLength(N);
    for (const [i, p] of panel.entries()) {
      const f = recs[2]![i]!;
      const expected: Verdict = f.outcome === 'error' || f.verdict === 'tie' ? 'tie' : f.verdict!;
      expect(p.verdict).toBe(expected);
      expect(p.text).toContain(`${f.outcome === 'error' ? 1 : 0} abstained`);
    }
    const pm = evaluateJudge({
      predictions: panel.map((p) => p.verdict!),
      labels: labels as Verdict[],
      bootstrap: false,
    });
    expect(r.stdout).toContain(`panel (majority): judged ${N}/${N}, accuracy ${pm.accuracy.toFixed(4)}`);
    // Kappa over the samples where every juror voted.
    const full = panel.map((_, i) => i).filter((i) => recs[2]![i]!.outcome !== 'error');
    const raters = verdicts.map((vs) => full.map((i) => vs[i] as Verdict));
    expect(report.jury.agreement.fleissKappa).toBeCloseTo(fleissKappa(raters), 12);
    expect(report.jury.agreement.items).toBe(full.length);
    expect(r.stdout).toContain(`Fleiss' kappa ${fleissKappa(raters).toFixed(4)}`);
    expect(text).toContain('panel (majority)');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('flaky');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.fingerprint.jury.jurors.map((j: { id: string }) => j.id)).toEqual([...JURORS]);

    // Resume: only the flaky juror's errors are called again.
    const before = JURORS.map((j) => srv[j].requests);
    const again = await cli([...base(out), '--jury-config', juryFile(out)]);
    expect(again.code).toBe(1);
    expect(JURORS.map((j, k) => srv[j].requests - before[k]!)).toEqual([0, 0, errors]);

    // Another panel or rule on the same --out is refused, and nothing is written.
    const runJson = readFileSync(join(out, 'run.json'), 'utf8');
    const two = await cli([...base(out), '--jury-config', juryFile(tmp(), ['one', 'two'])]);
    expect(two.code).not.toBe(0);
    expect(two.stderr).toMatch(/other settings \(.*; jury \{/);
    const rule = await cli([...base(out), '--jury-config', juryFile(out), '--jury-rule', 'weighted']);
    expect(rule.code).not.toBe(0);
    expect(rule.stderr).toMatch(/other settings/);
    expect(readFileSync(join(out, 'run.json'), 'utf8')).toBe(runJson);
  });

  it('several --model values with paired --base-url values; bad jury files name the field', async () => {
    const out = tmp();
    const r = await cli([
      ...base(out),
      '--limit',
      '4',
      '--model',
      'a',
      '--model',
      'b',
      '--base-url',
      srv.one.url,
      '--base-url',
      srv.two.url,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('juror a: judged 4/4');
    expect(records(jurorFile(out, 'b')).every((x) => x.verdict === 'answer2')).toBe(true);
    const bad = join(out, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ model: 'x', weight: -1, 'base-url': srv.one.url }, { nope: 1 }]));
    const e = await cli([...base(tmp()), '--jury-config', bad]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain(`--jury-config ${bad}: jurors[0].weight must be a number >= 0`);
    expect(e.stderr).toContain('jurors[1]: unknown key "nope"');
  });

  it('SIGKILL mid-run, then a resume calls only what is missing', async () => {
    const out = tmp();
    const file = juryFile(out);
    const total = () => JURORS.reduce((s, j) => s + records(jurorFile(out, j)).length, 0);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          '--conditions=@judgekit/source',
          '--import',
          'tsx',
          cliTs,
          ...base(out),
          '--jury-config',
          file,
          '--concurrency',
          '1',
        ],
        { stdio: ['ignore', 'ignore', 'ignore'] },
      );
      const timer = setInterval(() => {
        if (total() >= 12) child.kill('SIGKILL');
      }, 2);
      child.on('error', reject);
      child.on('close', () => {
        clearInterval(timer);
        resolve();
      });
    });
    const recs = JURORS.map((j) => records(jurorFile(out, j)));
    const had = recs.map((rs) => rs.length);
    expect(had.reduce((a, b) => a + b, 0)).toBeLessThan(3 * N);
    const errs = recs.map((rs) => rs.filter((x) => x.outcome === 'error').length);
    const before = JURORS.map((j) => srv[j].requests);
    await cli([...base(out), '--jury-config', file]);
    expect(JURORS.map((j, k) => srv[j].requests - before[k]!)).toEqual(had.map((h, k) => N - h + errs[k]!));
    for (const j of JURORS) expect(new Set(records(jurorFile(out, j)).map((x) => x.index)).size).toBe(N);
  }, 60_000);
});
