import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRmBench, parseRmBench } from './rm-bench.js';

const FILE = fileURLToPath(new URL('../../../fixtures/data/rm-bench/chat_filtered.json', import.meta.url));

describe('RM-Bench chat_filtered.json (fixtures/data/rm-bench/SOURCE.md)', () => {
  it('loads 129 alpacaeval records with 3 styles each and the error fields', async () => {
    const rows = await loadRmBench(FILE);
    expect(rows).toHaveLength(129);
    expect(rows.every((r) => r.subset === 'alpacaeval')).toBe(true);
    expect(rows.every((r) => r.chosen.length === 3 && r.rejected.length === 3)).toBe(true);
    expect(rows.every((r) => typeof r.error_key === 'string' && typeof r.error === 'string')).toBe(true);
    expect(rows[0].id).toBe(8);
    expect(rows[0].prompt).toBe('What are different drawers I should have for clothes?');
    expect(rows[0].error_key).toBe('shoes');
    expect(rows[0].rejected[0]).toContain('shoes');
  });
});

describe('RM-Bench validation', () => {
  const rec = { id: 1, subset: 's', prompt: 'p', chosen: ['a', 'b', 'c'], rejected: ['d', 'e', 'f'] };
  it('requires exactly three strings per side', () => {
    expect(parseRmBench(JSON.stringify([rec]), 'rm.json')[0]).toEqual(rec);
    expect(() => parseRmBench(JSON.stringify([{ ...rec, chosen: ['a', 'b'] }]), 'rm.json')).toThrow(
      'rm.json (record 0) field `chosen`: expected an array of length 3, got length 2',
    );
    expect(() => parseRmBench(JSON.stringify([{ ...rec, rejected: ['a', null, 'c'] }]), 'rm.json')).toThrow(
      'rm.json (record 0) field `rejected[1]`: expected a string, got null',
    );
    expect(() => parseRmBench(JSON.stringify([{ ...rec, id: true }]), 'rm.json')).toThrow('field `id`');
  });
});
