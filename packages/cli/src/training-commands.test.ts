import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRollouts, scoreRollouts } from '@judgekit/pipelines';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const pandalm = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));
const rolloutsFile = fileURLToPath(
  new URL('../../../fixtures/rollouts/judgelrm-rollouts.jsonl', import.meta.url),
);

// biome-ignore lint/suspicious/noExplicitAny: test helper reads arbitrary JSON rows
const jsonl = (file: string): any[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

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

  it('--backend runs the loss through the webgpu op, prints the choice and records it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jk-sr-'));
    const r = await cli([
      'score-rollouts',
      rolloutsFile,
      '--convention',
      'verl',
      '--out',
      out,
      '--backend',
      'auto',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^backend: judgekit\/webgpu: (webgpu on|cpu backend)/m);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.backend).toMatchObject({ requested: 'auto', computedBy: 'grpoClipKlLoss' });
    expect(r.stdout).toContain(`(${summary.backend.chosen}, ${summary.backend.precision})`);
    const expected = scoreRollouts(await readRollouts(rolloutsFile), { convention: 'verl' });
    expect(Math.abs(summary.loss - expected.loss)).toBeLessThanOrEqual(1e-6 + 1e-4 * Math.abs(expected.loss));
    const t = await cli([
      'score-rollouts',
      rolloutsFile,
      '--convention',
      'trl',
      '--out',
      out,
      '--backend',
      'cpu',
    ]);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/verl's loss only/);
    const u = await cli(['score-rollouts', rolloutsFile, '--convention', 'verl', '--backend', 'tpu']);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/--backend must be cpu, webgpu or auto/);
  }, 300_000);

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

describe('judgekit make-data', () => {
  it('builds JudgeLM SFT rows from PandaLM with a named verdict-score convention; they load back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-md-'));
    const out = join(dir, 'sft.jsonl');
    const r = await cli([
      'make-data',
      'judgelm-sft',
      '--data',
      pandalm,
      '--format',
      'pandalm',
      '--out',
      out,
      '--verdict-scores',
      '8,4,6',
      '--limit',
      '50',
      '--seed',
      '3',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^50 SFT rows \(prompt-completion\): \d+ swapped/);
    const rows: { prompt: string; completion: string; swapped: boolean }[] = jsonl(out);
    expect(rows).toHaveLength(50);
    expect(rows.every((x) => ['8 4', '4 8', '6 6'].includes(x.completion))).toBe(true);
    expect(rows.some((x) => x.swapped) && rows.some((x) => !x.swapped)).toBe(true);
    const noConvention = await cli([
      'make-data',
      'judgelm-sft',
      '--data',
      pandalm,
      '--format',
      'pandalm',
      '--out',
      out,
    ]);
    expect(noConvention.code).toBe(1);
    expect(noConvention.stderr).toMatch(/--verdict-scores/);
  });

  it('builds DPO pairs from rollouts and SPIN rounds from files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-md-'));
    const dpo = join(dir, 'dpo.jsonl');
    const r = await cli(['make-data', 'dpo', '--rollouts', rolloutsFile, '--out', dpo]);
    expect(r.code).toBe(0);
    const pairs = jsonl(dpo);
    expect(pairs).toHaveLength(4);
    expect(pairs[0]!.chosen).toContain('<answer>');
    const sft = join(dir, 'sft.jsonl');
    const g0 = join(dir, 'g0.jsonl');
    writeFileSync(sft, `${JSON.stringify({ prompt: 'a', completion: 'gold' })}\n`);
    writeFileSync(g0, `${JSON.stringify({ prompt: 'a', completion: 'gen0' })}\n`);
    const spin = join(dir, 'spin.jsonl');
    const s = await cli([
      'make-data',
      'spin',
      '--sft',
      sft,
      '--round',
      '0',
      '--generations',
      `0=${g0}`,
      '--out',
      spin,
    ]);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/1 SPIN rows for iteration 0 .*beta 0.1/);
    expect(jsonl(spin)[0]).toMatchObject({ prompt: 'a', chosen: 'gold', rejected: 'gen0' });
    writeFileSync(g0, '{"prompt": "a"}\n');
    const bad = await cli([
      'make-data',
      'spin',
      '--sft',
      sft,
      '--round',
      '0',
      '--generations',
      `0=${g0}`,
      '--out',
      spin,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/g0\.jsonl:1 field `completion`: missing/);
  });
});

