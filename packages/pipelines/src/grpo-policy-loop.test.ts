import { describe, expect, it } from 'vitest';
import { loadPairwiseDataset } from './evaluation-run-files.js';
import { judgeLrmGroundTruth, renderStepPlot, trainGrpoJudgePolicy } from './grpo-policy-loop.js';

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function pandalm(n: number) {
  const ds = await loadPairwiseDataset(
    new URL('../../../fixtures/data/pandalm/data', import.meta.url).pathname,
    'pandalm',
  );
  const idx = ds.samples
    .map((_, i) => i)
    .filter((i) => ds.labels[i] !== null)
    .slice(0, n);
  return {
    samples: idx.map((i) => ds.samples[i]!),
    gts: idx.map((i) => judgeLrmGroundTruth(ds.labels[i]!, { winner: 8, loser: 4, tie: 6 })),
  };
}

describe('GRPO loop for the small judge policy', () => {
  it('verl: the JudgeLRM reward rises from -3 (random tokens) to >= 1.0 within 150 steps; bit-identical per seed', async () => {
    const { samples, gts } = await pandalm(200);
    const a = trainGrpoJudgePolicy(samples, gts, { seed: 0, steps: 150 });
    const first = avg(a.history.slice(0, 10).map((s) => s.judgeRewardMean));
    const last = avg(a.history.slice(-10).map((s) => s.judgeRewardMean));
    expect(first).toBe(-3);
    expect(last).toBeGreaterThanOrEqual(1.0);
    expect(avg(a.history.slice(-10).map((s) => s.wellFormed))).toBeGreaterThanOrEqual(0.9);
    expect(a.greedy(samples[0]!)).toMatch(/^<\/think><answer>\d+<\/answer><answer>\d+<\/answer>/);
    const b = trainGrpoJudgePolicy(samples, gts, { seed: 0, steps: 150 });
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
    expect(b.history).toEqual(a.history);
    const c = trainGrpoJudgePolicy(samples, gts, { seed: 1, steps: 20 });
    expect(c.history.map((s) => s.loss)).not.toEqual(a.history.slice(0, 20).map((s) => s.loss));
  });

  it('trl convention learns too; without shaping a random policy gets no signal', async () => {
    const { samples, gts } = await pandalm(200);
    const t = trainGrpoJudgePolicy(samples, gts, { seed: 0, steps: 150, convention: 'trl' });
    expect(avg(t.history.slice(-10).map((s) => s.judgeRewardMean))).toBeGreaterThanOrEqual(0.5);
    const bare = trainGrpoJudgePolicy(samples, gts, { seed: 0, steps: 5, shapingWeight: 0 });
    expect(bare.history.every((s) => s.zeroVarianceGroups === 1 && s.loss === 0)).toBe(true);
    const svg = renderStepPlot(
      t.history,
      [{ key: 'judgeRewardMean', label: 'JudgeLRM reward', color: '#1f77b4' }],
      'GRPO',
    );
    expect(svg).toMatch(/^<svg[^>]*>.*<polyline/s);
  });
});
