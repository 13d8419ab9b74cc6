import { readFileSync } from 'node:fs';
import type { Verdict } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { cohenKappa, evaluateJudge, fleissKappa, majorityVote, pairedBootstrap } from './index.js';

const dir = new URL('../../../fixtures/data/pandalm/data/', import.meta.url);
const load = <T>(name: string): T[] => JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as T[];

interface TestRecord {
  idx: number;
  annotator1: number;
  annotator2: number;
  annotator3: number;
}
const testset = load<TestRecord>('testset-v1.json');
const gpt = load<{ idx: string; gpt_result: string }>('gpt-3.5-turbo-testset-v1.json');
const panda = load<{ idx: string; pandalm_result: string | number }>('pandalm-7b-testset-v1.json');

// PandaLM labels: 1 = response 1 better, 2 = response 2 better, 0 = tie.
const fromPandaLM = (x: number | string): Verdict => {
  const s = String(x);
  if (s === '1') return 'answer1';
  if (s === '2') return 'answer2';
  if (s === '0') return 'tie';
  throw new Error(`unexpected PandaLM label ${s}`);
};
// GPT-3.5: "1" / "2" / "Tie" / "garbage"; garbage is a parse failure (null).
const fromGpt = (x: string): Verdict | null =>
  x === '1' ? 'answer1' : x === '2' ? 'answer2' : x === 'Tie' ? 'tie' : null;

const raters = [
  testset.map((r) => fromPandaLM(r.annotator1)),
  testset.map((r) => fromPandaLM(r.annotator2)),
  testset.map((r) => fromPandaLM(r.annotator3)),
];
const vote = majorityVote(raters);
const labels = vote.labels;
const gptPred = gpt.map((r) => fromGpt(r.gpt_result));
const pandaPred = panda.map((r) => fromPandaLM(r.pandalm_result));

