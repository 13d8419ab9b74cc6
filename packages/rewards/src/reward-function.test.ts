import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  handleOpenRlhfRequest,
  renderChatMl,
  toOpenRlhfRewardFunc,
  toTrlRewardFunction,
  toVerlComputeScore,
} from './adapters.js';
import { JUDGELRM_QWEN3_KK_CONFIG } from './judgelrm-reward.js';
import {
  createJudgeLrmFormatReward,
  createJudgeLrmReward,
  defineReward,
  gate,
  samplesFromColumns,
  scoreBatch,
  weightedSum,
} from './reward-function.js';

const HEADER = '<|im_start|>assistant\n<think>';
const seq = (a: number | string, b: number | string, pre = HEADER) =>
  `${pre}r</think><answer>${a}</answer><answer>${b}</answer>`;

describe('createJudgeLrmReward', () => {
  const reward = createJudgeLrmReward();
  it('scores with components and skips length terms without lengths', () => {
    const r = reward.score({ sequence: seq(8, 6), groundTruth: '8 6' });
    expect(r.total).toBe(4.2);
    expect(r.components).toMatchObject({
      format: 1,
      content: 3.2,
      relation: 2,
      absolute: 1,
      confidence: 0.2,
      length_applied: 0,
    });
    const l = reward.score({
      sequence: seq(8, 6),
      groundTruth: [8, 6],
      responseLength: 300,
      maxResponseLength: 1024,
    });
    expect(l.total).toBeCloseTo(4.4, 12);
    expect(l.components.length_applied).toBe(1);
    expect(reward.bounds).toEqual({ min: -3, max: 4.4 });
  });
  it('takes a preset as base', () => {
    const kk = createJudgeLrmReward({ base: JUDGELRM_QWEN3_KK_CONFIG, name: 'kk' });
    expect(
      kk.score({ sequence: '<think>r</think><answer>8.5</answer><answer>6</answer>', groundTruth: [8.5, 6] })
        .total,
    ).toBeCloseTo(4.2, 12);
  });
});

