import { parseFailure, parseSuccess } from '@judgekit/core';
import { registerJudgeFormat, unregisterJudgeFormat } from '@judgekit/parsers';
import { afterAll, describe, expect, it } from 'vitest';
import { renderEvaluationReport } from './evaluation-report.js';
import { scoreJudgeOutputs } from './score-judge-outputs.js';

describe('scoreJudgeOutputs with a combine rule and groups', () => {
  // Three JudgeBench-style pairs, label answer1 (A>B). Game 2 is as judged on (B, A).
  const outputs = ['[[A>B]]', '[[A=B]]', 'no verdict here'];
  const swappedOutputs = ['[[A=B]]', '[[B>>A]]', '[[B>A]]'];
  const labels = ['answer1', 'answer1', 'answer1'] as const;

  it('judgebench: a decisive game plus a tie wins; the report names the rule', () => {
    const { result } = scoreJudgeOutputs({
      outputs,
      swappedOutputs,
      labels: [...labels],
      outputFormat: 'arena-hard',
      combine: 'judgebench',
      groups: ['knowledge', 'math', 'math'],
      bootstrap: false,
    });
    // pair 1: +1 + 0 → answer1; pair 2: 0 + (+1: B>>A on (B,A) is A in the original) → answer1;
    // pair 3: failure (0) + (+1) → answer1.
    expect(result.combined?.rule.name).toBe('judgebench');
    expect([result.combined!.correct, result.combined!.n]).toEqual([3, 3]);
    expect(result.combined!.groups!.math!.correct).toBe(2);
    // Original order alone: one right, one tie, one failure.
    expect(result.metrics!.correct).toBe(1);
    expect(result.metrics!.groups!.knowledge!.n).toBe(1);
    const fastchat = scoreJudgeOutputs({
      outputs,
      swappedOutputs,
      labels: [...labels],
      outputFormat: 'arena-hard',
      combine: 'fastchat',
      bootstrap: false,
    }).result.combined!;
    // FastChat: pair 1 tie (inconsistent), pair 2 tie, pair 3 no verdict.
    expect([fastchat.correct, fastchat.combined!.predictionFailures]).toEqual([0, 1]);
    const md = renderEvaluationReport(result, { title: 't' }).markdown;
    expect(md).toContain('combined with the `judgebench` rule (per-sample)');
    expect(md).toContain('3 of 3 correct');
    expect(md).toContain('knowledge 1.0000 (1/1), math 1.0000 (2/2)');
  });

  it('llmbar rule: mean of per-order accuracy, with counts out of 2n', () => {
    const { result } = scoreJudgeOutputs({
      outputs: ['Output (a)', 'Output (b)'],
      swappedOutputs: ['Output (b)', 'Output (b)'],
      labels: ['answer1', 'answer1'],
      outputFormat: 'llmbar',
      combine: 'llmbar',
      bootstrap: false,
    });
    expect(result.combined!.accuracy).toBe(0.75);
    expect([result.combined!.correct, result.combined!.outOf]).toEqual([3, 4]);
  });

  it('a combine rule without the second order is a config error', () => {
    expect(() => scoreJudgeOutputs({ outputs, outputFormat: 'arena-hard', combine: 'fastchat' })).toThrow(
      /needs swappedOutputs/,
    );
  });
});

