import { describe, expect, it } from 'vitest';
import { createFakeJudgeModel } from './fake-judge-model.js';
import type { GenerateResponse } from './judge-model.js';
import { trackUsage, usageTotals } from './usage-totals.js';

const resp = (p: number, c: number, cached = false, extra = {}): GenerateResponse => ({
  text: '',
  usage: { promptTokens: p, completionTokens: c, totalTokens: p + c, ...extra },
  cached,
  model: 'm',
  latencyMs: 0,
});

describe('usageTotals', () => {
  it('sums usage, keeps cache hits out of billed usage, and resets', () => {
    const t = usageTotals([resp(10, 2), resp(5, 1, true)]);
    t.add(resp(1, 1, false, { cachedTokens: 4, reasoningTokens: 1 })).add({
      promptTokens: 1,
      completionTokens: 0,
      totalTokens: 1,
    });
    expect(t.calls).toBe(4);
    expect(t.cachedCalls).toBe(1);
    expect(t.usage).toEqual({
      promptTokens: 17,
      completionTokens: 4,
      totalTokens: 21,
      cachedTokens: 4,
      reasoningTokens: 1,
    });
    expect(t.billedUsage).toEqual({
      promptTokens: 12,
      completionTokens: 3,
      totalTokens: 15,
      cachedTokens: 4,
      reasoningTokens: 1,
    });
    t.reset();
    expect(t.calls).toBe(0);
    expect(t.usage).toEqual({ promptTokens: 0, completionTokens: 0, totalTokens: 0 });
  });

  it('trackUsage feeds every response of a model', async () => {
    const totals = usageTotals();
    const model = trackUsage(
      createFakeJudgeModel(() => 'one two'),
      totals,
    );
    await model.generate({ messages: [{ role: 'user', content: 'a b c' }] });
    await model.generate({ messages: [{ role: 'user', content: 'd' }] });
    expect(model.id).toBe('fake-judge');
    expect(totals.calls).toBe(2);
    expect(totals.usage).toEqual({ promptTokens: 4, completionTokens: 4, totalTokens: 8 });
  });
});
