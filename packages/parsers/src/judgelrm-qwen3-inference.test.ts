import { describe, expect, it } from 'vitest';
import {
  judgeLrmPandaLmLabel,
  judgeLrmQwen3PandaLmLabel,
  parseJudgeLrm,
  parseJudgeLrmUpstreamLabel,
} from './judgelrm-parser.js';
import { getParser } from './parser-registry.js';

const Q3 = { extraction: 'pandalm-qwen3-inference' } as const;
const PROMPT =
  '<|im_start|>system\nYou are a helpful assistant. … <think> </think> and <answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here </think><answer> answer here </answer>. … for example,<answer>3</answer><answer>5</answer>\n<|im_end|>\n<|im_start|>user\n[Question]\nq\n<|im_end|>\n<|im_start|>assistant\n<think>';

describe("JudgeLRM Qwen3 inference extraction ('pandalm-qwen3-inference')", () => {
  it('takes the last two integer answers when there are more than two', () => {
    const t =
      ' draft <answer>1</answer><answer>2</answer></think><answer>8</answer><answer>4</answer><|im_end|>';
    expect(parseJudgeLrm(t, Q3)).toMatchObject({ ok: true, value: { scores: [8, 4], verdict: 'answer1' } });
    // The Qwen2.5 inference reads the first two after </think>; the reward the first two overall.
    expect(parseJudgeLrm(t, { extraction: 'pandalm-inference' })).toMatchObject({
      ok: true,
      value: { scores: [8, 4] },
    });
    expect(parseJudgeLrm(t)).toMatchObject({ ok: true, value: { scores: [1, 2], verdict: 'answer2' } });
    const three = ' x</think><answer>3</answer><answer>9</answer><answer>5</answer>';
    expect(parseJudgeLrm(three, Q3)).toMatchObject({
      ok: true,
      value: { scores: [9, 5], verdict: 'answer1' },
    });
    expect(parseJudgeLrm(three, { extraction: 'pandalm-inference' })).toMatchObject({
      ok: true,
      value: { scores: [3, 9], verdict: 'answer2' },
    });
    const five =
      ' x</think><answer>1</answer><answer>2</answer><answer>3</answer><answer>6</answer><answer>6</answer>';
    expect(parseJudgeLrm(five, Q3)).toMatchObject({ ok: true, value: { scores: [6, 6], verdict: 'tie' } });
    expect(judgeLrmQwen3PandaLmLabel(`<|im_start|>assistant\n<think>${five}`)).toEqual({
      output: '<answer>6</answer><answer>6</answer>',
      label: 0,
      scores: [6, 6],
      source: 'after-header',
      padded: false,
    });
  });

  it('skips non-integer tags, needs no </think>, has no range check, reads Unicode digits', () => {
    expect(
      parseJudgeLrm(' x</think><answer>8.5</answer><answer>4</answer><answer>6</answer>', Q3),
    ).toMatchObject({
      ok: true,
      value: { scores: [4, 6] },
    });
    const noClose = ' x <answer>8</answer><answer>4</answer>';
    expect(parseJudgeLrm(noClose, Q3)).toMatchObject({ ok: true, value: { scores: [8, 4] } });
    expect(parseJudgeLrm(noClose, { extraction: 'pandalm-inference' })).toMatchObject({
      ok: false,
      reason: 'missing-think-close',
    });
    expect(parseJudgeLrm('</think><answer> 11 </answer><answer>\n4</answer>', Q3)).toMatchObject({
      ok: true,
      value: { scores: [11, 4] },
    });
    expect(parseJudgeLrm('</think><answer>٨</answer><answer>4</answer>', Q3)).toMatchObject({
      ok: true,
      value: { scores: [8, 4] },
    });
  });

  it('one answer: upstream sets the second score to 0; strict reports a failure', () => {
    const t = ' x</think><answer>7</answer><|im_end|>';
    expect(judgeLrmQwen3PandaLmLabel(`<|im_start|>assistant\n<think>${t}`)).toMatchObject({
      label: 1,
      scores: [7, 0],
      padded: true,
      source: 'after-header',
      output: '<answer>7</answer><answer>0</answer>',
    });
    expect(parseJudgeLrmUpstreamLabel(t, { inference: 'qwen3' })).toBe(1);
    expect(parseJudgeLrmUpstreamLabel(t)).toBe(0);
    const r = parseJudgeLrm(t, Q3);
    expect(r).toMatchObject({ ok: false, reason: 'too-few-answer-tags', raw: t });
    expect(r.ok ? '' : r.message).toContain('sets the missing second score to 0');
  });

  it('no answer in the response: upstream falls back to the prompt example (label 2) or to 0 0', () => {
    const t = ' I cannot decide.</think><|im_end|>';
    const full = judgeLrmQwen3PandaLmLabel(PROMPT + t);
    expect(full).toMatchObject({ label: 2, scores: [3, 5], source: 'whole-text', padded: false });
    expect(parseJudgeLrm(PROMPT + t, { ...Q3, input: 'full-sequence' })).toMatchObject({
      ok: false,
      reason: 'too-few-answer-tags',
    });
    expect(judgeLrmQwen3PandaLmLabel(`<|im_start|>assistant\n<think>${t}`)).toEqual({
      output: '<answer>0</answer><answer>0</answer>',
      label: 0,
      scores: [0, 0],
      source: 'default',
      padded: false,
    });
    expect(parseJudgeLrm(t, Q3)).toMatchObject({ ok: false, reason: 'too-few-answer-tags' });
    // The same full sequence with answers in the response reads them, not the prompt's.
    const ok = `${PROMPT} x</think><answer>2</answer><answer>9</answer><|im_end|>`;
    expect(parseJudgeLrm(ok, { ...Q3, input: 'full-sequence' })).toMatchObject({
      ok: true,
      value: { scores: [2, 9], verdict: 'answer2' },
    });
    expect(judgeLrmPandaLmLabel(ok).label).toBe(2);
  });

  it('reads between the first and second <|im_start|>assistant; without a header, the fallbacks', () => {
    const two =
      '<|im_start|>assistant\n<answer>1</answer><answer>2</answer><|im_end|><|im_start|>assistant\n<answer>9</answer><answer>3</answer>';
    expect(parseJudgeLrm(two, { ...Q3, input: 'full-sequence' })).toMatchObject({
      ok: true,
      value: { scores: [1, 2] },
    });
    // No header at all (full-sequence input): after the first </think>, then the whole text.
    expect(judgeLrmQwen3PandaLmLabel('r</think><answer>8</answer><answer>4</answer>')).toMatchObject({
      source: 'after-think',
      scores: [8, 4],
    });
    const before = '<answer>2</answer><answer>9</answer></think>tail';
    expect(judgeLrmQwen3PandaLmLabel(before)).toMatchObject({
      source: 'whole-text',
      scores: [2, 9],
      label: 2,
    });
    expect(parseJudgeLrm(before, { ...Q3, input: 'full-sequence' })).toMatchObject({
      ok: true,
      value: { scores: [2, 9] },
    });
    // A header present but answers only outside its segment: upstream uses them, strict does not.
    const outside = '<answer>6</answer><answer>1</answer><|im_start|>assistant\nno answer';
    expect(judgeLrmQwen3PandaLmLabel(outside)).toMatchObject({ source: 'whole-text', label: 1 });
    expect(parseJudgeLrm(outside, { ...Q3, input: 'full-sequence' })).toMatchObject({ ok: false });
  });

  it('is reachable through the registry and ignored by lenient mode', () => {
    const t = ' x</think><answer>3</answer><answer>9</answer><answer>5</answer>';
    const j = getParser('judgelrm-answer-tags').parse(t, { extraction: 'pandalm-qwen3-inference' });
    expect(j).toMatchObject({ ok: true, value: { kind: 'pairwise', verdict: 'answer1', scores: [9, 5] } });
    expect(parseJudgeLrm(t, { ...Q3, mode: 'lenient' })).toEqual(parseJudgeLrm(t, { mode: 'lenient' }));
    expect(parseJudgeLrm('', Q3)).toMatchObject({ ok: false, reason: 'empty-output' });
  });
});
