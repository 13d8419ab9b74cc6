/**
 * Hardening regressions: inputs that threw, took quadratic time or returned a wrong success. The
 * tests assert results only (the fuzz script prints the time growth from 64 KB to 1 MB).
 */
import { describe, expect, it } from 'vitest';
import {
  parseJudgeLm,
  parseJudgeLmMulti,
  parseJudgeLmSingle,
  parseJudgeLmUpstream,
} from './judgelm-parser.js';
import { extractJudgeLrmSolution, parseJudgeLrm, parseJudgeLrmSingle } from './judgelrm-parser.js';
import { parseMtBenchPair, parseMtBenchPairUpstream, parseMtBenchSingle } from './mt-bench-parser.js';
import { parsePandaLm } from './pandalm-parser.js';
import { getParser, listParsers } from './parser-registry.js';
import { parsePrometheusAbsolute } from './prometheus-parser.js';

const BIG = '9'.repeat(309);

describe('judgelm-multi-scores lenient: a scores line of any length, no pattern built from the input', () => {
  it('does not throw on 1206 spaces (the registry then asks for 1207 scores)', () => {
    const r = getParser('judgelm-multi-scores').parse(`${' '.repeat(1206)}x`, { mode: 'lenient' });
    expect(r).toMatchObject({ ok: false, reason: 'no-scores-found' });
  });
  it('still reads N scores with any separators and labels', () => {
    const r = parseJudgeLmMulti('Scores: [8, 7 | 6 and 9/10]\nbecause', { answerCount: 4, mode: 'lenient' });
    expect(r).toMatchObject({ ok: true, value: { scores: [8, 7, 6, 9], best: [3] } });
    const l = parseJudgeLmMulti('Assistant 2: 5/10. Assistant 1 gets 9. Assistant 3 is 9', {
      answerCount: 3,
      mode: 'lenient',
    });
    expect(l).toMatchObject({ ok: true, value: { scores: [9, 5, 9], best: [0, 2] } });
  });
  it('reads 300 scores from one line', () => {
    const line = Array.from({ length: 300 }, (_, i) => String(i % 10)).join(', ');
    const r = parseJudgeLmMulti(`[${line}]`, { answerCount: 300, mode: 'lenient' });
    expect(r.ok && r.value.scores.length).toBe(300);
  });
});

describe('non-finite scores are a typed failure unless the upstream convention is named', () => {
  it('JudgeLM strict "nan nan": non-finite-score, not a tie; upstream keeps NaN and ties', () => {
    expect(parseJudgeLm('nan nan')).toMatchObject({ ok: false, reason: 'non-finite-score' });
    expect(parseJudgeLm('inf 7', { nonFiniteScores: 'upstream' })).toMatchObject({
      ok: true,
      value: { scores: [Number.POSITIVE_INFINITY, 7], verdict: 'answer1' },
    });
    const up = parseJudgeLmUpstream('nan nan');
    expect(up.verdictCode).toBe(0);
    expect(up.scores.every(Number.isNaN)).toBe(true);
  });
  it('judgelm-multi-scores strict "nan nan" is not ok with an empty best', () => {
    expect(getParser('judgelm-multi-scores').parse('nan nan')).toMatchObject({
      ok: false,
      reason: 'non-finite-score',
    });
    expect(parseJudgeLmMulti('nan nan', { answerCount: 2, nonFiniteScores: 'upstream' })).toMatchObject({
      ok: false,
      reason: 'non-finite-score',
    });
    expect(parseJudgeLmMulti('nan 3 1e400', { answerCount: 3, nonFiniteScores: 'upstream' })).toMatchObject({
      ok: true,
      value: { best: [2] },
    });
  });
  it('JudgeLM single strict: 10 inf', () => {
    expect(parseJudgeLmSingle(' 1e999\nok')).toMatchObject({ ok: false, reason: 'non-finite-score' });
  });
  it('MT-Bench: two equal 309-digit ratings tie (exact ints, like Python); default is a typed failure', () => {
    const text = `[[${BIG},${BIG}]]`;
    expect(parseMtBenchPair(text, { outputFormat: '[[rating_a,rating_b]]' })).toMatchObject({
      ok: false,
      reason: 'non-finite-score',
    });
    expect(
      parseMtBenchPair(text, { outputFormat: '[[rating_a,rating_b]]', nonFiniteScores: 'upstream' }),
    ).toMatchObject({ ok: true, value: { verdict: 'tie' } });
    expect(
      parseMtBenchPairUpstream(`[[${BIG}8,${BIG}7]]`, { outputFormat: '[[rating_a,rating_b]]' }).winner,
    ).toBe('A');
    expect(
      parseMtBenchPairUpstream(`[[${BIG}, 1.5]]`, { outputFormat: '[[rating_a,rating_b]]' }),
    ).toMatchObject({
      winner: 'error',
      result: { reason: 'upstream-exception' },
    });
    expect(parseMtBenchSingle(`[[${BIG}]]`)).toMatchObject({ ok: false, reason: 'non-finite-score' });
    expect(parseMtBenchSingle(`[[${'1'.repeat(4301)}]]`)).toMatchObject({
      ok: false,
      reason: 'upstream-exception',
    });
  });
  it('JudgeLRM inference readings: a digit string past the double range', () => {
    const t = `x</think><answer>${BIG}</answer><answer>3</answer>`;
    expect(parseJudgeLrm(t, { extraction: 'pandalm-inference' })).toMatchObject({
      ok: false,
      reason: 'non-finite-score',
    });
    expect(parseJudgeLrm(t, { extraction: 'pandalm-inference', nonFiniteScores: 'upstream' })).toMatchObject({
      ok: true,
      value: { verdict: 'answer1' },
    });
    expect(parseJudgeLrm(t, { extraction: 'judgelm-benchmark' })).toMatchObject({
      reason: 'non-finite-score',
    });
    expect(parseJudgeLrmSingle(`<answer>${BIG}</answer>`)).toMatchObject({ reason: 'non-finite-score' });
  });
});

