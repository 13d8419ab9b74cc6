import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRewardBenchPairs, parseRewardBenchPairs } from './reward-bench.js';

describe('RewardBench-style pairs', () => {
  it('parses JSONL with optional id and subset', () => {
    const text = [
      '{"prompt":"p1","chosen":"c1","rejected":"r1","subset":"alpacaeval-easy","id":30}',
      '',
      '{"prompt":"p2","chosen":"c2","rejected":"r2","extra":1}',
    ].join('\n');
    expect(parseRewardBenchPairs(text, 'rb.jsonl')).toEqual([
      {
        id: 30,
        prompt: 'p1',
        chosen: 'c1',
        rejected: 'r1',
        subset: 'alpacaeval-easy',
        source: { file: 'rb.jsonl', line: 1 },
      },
      { prompt: 'p2', chosen: 'c2', rejected: 'r2', source: { file: 'rb.jsonl', line: 3 } },
    ]);
  });

  it('parses a JSON array file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'judgekit-rb-'));
    try {
      const path = join(dir, 'pairs.json');
      await writeFile(path, JSON.stringify([{ prompt: 'p', chosen: 'c', rejected: 'r', id: 'x' }]));
      expect(await loadRewardBenchPairs(path)).toEqual([
        { id: 'x', prompt: 'p', chosen: 'c', rejected: 'r', source: { file: path, record: 0 } },
      ]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('names file, line and field of a missing or mistyped field', () => {
    expect(() =>
      parseRewardBenchPairs(
        '{"prompt":"p","chosen":"c","rejected":"r"}\n{"prompt":"p","chosen":"c"}\n',
        'rb.jsonl',
      ),
    ).toThrow('rb.jsonl:2 field `rejected`: missing required field (expected a string)');
    expect(() => parseRewardBenchPairs('{"prompt":"p","chosen":["c"],"rejected":"r"}', 'rb.jsonl')).toThrow(
      'rb.jsonl:1 field `chosen`: expected a string, got an array of length 1',
    );
    expect(() =>
      parseRewardBenchPairs('{"prompt":"p","chosen":"c","rejected":"r","subset":3}', 'rb.jsonl'),
    ).toThrow('rb.jsonl:1 field `subset`');
    expect(() => parseRewardBenchPairs('[1]', 'rb.json')).toThrow(
      'rb.json (record 0): expected a JSON object, got a number (1)',
    );
  });
});
