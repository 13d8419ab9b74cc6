import { describe, expect, expectTypeOf, it } from 'vitest';
import { addUsage, emptyUsage, type NamedUsage, type Usage, withUsageNames } from './types.js';

describe('Usage: inputTokens / outputTokens beside promptTokens / completionTokens', () => {
  it('withUsageNames fills the AI SDK names from the old ones', () => {
    const u = withUsageNames({ promptTokens: 12, completionTokens: 3, totalTokens: 15, reasoningTokens: 1 });
    expect(u).toEqual({
      promptTokens: 12,
      completionTokens: 3,
      totalTokens: 15,
      reasoningTokens: 1,
      inputTokens: 12,
      outputTokens: 3,
    });
    expectTypeOf(u).toEqualTypeOf<NamedUsage>();
    expectTypeOf(u.inputTokens).toEqualTypeOf<number>();
    expectTypeOf<Usage['inputTokens']>().toEqualTypeOf<number | undefined>();
  });

  it('addUsage keeps the new names in step when either side has them', () => {
    const sum = addUsage(withUsageNames({ promptTokens: 2, completionTokens: 1, totalTokens: 3 }), {
      promptTokens: 5,
      completionTokens: 4,
      totalTokens: 9,
    });
    expect(sum).toMatchObject({ promptTokens: 7, inputTokens: 7, completionTokens: 5, outputTokens: 5 });
    expect(addUsage(emptyUsage(), emptyUsage())).not.toHaveProperty('inputTokens');
  });
});