describe('patterns that were quadratic give the right result on large inputs', () => {
  const n = 1 << 16;
  it('unclosed <think> repeated and an unclosed code fence (lenient)', () => {
    for (const p of listParsers()) {
      expect(p.parse('<think>'.repeat(n / 7), { mode: 'lenient' }).ok).toBe(false);
      expect(p.parse('```\n'.repeat(n / 4), { mode: 'lenient' }).ok).toBe(false);
    }
    expect(parseJudgeLm('<think>a<think>b</think>8 7', { mode: 'lenient' })).toMatchObject({
      ok: true,
      value: { scores: [8, 7] },
    });
    expect(parseJudgeLm('```\n8 7\n``` trailing', { mode: 'lenient' })).toMatchObject({
      ok: true,
      recoveredBy: ['code-fence'],
    });
  });
  it('spaces inside <answer> (lenient JudgeLRM)', () => {
    expect(parseJudgeLrm(`<answer>${' '.repeat(n)}x</answer>`, { mode: 'lenient' }).ok).toBe(false);
    expect(
      parseJudgeLrm(`<answer> 8 ${' '.repeat(n)}</answer><answer>7.</answer>`, { mode: 'lenient' }),
    ).toMatchObject({ ok: true, value: { scores: [8, 7] } });
  });
  it('"Score:" and spaces (strict Prometheus)', () => {
    expect(parsePrometheusAbsolute(`Score:${' '.repeat(n)}`)).toMatchObject({
      ok: false,
      reason: 'no-result-marker',
    });
    expect(parsePrometheusAbsolute(`Score:${' '.repeat(n)}(4)`)).toMatchObject({
      ok: true,
      value: { score: 4 },
    });
  });
  it('the reward extraction of "<|im_start|>assistant\\n" + "<answer>" × n', () => {
    const r = extractJudgeLrmSolution(`<|im_start|>assistant\n${'<answer>'.repeat(n / 8)}`);
    expect(r).toMatchObject({ scores: null, reason: 'too-few-answer-tags' });
    expect(
      extractJudgeLrmSolution('Assistant:<answer><answer>3</answer> x <answer> 9 </answer>').scores,
    ).toBeNull();
    expect(extractJudgeLrmSolution('Assistant:<answer>3</answer> x <answer> 9 </answer>').scores).toEqual([
      3, 9,
    ]);
  });
  it('PandaLM lenient first-line variants (adjacent runs of spaces)', () => {
    expect(parsePandaLm(`result${' '.repeat(190)}x`, { mode: 'lenient' }).ok).toBe(false);
    expect(parsePandaLm('Result :   2   is better.', { mode: 'lenient' })).toMatchObject({
      ok: true,
      value: { verdict: 'answer2' },
    });
    expect(parsePandaLm('**Evaluation result:** Response 1 !', { mode: 'lenient' })).toMatchObject({
      ok: true,
      value: { verdict: 'answer1' },
    });
  });
  it('a long digit run inside [[ ]] (MT-Bench strict)', () => {
    expect(parseMtBenchSingle(`[[${'1'.repeat(n)} ]]`)).toMatchObject({
      ok: false,
      reason: 'no-rating-marker',
    });
  });
});
