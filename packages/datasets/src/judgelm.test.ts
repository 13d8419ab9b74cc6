import { DataFormatError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import {
  judgeLmRecordToSample,
  pairJudgeLmAnswers,
  parseJudgeLmAnswers,
  parseJudgeLmSamples,
} from './judgelm.js';

// Shaped like a JudgeLM-100K line (judgelm.md §3.1); text is written here, no data is bundled.
const rec = {
  review_id: 'abc',
  question_id: 7,
  answer1_id: '',
  answer2_id: '',
  reviewer_id: 1,
  metadata: {},
  question_body: 'What is 2+2?',
  answer1_body: '4',
  answer2_body: '5',
  answer1_model_id: 'mpt-7b',
  answer2_model_id: 'flan-t5-xxl',
  answer1_metadata: { decoding_method: 'top_p_sampling' },
  answer2_metadata: { decoding_method: 'top_p_sampling' },
  text: "10 1\nAssistant 1's response is correct.",
  score: [10.0, 1.0],
  reference: { decoding_method: 'None', model: 'itwgpt4/40500', text: '4' },
  text_w_reference: "10 1\n\nAssistant 1's response matches the reference.",
  score_w_reference: [10.0, 1.0],
};

const lines = (...rs: unknown[]) => rs.map((r) => JSON.stringify(r)).join('\n');

describe('JudgeLM samples', () => {
  it('parses records and drops text == "error" lines, counting them', () => {
    const text = lines(
      rec,
      { ...rec, question_id: 8, text: 'error' },
      { ...rec, question_id: 9, score: [5, 5] },
    );
    const res = parseJudgeLmSamples(text, 'val.jsonl');
    expect(res.records.map((r) => r.question_id)).toEqual([7, 9]);
    expect(res.droppedErrorLines).toEqual([2]);
    expect(res.records[0]).toMatchObject({
      question_body: 'What is 2+2?',
      reference: '4',
      score: [10, 1],
      score_w_reference: [10, 1],
      answer1_model_id: 'mpt-7b',
      line: 1,
    });
    expect(res.records[1].line).toBe(3);
    expect(res.records[0].raw.review_id).toBe('abc');
  });

  it('accepts the minimal question-file shape', () => {
    const { records } = parseJudgeLmSamples(
      lines({ question_id: 1, question_body: 'q', answer1_body: 'a', answer2_body: 'b' }),
      'q.jsonl',
    );
    expect(judgeLmRecordToSample(records[0])).toEqual({ id: '1', question: 'q', answer1: 'a', answer2: 'b' });
  });

  it('converts to PairwiseSample with gold scores and a T=0 label', () => {
    const { records } = parseJudgeLmSamples(
      lines(rec, { ...rec, score: [-1, -1], score_w_reference: [3, 3] }),
      'v.jsonl',
    );
    expect(judgeLmRecordToSample(records[0])).toEqual({
      id: '7',
      question: 'What is 2+2?',
      answer1: '4',
      answer2: '5',
      reference: '4',
      scores: [10, 1],
      label: 'answer1',
      metadata: { answer1_model_id: 'mpt-7b', answer2_model_id: 'flan-t5-xxl' },
    });
    expect(judgeLmRecordToSample(records[1]).label).toBeUndefined();
    expect(judgeLmRecordToSample(records[1], { withReference: true }).label).toBe('tie');
  });

  it('names file, line and field of bad records', () => {
    const cases: [unknown, string][] = [
      [
        { ...rec, score: [1, 'x'] },
        'v.jsonl:2 field `score[1]`: expected a finite number, got a string ("x")',
      ],
      [{ ...rec, score: [1] }, 'v.jsonl:2 field `score`: expected an array of length 2'],
      [{ ...rec, reference: { text: 3 } }, 'v.jsonl:2 field `reference.text`: expected a string'],
      [{ ...rec, reference: 'x' }, 'v.jsonl:2 field `reference`: expected a JSON object'],
      [{ ...rec, answer2_body: undefined }, 'v.jsonl:2 field `answer2_body`: missing required field'],
      [
        { ...rec, question_id: null },
        'v.jsonl:2 field `question_id`: expected a string or number id, got null',
      ],
    ];
    for (const [bad, message] of cases) {
      let error: unknown;
      try {
        parseJudgeLmSamples(lines(rec, bad), 'v.jsonl');
      } catch (e) {
        error = e;
      }
      expect(DataFormatError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(message);
    }
    expect(() => parseJudgeLmSamples(`${lines(rec)}\n{"question_id": 1,`, 'v.jsonl')).toThrow(
      /^v\.jsonl:2: invalid JSON/,
    );
  });
});

describe('JudgeLM answer files', () => {
  const a = lines(
    { question_id: 1, question_body: 'q1', text: 'a1', model: 'm1', decoding_method: 'greedy', scores: {} },
    { question_id: 2, question_body: 'q2', text: 'a2', model: 'm1' },
  );
  const b = lines(
    { question_id: 1, question_body: 'q1', text: 'b1', model: 'm2' },
    { question_id: 2, question_body: 'q2', text: 'b2', model: 'm2' },
  );

  it('parses and pairs two answer files by position', () => {
    const pairs = pairJudgeLmAnswers(parseJudgeLmAnswers(a, 'a.jsonl'), parseJudgeLmAnswers(b, 'b.jsonl'), {
      file1: 'a.jsonl',
      file2: 'b.jsonl',
    });
    expect(pairs[0]).toEqual({
      id: '1',
      question: 'q1',
      answer1: 'a1',
      answer2: 'b1',
      metadata: { answer1_model_id: 'm1', answer2_model_id: 'm2', score: [{}, undefined] },
    });
    expect(pairs).toHaveLength(2);
  });

  it('rejects misaligned answer files and missing text', () => {
    const swapped = lines(
      { question_id: 2, question_body: 'q2', text: 'b2' },
      { question_id: 1, question_body: 'q1', text: 'b1' },
    );
    expect(() =>
      pairJudgeLmAnswers(parseJudgeLmAnswers(a, 'a.jsonl'), parseJudgeLmAnswers(swapped, 'b.jsonl'), {
        file1: 'a.jsonl',
        file2: 'b.jsonl',
      }),
    ).toThrow('b.jsonl:1 field `question_id`: does not match a.jsonl:1');
    expect(() => parseJudgeLmAnswers('{"question_id":1,"question_body":"q"}', 'a.jsonl')).toThrow(
      'a.jsonl:1 field `text`: missing required field',
    );
  });
});
