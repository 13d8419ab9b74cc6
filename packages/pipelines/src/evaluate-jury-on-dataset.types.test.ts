import type { GenerateRequest, JudgeModel } from '@judgekit/models';
import { describe, expectTypeOf, it } from 'vitest';
import { evaluateJuryOnDataset, type JuryEvaluationResult } from './evaluate-jury-on-dataset.js';
import type { JuryRule } from './jury.js';
import type { RunFingerprint } from './run-identity.js';

declare const model: JudgeModel;

describe('jury evaluation and abortSignal signatures', () => {
  it('evaluateJuryOnDataset takes jurors and a named rule and returns the panel and jurors', () => {
    expectTypeOf(() =>
      evaluateJuryOnDataset({
        samples: [],
        template: 'pandalm/pair',
        jurors: [{ id: 'a', model }],
        outDir: 'x',
      }),
    ).returns.toEqualTypeOf<Promise<JuryEvaluationResult>>();
    expectTypeOf<JuryEvaluationResult['rule']>().toEqualTypeOf<JuryRule>();
    expectTypeOf<JuryEvaluationResult['agreement']['fleissKappa']>().toEqualTypeOf<number>();
    expectTypeOf<RunFingerprint['jury']>().toMatchTypeOf<
      { rule: string; jurors: { id: string }[] } | undefined
    >();
    const rejected = () => [
      // @ts-expect-error the rule is a named rule
      evaluateJuryOnDataset({ samples: [], template: 'x', jurors: [], outDir: 'x', rule: 'median' }),
      // @ts-expect-error a juror has an id
      evaluateJuryOnDataset({ samples: [], template: 'x', jurors: [{ model }], outDir: 'x' }),
    ];
    void rejected;
  });

  it('GenerateRequest names the signal abortSignal, with signal as its alias', () => {
    expectTypeOf<GenerateRequest['abortSignal']>().toEqualTypeOf<AbortSignal | undefined>();
    expectTypeOf<GenerateRequest['signal']>().toEqualTypeOf<AbortSignal | undefined>();
  });
});
