import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  JUDGELRM_PAPER_TABLE10_CONFIG,
  JUDGELRM_PAPER_TABLE11_CONFIG,
  JUDGELRM_QWEN3_EXPERIMENTAL_CONFIG,
  JUDGELRM_QWEN3_KK_CONFIG,
  JUDGELRM_QWEN3_KKDPO_CONFIG,
  computeJudgeLrmScore,
  extractSolution,
  judgeLrmRewardBounds,
  parseSolutionTextFormat,
  resolveJudgeLrmConfig,
  structureScore,
  validateResponseStructure,
} from './judgelrm-reward.js';

interface GoldenCase {
  name: string;
  solution_str: string;
  ground_truth: [number, number] | string;
  response_length: number;
  max_response_length: number;
  format_reward: number;
  answer_reward: number;
  reward_ablation: string;
  reward: number;
}

const golden = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/judgelrm-reward.json', import.meta.url), 'utf8'),
) as { cases: GoldenCase[] };

describe('JudgeLRM reward: golden cases from upstream compute_score', () => {
  it('has all 91 cases', () => {
    expect(golden.cases.length).toBe(91);
  });
  for (const c of golden.cases) {
    it(c.name, () => {
      // A string ground truth is the single element of the array upstream received.
      const gt = typeof c.ground_truth === 'string' ? [c.ground_truth] : c.ground_truth;
      const r = computeJudgeLrmScore(c.solution_str, gt, {
        formatReward: c.format_reward,
        answerReward: c.answer_reward,
        rewardAblation: c.reward_ablation,
        responseLength: c.response_length,
        maxResponseLength: c.max_response_length,
      });
      expect(r.total).toBe(c.reward); // bit-exact
      expect(r.total).toBe(r.format + r.content);
      // The bare string form gives the same result.
      if (typeof c.ground_truth === 'string') {
        const r2 = computeJudgeLrmScore(c.solution_str, c.ground_truth, {
          formatReward: c.format_reward,
          answerReward: c.answer_reward,
          rewardAblation: c.reward_ablation,
          responseLength: c.response_length,
          maxResponseLength: c.max_response_length,
        });
        expect(r2.total).toBe(c.reward);
      }
    });
  }
});

const P = '<|im_start|>system\nsys<|im_end|>\n<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n<think>';
const wl = { rewardAblation: 'reward_w_length' };

describe('spec §1.8 worked examples (reward_w_length)', () => {
  const rows: [string, string, unknown, number][] = [
    ['A', ' A1 is correct.</think><answer>8</answer><answer>4</answer><|im_end|>', [8, 4], 4.2],
    ['B', ' ...</think><answer>9</answer><answer>4</answer><|im_end|>', [8, 4], 3.8],
    ['C', ' ...</think><answer>7</answer><answer>5</answer><|im_end|>', [8, 4], 3.6],
    ['D', ' ...</think><answer>10</answer><answer>1</answer><|im_end|>', [7, 6], 3.2],
    ['E', ' ...</think><answer>4</answer><answer>8</answer><|im_end|>', [8, 4], -0.5],
    ['F', ' ...</think><answer>6</answer><answer>6</answer><|im_end|>', [8, 4], 3.0],
    ['G', ' ...</think><answer>6</answer><answer>6</answer><|im_end|>', [4, 8], -0.5],
    ['H', ' ...</think><answer>7</answer><answer>5</answer>', [7, 7], 3.8],
    ['I', ' ...</think><answer>5</answer><answer>7</answer>', [7, 7], -0.5],
    ['J', '<think> ...</think><answer>8</answer><answer>4</answer>', [8, 4], -3.0],
    ['K', ' ...</think><answer>8.5</answer><answer>4</answer>', [8, 4], -2.5],
    ['L', ' ...</think><answer>11</answer><answer>4</answer>', [8, 4], -2.5],
    ['M', ' ...</think><answer>8 4</answer>', [8, 4], -3.0],
    ['N', ' <answer>8</answer><answer>4</answer></think>', [8, 4], -3.0],
    ['O', ' ...</think><answer>9</answer><answer>4</answer>', [8.5, 4], 3.8],
    ['P', ' ...</think><answer> 8 </answer>\n<answer>4</answer>', [8, 4], 4.2],
    ['Q', ' ...</think><answer>8</answer><answer>4</answer><answer>4</answer>', [8, 4], -3.0],
  ];
  for (const [name, completion, gt, total] of rows) {
    it(name, () => {
      expect(computeJudgeLrmScore(P + completion, gt, wl).total).toBeCloseTo(total, 12);
    });
  }
  it('base_reward with 300 tokens: A 4.4, E -0.3, F 3.2; malformed unchanged', () => {
    const o = { responseLength: 300, maxResponseLength: 2048 };
    expect(
      computeJudgeLrmScore(`${P}x</think><answer>8</answer><answer>4</answer>`, [8, 4], o).total,
    ).toBeCloseTo(4.4, 12);
    expect(
      computeJudgeLrmScore(`${P}x</think><answer>4</answer><answer>8</answer>`, [8, 4], o).total,
    ).toBeCloseTo(-0.3, 12);
    expect(
      computeJudgeLrmScore(`${P}x</think><answer>6</answer><answer>6</answer>`, [8, 4], o).total,
    ).toBeCloseTo(3.2, 12);
    expect(
      computeJudgeLrmScore(`${P}<think>x</think><answer>8</answer><answer>4</answer>`, [8, 4], o).total,
    ).toBe(-3);
  });
  it('reward_wo_score: correct relation 3.0, wrong -0.5', () => {
    const o = { rewardAblation: 'reward_wo_score' };
    expect(computeJudgeLrmScore(`${P}x</think><answer>9</answer><answer>1</answer>`, [8, 4], o).total).toBe(
      3,
    );
    expect(computeJudgeLrmScore(`${P}x</think><answer>1</answer><answer>9</answer>`, [8, 4], o).total).toBe(
      -0.5,
    );
  });
});