describe('scoreJudgeOutputs with a user format', () => {
  afterAll(() => unregisterJudgeFormat('test-lab/score-json'));
  it('reads a registered format exactly like a built-in one', () => {
    registerJudgeFormat({
      id: 'test-lab/score-json',
      description: 'JSON {"winner": "A" | "B" | "tie"}',
      kind: 'pairwise',
      parse(text) {
        try {
          const w = (JSON.parse(text) as { winner?: unknown }).winner;
          if (w === 'A') return parseSuccess({ kind: 'pairwise', verdict: 'answer1' }, text);
          if (w === 'B') return parseSuccess({ kind: 'pairwise', verdict: 'answer2' }, text);
          if (w === 'tie') return parseSuccess({ kind: 'pairwise', verdict: 'tie' }, text);
        } catch {}
        return parseFailure('no-winner', 'no winner field', text);
      },
    });
    const { result, records } = scoreJudgeOutputs({
      outputs: ['{"winner":"A"}', '{"winner":"B"}', 'oops'],
      labels: ['answer1', 'answer1', 'tie'],
      outputFormat: 'test-lab/score-json',
      bootstrap: false,
    });
    expect(records.map((r) => r.verdict)).toEqual(['answer1', 'answer2', null]);
    expect(result.parseFailures.byReason).toEqual({ 'no-winner': 1 });
    expect([result.metrics!.correct, result.metrics!.n]).toEqual([1, 3]);
  });
  it('an unknown format is a ConfigError that says how to register one', () => {
    expect(() => scoreJudgeOutputs({ outputs: ['x'], outputFormat: 'nope/none' })).toThrow(
      /registerJudgeFormat/,
    );
  });
});

describe('evaluateJudgeOnDataset checks its combine options before calling the model', () => {
  it('a rule without swap, an unknown rule or misaligned groups is an error, and no call is made', async () => {
    const { evaluateJudgeOnDataset } = await import('./evaluate-judge-on-dataset.js');
    let calls = 0;
    const model = {
      id: 'never',
      async generate() {
        calls++;
        throw new Error('not called');
      },
    };
    const base = {
      samples: [{ id: 's', question: 'q', answer1: 'a', answer2: 'b', label: 'answer1' as const }],
      template: 'arena-hard/v0.1',
      model,
      outFile: '/nonexistent-dir/never.jsonl',
    };
    await expect(evaluateJudgeOnDataset({ ...base, combine: 'fastchat' })).rejects.toThrow(/needs swap/);
    await expect(evaluateJudgeOnDataset({ ...base, swap: true, combine: 'nope' })).rejects.toThrow(
      /unknown combine rule "nope"/,
    );
    await expect(evaluateJudgeOnDataset({ ...base, groups: [] })).rejects.toThrow(/groups has 0 entries/);
    expect(calls).toBe(0);
  });
});

describe('a user format with its own swap', () => {
  afterAll(() => unregisterJudgeFormat('test-lab/names-model'));
  it("maps swapped judgments with the format's swap; a bad swap is a failure, not a verdict", () => {
    // The judge names the winning model ("winner: model-x"); the presentation order does not change
    // which model that is, so the swapped judgment needs no exchange.
    registerJudgeFormat({
      id: 'test-lab/names-model',
      description: 'winner: model-x | model-y | tie',
      kind: 'pairwise',
      parse(text) {
        const m = /winner: (model-x|model-y|tie)/.exec(text);
        if (!m) return parseFailure('no-winner', 'no winner', text);
        const verdict = m[1] === 'model-x' ? 'answer1' : m[1] === 'model-y' ? 'answer2' : 'tie';
        return parseSuccess({ kind: 'pairwise', verdict }, text);
      },
      swap: (j) => {
        if (j.kind === 'pairwise' && j.verdict === 'tie') return { kind: 'rating', score: 0 };
        return j;
      },
    });
    const { records } = scoreJudgeOutputs({
      outputs: ['winner: model-x', 'winner: model-y'],
      swappedOutputs: ['winner: model-x', 'winner: tie'],
      labels: ['answer1', 'answer2'],
      outputFormat: 'test-lab/names-model',
      bootstrap: false,
    });
    const swapped = records.filter((r) => r.order === 'swapped');
    expect(swapped[0]!.verdict).toBe('answer1');
    expect(swapped[1]!.verdict).toBeNull();
    expect(swapped[1]!.parse).toMatchObject({ ok: false, reason: 'invalid-swap' });
  });
});
