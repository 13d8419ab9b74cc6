import { fileURLToPath } from 'node:url';
import { DataFormatError, type Verdict } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import {
  checkPandaLmAlignment,
  loadPandaLmBundle,
  loadPandaLmJudgeOutputs,
  loadPandaLmTestSet,
  type PandaLmMetadata,
  parsePandaLmJudgeOutputs,
  parsePandaLmTestSet,
  renderPandaLmJudgeText,
} from './pandalm.js';

const DIR = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));

function counts(values: Iterable<unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[String(v)] = (out[String(v)] ?? 0) + 1;
  return out;
}

function meta(s: { metadata?: Record<string, unknown> }): PandaLmMetadata {
  return s.metadata as unknown as PandaLmMetadata;
}

describe('PandaLM test set (fixtures/data/pandalm/SOURCE.md)', () => {
  it('loads 999 records with the stated annotator label counts', async () => {
    const samples = await loadPandaLmTestSet(DIR);
    expect(samples).toHaveLength(999);
    const col = (k: number) => counts(samples.map((s) => meta(s).annotators[k]));
    expect(col(0)).toEqual({ answer2: 475, answer1: 427, tie: 97 });
    expect(col(1)).toEqual({ answer2: 466, answer1: 417, tie: 116 });
    expect(col(2)).toEqual({ answer2: 475, answer1: 411, tie: 113 });
    expect(samples.every((s) => s.label === undefined)).toBe(true);
    expect(samples.map((s) => s.id)).toEqual(samples.map((_, i) => String(i)));
    expect(new Set(samples.map((s) => meta(s).motivation_app)).size).toBe(50);
    expect(samples.filter((s) => meta(s).input === '')).toHaveLength(167);
  });

  it('maps the first record field by field', async () => {
    const [first] = await loadPandaLmTestSet(`${DIR}/testset-v1.json`);
    expect(first.id).toBe('0');
    expect(first.answer1).toBe('If you have any questions about my rate, please let me know.');
    expect(first.answer2).toBe('If you have any questions, please let me know.');
    expect(meta(first).cmp_key).toBe('bloom-7b_llama-7b');
    expect(meta(first).motivation_app).toBe('Grammarly');
    expect(first.question).toBe(`${meta(first).instruction}\n${meta(first).input}`);
    expect(meta(first).instruction.startsWith('The sentence you are given might be too wordy')).toBe(true);
    const [instrOnly] = await loadPandaLmTestSet(DIR, { question: 'instruction' });
    expect(instrOnly.question).toBe(meta(first).instruction);
  });

  it('casts the six boolean responses like Python str() and records it', async () => {
    const samples = await loadPandaLmTestSet(DIR);
    const coerced = samples.filter((s) => meta(s).coerced !== undefined);
    expect(coerced.map((s) => s.id)).toEqual(['157', '158', '159', '161', '162', '164']);
    for (const s of coerced) {
      for (const f of meta(s).coerced ?? []) expect(f === 'response1' ? s.answer1 : s.answer2).toBe('True');
    }
  });

  it('loads both judge-output files aligned, with the stated result types', async () => {
    const bundle = await loadPandaLmBundle(DIR);
    expect(bundle.gpt35).toHaveLength(999);
    expect(bundle.pandalm7b).toHaveLength(999);
    const gpt = counts(bundle.gpt35.map((o) => o.result));
    expect(gpt.Tie).toBe(38);
    expect(gpt.garbage).toBe(25);
    expect(bundle.gpt35.every((o) => typeof o.result === 'string' && o.judge === 'gpt')).toBe(true);
    expect(
      bundle.pandalm7b.every((o) => [0, 1, 2].includes(o.result as number) && o.judge === 'pandalm'),
    ).toBe(true);
    expect(bundle.gpt35[0]).toMatchObject({ idx: 0, result: '1' });
    expect(bundle.pandalm7b[0]).toMatchObject({
      idx: 0,
      result: 2,
      reference: 'If you have any questions, please let me know.',
    });
  });

  it('renders PandaLM output text', async () => {
    const outs = await loadPandaLmJudgeOutputs(`${DIR}/pandalm-7b-testset-v1.json`);
    expect(renderPandaLmJudgeText(outs[0])).toBe(
      `2\n\n### Reason: ${outs[0].reason}\n\n### Reference: ${outs[0].reference}\n`,
    );
    expect(renderPandaLmJudgeText({ result: 0, reason: 'r', reference: 'x' })).toBe(
      'Tie\n\n### Reason: r\n\n### Reference: x\n',
    );
    expect(renderPandaLmJudgeText({ result: 'garbage', reason: '', reference: '' })).toBe(
      'garbage\n\n### Reason: \n\n### Reference: \n',
    );
  });
});

