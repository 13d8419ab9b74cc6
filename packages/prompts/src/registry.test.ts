import { InvalidArgumentError } from '@judgekit/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  defaultTemplateRegistry,
  getTemplate,
  listTemplates,
  registerTemplate,
  TemplateRegistry,
} from './registry.js';
import { render } from './render.js';
import { defineTemplate, type TemplateDefinition } from './template.js';
import { BUILTIN_TEMPLATES } from './templates/index.js';

const mine: TemplateDefinition = {
  id: 'test/mine',
  version: 1,
  format: 'pairwise',
  description: 'test template',
  source: { repo: 'me/repo', path: 'prompts.py', commit: 'abc1234' },
  system: 'Judge {{strictly}}.',
  user: 'Q: {question}\nA: {answer1}\nB: {answer2}\n{note}',
  raw: '<sys>{system}</sys><usr>{user}</usr>{prefill}',
  outputFormat: 'mtbench-pair',
  assistantPrefill: 'Verdict:',
  constants: { note: 'Answer [[A]] or [[B]].' },
};

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(InvalidArgumentError.isInstance(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an InvalidArgumentError');
}

afterEach(() => {
  defaultTemplateRegistry().unregister('test/mine');
});

describe('built-in registry', () => {
  it('lists every built-in template, sorted, each with source and output format', () => {
    const ids = listTemplates().map((t) => t.id);
    expect(ids).toEqual([
      'arena-hard/v0.1',
      'judgelm/multi',
      'judgelm/pair',
      'judgelm/single',
      'judgelm/vqa-single',
      'judgelrm/pair',
      'judgelrm/pair-train',
      'judgelrm/single',
      'llmbar/cot',
      'llmbar/vanilla',
      'llmbar/vanilla-norules',
      'mtbench/pair-math-v1',
      'mtbench/pair-math-v1-multi-turn',
      'mtbench/pair-v2',
      'mtbench/pair-v2-multi-turn',
      'mtbench/single-math-v1',
      'mtbench/single-math-v1-multi-turn',
      'mtbench/single-v1',
      'mtbench/single-v1-multi-turn',
      'pandalm/pair',
      'prometheus/absolute',
      'prometheus/relative',
    ]);
    for (const t of listTemplates()) {
      expect(t.source.commit.length).toBeGreaterThanOrEqual(7);
      expect(Object.isFrozen(t)).toBe(true);
    }
    expect(BUILTIN_TEMPLATES.length).toBe(22);
  });

  it('getTemplate throws a helpful error for an unknown id', () => {
    expect(message(() => getTemplate('judgelm/pairs'))).toContain(
      'known templates: arena-hard/v0.1, judgelm/multi, judgelm/pair',
    );
  });

  it('templates cannot be mutated', () => {
    const t = getTemplate('judgelm/pair');
    expect(() => {
      (t as { user: string }).user = 'x';
    }).toThrow();
  });
});

describe('registerTemplate', () => {
  it('registers a user template and renders it by id with the same guarantees', () => {
    const t = registerTemplate(mine);
    expect(getTemplate('test/mine')).toBe(t);
    const r = render('test/mine', { id: '1', question: '{answer1}', answer1: 'x', answer2: '}{' });
    expect(r.raw).toBe(
      '<sys>Judge {strictly}.</sys><usr>Q: {answer1}\nA: x\nB: }{\nAnswer [[A]] or [[B]].</usr>Verdict:',
    );
    expect(r.messages).toEqual([
      { role: 'system', content: 'Judge {strictly}.' },
      { role: 'user', content: 'Q: {answer1}\nA: x\nB: }{\nAnswer [[A]] or [[B]].' },
      { role: 'assistant', content: 'Verdict:' },
    ]);
    expect(r.outputFormat).toBe('mtbench-pair');
  });

  it('rejects duplicates unless override is set', () => {
    registerTemplate(mine);
    expect(message(() => registerTemplate(mine))).toContain("'test/mine' (version 1) is already registered");
    expect(message(() => registerTemplate({ ...getTemplate('judgelm/pair') }))).toContain(
      'already registered',
    );
    const v2 = registerTemplate({ ...mine, version: 2, constants: { note: 'N' } }, { override: true });
    expect(getTemplate('test/mine').version).toBe(2);
    expect(v2.constants?.note).toBe('N');
  });

  it('does not keep a reference to the caller object', () => {
    const def = { ...mine, constants: { note: 'one' } };
    const t = defineTemplate(def);
    def.constants.note = 'two';
    expect(t.constants?.note).toBe('one');
  });

  it.each([
    [{ user: 'Q: {question} {answer1} {answer2} {note} {rubric}' }, 'unknown placeholder {rubric}'],
    [{ user: 'Q: {question} {answer1} {note}' }, 'missing required placeholder(s) {answer2}'],
    [{ user: 'Q: {question} {answer1} {answer2} {note' }, "unmatched '{'"],
    [{ user: 'Q: {question} {answer1} {answer2} {note} }' }, "single '}'"],
    [{ user: 'Q: {question} {answer1} {answer2} {note} {0}' }, 'unsupported placeholder {0}'],
    [{ user: 'Q: {question} {answer1} {answer2} {note!r}' }, 'unsupported placeholder {note!r}'],
    [{ user: 'Q: {question} {answer1} {answer2}' }, 'declared placeholder {note} is never used'],
    [{ raw: '{system}{prefill}' }, 'must contain {user}'],
    [{ raw: '{user}{prefill}' }, 'must contain {system}'],
    [{ raw: '{system}{prefill}{user}' }, 'must end with {prefill}'],
    [{ raw: '{system}{user}{prefill}{extra}' }, 'unknown placeholder {extra}'],
    [{ assistantPrefill: undefined }, 'must not contain {prefill}'],
    [{ system: undefined }, 'must not contain {system}'],
    [{ id: 'Bad Id' }, 'expected an id like'],
    [{ version: 0 }, 'positive integer'],
    [{ outputFormat: 'nope' }, 'unknown output format'],
    [{ format: 'triple' }, "expected 'pairwise' | 'single' | 'multi'"],
    [{ constants: { question: 'x' } }, 'already a sample placeholder'],
    [{ source: { repo: 'a/b', path: 'p' } }, 'commit'],
    [{ answerFormat: '{answer}' }, "only 'multi' templates have an answerFormat"],
    [
      { variants: [{ when: 'reference', user: '{question}{answer1}{answer2}{note}' }] },
      'must use {reference}',
    ],
    [{ variants: [{ when: 'input', user: '{question}{answer1}{answer2}{note}' }] }, 'must use {input}'],
  ])('rejects an invalid definition (%j)', (patch, expected) => {
    const def = { ...mine, ...patch } as TemplateDefinition;
    expect(message(() => registerTemplate(def))).toContain(expected);
    expect(defaultTemplateRegistry().has('test/mine')).toBe(false);
  });

  it('validates multi templates (answerFormat placeholders)', () => {
    const multi = defineTemplate({
      ...mine,
      id: 'test/multi',
      format: 'multi',
      user: '{question}|{answer1}|{answer2}|{answers_more}|{answer_count}|{note}',
      answerFormat: '<{answer_id}:{answer}>',
    });
    expect(
      render(multi, { id: 'm', question: 'Q', answers: ['a', 'b', 'c', 'd'] }, {}).messages[1]?.content,
    ).toBe('Q|a|b|<3:c><4:d>|4|Answer [[A]] or [[B]].');
    expect(message(() => defineTemplate({ ...multi, answerFormat: '{answer}{question}' }))).toContain(
      'only {answer_id} and {answer}',
    );
  });
});

describe('swapVars validation', () => {
  const base: TemplateDefinition = {
    ...mine,
    id: 'test/swap',
    user: 'Q: {question}\nA1: {a_first}\nA: {answer1}\nB1: {b_first}\nB: {answer2}\n{note}',
    vars: ['a_first', 'b_first'],
    swapVars: [['a_first', 'b_first']],
  };
  it('accepts pairs of declared vars and swaps them with the answers', () => {
    const t = defineTemplate(base);
    const s = { id: '1', question: 'q', answer1: 'x', answer2: 'y' };
    expect(render(t, s, { vars: { a_first: 'p', b_first: 'r' }, swap: true }).messages[1]!.content).toBe(
      'Q: q\nA1: r\nA: y\nB1: p\nB: x\nAnswer [[A]] or [[B]].',
    );
  });
  it('rejects undeclared names, repeated names, bad shapes and non-pairwise templates', () => {
    expect(message(() => defineTemplate({ ...base, swapVars: [['a_first', 'nope']] }))).toContain(
      "not one of the template's vars",
    );
    expect(message(() => defineTemplate({ ...base, swapVars: [['a_first', 'a_first']] }))).toContain(
      'more than one swap pair',
    );
    expect(
      message(() => defineTemplate({ ...base, swapVars: [['a_first'] as unknown as [string, string]] })),
    ).toContain('[name, name] pair');
    expect(
      message(() =>
        defineTemplate({
          ...base,
          format: 'single',
          user: '{question} {answer} {a_first} {b_first} {note}',
        }),
      ),
    ).toContain("only 'pairwise' templates have swapVars");
  });
});

describe('TemplateRegistry instances', () => {
  it('are isolated from the default registry', () => {
    const reg = new TemplateRegistry();
    expect(reg.list()).toEqual([]);
    reg.register(mine);
    expect(reg.has('test/mine')).toBe(true);
    expect(defaultTemplateRegistry().has('test/mine')).toBe(false);
    const withBuiltins = new TemplateRegistry(BUILTIN_TEMPLATES);
    expect(withBuiltins.list().length).toBe(22);
    expect(reg.unregister('test/mine')).toBe(true);
    expect(() => reg.get('test/mine')).toThrow(InvalidArgumentError);
  });
});
