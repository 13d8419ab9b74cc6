import { getParser } from '@judgekit/parsers';
import { describe, expect, it } from 'vitest';
import { getJudgeJsonForm, listJudgeJsonForms, registerJudgeJsonForm } from './judge-json-forms.js';
import { judgeRationale } from './judge-rationale.js';

const REPLIES: Record<string, [unknown, unknown]> = {
  'mtbench-pair': [
    { explanation: 'B is right.', verdict: 'B' },
    { kind: 'pairwise', verdict: 'answer2' },
  ],
  'mtbench-single': [
    { explanation: 'ok', rating: 7 },
    { kind: 'rating', score: 7 },
  ],
  'judgelm-scores': [
    { score1: 8, score2: 3, explanation: 'first' },
    { kind: 'pairwise', verdict: 'answer1', scores: [8, 3] },
  ],
  pandalm: [
    { result: 'Tie', reason: 'same' },
    { kind: 'pairwise', verdict: 'tie' },
  ],
  'prometheus-absolute': [
    { feedback: 'fine', score: 4 },
    { kind: 'rating', score: 4 },
  ],
  'prometheus-relative': [
    { feedback: 'A wins', result: 'A' },
    { kind: 'pairwise', verdict: 'answer1' },
  ],
};

describe('JSON forms', () => {
  it('every form writes text its format parser reads back (strict mode)', () => {
    expect(listJudgeJsonForms().sort()).toEqual(Object.keys(REPLIES).sort());
    for (const [format, [json, judgment]] of Object.entries(REPLIES)) {
      const read = getJudgeJsonForm(format)!.toText(json);
      expect(read.ok, format).toBe(true);
      if (!read.ok) continue;
      const parsed = getParser(format)!.parse(read.text, { mode: 'strict' });
      expect(parsed.ok, `${format}: ${read.text}`).toBe(true);
      if (parsed.ok) expect(parsed.value).toEqual(judgment);
      expect(read.rationale).not.toBe('');
    }
  });

  it('JSON that does not follow the schema is a named failure', () => {
    expect(getJudgeJsonForm('mtbench-pair')!.toText({ verdict: 'D' })).toEqual({
      ok: false,
      reason: 'json-no-verdict',
    });
    expect(getJudgeJsonForm('judgelm-scores')!.toText({ score1: 'high' })).toEqual({
      ok: false,
      reason: 'json-no-scores',
    });
    expect(getJudgeJsonForm('mtbench-single')!.toText([1])).toEqual({ ok: false, reason: 'json-no-rating' });
    expect(getJudgeJsonForm('judgelrm-answer-tags')).toBeUndefined();
  });

  it('registerJudgeJsonForm refuses to replace silently', () => {
    const form = getJudgeJsonForm('pandalm')!;
    expect(() => registerJudgeJsonForm('pandalm', form)).toThrow(/replace: true/);
    registerJudgeJsonForm('pandalm', form, { replace: true });
    expect(getJudgeJsonForm('pandalm')).toBe(form);
  });
});

describe('judgeRationale', () => {
  it('takes the explanation part of each format', () => {
    expect(judgeRationale('mtbench-pair', 'Because X.\n\n[[A]]')).toBe('Because X.');
    expect(judgeRationale('mtbench-single', 'Fine work. Rating: [[8]]')).toBe('Fine work.');
    expect(judgeRationale('judgelm-scores', '8 3\nAssistant 1 is better.')).toBe('Assistant 1 is better.');
    expect(judgeRationale('judgelm-scores', '8 3')).toBeNull();
    expect(
      judgeRationale('judgelrm-answer-tags', '<think>compare</think><answer>8</answer><answer>3</answer>'),
    ).toBe('compare');
    expect(judgeRationale('pandalm', '1\n\n### Reason: clearer\n\n### Reference: x\n')).toBe('clearer');
    expect(judgeRationale('prometheus-absolute', 'Feedback: good [RESULT] 4')).toBe('good');
    expect(judgeRationale('mtbench-pair', '[[A]]', 'server reasoning')).toBe('server reasoning');
    expect(judgeRationale('unknown-format', ' all of it ')).toBe('all of it');
  });
});