describe('breakdown and options', () => {
  it('returns components that add up', () => {
    const r = computeJudgeLrmScore(`${P}x</think><answer>9</answer><answer>4</answer>`, [8, 4], {
      responseLength: 300,
      maxResponseLength: 300,
    });
    expect(r).toMatchObject({
      format: 1,
      structure: 1,
      relation: 2,
      absolute: 0.6,
      confidence: 0.2,
      lengthBonus: 0.2,
      lengthPenalty: -1,
      lengthApplied: true,
      predicted: [9, 4],
      expected: [8, 4],
      outcome: 'scored',
    });
    expect(r.total).toBe(r.format + r.content);
  });
  it('skipLengthTerms drops the length terms in base_reward mode', () => {
    const r = computeJudgeLrmScore(`${P}x</think><answer>8</answer><answer>4</answer>`, [8, 4], {
      skipLengthTerms: true,
    });
    expect(r.total).toBe(4.2);
    expect(r.lengthApplied).toBe(false);
  });
  it("relation 'sign' separates ties (paper Eq. 2)", () => {
    const tie = `${P}x</think><answer>6</answer><answer>6</answer>`;
    expect(computeJudgeLrmScore(tie, [8, 4], { ...wl }).total).toBe(3);
    expect(computeJudgeLrmScore(tie, [8, 4], { ...wl, relation: 'sign' }).total).toBe(-0.5);
    expect(computeJudgeLrmScore(tie, [5, 5], { ...wl, relation: 'sign' }).total).toBeCloseTo(3.8, 12);
    const first = `${P}x</think><answer>7</answer><answer>3</answer>`;
    expect(computeJudgeLrmScore(first, [5, 5], { ...wl, relation: 'sign' }).total).toBe(-0.5);
  });
  it('invalid ground truth gives -2.0', () => {
    const t = `${P}x</think><answer>8</answer><answer>4</answer>`;
    for (const gt of [
      null,
      undefined,
      7,
      {},
      [1, 2, 3],
      ['eight six'],
      [['8 6']],
      [null, 2],
      { solution_text_format: 'x' },
    ]) {
      const r = computeJudgeLrmScore(t, gt);
      expect(r.total).toBe(-2);
      expect(r.outcome).toBe('invalid-ground-truth');
    }
    expect(computeJudgeLrmScore(t, { solution_text_format: [8, 4] }, wl).total).toBeCloseTo(4.2, 12);
    expect(computeJudgeLrmScore(t, new Float64Array([8, 4]), wl).total).toBeCloseTo(4.2, 12);
  });
  it('parses gold text like Python int() (signs, underscores, unicode digits, whitespace)', () => {
    expect(parseSolutionTextFormat('8 6\nwhy')).toEqual([8, 6]);
    expect(parseSolutionTextFormat(' +8\t-0 ')).toEqual([8, 0]);
    expect(parseSolutionTextFormat('1_0 ８')).toEqual([10, 8]);
    expect(parseSolutionTextFormat('8\u00a06')).toEqual([8, 6]);
    expect(parseSolutionTextFormat('8\r6')).toEqual([8, 6]); // \r is whitespace for split()
    expect(parseSolutionTextFormat('8.0 6')).toBeNull();
    expect(parseSolutionTextFormat('8.5 6', 'float')).toEqual([8.5, 6]);
    expect(parseSolutionTextFormat('1__0 6')).toBeNull();
    expect(parseSolutionTextFormat('8\ufeff 6')).toBeNull(); // U+FEFF is not Python whitespace
    expect(parseSolutionTextFormat('99999999999999999999 1')).toEqual([99999999999999999999n, 1]);
  });
  it('big-integer gold scores compare exactly', () => {
    const t = `${P}x</think><answer>8</answer><answer>4</answer>`;
    // g1 < g2 by 1 although both round to the same double.
    expect(computeJudgeLrmScore(t, '100000000000000000000 100000000000000000001', wl).total).toBe(-0.5);
  });
  it('extractSolution and validateResponseStructure follow upstream quirks', () => {
    expect(extractSolution('no header <answer>1</answer><answer>2</answer>').scores).toBeNull();
    expect(
      extractSolution('no header <answer>1</answer><answer>2</answer>', { requireHeader: false }).scores,
    ).toEqual([1, 2]);
    expect(extractSolution('Assistant:<answer>\u20038\u2003</answer><answer>٣</answer>').scores).toEqual([
      8, 3,
    ]);
    expect(extractSolution('Assistant:<answer>8\ufeff</answer><answer>3</answer>').scores).toBeNull();
    // Three matches: the first two are still extracted.
    expect(
      extractSolution('Assistant:<answer>8</answer><answer>3</answer><answer>1</answer>').scores,
    ).toEqual([8, 3]);
    expect(validateResponseStructure('<think></think><answer>8</answer><answer>x</answer>').score).toBe(-0.5);
    expect(
      validateResponseStructure('</think><answer>8</answer><answer>3</answer>', { check: 'qwen3' }).score,
    ).toBe(-1);
    expect(
      validateResponseStructure('</think><answer>8</answer><answer>3</answer>', { check: 'qwen3-lenient' })
        .score,
    ).toBe(1);
    expect(
      validateResponseStructure('<answer>8.5</answer><answer>3</answer>', { check: 'qwen3', parse: 'float' })
        .score,
    ).toBe(1);
  });
  it('custom format constants replace upstream 1 / -0.5 / -1 (structureScore)', () => {
    const constants = { formatOk: 2, formatBadScore: -0.25, formatBadTags: -3 };
    const ok = '<|im_start|>assistant\n<think>x</think><answer>8</answer><answer>6</answer>';
    const badScore = '<|im_start|>assistant\n<think>x</think><answer>8</answer><answer>y</answer>';
    const badTags = '<|im_start|>assistant\n<answer>8</answer><answer>6</answer>';
    const structures = [ok, badScore, badTags].map(
      (t) => computeJudgeLrmScore(t, [8, 6], { constants, rewardAblation: 'reward_wo_length' }).structure,
    );
    expect(structures).toEqual([2, -0.25, -3]);
    expect(structureScore(validateResponseStructure('<answer>8</answer><answer>6</answer>'), constants)).toBe(
      -3,
    );
    expect(validateResponseStructure('<answer>8</answer><answer>6</answer>')).toEqual({
      score: -1,
      reason: 'tag-count',
    });
    expect(computeJudgeLrmScore(badTags, [8, 6]).reason).toBe('tag-count');
  });
  it('negative format weight lets content be scored when the format fails (upstream `format_score > 0`)', () => {
    const r = computeJudgeLrmScore('<|im_start|>assistant\n<answer>8</answer><answer>6</answer>', [8, 6], {
      formatReward: -1,
      rewardAblation: 'reward_wo_length',
    });
    expect(r.format).toBe(1);
    expect(r.total).toBeCloseTo(4.2, 12);
  });
});

