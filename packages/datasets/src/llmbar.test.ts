import { fileURLToPath } from 'node:url';
import { DataFormatError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { loadLlmBar, parseLlmBar } from './llmbar.js';

const ROOT = fileURLToPath(new URL('../../../fixtures/data/llmbar/Dataset/', import.meta.url));

// path → [records, label 1, label 2] from fixtures/data/llmbar/SOURCE.md
const TABLE: [string, number, number, number][] = [
  ['LLMBar/Natural', 100, 42, 58],
  ['LLMBar/Adversarial/Neighbor', 134, 75, 59],
  ['LLMBar/Adversarial/GPTInst', 92, 45, 47],
  ['LLMBar/Adversarial/GPTOut', 47, 22, 25],
  ['LLMBar/Adversarial/Manual', 46, 22, 24],
  ['Processed/FairEval', 66, 41, 25],
  ['Processed/LLMEval^2', 200, 92, 108],
  ['Processed/MT-Bench', 200, 101, 99],
  ['CaseStudy/Constraint', 89, 43, 46],
  ['CaseStudy/Negation', 59, 26, 33],
  ['CaseStudy/Normal', 59, 33, 26],
  ['CaseStudy/Base_9', 54, 25, 29],
  ['CaseStudy/Base_10', 54, 29, 25],
];

describe('LLMBar bundled files', () => {
  it.each(TABLE)('%s: %i records, labels %i / %i', async (path, n, l1, l2) => {
    const samples = await loadLlmBar(`${ROOT}${path}/dataset.json`);
    expect(samples).toHaveLength(n);
    expect(samples.filter((s) => s.label === 'answer1')).toHaveLength(l1);
    expect(samples.filter((s) => s.label === 'answer2')).toHaveLength(l2);
  });

  it('maps the first Natural record', async () => {
    const [first] = await loadLlmBar(`${ROOT}LLMBar/Natural/dataset.json`, { idPrefix: 'natural-' });
    expect(first.id).toBe('natural-0');
    expect(first.question.startsWith('Summarize the following content.\n\nMy girlfriend is Malaysian')).toBe(
      true,
    );
    expect(first.answer2).toBe(
      'My girlfriend is Malaysian and has been studying in the UK for the past 3 years. We have been in a relationship for 2 ½ years now.',
    );
    expect(first.label).toBe('answer1');
  });

  it('LLMBar proper has 419 instances', async () => {
    let total = 0;
    for (const [path, n] of TABLE.slice(0, 5)) {
      total += (await loadLlmBar(`${ROOT}${path}/dataset.json`)).length;
      expect(n).toBeGreaterThan(0);
    }
    expect(total).toBe(419);
  });
});

describe('LLMBar validation', () => {
  const rec = { input: 'q', output_1: 'a', output_2: 'b', label: 2 };
  it('rejects label 0 and non-string outputs, naming file, record and field', () => {
    try {
      parseLlmBar(JSON.stringify([rec, { ...rec, label: 0 }]), 'llmbar.json');
      expect.unreachable();
    } catch (e) {
      expect(DataFormatError.isInstance(e)).toBe(true);
      expect((e as Error).message).toBe(
        'llmbar.json (record 1) field `label`: invalid LLMBar label 0; expected 1 (output_1 better) or 2 (output_2 better)',
      );
    }
    expect(() => parseLlmBar(JSON.stringify([{ ...rec, output_1: 5 }]), 'llmbar.json')).toThrow(
      'llmbar.json (record 0) field `output_1`: expected a string, got a number (5)',
    );
    expect(() => parseLlmBar('[{"input": "q",]', 'llmbar.json')).toThrow(
      /llmbar\.json:1: invalid JSON at column 16/,
    );
  });
});
