import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRollouts, scoreRollouts } from '@judgekit/pipelines';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const rolloutsFile = fileURLToPath(
  new URL('../../../fixtures/rollouts/judgelrm-rollouts.jsonl', import.meta.url),
);

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

describe('judgekit score-rollouts', () => {
  it('writes the scored JSONL and summary equal to scoreRollouts', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jk-sr-'));
    const r = await cli(['score-rollouts', rolloutsFile, '--convention', 'verl', '--out', out]);
    expect(r.stderr).not.toMatch(/WARNING/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/16 rollouts in 4 groups \(verl\)/);
    const expected = scoreRollouts(await readRollouts(rolloutsFile), { convention: 'verl' });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.loss).toBe(expected.loss);
    const lines = readFileSync(join(out, 'scored.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.advantage)).toEqual(Array.from(expected.advantages));
  });

  it('names file:line:field for a bad line and exits 1; a missing convention is a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-sr-'));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      `${JSON.stringify({ prompt: 'p', completion: 'c', group_id: 1, ground_truth: '1 2' })}\n{"prompt": "p", "completion": 5}\n`,
    );
    const r = await cli(['score-rollouts', bad, '--convention', 'trl', '--out', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.jsonl:2 field `completion`: expected a string/);
    const u = await cli(['score-rollouts', bad]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--convention must be verl or trl/);
  });

  it('warns loudly when prompts lack the response header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-sr-'));
    const f = join(dir, 'r.jsonl');
    const line = {
      prompt: 'Judge:',
      completion: '<think>a</think><answer>8</answer><answer>6</answer>',
      ground_truth: '8 6',
    };
    writeFileSync(
      f,
      `${JSON.stringify({ ...line, group_id: 1 })}\n${JSON.stringify({ ...line, group_id: 1 })}\n`,
    );
    const r = await cli(['score-rollouts', f, '--convention', 'verl', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/WARNING: 2 of 2 rollouts have no/);
  });
});
