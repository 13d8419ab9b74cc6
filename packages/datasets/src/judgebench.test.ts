import { DataFormatError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { judgeBenchCategory, parseJudgeBench } from './judgebench.js';

const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    pair_id: 'p1',
    original_id: 1420,
    source: 'mmlu-pro-law',
    question: 'Q?',
    response_model: 'gpt-4o-2024-05-13',
    response_A: 'A answer',
    response_B: 'B answer',
    label: 'A>B',
    ...o,
  });

describe('parseJudgeBench', () => {
  it('reads pairs, labels and the category from the source', () => {
    const text = [
      line({}),
      line({ pair_id: 'p2', source: 'livebench-math', label: 'B>A' }),
      '',
      line({ pair_id: 'p3', source: 'livecodebench' }),
      line({ pair_id: 'p4', source: 'livebench-reasoning' }),
      line({ pair_id: 'p5', source: 'something-else' }),
    ].join('\n');
    const { samples, unknownSources } = parseJudgeBench(text, 'jb.jsonl');
    expect(samples.map((s) => [s.id, s.label, s.category])).toEqual([
      ['p1', 'answer1', 'knowledge'],
      ['p2', 'answer2', 'math'],
      ['p3', 'answer1', 'coding'],
      ['p4', 'answer1', 'reasoning'],
      ['p5', 'answer1', 'something-else'],
    ]);
    expect(samples[0]).toMatchObject({
      question: 'Q?',
      answer1: 'A answer',
      answer2: 'B answer',
      metadata: { source: 'mmlu-pro-law', response_model: 'gpt-4o-2024-05-13', original_id: 1420 },
    });
    expect(unknownSources).toEqual({ 'something-else': 1 });
    expect(judgeBenchCategory('mmlu-pro-physics')).toBe('knowledge');
  });
  it('errors name file, line and field', () => {
    const bad = (text: string) => {
      try {
        parseJudgeBench(text, 'jb.jsonl');
      } catch (e) {
        expect(DataFormatError.isInstance(e)).toBe(true);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad(`${line({})}\n${line({ pair_id: 'p2', label: 'A=B' })}`)).toMatch(
      /^jb\.jsonl:2 field `label`: .*"A=B"/,
    );
    expect(bad(line({ response_B: 3 }))).toMatch(/^jb\.jsonl:1 field `response_B`/);
    expect(bad(`${line({})}\n${line({})}`)).toMatch(
      /jb\.jsonl:2 field `pair_id`: duplicate pair_id "p1" \(first on line 1\)/,
    );
    expect(bad('{"pair_id": ')).toMatch(/^jb\.jsonl:1/);
  });
});
