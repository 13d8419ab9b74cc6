import type { NamedUsage, Verdict } from '@judgekit/core';
import type { AiSdkLanguageModel, JudgeModel } from '@judgekit/models';
import { describe, expectTypeOf, it } from 'vitest';
import { type AutoevalsScore, type GradeResult, grade, gradeMany } from './grade.js';
import { judge, judgeMany } from './judge.js';
import type { JudgeResult } from './judge-single-model.js';
import { type JuryResult, jury } from './jury.js';

declare const model: JudgeModel;
declare const aiSdkModel: AiSdkLanguageModel;
const pair = { question: 'q', answers: ['a', 'b'] as const };

describe('public signatures', () => {
  it('judge: one model → JudgeResult, an array → JuryResult; AI SDK models are accepted', () => {
    expectTypeOf(() => judge({ model, ...pair })).returns.toEqualTypeOf<Promise<JudgeResult>>();
    expectTypeOf(() => judge({ model: aiSdkModel, ...pair, swap: true })).returns.toEqualTypeOf<
      Promise<JudgeResult>
    >();
    expectTypeOf(() => judge({ model: [model, aiSdkModel], ...pair })).returns.toEqualTypeOf<
      Promise<JuryResult>
    >();
    expectTypeOf(() => jury({ jurors: [model], rule: 'weighted', ...pair })).returns.toEqualTypeOf<
      Promise<JuryResult>
    >();
    expectTypeOf(judge).parameter(0).toHaveProperty('abortSignal').toEqualTypeOf<AbortSignal | undefined>();
    // Never called: the compiler checks these lines.
    const rejected = () => [
      // @ts-expect-error answers must be a pair
      judge({ model, question: 'q', answers: 'a' }),
      // @ts-expect-error the jury rule is a named rule
      jury({ jurors: [model], rule: 'median', ...pair }),
    ];
    expectTypeOf(rejected).toBeFunction();
  });

  it('JudgeResult narrows on status', () => {
    const check = (r: JudgeResult) => {
      if (r.status === 'verdict') expectTypeOf(r.verdict).toEqualTypeOf<Verdict>();
      if (r.status === 'parse-failure') {
        expectTypeOf(r.verdict).toEqualTypeOf<null>();
        expectTypeOf(r.failure.raw).toEqualTypeOf<string>();
      }
      if (r.status === 'error') expectTypeOf(r.error.code).toEqualTypeOf<string>();
    };
    expectTypeOf(check).toBeFunction();
    expectTypeOf<JudgeResult['usage']>().toEqualTypeOf<NamedUsage>();
    expectTypeOf<JudgeResult['usage']['inputTokens']>().toEqualTypeOf<number>();
  });

  it('grade: the autoevals option changes the result type', () => {
    expectTypeOf(() => grade({ model, question: 'q', answer: 'a' })).returns.toEqualTypeOf<
      Promise<GradeResult>
    >();
    expectTypeOf(() =>
      grade({ model, question: 'q', answer: 'a', output: 'autoevals' }),
    ).returns.toEqualTypeOf<Promise<AutoevalsScore>>();
    expectTypeOf<AutoevalsScore['score']>().toEqualTypeOf<number | null>();
    expectTypeOf(() => gradeMany([{ question: 'q', answer: 'a' }], { model })).returns.toEqualTypeOf<
      Promise<GradeResult[]>
    >();
  });

  it('judgeMany: results follow the model shape', () => {
    expectTypeOf(() => judgeMany([pair], { model, concurrency: 2 })).returns.toEqualTypeOf<
      Promise<JudgeResult[]>
    >();
    expectTypeOf(() => judgeMany([pair], { model: [model, model] })).returns.toEqualTypeOf<
      Promise<JuryResult[]>
    >();
  });
});
