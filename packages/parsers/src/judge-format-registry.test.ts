import { parseFailure, parseSuccess, RegistryConflictError, type Verdict } from '@judgekit/core';
import { formatJudgeOutput, hasOutputFormat, registerTemplate, render } from '@judgekit/prompts';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { registerJudgeFormat, registerParser, unregisterJudgeFormat } from './judge-format-registry.js';
import { getParser, listParsers } from './parser-registry.js';

const ID = 'test-lab/winner';

function defineWinner() {
  return registerJudgeFormat({
    id: ID,
    description: 'One line: "Winner: A", "Winner: B" or "Winner: tie".',
    kind: 'pairwise',
    format: (v: { verdict: Verdict }) =>
      `Winner: ${v.verdict === 'answer1' ? 'A' : v.verdict === 'answer2' ? 'B' : 'tie'}`,
    parse(text, { mode }) {
      const m = (mode === 'lenient' ? /winner:\s*(a|b|tie)/i : /^Winner: (A|B|tie)$/).exec(text.trim());
      if (!m) return parseFailure('no-winner', 'no "Winner:" line', text);
      const w = m[1]!.toLowerCase();
      return parseSuccess(
        { kind: 'pairwise', verdict: w === 'a' ? 'answer1' : w === 'b' ? 'answer2' : 'tie' },
        text,
        mode === 'lenient' && m[0] !== text.trim() ? ['winner-anywhere'] : [],
      );
    },
  });
}

afterEach(() => {
  unregisterJudgeFormat(ID);
});

describe('registerJudgeFormat', () => {
  it('makes a user format work like a built-in: template, render, getParser in both modes', () => {
    defineWinner();
    expect(hasOutputFormat(ID)).toBe(true);
    expect(listParsers().map((p) => p.id)).toContain(ID);
    const t = registerTemplate(
      {
        id: 'test-lab/winner-pair',
        version: 1,
        format: 'pairwise',
        description: 'winner line',
        source: { repo: 'test/lab', path: 'prompt.txt', commit: 'abc1234' },
        user: 'Q: {question}\nA: {answer1}\nB: {answer2}\nAnswer "Winner: A", "Winner: B" or "Winner: tie".',
        raw: '{user}',
        outputFormat: ID,
      },
      { override: true },
    );
    const p = getParser(render(t, { id: '1', question: 'q', answer1: 'a', answer2: 'b' }).outputFormat)!;
    expect(p.kind).toBe('pairwise');
    expect(p.parse('Winner: B')).toEqual({
      ok: true,
      value: { kind: 'pairwise', verdict: 'answer2' },
      raw: 'Winner: B',
      recoveredBy: [],
    });
    expect(p.parse('I say winner: a').ok).toBe(false);
    const lenient = p.parse('I say winner: a', { mode: 'lenient' });
    expect(lenient.ok && [lenient.value, lenient.recoveredBy]).toEqual([
      { kind: 'pairwise', verdict: 'answer1' },
      ['winner-anywhere'],
    ]);
    const failure = p.parse('nothing');
    expect(failure).toMatchObject({ ok: false, reason: 'no-winner', raw: 'nothing' });
  });

  it('round trip: formatJudgeOutput → parse gives the verdict back (property)', () => {
    defineWinner();
    const p = getParser(ID)!;
    fc.assert(
      fc.property(fc.constantFrom<Verdict>('answer1', 'answer2', 'tie'), (v) => {
        const r = p.parse(formatJudgeOutput(ID, { verdict: v }));
        expect(r.ok && r.value).toEqual({ kind: 'pairwise', verdict: v });
      }),
    );
  });

  it('a user parser that throws or returns junk gives a failure, never a verdict', () => {
    registerJudgeFormat({
      id: ID,
      description: 'broken',
      kind: 'pairwise',
      parse(text) {
        if (text === 'throw') throw new Error('boom');
        if (text === 'junk') return { ok: true, value: { kind: 'pairwise', verdict: 'maybe' } } as never;
        if (text === 'rating') return parseSuccess({ kind: 'rating', score: 3 }, text);
        return undefined as never;
      },
    });
    const p = getParser(ID)!;
    expect(p.parse('throw')).toMatchObject({ ok: false, reason: 'parser-threw', raw: 'throw' });
    expect(p.parse('junk')).toMatchObject({ ok: false, reason: 'invalid-parser-result' });
    expect(p.parse('rating')).toMatchObject({ ok: false, reason: 'invalid-parser-result' });
    expect(p.parse('x')).toMatchObject({ ok: false, reason: 'invalid-parser-result' });
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => p.parse(s)).not.toThrow();
      }),
    );
  });

  it('passes reasoning_content and extra options to the user parser', () => {
    let seen: unknown;
    registerJudgeFormat({
      id: ID,
      description: 'spy',
      kind: 'rating',
      parse(text, options) {
        seen = options;
        return parseSuccess({ kind: 'rating', score: Number(text) }, text);
      },
    });
    const r = getParser(ID)!.parse(
      { text: '7', reasoningContent: 'hmm' },
      { mode: 'lenient', keepStrength: true },
    );
    expect(r.ok && r.value).toEqual({ kind: 'rating', score: 7 });
    expect(seen).toEqual({ mode: 'lenient', reasoningContent: 'hmm', keepStrength: true });
  });

  it('registering over a built-in id is a RegistryConflictError; duplicates need override', () => {
    for (const id of ['pandalm', 'judgelm-scores', 'arena-hard']) {
      expect(() =>
        registerJudgeFormat({
          id,
          description: 'x',
          kind: 'pairwise',
          parse: (t) => parseFailure('x', 'x', t),
        }),
      ).toThrow(RegistryConflictError);
      expect(() => registerParser({ id, kind: 'pairwise', parse: (t) => parseFailure('x', 'x', t) })).toThrow(
        RegistryConflictError,
      );
    }
    defineWinner();
    expect(() => defineWinner()).toThrow(RegistryConflictError);
    expect(() =>
      registerParser({ id: 'test-lab/none', kind: 'pairwise', parse: (t) => parseFailure('x', 'x', t) }),
    ).toThrow(/register it first/);
    expect(() =>
      registerJudgeFormat(
        { id: ID, description: 'x', kind: 'bad' as 'pairwise', parse: (t) => parseFailure('x', 'x', t) },
        { override: true },
      ),
    ).toThrow(/definition\.kind/);
  });

  it('unregisterJudgeFormat removes the parser and the format', () => {
    defineWinner();
    expect(unregisterJudgeFormat(ID)).toBe(true);
    expect(getParser(ID)).toBeUndefined();
    expect(hasOutputFormat(ID)).toBe(false);
    expect(unregisterJudgeFormat(ID)).toBe(false);
  });
});