describe('combinators', () => {
  const judge = createJudgeLrmReward();
  const format = createJudgeLrmFormatReward();
  const short = defineReward('short', (s) => (s.sequence.length < 80 ? 1 : 0), {
    bounds: { min: 0, max: 1 },
  });
  it('weightedSum adds weighted totals and prefixes components', () => {
    const sum = weightedSum([
      { reward: judge, weight: 1 },
      { reward: short, weight: 0.5 },
    ]);
    const r = sum.score({ sequence: seq(8, 6), groundTruth: '8 6' });
    expect(r.total).toBeCloseTo(4.2 + 0.5, 12);
    expect(r.components.judgelrm).toBe(4.2);
    expect(r.components['judgelrm.format']).toBe(1);
    expect(r.components.short).toBe(1);
    expect(sum.bounds).toEqual({ min: -3, max: 4.9 });
    expect(sum.requiresGroundTruth).toBe(true);
    expect(() =>
      weightedSum([
        { reward: short, weight: 1 },
        { reward: short, weight: 1 },
      ]),
    ).toThrow(/duplicate/);
    expect(() => weightedSum([{ reward: short, weight: Number.NaN }])).toThrow(/finite/);
  });
  it('gate scores the reward only when the format passes', () => {
    const g = gate(format, short, { onFail: -1 });
    expect(g.score({ sequence: seq(8, 6) })).toMatchObject({
      total: 1,
      components: { gate: 1, gate_passed: 1, short: 1 },
    });
    const failed = g.score({ sequence: `${HEADER}<think>x</think>` });
    expect(failed.total).toBe(-1);
    expect(failed.components.gate_passed).toBe(0);
    expect(failed.components.short).toBeUndefined();
    const g2 = gate(format, short);
    expect(g2.score({ sequence: seq('x', 6) }).total).toBe(-0.5);
    expect(g2.bounds).toEqual({ min: -1, max: 1 });
  });
  it('defineReward replaces non-finite totals by bounds.min', () => {
    const nan = defineReward('nan', () => Number.NaN, { bounds: { min: -2, max: 2 } });
    expect(nan.score({ sequence: '' })).toEqual({ total: -2, components: { non_finite: 1 } });
    expect(() => defineReward('x', () => 0, { bounds: { min: 1, max: 0 } })).toThrow(/bounds/);
  });
  it('scoreBatch gives Float64Array columns', () => {
    const samples = samplesFromColumns({
      sequences: [seq(8, 6), seq(2, 9), 'junk'],
      groundTruths: ['8 6', '8 6', '8 6'],
    });
    const b = scoreBatch(judge, samples);
    expect(Array.from(b.totals)).toEqual([4.2, -0.5, -3]);
    expect(b.components.format).toBeInstanceOf(Float64Array);
    expect(Array.from(b.components.format!)).toEqual([1, 1, -1]);
    expect(() => samplesFromColumns({ sequences: ['a'], groundTruths: [] })).toThrow(/Shape mismatch/);
  });
  it('property: composed totals stay within their bounds and are finite', () => {
    const composed = weightedSum([
      { reward: gate(format, judge, { name: 'gated' }), weight: 0.7 },
      { reward: short, weight: -2 },
      { reward: format, weight: 0.3 },
    ]);
    const text = fc
      .array(
        fc.constantFrom('<think>', '</think>', '<answer>', '</answer>', HEADER, '7', '3', '11', 'x', ' '),
        { maxLength: 16 },
      )
      .map((p) => p.join(''));
    fc.assert(
      fc.property(
        text,
        fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 })),
        fc.option(fc.nat(3000)),
        (t, g, len) => {
          const sample =
            len === null
              ? { sequence: t, groundTruth: g }
              : { sequence: t, groundTruth: g, responseLength: len, maxResponseLength: 2048 };
          const r = composed.score(sample);
          expect(Number.isFinite(r.total)).toBe(true);
          expect(r.total).toBeGreaterThanOrEqual(composed.bounds.min - 1e-12);
          expect(r.total).toBeLessThanOrEqual(composed.bounds.max + 1e-12);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('adapters', () => {
  const judge = createJudgeLrmReward();
  it('TRL: standard and conversational formats, extra columns, completion_ids lengths', () => {
    const fn = toTrlRewardFunction(judge, { maxResponseLength: 1024 });
    const prompt = renderChatMl([{ role: 'user', content: 'Q' }], '<think>');
    expect(prompt.endsWith('<|im_start|>assistant\n<think>')).toBe(true);
    const out = fn({
      prompts: [prompt, [{ role: 'user', content: 'Q' }]],
      completions: [
        'r</think><answer>8</answer><answer>6</answer>',
        [{ role: 'assistant', content: 'r</think><answer>2</answer><answer>9</answer>' }],
      ],
      ground_truth: ['8 6', [8, 6]],
    });
    expect(out).toEqual([4.2, -0.5]);
    const withIds = fn({
      prompts: [prompt],
      completions: ['r</think><answer>8</answer><answer>6</answer>'],
      ground_truth: ['8 6'],
      completion_ids: [new Array(300).fill(1)],
    });
    expect(withIds[0]).toBeCloseTo(4.4, 12);
    expect(() => fn({ prompts: [prompt], completions: ['a', 'b'], ground_truth: ['8 6', '8 6'] })).toThrow(
      /Shape mismatch/,
    );
    expect(() => fn({ prompts: [prompt], completions: ['a'] })).toThrow(/ground_truth/);
  });
  it('verl: compute_score(data_source, solution_str, ground_truth, extra_info)', () => {
    const cs = toVerlComputeScore(judge, { dataSource: 'judgelrm', sequencePrefix: HEADER });
    expect(
      cs('judgelrm', 'r</think><answer>8</answer><answer>6</answer>', { solution_text_format: [8, 6] }),
    ).toBe(4.2);
    expect(
      cs('judgelrm_v2', 'r</think><answer>8</answer><answer>6</answer>', [8, 6], {
        response_length: 2048,
        max_response_length: 2048,
      }),
    ).toBeCloseTo(3.4, 12);
    expect(() => cs('gsm8k', 'x', [1, 2])).toThrow(/not handled/);
    const dict = toVerlComputeScore(judge, { returnDict: true })('any', seq(8, 6), '8 6');
    expect(dict).toMatchObject({ score: 4.2, format: 1 });
  });
  it('OpenRLHF: protocol handler and reward_func', () => {
    const res = handleOpenRlhfRequest(
      judge,
      { query: [seq(8, 6)], labels: ['8 6'], response_lengths: [2000] },
      { maxResponseLength: 2048 },
    );
    expect(res.ok && res.response.rewards[0]).toBeCloseTo(4.4, 12);
    const noMax = handleOpenRlhfRequest(judge, {
      query: [seq(8, 6)],
      labels: ['8 6'],
      response_lengths: [2000],
    });
    expect(noMax.ok && noMax.response.notes?.[0]).toMatch(/no `maxResponseLength`/);
    const func = toOpenRlhfRewardFunc(judge);
    expect(func([seq(8, 6)], ['p'], ['8 6']).rewards).toEqual([4.2]);
    expect(() => func([seq(8, 6)], ['p'], [])).toThrow(/labels/);
  });
});
