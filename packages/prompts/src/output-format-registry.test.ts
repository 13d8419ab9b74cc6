import { InvalidArgumentError, RegistryConflictError } from '@judgekit/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  getOutputFormat,
  hasOutputFormat,
  listOutputFormats,
  registerOutputFormat,
  unregisterOutputFormat,
} from './output-format-registry.js';
import { formatJudgeOutput } from './output-formats.js';
import { registerTemplate } from './registry.js';
import { render } from './render.js';
import { defineTemplate } from './template.js';

const ID = 'test-lab/winner-line';

afterEach(() => {
  unregisterOutputFormat(ID);
});

describe('registerOutputFormat', () => {
  it('a registered format is accepted by templates, render and formatJudgeOutput like a built-in', () => {
    expect(() =>
      defineTemplate({
        id: 'test-lab/pair',
        version: 1,
        format: 'pairwise',
        description: 'x',
        source: { repo: 'a/b', path: 'p', commit: 'c' },
        user: 'Q: {question}\nA: {answer1}\nB: {answer2}',
        raw: '{user}',
        outputFormat: ID,
      }),
    ).toThrow(/unknown output format "test-lab\/winner-line".*registerOutputFormat/);
    registerOutputFormat<{ winner: 'A' | 'B' }>({
      id: ID,
      description: 'One line: "Winner: A" or "Winner: B".',
      format: (v) => `Winner: ${v.winner}`,
    });
    expect(hasOutputFormat(ID)).toBe(true);
    expect(getOutputFormat(ID)).toMatchObject({ id: ID, builtin: false });
    expect(listOutputFormats().map((f) => f.id)).toContain(ID);
    const t = registerTemplate(
      {
        id: 'test-lab/pair',
        version: 1,
        format: 'pairwise',
        description: 'x',
        source: { repo: 'a/b', path: 'p', commit: 'c' },
        user: 'Q: {question}\nA: {answer1}\nB: {answer2}',
        raw: '{user}',
        outputFormat: ID,
      },
      { override: true },
    );
    const r = render(t, { id: 'q1', question: 'q', answer1: 'x', answer2: 'y' }, { swap: true });
    expect(r.outputFormat).toBe(ID);
    expect(r.raw).toBe('Q: q\nA: y\nB: x');
    expect(formatJudgeOutput(ID, { winner: 'B' })).toBe('Winner: B');
  });

  it('registering over a built-in id is a RegistryConflictError; a duplicate needs override', () => {
    for (const id of ['pandalm', 'arena-hard', 'llmbar']) {
      const err = (() => {
        try {
          registerOutputFormat({ id, description: 'mine' });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(RegistryConflictError.isInstance(err)).toBe(true);
    }
    expect(() => unregisterOutputFormat('pandalm')).toThrow(RegistryConflictError);
    registerOutputFormat({ id: ID, description: 'one' });
    expect(() => registerOutputFormat({ id: ID, description: 'two' })).toThrow(RegistryConflictError);
    expect(registerOutputFormat({ id: ID, description: 'two' }, { override: true }).description).toBe('two');
  });

  it('rejects bad definitions with a typed error naming the field', () => {
    expect(() => registerOutputFormat({ id: 'Bad Id', description: 'x' })).toThrow(/definition\.id/);
    expect(() => registerOutputFormat({ id: ID, description: '' })).toThrow(InvalidArgumentError);
    expect(() =>
      registerOutputFormat({ id: ID, description: 'x', format: 'no' as unknown as () => string }),
    ).toThrow(/definition\.format/);
    registerOutputFormat({ id: ID, description: 'no writer' });
    expect(() => formatJudgeOutput(ID, {})).toThrow(/without a `format` function/);
  });
});
