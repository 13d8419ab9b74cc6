import { InvalidArgumentError, type PairwiseSample, swapSample } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { judgelmMultiInstruction, render } from './render.js';
import { pythonStrip, stripSpecialTokens } from './special-tokens.js';
import { JUDGELM_INSTRUCTION } from './templates/judgelm.js';

const pair: PairwiseSample = {
  id: 'p',
  question: 'Q?',
  answer1: 'A one',
  answer2: 'A two',
  reference: 'R',
  scores: [8, 3],
  label: 'answer1',
};
const single = { id: 's', question: 'Q?', answer: 'Ans', reference: 'Gold' };

/** Qwen2.5 chat template: `<|im_start|>{role}\n{content}<|im_end|>\n`, continuing a final assistant message. */
function qwenChat(messages: { role: string; content: string }[]): string {
  let out = '';
  messages.forEach((m, i) => {
    const last = i === messages.length - 1 && m.role === 'assistant';
    out += `<|im_start|>${m.role}\n${m.content}${last ? '' : '<|im_end|>\n'}`;
  });
  return out;
}

function expectInvalid(fn: () => unknown, argument: string): void {
  try {
    fn();
  } catch (e) {
    expect(InvalidArgumentError.isInstance(e)).toBe(true);
    expect((e as InvalidArgumentError).argument).toBe(argument);
    return;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('chat messages', () => {
  it('JudgeLM: one user message holding the whole prompt; raw = user + prefill', () => {
    const r = render('judgelm/single', single);
    expect(r.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    expect(r.prefill).toBe('10');
    expect(r.raw).toBe(`${r.messages[0]?.content}10`);
    expect(r.raw.endsWith('### Response:10')).toBe(true);
    expect(r.outputFormat).toBe('judgelm-single');
    const p = render('judgelm/pair', pair);
    expect(p.messages).toEqual([{ role: 'user', content: p.raw }]);
    expect(p.raw.endsWith('\n\n### Response:')).toBe(true);
    expect(p.prefill).toBeUndefined();
  });

  it('JudgeLRM: the Qwen chat template applied to messages reproduces raw exactly', () => {
    for (const id of ['judgelrm/pair', 'judgelrm/pair-train']) {
      const r = render(id, pair);
      expect(r.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant']);
      expect(qwenChat(r.messages)).toBe(r.raw);
      expect(r.prefill).toBe('<think>');
    }
    const s = render('judgelrm/single', single);
    expect(qwenChat(s.messages)).toBe(s.raw);
  });

  it('JudgeLRM training and inference prompts differ in exactly the 4 documented places', () => {
    const train = render('judgelrm/pair-train', pair).raw;
    const infer = render('judgelrm/pair', pair).raw;
    expect(train).not.toBe(infer);
    expect(train.split('and<answer>').length - 1).toBe(1);
    expect(train.split('clearly  provide').length - 1).toBe(1);
    expect(train.split('\u2019').length - 1).toBe(2);
    const fixed = train
      .replace('and<answer>', 'and <answer>')
      .replace('clearly  provide', 'clearly provide')
      .replaceAll('\u2019', "'");
    expect(fixed).toBe(infer);
  });

  it('MT-Bench: system = upstream system_prompt, user = prompt_template.format(...)', () => {
    const r = render('mtbench/single-v1', single);
    expect(r.messages[0]).toEqual({ role: 'system', content: 'You are a helpful assistant.' });
    expect(
      r.messages[1]?.content.endsWith(
        "[The Start of Assistant's Answer]\nAns\n[The End of Assistant's Answer]",
      ),
    ).toBe(true);
    expect(r.raw).toBe(
      `<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n${r.messages[1]?.content}<|im_end|>\n<|im_start|>assistant\n`,
    );
  });

  it('Prometheus: raw is the FastChat mistral layout of the messages', () => {
    const r = render('prometheus/absolute', single, { vars: { rubric: 'RUB' } });
    expect(r.raw).toBe(`[INST] ${r.messages[0]?.content}\n${r.messages[1]?.content} [/INST]`);
    expect(r.messages[1]?.content.endsWith('###Score Rubrics:\nRUB\n\n###Feedback: ')).toBe(true);
  });
});

describe('swap', () => {
  it('pairwise swap equals rendering the swapped sample, for every pairwise template', () => {
    for (const id of [
      'judgelm/pair',
      'judgelrm/pair',
      'judgelrm/pair-train',
      'pandalm/pair',
      'mtbench/pair-v2',
      'mtbench/pair-math-v1',
    ]) {
      const a = render(id, pair, { swap: true });
      const b = render(id, swapSample(pair));
      expect(a.raw).toBe(b.raw);
      expect(a.swapped).toBe(true);
      expect(b.swapped).toBe(false);
      expect(a.raw).not.toBe(render(id, pair).raw);
    }
    const r = render('prometheus/relative', pair, { swap: true, vars: { rubric: 'x' } });
    expect(r.messages[1]?.content).toContain('###Response A:\nA two\n\n###Response B:\nA one\n\n');
  });

  it('JudgeLM swap puts answer 2 first', () => {
    const r = render('judgelm/pair', pair, { swap: true }).raw;
    expect(r).toContain("[The Start of Assistant 1's Answer]\nA two\n\n[The End of Assistant 1's Answer]");
    expect(r).toContain("[The Start of Assistant 2's Answer]\nA one\n\n[The End of Assistant 2's Answer]");
  });

  it('single-answer templates reject swap; pairwise rejects order', () => {
    expectInvalid(() => render('judgelm/single', single, { swap: true }), 'options.swap');
    expectInvalid(() => render('judgelm/pair', pair, { order: [1, 0] }), 'options.order');
  });

  it('multi: swap reverses, order permutes, bad permutations are rejected', () => {
    const m = { id: 'm', question: 'Q', answers: ['a', 'b', 'c'] };
    const rev = render('judgelm/multi', m, { swap: true });
    expect(rev.raw).toBe(render('judgelm/multi', { ...m, answers: ['c', 'b', 'a'] }).raw);
    expect(rev.swapped).toBe(true);
    const perm = render('judgelm/multi', m, { order: [2, 0, 1] });
    expect(perm.raw).toBe(render('judgelm/multi', { ...m, answers: ['c', 'a', 'b'] }).raw);
    expect(render('judgelm/multi', m, { order: [0, 1, 2] }).swapped).toBe(false);
    expectInvalid(() => render('judgelm/multi', m, { order: [0, 0, 1] }), 'options.order');
    expectInvalid(() => render('judgelm/multi', m, { order: [0, 1] }), 'options.order');
  });
});

describe('JudgeLM multi-answer', () => {
  it('rewrites the instruction as Conversation.copy(N) does (spec judgelm.md §1.5)', () => {
    expect(judgelmMultiInstruction(JUDGELM_INSTRUCTION, 4)).toContain(
      'Please first output a single line containing only four values indicating the scores for Assistant 1, 2, 3 and 4, respectively. The four scores are separated by a space.',
    );
    expect(judgelmMultiInstruction(JUDGELM_INSTRUCTION, 3)).toContain(
      'for Assistant 1, 2 and 3, respectively',
    );
    expect(judgelmMultiInstruction(JUDGELM_INSTRUCTION, 3)).toContain('performance of three AI assistants');
    expect(judgelmMultiInstruction(JUDGELM_INSTRUCTION, 2)).toBe(JUDGELM_INSTRUCTION);
  });

  it('with N = 2 it renders exactly the pairwise prompt', () => {
    const m = { id: 'm', question: pair.question, answers: [pair.answer1, pair.answer2], reference: 'R' };
    expect(render('judgelm/multi', m).raw).toBe(render('judgelm/pair', pair).raw);
    expect(render('judgelm/multi', m, { reference: true }).raw).toBe(
      render('judgelm/pair', pair, { reference: true }).raw,
    );
  });

  it('rejects N outside 2..19', () => {
    expectInvalid(
      () => render('judgelm/multi', { id: 'm', question: 'Q', answers: ['a'] }),
      'sample.answers',
    );
    const many = Array.from({ length: 20 }, (_, i) => `a${i}`);
    expectInvalid(() => render('judgelm/multi', { id: 'm', question: 'Q', answers: many }), 'sample.answers');
    expect(render('judgelm/multi', { id: 'm', question: 'Q', answers: many.slice(0, 19) }).raw).toContain(
      'nineteen values',
    );
  });
});

describe('reference handling', () => {
  it('reference-guided form needs sample.reference', () => {
    const { reference: _r, ...noRef } = pair;
    expectInvalid(() => render('judgelm/pair', noRef, { reference: true }), 'sample.reference');
    expectInvalid(() => render('mtbench/pair-math-v1', noRef), 'sample.reference');
    expect(render('judgelm/pair', noRef).raw).not.toContain('[Reference Answer]');
  });

  it('JudgeLM single-answer always needs the reference (Assistant 1)', () => {
    expectInvalid(
      () => render('judgelm/single', { id: 's', question: 'Q', answer: 'A' }),
      'sample.reference',
    );
    const r = render('judgelm/single', single).raw;
    expect(r).toContain("[The Start of Assistant 1's Answer]\nGold\n\n");
    expect(r).toContain("[The Start of Assistant 2's Answer]\nAns\n\n");
    expect(r).not.toContain('[Reference Answer]');
    const w = render('judgelm/single', single, { reference: true }).raw;
    expect(w).toContain('[Reference Answer]\nGold\n\n');
  });

  it('rejects a reference option the template cannot honour', () => {
    expectInvalid(() => render('judgelrm/pair', pair, { reference: true }), 'options.reference');
    expectInvalid(() => render('mtbench/pair-math-v1', pair, { reference: false }), 'options.reference');
    expect(render('mtbench/pair-math-v1', pair, { reference: true }).raw).toBe(
      render('mtbench/pair-math-v1', pair).raw,
    );
  });
});

describe('variables', () => {
  it('Prometheus needs a rubric; unknown variables are rejected; metadata is a fallback', () => {
    expectInvalid(() => render('prometheus/absolute', single), 'options.vars.rubric');
    expectInvalid(
      () => render('prometheus/absolute', single, { vars: { rubric: 'r', rubrik: 'x' } }),
      'options.vars.rubrik',
    );
    expectInvalid(() => render('judgelm/pair', pair, { vars: { input: 'x' } }), 'options.vars.input');
    const viaMeta = render('prometheus/absolute', { ...single, metadata: { rubric: 'r' } });
    expect(viaMeta.raw).toBe(render('prometheus/absolute', single, { vars: { rubric: 'r' } }).raw);
  });

  it('PandaLM picks the Input form only for a non-empty input', () => {
    expect(render('pandalm/pair', pair, { vars: { input: '' } }).raw).toBe(render('pandalm/pair', pair).raw);
    const withInput = render('pandalm/pair', { ...pair, metadata: { input: 'ctx' } }).raw;
    expect(withInput).toContain('with an Input that provides further context');
    expect(withInput).toContain('### Input:\nctx\n\n### Response 1:');
  });
});

describe('MT-Bench multi-turn', () => {
  const mtPair = { id: 'm', question: 'Q2', answer1: 'A2', answer2: 'B2', label: 'answer1' as const };
  const mtVars = { question_1: 'Q1', answer1_1: 'A1', answer2_1: 'B1' };
  it('needs the first-turn variables and reads them from vars or metadata', () => {
    expectInvalid(() => render('mtbench/pair-v2-multi-turn', mtPair), 'options.vars.question_1');
    expectInvalid(
      () => render('mtbench/pair-v2-multi-turn', mtPair, { vars: { question_1: 'Q1', answer1_1: 'A1' } }),
      'options.vars.answer2_1',
    );
    expectInvalid(
      () => render('mtbench/single-v1-multi-turn', single, { vars: { question_1: 'Q1' } }),
      'options.vars.answer_1',
    );
    expectInvalid(
      () => render('mtbench/pair-math-v1-multi-turn', { ...mtPair, reference: 'R2' }, { vars: mtVars }),
      'options.vars.ref_answer_1',
    );
    expectInvalid(
      () => render('mtbench/pair-math-v1-multi-turn', mtPair, { vars: { ...mtVars, ref_answer_1: 'R1' } }),
      'sample.reference',
    );
    const viaVars = render('mtbench/pair-v2-multi-turn', mtPair, { vars: mtVars }).raw;
    expect(render('mtbench/pair-v2-multi-turn', { ...mtPair, metadata: mtVars }).raw).toBe(viaVars);
    expect(viaVars).toContain(
      '### User:\nQ1\n\n### Assistant A:\nA1\n\n### User:\nQ2\n\n### Assistant A:\nA2\n',
    );
    expect(viaVars).toContain(
      '### User:\nQ1\n\n### Assistant B:\nB1\n\n### User:\nQ2\n\n### Assistant B:\nB2\n',
    );
  });
  it('swap exchanges both turns of A and B, equal to rendering the swapped conversation', () => {
    const swapped = render('mtbench/pair-v2-multi-turn', mtPair, { vars: mtVars, swap: true }).raw;
    const manual = render(
      'mtbench/pair-v2-multi-turn',
      { ...mtPair, answer1: 'B2', answer2: 'A2' },
      { vars: { ...mtVars, answer1_1: 'B1', answer2_1: 'A1' } },
    ).raw;
    expect(swapped).toBe(manual);
    // Swapping twice (swap on an already swapped sample and vars) restores the original.
    expect(
      render(
        'mtbench/pair-v2-multi-turn',
        { ...mtPair, answer1: 'B2', answer2: 'A2' },
        { vars: { ...mtVars, answer1_1: 'B1', answer2_1: 'A1' }, swap: true },
      ).raw,
    ).toBe(render('mtbench/pair-v2-multi-turn', mtPair, { vars: mtVars }).raw);
    expectInvalid(
      () =>
        render('mtbench/single-v1-multi-turn', single, {
          vars: { question_1: 'Q1', answer_1: 'x' },
          swap: true,
        }),
      'options.swap',
    );
  });
});

describe('special tokens', () => {
  const dirty: PairwiseSample = { id: 'd', question: 'Q', answer1: ' <s>Hi</s> ', answer2: '[PAD]x\u0085' };
  it('PandaLM and JudgeLRM inference strip by default; JudgeLM and the training prompt do not', () => {
    expect(render('pandalm/pair', dirty).raw).toContain('### Response 1:\nHi\n\n### Response 2:\nx\n\n');
    expect(render('pandalm/pair', dirty, { stripSpecialTokens: false }).raw).toContain(
      '### Response 1:\n <s>Hi</s> \n',
    );
    expect(render('judgelrm/pair', dirty).raw).toContain("[Assistant 1's Answer]\nHi\n\n");
    expect(render('judgelrm/pair-train', dirty).raw).toContain(
      '[Assistant 1\u2019s Answer]\n <s>Hi</s> \n\n',
    );
    expect(render('judgelm/pair', dirty).raw).toContain('\n <s>Hi</s> \n');
  });

  it('uses Python str.strip whitespace, not String.prototype.trim', () => {
    expect(pythonStrip('\ufeffa\u001c')).toBe('\ufeffa');
    expect(pythonStrip(' \t\n a b \u3000')).toBe('a b');
    expect(stripSpecialTokens(' x </s>')).toBe('x');
    expect(stripSpecialTokens('<|endoftext|>[gMASK]y[sMASK]')).toBe('y');
  });
});

describe('input validation', () => {
  it('rejects samples of the wrong shape', () => {
    expectInvalid(
      () => render('judgelm/pair', { id: 'x', question: 'Q', answer1: 'a' } as unknown as PairwiseSample),
      'sample.answer2',
    );
    expectInvalid(
      () =>
        render('judgelm/pair', {
          id: 'x',
          question: 1,
          answer1: 'a',
          answer2: 'b',
        } as unknown as PairwiseSample),
      'sample.question',
    );
    expectInvalid(() => render('judgelm/multi', pair as never), 'sample.answers');
    expectInvalid(() => render('judgelm/pair', null as never), 'sample');
    expectInvalid(() => render('no/such-template', pair), 'id');
  });

  it('reports template metadata', () => {
    const r = render('judgelm/pair', pair);
    expect(r.templateId).toBe('judgelm/pair');
    expect(r.templateVersion).toBe(1);
    expect(r.outputFormat).toBe('judgelm-scores');
  });
});
