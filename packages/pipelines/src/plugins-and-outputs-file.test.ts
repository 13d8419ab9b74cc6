import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DataFormatError } from '@judgekit/core';
import { getParser, unregisterJudgeFormat } from '@judgekit/parsers';
import { afterAll, describe, expect, it } from 'vitest';
import { loadJudgeOutputsFile } from './judge-outputs-file.js';
import { loadJudgekitPlugin } from './judgekit-plugins.js';

const dir = mkdtempSync(join(tmpdir(), 'judgekit-plugin-'));

describe('loadJudgekitPlugin', () => {
  afterAll(() => unregisterJudgeFormat('test-lab/yes-no'));
  it('runs register(judgekit) and reports what was added', async () => {
    const file = join(dir, 'yes-no.mjs');
    writeFileSync(
      file,
      `export function register(jk) {
        jk.registerJudgeFormat({ id: 'test-lab/yes-no', description: 'yes = first better', kind: 'pairwise',
          parse: (t) => t.trim() === 'yes' ? jk.parseSuccess({ kind: 'pairwise', verdict: 'answer1' }, t)
            : t.trim() === 'no' ? jk.parseSuccess({ kind: 'pairwise', verdict: 'answer2' }, t)
            : jk.parseFailure('not-yes-no', 'neither yes nor no', t) });
      }`,
    );
    const loaded = await loadJudgekitPlugin(file);
    expect(loaded.outputFormats).toEqual(['test-lab/yes-no']);
    expect(getParser('test-lab/yes-no')!.parse('no')).toMatchObject({
      ok: true,
      value: { verdict: 'answer2' },
    });
  });
  it('a missing file, a throwing module or a plugin that registers nothing is a ConfigError naming it', async () => {
    await expect(loadJudgekitPlugin(join(dir, 'absent.mjs'))).rejects.toThrow(/absent\.mjs: no such file/);
    const throws = join(dir, 'throws.mjs');
    writeFileSync(throws, 'export function register() { throw new Error("bad plugin"); }');
    await expect(loadJudgekitPlugin(throws)).rejects.toThrow(/throws\.mjs: bad plugin/);
    const empty = join(dir, 'empty.mjs');
    writeFileSync(empty, 'export const x = 1;');
    const err = await loadJudgekitPlugin(empty).catch((e: unknown) => e);
    expect(ConfigError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/registered nothing/);
  });
});

describe('loadJudgeOutputsFile', () => {
  it('reads dotted fields, labels in several spellings and groups', async () => {
    const file = join(dir, 'outputs.jsonl');
    writeFileSync(
      file,
      [
        { pair_id: 'a', label: 'A>B', source: 's1', j: [{ r: 'x' }, { r: 'y' }] },
        { pair_id: 'b', label: 2, source: 's2', j: [{ r: null }, { r: 'z' }] },
        { pair_id: 'c', label: 'tie', j: [{ r: 'q' }, { r: 'w' }] },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n'),
    );
    const out = await loadJudgeOutputsFile(file, {
      id: 'pair_id',
      output: 'j.0.r',
      swappedOutput: 'j.1.r',
      group: 'source',
    });
    expect(out).toEqual({
      ids: ['a', 'b', 'c'],
      outputs: ['x', '', 'q'],
      swappedOutputs: ['y', 'z', 'w'],
      labels: ['answer1', 'answer2', 'tie'],
      groups: ['s1', 's2', null],
      nullOutputs: 1,
    });
  });
  it('errors name file, line and field', async () => {
    const file = join(dir, 'bad.jsonl');
    const write = (rows: unknown[]) => writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    write([
      { id: 1, output: 'x', label: 'A>B' },
      { id: 2, output: 'y', label: 'maybe' },
    ]);
    await expect(loadJudgeOutputsFile(file)).rejects.toThrow(
      /bad\.jsonl:2 field `label`: unknown label "maybe"/,
    );
    write([{ id: 1, output: 3 }]);
    await expect(loadJudgeOutputsFile(file)).rejects.toThrow(/bad\.jsonl:1 field `output`/);
    write([
      { id: 1, output: 'a', swapped_output: 'b' },
      { id: 2, output: 'c' },
    ]);
    const err = await loadJudgeOutputsFile(file).catch((e: unknown) => e);
    expect(DataFormatError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(/bad\.jsonl:2 field `swapped_output`: missing here/);
  });
});