const good = {
  idx: 0,
  motivation_app: 'm',
  cmp_key: 'a_b',
  instruction: 'Do.',
  input: '',
  response1: 'r1',
  response2: 'r2',
  annotator1: 1,
  annotator2: 2,
  annotator3: 0,
};

function err(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (e) {
    if (DataFormatError.isInstance(e)) return e as DataFormatError;
    throw e;
  }
  throw new Error('expected a DataFormatError');
}

describe('PandaLM validation', () => {
  it('parses a minimal record', () => {
    const [s] = parsePandaLmTestSet(JSON.stringify([good]), 't.json');
    expect(s).toMatchObject({ id: '0', question: 'Do.', answer1: 'r1', answer2: 'r2' });
    expect(meta(s).annotators).toEqual<Verdict[]>(['answer1', 'answer2', 'tie']);
  });

  it('rejects a label outside {0,1,2} naming file, record and field', () => {
    const e = err(() =>
      parsePandaLmTestSet(JSON.stringify([good, { ...good, idx: 1, annotator2: 3 }]), 't.json'),
    );
    expect(e.location).toEqual({ file: 't.json', record: 1, field: 'annotator2' });
    expect(e.message).toContain('t.json (record 1) field `annotator2`');
    expect(e.message).toContain('invalid PandaLM label 3');
  });

  it('rejects wrong types, missing fields and duplicate idx', () => {
    expect(
      err(() => parsePandaLmTestSet(JSON.stringify([{ ...good, annotator1: '1' }]), 't.json')).message,
    ).toContain('field `annotator1`: expected an integer, got a string');
    const { response2: _, ...missing } = good;
    expect(err(() => parsePandaLmTestSet(JSON.stringify([missing]), 't.json')).message).toContain(
      'field `response2`: missing required field',
    );
    expect(err(() => parsePandaLmTestSet(JSON.stringify([good, good]), 't.json')).message).toContain(
      'duplicate idx 0',
    );
  });

  it('checks alignment of judge outputs by idx', () => {
    const samples = parsePandaLmTestSet(JSON.stringify([good, { ...good, idx: 1 }]), 't.json');
    const outs = parsePandaLmJudgeOutputs(
      JSON.stringify([
        { idx: 0, gpt_result: '1', gpt_reason: '', gpt_reference: '' },
        { idx: 2, gpt_result: 'Tie', gpt_reason: '', gpt_reference: '' },
      ]),
      'o.json',
    );
    const e = err(() => checkPandaLmAlignment(samples, outs, 'o.json'));
    expect(e.message).toContain('o.json (record 1) field `idx`');
    expect(err(() => checkPandaLmAlignment(samples, outs.slice(0, 1), 'o.json')).message).toContain(
      '1 judgments',
    );
  });

  it('rejects judge outputs with a bad result type or missing prefix', () => {
    expect(
      err(() =>
        parsePandaLmJudgeOutputs(
          JSON.stringify([{ idx: 0, gpt_result: null, gpt_reason: '', gpt_reference: '' }]),
          'o.json',
        ),
      ).message,
    ).toContain('field `gpt_result`');
    expect(err(() => parsePandaLmJudgeOutputs(JSON.stringify([{ idx: 0 }]), 'o.json')).message).toContain(
      '_result',
    );
    expect(
      err(() =>
        parsePandaLmJudgeOutputs(
          JSON.stringify([
            { idx: 0, gpt_result: '1', gpt_reason: '', gpt_reference: '' },
            { idx: 1, pandalm_result: 1, pandalm_reason: '', pandalm_reference: '' },
          ]),
          'o.json',
        ),
      ).location,
    ).toEqual({ file: 'o.json', record: 1, field: 'gpt_result' });
  });
});
