/**
 * `judgekit eval --top-logprobs K` end to end against a real HTTP server on 127.0.0.1 that answers
 * PandaLM verdicts with `choices[0].logprobs.content` as vLLM does.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const data = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));
const LIMIT = 8;

interface Srv {
  url: string;
  bodies: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The server answers the longer response's number; the answer token's candidates put 0.7 on it. */
async function startServer(): Promise<Srv> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => {
      raw += d.toString();
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: { content: string }[]; model: string; logprobs?: boolean };
      bodies.push(body);
      const prompt = body.messages.map((m) => m.content).join('\n');
      const m = /### Response 1:\n([\s\S]*?)\n\n### Response 2:\n([\s\S]*?)\n\n### Evaluation:/.exec(prompt);
      const a = m?.[1]?.length ?? 0;
      const b = m?.[2]?.length ?? 0;
      const verdict = a >= b ? '1' : '2';
      const other = verdict === '1' ? '2' : '1';
      const top = [
        { token: verdict, logprob: Math.log(0.7), bytes: [verdict.charCodeAt(0)] },
        { token: other, logprob: Math.log(0.2), bytes: [other.charCodeAt(0)] },
        { token: 'Tie', logprob: Math.log(0.05), bytes: [84, 105, 101] },
      ];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: `${verdict}\n\n### Reason: length.\n` },
              logprobs:
                body.logprobs === true
                  ? {
                      content: [
                        { token: verdict, logprob: Math.log(0.7), bytes: [], top_logprobs: top },
                        { token: '\n\n', logprob: -0.01, bytes: [], top_logprobs: [] },
                      ],
                    }
                  : null,
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    bodies,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function cli(args: string[]): Promise<{ code: number | 'running'; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (x: string) => (stdout += x) },
    stderr: { write: (x: string) => (stderr += x), isTTY: false },
  });
  return { code, stdout, stderr };
}

let srv: Srv;
beforeAll(async () => {
  srv = await startServer();
});
afterAll(() => srv.close());

const args = (out: string, extra: string[] = [], template = 'pandalm/pair') => [
  'eval',
  '--data',
  data,
  '--format',
  'pandalm',
  '--template',
  template,
  '--base-url',
  srv.url,
  '--model',
  'judge-lp',
  '--limit',
  String(LIMIT),
  '--out',
  out,
  '--resamples',
  '20',
  ...extra,
];

describe('judgekit eval --top-logprobs', () => {
  it('asks for log-probs, stores the distribution per judgment, reports it, and fingerprints the run', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jk-lp-'));
    const r = await cli(args(out, ['--top-logprobs', '3']));
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(srv.bodies).toHaveLength(LIMIT);
    for (const b of srv.bodies) {
      expect(b.logprobs).toBe(true);
      expect(b.top_logprobs).toBe(3);
    }
    const records = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { verdict: string; probabilities: Record<string, unknown> });
    expect(records).toHaveLength(LIMIT);
    const mass = 0.7 + 0.2 + 0.05;
    for (const rec of records) {
      const other = rec.verdict === 'answer1' ? 'answer2' : 'answer1';
      expect(rec.probabilities.ok).toBe(true);
      expect(rec.probabilities.verdict).toBe(rec.verdict);
      expect(rec.probabilities.mass).toBeCloseTo(mass, 12);
      const d = rec.probabilities.distribution as Record<string, number>;
      expect(d[rec.verdict]).toBeCloseTo(0.7 / mass, 12);
      expect(d[other]).toBeCloseTo(0.2 / mass, 12);
      expect(d.tie).toBeCloseTo(0.05 / mass, 12);
    }
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain(`read for ${LIMIT} of ${LIMIT} judgments, mean mass 0.9500`);
    expect(md).toContain(
      `argmax of the distribution equals the sampled verdict in ${LIMIT} of ${LIMIT} (1.0000)`,
    );
    expect(md).toContain('accuracy of the argmax verdict (the distribution');
    const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(json.judges[0].probabilities.read).toBe(LIMIT);
    expect(json.judges[0].probabilities.meanMass).toBeCloseTo(mass, 12);
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.fingerprint.probabilities).toEqual({ topLogprobs: 3 });
    expect(r.stdout).toContain('argmax-of-log-probs verdict accuracy');

    // The fingerprint keeps runs with and without (or with another K) apart.
    const again = await cli(args(out));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/probabilities \{"topLogprobs":3\} → null/);
    const otherK = await cli(args(out, ['--top-logprobs', '5']));
    expect(otherK.code).toBe(1);
    expect(otherK.stderr).toMatch(/probabilities/);
    expect(srv.bodies).toHaveLength(LIMIT);
  });

  it('a format with no score or letter answer token, a bad K, or the embedded default is a usage error', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jk-lp-'));
    const before = srv.bodies.length;
    const r = await cli(args(out, ['--top-logprobs', '3'], 'judgelm/pair'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--top-logprobs: .*"judgelm-scores".*Supported: .*pandalm/);
    const k = await cli(args(out, ['--top-logprobs', '0']));
    expect(k.code).toBe(2);
    expect(k.stderr).toMatch(/--top-logprobs must be an integer in \[1, 100\]/);
    const e = await cli(['eval', '--top-logprobs', '3', '--out', out]);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/--top-logprobs needs a judge/);
    expect(srv.bodies.length).toBe(before);
  });
});