describe('judgekit train-head', () => {
  it('trains a head on preference pairs, writes checkpoint, history and a judge report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-th-'));
    const prefs = join(dir, 'prefs.jsonl');
    const good = ['accurate', 'detailed', 'correct', 'clear'];
    const bad = ['wrong', 'vague', 'rude', 'sloppy'];
    const rows = Array.from({ length: 120 }, (_, i) =>
      JSON.stringify({
        prompt: `q${i % 5}`,
        chosen: `the answer is ${good[i % 4]} and ${good[(i + 1) % 4]}`,
        rejected: `the answer is ${bad[i % 4]} and ${bad[(i + 3) % 4]}`,
      }),
    );
    writeFileSync(prefs, `${rows.join('\n')}\n`);
    const out = join(dir, 'head');
    const r = await cli([
      'train-head',
      '--data',
      prefs,
      '--format',
      'preference',
      '--out',
      out,
      '--features',
      'hashing:64',
      '--resamples',
      '50',
      '--seed',
      '4',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^epoch 1: train loss/);
    const acc = Number(/validation accuracy ([\d.]+)/.exec(r.stdout)![1]);
    expect(acc).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(JSON.stringify(report)).toContain('"accuracy":1');
    expect(readFileSync(join(out, 'history.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'head.safetensors')).length).toBeGreaterThan(64 * 8);
    const bad2 = await cli([
      'train-head',
      '--data',
      prefs,
      '--format',
      'preference',
      '--out',
      out,
      '--features',
      'bogus',
    ]);
    expect(bad2.code).toBe(2);
  });
});

describe('judgekit train-head --features onnx:DIR', () => {
  it('embeds the answers with the tiny ONNX encoder and trains a head on them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-tho-'));
    const prefs = join(dir, 'prefs.jsonl');
    const rows = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({ prompt: `q${i}`, chosen: `a careful answer number ${i}`, rejected: `no ${i}` }),
    );
    writeFileSync(prefs, `${rows.join('\n')}\n`);
    const model = fileURLToPath(new URL('../../../fixtures/models/tiny-distilbert-encoder', import.meta.url));
    const out = join(dir, 'head');
    const args = ['train-head', '--data', prefs, '--format', 'preference', '--out', out];
    const r = await cli([...args, '--features', `onnx:${model}`, '--resamples', '20', '--max-epochs', '3']);
    expect(r.stderr).toMatch(/^onnx features: 60\/60 texts$/m);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/validation accuracy [\d.]+/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(JSON.stringify(report)).toContain('onnx:tiny-distilbert-encoder:mean');
    const missing = await cli([...args, '--features', `onnx:${join(dir, 'nope')}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
  }, 120_000);
});

describe('judgekit train-grpo', () => {
  it('config "backend" runs the loss step through the webgpu ops and prints the choice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-grpob-'));
    const cfg = join(dir, 'grpo.json');
    const base = {
      data: { path: pandalm, format: 'pandalm', limit: 50 },
      verdictScores: { winner: 8, loser: 4, tie: 6 },
      steps: 3,
      out: 'run',
    };
    writeFileSync(cfg, JSON.stringify({ ...base, backend: 'auto' }));
    const r = await cli(['train-grpo', '--config', cfg]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^backend: judgekit\/webgpu: (webgpu on|cpu backend)/m);
    expect(jsonl(join(dir, 'run', 'steps.jsonl'))).toHaveLength(3);
    writeFileSync(cfg, JSON.stringify({ ...base, backend: 'tpu' }));
    const bad = await cli(['train-grpo', '--config', cfg]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/`backend` must be "cpu", "webgpu" or "auto"/);
  }, 300_000);

  it('trains from a config, writes per-step JSONL, an SVG plot and the policy; a bad key names the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-grpo-'));
    const cfg = join(dir, 'grpo.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        data: { path: pandalm, format: 'pandalm', limit: 100 },
        verdictScores: { winner: 8, loser: 4, tie: 6 },
        steps: 12,
        out: 'run',
      }),
    );
    const r = await cli(['train-grpo', '--config', cfg]);
    expect(r.stderr).toMatch(/^step 1: reward/);
    expect(r.code).toBe(0);
    const steps = jsonl(join(dir, 'run', 'steps.jsonl'));
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(steps[0].judgeRewardMean).toBe(-3);
    expect(readFileSync(join(dir, 'run', 'reward.svg'), 'utf8')).toMatch(/^<svg[\s\S]*JudgeLRM reward/);
    expect(readFileSync(join(dir, 'run', 'policy.safetensors')).length).toBeGreaterThan(100);
    writeFileSync(
      cfg,
      JSON.stringify({
        data: { path: pandalm, format: 'pandalm' },
        verdictScores: { winner: 8, loser: 4, tie: 6 },
        stepz: 3,
      }),
    );
    const bad = await cli(['train-grpo', '--config', cfg]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/grpo\.json: `stepz` is not a config key/);
  });
});