describe('Qwen3 and paper presets', () => {
  const t = '<think>x</think><answer>8.5</answer><answer>4</answer>';
  it('kk.py: float scores, whole string without header, +1.8 length bonus under reward_w_length', () => {
    expect(computeJudgeLrmScore(t, [8.5, 4], JUDGELRM_QWEN3_KK_CONFIG).total).toBeCloseTo(4.2, 12);
    expect(
      computeJudgeLrmScore(t, [8.5, 4], {
        ...JUDGELRM_QWEN3_KK_CONFIG,
        rewardAblation: 'reward_w_length',
        responseLength: 300,
        maxResponseLength: 2048,
      }).total,
    ).toBeCloseTo(6.0, 12);
    expect(
      computeJudgeLrmScore(
        '</think><answer>8</answer><answer>4</answer>',
        '8.0 4.0',
        JUDGELRM_QWEN3_KK_CONFIG,
      ).total,
    ).toBe(-3);
    expect(
      computeJudgeLrmScore(
        '</think><answer>8</answer><answer>4</answer>',
        '8.0 4.0',
        JUDGELRM_QWEN3_KKDPO_CONFIG,
      ).total,
    ).toBeCloseTo(4.2, 12);
  });
  it('judgelrmqwen3.py: int() in the format check, close match -1.5, confidence +1.8', () => {
    expect(computeJudgeLrmScore(t, [8.5, 4], JUDGELRM_QWEN3_EXPERIMENTAL_CONFIG).total).toBe(-2.5);
    const r = computeJudgeLrmScore(
      '<think>x</think><answer>9</answer><answer>4</answer>',
      [8, 4],
      JUDGELRM_QWEN3_EXPERIMENTAL_CONFIG,
    );
    expect(r.total).toBeCloseTo(1 + 2 - 1.5 + 1.8, 12);
  });
  it('paper Table 10/11 constants', () => {
    const s = '<|im_start|>assistant\n<think>x</think><answer>9</answer><answer>4</answer>';
    expect(
      computeJudgeLrmScore(s, [8, 4], { ...JUDGELRM_PAPER_TABLE10_CONFIG, rewardAblation: 'x' }).total,
    ).toBeCloseTo(1 + 1.1 + 0.5 + 0.4, 12);
    expect(
      computeJudgeLrmScore(s, [8, 4], { ...JUDGELRM_PAPER_TABLE11_CONFIG, rewardAblation: 'x' }).total,
    ).toBeCloseTo(1 + 1 + 1.5 + 1.8, 12);
  });
  it('rejects invalid configuration', () => {
    expect(() => resolveJudgeLrmConfig({ formatReward: Number.NaN })).toThrow(/formatReward/);
    expect(() => resolveJudgeLrmConfig({ constants: { confidence: Number.POSITIVE_INFINITY } })).toThrow(
      /confidence/,
    );
    expect(() => resolveJudgeLrmConfig({ relation: 'gt' as never })).toThrow(/relation/);
  });
});