describe('PandaLM test set (published README table)', () => {
  it('is aligned by idx', () => {
    expect(testset).toHaveLength(999);
    testset.forEach((r, i) => {
      expect(String(r.idx)).toBe(String(gpt[i]!.idx));
      expect(String(r.idx)).toBe(String(panda[i]!.idx));
    });
  });

  it('majority vote matches the README distribution and has no three-way split', () => {
    expect(vote.splits).toBe(0);
    expect(vote.unanimous).toBe(879);
    const count = (v: Verdict) => labels.filter((l) => l === v).length;
    expect([count('answer2'), count('answer1'), count('tie')]).toEqual([472, 422, 105]);
    // Every split policy gives the same labels here.
    expect(majorityVote(raters, { onSplit: 'min-code' }).labels).toEqual(labels);
    expect(majorityVote(raters, { onSplit: 'error' }).labels).toEqual(labels);
  });

  it('GPT-3.5 with garbage → tie (upstream convention) gives 0.7107 / 0.5879 / 0.5736 / 0.5755', () => {
    expect(gptPred.filter((p) => p === null)).toHaveLength(25);
    const r = evaluateJudge({ predictions: gptPred, labels, failurePolicy: 'as-tie' });
    expect(r.accuracy.toFixed(4)).toBe('0.7107');
    expect(r.macro.precision.toFixed(4)).toBe('0.5879');
    expect(r.macro.recall.toFixed(4)).toBe('0.5736');
    expect(r.macro.f1.toFixed(4)).toBe('0.5755');
    expect(r.predictionFailures).toBe(25);
    expect(r.n).toBe(999);
    // Per-class figures from the spec (pandalm.md §4).
    expect(r.perClass.tie.precision.toFixed(3)).toBe('0.286');
    expect(r.perClass.tie.recall.toFixed(3)).toBe('0.171');
    expect(r.perClass.answer1.f1.toFixed(3)).toBe('0.753');
    expect(r.perClass.answer2.f1.toFixed(3)).toBe('0.759');
  });

  it('PandaLM-7B gives 0.6677 / 0.5738 / 0.5750 / 0.5743 and the published confusion matrix', () => {
    const r = evaluateJudge({ predictions: pandaPred, labels });
    expect(r.accuracy.toFixed(4)).toBe('0.6677');
    expect(r.macro.precision.toFixed(4)).toBe('0.5738');
    expect(r.macro.recall.toFixed(4)).toBe('0.5750');
    expect(r.macro.f1.toFixed(4)).toBe('0.5743');
    // (true, pred) with classes [answer1, answer2, tie] = PandaLM [1, 2, 0].
    expect(r.confusion.counts).toEqual([
      [298, 84, 40],
      [100, 337, 35],
      [35, 38, 32],
    ]);
    expect(r.predictionFailures).toBe(0);
  });

  it('GPT-3.5 variants: garbage dropped gives accuracy 0.7156 (spec §4 variant)', () => {
    const r = evaluateJudge({ predictions: gptPred, labels, failurePolicy: 'drop' });
    expect(r.n).toBe(974);
    expect(r.accuracy.toFixed(4)).toBe('0.7156');
    const sep = evaluateJudge({ predictions: gptPred, labels });
    // Counting failures separately: always wrong, 697/999.
    expect(sep.accuracy.toFixed(4)).toBe('0.6977');
  });

  it('annotator kappas 0.852 / 0.879 / 0.862 (README 0.85 / 0.88 / 0.86) and Fleiss 0.864', () => {
    const [a1, a2, a3] = raters as [Verdict[], Verdict[], Verdict[]];
    // At the precision the spec publishes (3 decimals); the README's 2 follow from them.
    expect(cohenKappa(a1, a2).toFixed(3)).toBe('0.852');
    expect(cohenKappa(a1, a3).toFixed(3)).toBe('0.879');
    expect(cohenKappa(a2, a3).toFixed(3)).toBe('0.862');
    expect(cohenKappa(a1, a2).toFixed(2)).toBe('0.85');
    expect(cohenKappa(a1, a3).toFixed(2)).toBe('0.88');
    expect(cohenKappa(a2, a3).toFixed(2)).toBe('0.86');
    expect(fleissKappa(raters).toFixed(3)).toBe('0.864');
    expect(fleissKappa(raters).toFixed(4)).toBe('0.8642');
  });

  it('bootstrap intervals bracket the estimates and are reproducible by seed', () => {
    const opts = {
      predictions: gptPred,
      labels,
      failurePolicy: 'as-tie' as const,
      bootstrap: { resamples: 300, seed: 7 },
    };
    const a = evaluateJudge(opts);
    const b = evaluateJudge(opts);
    expect(a.ci).toEqual(b.ci);
    for (const ci of Object.values(a.ci!)) {
      expect(ci.lower).toBeLessThanOrEqual(ci.estimate);
      expect(ci.upper).toBeGreaterThanOrEqual(ci.estimate);
      expect(ci.upper - ci.lower).toBeGreaterThan(0);
      expect(ci.upper - ci.lower).toBeLessThan(0.2);
    }
    expect(a.ci!.accuracy.estimate).toBe(a.accuracy);
    const c = evaluateJudge({ ...opts, bootstrap: { resamples: 300, seed: 8 } });
    expect(c.ci).not.toEqual(a.ci);
    expect(JSON.parse(JSON.stringify(a)).ci.macroF1.estimate).toBeCloseTo(a.macro.f1, 12);
  });

  it('paired bootstrap of GPT-3.5 vs PandaLM-7B: the estimate is the difference of the two reports', () => {
    const p = pairedBootstrap({
      predictionsA: gptPred,
      predictionsB: pandaPred,
      labels,
      failurePolicy: 'as-tie',
      bootstrap: { resamples: 300, seed: 1 },
    });
    expect(p.n).toBe(999);
    expect(p.difference.accuracy.estimate).toBeCloseTo(0.7107 - 0.6677, 3);
    expect(p.difference.accuracy.a.toFixed(4)).toBe('0.7107');
    expect(p.difference.macroF1.b.toFixed(4)).toBe('0.5743');
    expect(p.difference.accuracy.lower).toBeLessThan(p.difference.accuracy.estimate);
    expect(p.difference.accuracy.upper).toBeGreaterThan(p.difference.accuracy.estimate);
    expect(p.difference.accuracy.pValue).toBeGreaterThanOrEqual(0);
    expect(p.difference.accuracy.pValue).toBeLessThanOrEqual(1);
  });
});