describe('properties', () => {
  const tagged = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '<think>',
          '</think>',
          '<answer>',
          '</answer>',
          'Assistant:',
          '<|im_start|>assistant',
          ' ',
          '\n',
        ),
        fc.integer({ min: -3, max: 14 }).map(String),
        fc.constantFrom('8.5', '٣', '１0', '+7', '1_0', '\ufeff', '\u00a0'),
        fc.string({ maxLength: 6 }),
      ),
      { maxLength: 24 },
    )
    .map((parts) => parts.join(''));
  const gt = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 })),
    fc.tuple(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: -20, max: 20, noNaN: true })),
    fc.string({ maxLength: 12 }),
  );
  const options = fc.record({
    formatReward: fc.double({ min: -3, max: 3, noNaN: true }),
    answerReward: fc.double({ min: -3, max: 3, noNaN: true }),
    rewardAblation: fc.constantFrom('base_reward', 'reward_wo_score', 'reward_wo_length', 'reward_w_length'),
    relation: fc.constantFrom('ge' as const, 'sign' as const),
    responseLength: fc.integer({ min: 0, max: 4096 }),
    maxResponseLength: fc.integer({ min: 0, max: 4096 }),
    skipLengthTerms: fc.boolean(),
  });
  it('total is finite, equals format + content, and lies within judgeLrmRewardBounds', () => {
    fc.assert(
      fc.property(tagged, gt, options, (text, g, o) => {
        const r = computeJudgeLrmScore(text, g, o);
        const b = judgeLrmRewardBounds(o);
        expect(Number.isFinite(r.total)).toBe(true);
        expect(r.total).toBe(r.format + r.content);
        expect(r.total).toBeGreaterThanOrEqual(b.min);
        expect(r.total).toBeLessThanOrEqual(b.max);
      }),
      { numRuns: 2000 },
    );
  });
  it('default bounds are [-3, 4.4] and the total takes only the documented values', () => {
    expect(judgeLrmRewardBounds()).toEqual({ min: -3, max: 4.4 });
    const allowed = new Set([-3, -2.5, -2, -1, -0.5, 3, 3.2, 3.6, 3.8, 4.2].map((x) => x.toFixed(10)));
    fc.assert(
      fc.property(
        tagged,
        fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 10 })),
        (text, g) => {
          const r = computeJudgeLrmScore(`<|im_start|>assistant\n${text}`, g, {
            rewardAblation: 'reward_wo_length',
          });
          expect(allowed.has(r.total.toFixed(10))).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(Number.isFinite(computeJudgeLrmScore(s, [8, 4]).total)).toBe(true);
      }),
    );
  });
});
