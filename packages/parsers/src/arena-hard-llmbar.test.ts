/**
 * Arena-Hard and LLMBar parsers on cases constructed from the upstream code's behaviour:
 * - Arena-Hard: lmarena/arena-hard-auto gen_judgment.py `get_score` @ 01109e99 (findall of
 *   `\[\[([AB<>=]+)\]\]`; 0 distinct → None, 1 distinct → it, several distinct → None) and
 *   show_result.py `label_to_score` @ 005ac120 (the ten labels, `>>` weighted 3).
 * - LLMBar: princeton-nlp/LLMBar LLMEvaluator/evaluate.py `completion_with_parsing` @ caa7bee7
 *   (strip, then `(?:^|\n) ?Output \(a\)` before `(?:^|\n) ?Output \(b\)`).
 */
import { formatJudgeOutput, getTemplate, render } from '@judgekit/prompts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arenaHardBattleScores, arenaHardUpstreamLabel, parseArenaHard } from './arena-hard-parser.js';
import {
  llmBarCotUpstreamWinner,
  llmBarUpstreamWinner,
  parseLlmBarCotOutput,
  parseLlmBarOutput,
} from './llmbar-parser.js';
import { getParser } from './parser-registry.js';

describe('Arena-Hard strict = get_score + label_to_score', () => {
  const cases: [string, ReturnType<typeof parseArenaHard>['ok'], string | undefined][] = [
    ['My final verdict is tie: [[A=B]]', true, 'tie'],
    ['Assistant A is significantly better: [[A>>B]]', true, 'answer1'],
    ['[[A>B]]', true, 'answer1'],
    ['[[B>A]]', true, 'answer2'],
    ['[[B>>A]]', true, 'answer2'],
    // The same label twice is one distinct match.
    ['I think [[B>A]]. Final: [[B>A]]', true, 'answer2'],
    // Labels upstream's table also accepts.
    ['[[A<B]]', true, 'answer2'],
    ['[[B<<A]]', true, 'answer1'],
    ['[[B=A]]', true, 'tie'],
  ];
  for (const [text, ok, verdict] of cases) {
    it(JSON.stringify(text), () => {
      const r = parseArenaHard(text);
      expect(r.ok).toBe(ok);
      if (r.ok) expect(r.value.verdict).toBe(verdict);
    });
  }
  it('several distinct labels are a failure (upstream None), even when they agree in meaning', () => {
    expect(arenaHardUpstreamLabel('[[A>B]] then [[A>>B]]')).toEqual({ reason: 'multiple-verdicts' });
    const r = parseArenaHard('First [[A>B]], on reflection [[B>A]]');
    expect(r.ok ? 'ok' : r.reason).toBe('multiple-verdicts');
    expect(parseArenaHard('[[A>B]] [[B<A]]').ok).toBe(false);
  });
  it('no label, an empty label, a single bracket or a lowercase label is no verdict', () => {
    for (const t of ['A is better', '[[]]', '[A>B]', '[[a>b]]', '[[ A>B ]]']) {
      const r = parseArenaHard(t);
      expect(r.ok ? 'ok' : r.reason).toBe('no-verdict');
    }
  });
  it("a capture outside upstream's table is unknown-label (upstream KeyError)", () => {
    for (const t of ['[[A>>>B]]', '[[AB]]', '[[=]]', '[[A>B>A]]']) {
      const r = parseArenaHard(t);
      expect(r.ok ? 'ok' : r.reason).toBe('unknown-label');
    }
  });
  it('keeps the strength; the registry drops it unless keepStrength', () => {
    const r = parseArenaHard('[[A>>B]]');
    expect(r.ok && r.value).toEqual({ verdict: 'answer1', strength: 'strong', label: 'A>>B' });
    const weak = parseArenaHard('[[B>A]]');
    expect(weak.ok && weak.value.strength).toBe('weak');
    const tie = parseArenaHard('[[A=B]]');
    expect(tie.ok && tie.value.strength).toBeUndefined();
    const p = getParser('arena-hard');
    expect(p.parse('[[B>>A]]').ok && p.parse('[[B>>A]]')).toMatchObject({
      value: { kind: 'pairwise', verdict: 'answer2' },
    });
    const kept = p.parse('[[B>>A]]', { keepStrength: true });
    expect(kept.ok && kept.value).toEqual({ kind: 'pairwise', verdict: 'answer2', strength: 'strong' });
  });
  it('lenient reads spacing, equivalent labels and the last of several, and says so', () => {
    const spaced = parseArenaHard('verdict: [[ B > A ]]', { mode: 'lenient' });
    expect(spaced.ok && [spaced.value.verdict, spaced.recoveredBy]).toEqual(['answer2', ['label-spacing']]);
    const eq = parseArenaHard('[[A>B]] i.e. [[B<A]]', { mode: 'lenient' });
    expect(eq.ok && eq.recoveredBy).toEqual(['equivalent-labels']);
    const last = parseArenaHard('At first [[A>B]] but finally [[A=B]]', { mode: 'lenient' });
    expect(last.ok && [last.value.verdict, last.recoveredBy]).toEqual(['tie', ['last-verdict']]);
    const think = parseArenaHard('<think>[[A>B]]</think>My final verdict: [[B>>A]]', { mode: 'lenient' });
    expect(think.ok && think.value.verdict).toBe('answer2');
    const reasoning = parseArenaHard({ text: '', reasoningContent: 'so [[A=B]]' }, { mode: 'lenient' });
    expect(reasoning.ok && reasoning.recoveredBy).toContain('reasoning-content');
  });
});

describe('arenaHardBattleScores = show_result.py load_judgments', () => {
  it('game 2 as is, game 1 complemented, strong labels repeated weight times', () => {
    // Model better in both games: game 1 (baseline A, model B) says B>>A, game 2 (model A) says A>B.
    expect(arenaHardBattleScores('B>>A', 'A>B')).toEqual([1, 1, 1, 1]);
    expect(arenaHardBattleScores('A=B', 'A<B')).toEqual([0, 0.5]);
    expect(arenaHardBattleScores('A>>B', 'B>>A', { weight: 2 })).toEqual([0, 0, 0, 0]);
    expect(arenaHardBattleScores(null, 'A>B')).toBeUndefined();
    expect(arenaHardBattleScores('A>>>B', 'A>B')).toBeUndefined();
  });
});

describe('LLMBar strict = completion_with_parsing', () => {
  const cases: [string, '1' | '2' | null][] = [
    ['Output (a)', '1'],
    ['Output (b)', '2'],
    ['  Output (b)\n', '2'],
    [' Output (a) is better.', '1'],
    ['Explanation first\nOutput (b)', '2'],
    ['Explanation\n Output (a)', '1'],
    // (a) is tried first wherever it starts a line.
    ['Output (b)\nOutput (a) is worse', '1'],
    // Not at the start of a line (after strip) → None.
    ['The better one is Output (b)', null],
    ['output (a)', null],
    ['Output (A)', null],
    ['Output a', null],
    ['  Output (a)'.replace('  ', '\t'), '1'],
    ['', null],
  ];
  for (const [text, winner] of cases) {
    it(JSON.stringify(text), () => {
      expect(llmBarUpstreamWinner(text)).toBe(winner);
      const r = parseLlmBarOutput(text);
      expect(r.ok ? r.value.verdict : null).toBe(
        winner === '1' ? 'answer1' : winner === '2' ? 'answer2' : null,
      );
    });
  }
  it('lenient reads other spellings and reports choice-variant', () => {
    for (const [t, v] of [
      ['The better one is Output (b).', 'answer2'],
      ['**Output (A)**', 'answer1'],
      ['(b)', 'answer2'],
      ['b', 'answer2'],
      ['output b', 'answer2'],
    ] as const) {
      const r = parseLlmBarOutput(t, { mode: 'lenient' });
      expect(r.ok && [r.value.verdict, r.recoveredBy.includes('choice-variant')]).toEqual([v, true]);
    }
    expect(parseLlmBarOutput('a good answer overall', { mode: 'lenient' }).ok).toBe(false);
    expect(parseLlmBarOutput('Both are good.', { mode: 'lenient' }).ok).toBe(false);
  });
});

describe('LLMBar CoT strict = completion_with_parsing with the CoT patterns', () => {
  it('"Output (a) is better." anywhere wins over (b), "." is any character', () => {
    expect(llmBarCotUpstreamWinner('Output (b) is weak. Therefore, Output (a) is better.')).toBe('1');
    expect(
      llmBarCotUpstreamWinner('Output (a) is better in style, but Therefore, Output (b) is better.'),
    ).toBe('1');
    expect(llmBarCotUpstreamWinner('Therefore, Output (b) is better!')).toBe('2');
    expect(llmBarCotUpstreamWinner('Therefore, Output (b) is better')).toBeNull();
    expect(llmBarCotUpstreamWinner('Therefore, output (b) is better.')).toBeNull();
  });
  it('lenient takes the last claim and says when it differs from upstream', () => {
    const r = parseLlmBarCotOutput('Output (a) is better in style. Therefore, Output (b) is better.', {
      mode: 'lenient',
    });
    expect(r.ok && [r.value.verdict, r.recoveredBy]).toEqual(['answer2', ['last-claim']]);
    const s = parseLlmBarCotOutput('so output (B) is the better', { mode: 'lenient' });
    expect(s.ok && [s.value.verdict, s.recoveredBy]).toEqual(['answer2', ['choice-variant']]);
    expect(parseLlmBarCotOutput('Both are fine.', { mode: 'lenient' }).ok).toBe(false);
  });
});

describe('new parsers: properties', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc
      .array(
        fc.constantFrom(
          '[[',
          ']]',
          'A',
          'B',
          '>',
          '>>',
          '=',
          '<',
          ' ',
          '\n',
          'Output (a)',
          'Output (b)',
          '(',
          ')',
          '<think>',
          '</think>',
        ),
        {
          maxLength: 30,
        },
      )
      .map((p) => p.join('')),
  );
  it('never throw and always return a result with the raw text', () => {
    fc.assert(
      fc.property(text, fc.option(text, { nil: undefined }), (t, reasoning) => {
        for (const mode of ['strict', 'lenient'] as const) {
          for (const input of [t, { text: t, reasoningContent: reasoning }]) {
            const a = parseArenaHard(input, { mode });
            const b = parseLlmBarOutput(input, { mode });
            expect(parseLlmBarCotOutput(input, { mode }).raw).toBe(t);
            expect(a.raw).toBe(t);
            expect(b.raw).toBe(t);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
  it('render → judge answer → parse gives back the verdict, in both orders', () => {
    const sample = fc.record({
      id: fc.constant('s'),
      question: fc.string({ maxLength: 40 }),
      answer1: fc.string({ maxLength: 40 }),
      answer2: fc.string({ maxLength: 40 }),
    });
    const verdict = fc.constantFrom('answer1', 'answer2', 'tie') as fc.Arbitrary<
      'answer1' | 'answer2' | 'tie'
    >;
    fc.assert(
      fc.property(sample, verdict, fc.boolean(), fc.boolean(), (s, v, strong, swap) => {
        const arena = render(getTemplate('arena-hard/v0.1'), s, { swap });
        const answer = formatJudgeOutput(arena.outputFormat as 'arena-hard', {
          verdict: v,
          strong,
          explanation: 'Reasoning.',
        });
        for (const mode of ['strict', 'lenient'] as const) {
          const r = getParser(arena.outputFormat)!.parse(answer, { mode });
          expect(r.ok && r.value).toEqual({ kind: 'pairwise', verdict: v });
        }
        if (v === 'tie') return;
        const bar = render(getTemplate('llmbar/vanilla'), s, { swap });
        const choice = formatJudgeOutput(bar.outputFormat as 'llmbar', { verdict: v });
        for (const mode of ['strict', 'lenient'] as const) {
          const r = getParser(bar.outputFormat)!.parse(choice, { mode });
          expect(r.ok && r.value).toEqual({ kind: 'pairwise', verdict: v });
        }
      }),
      { numRuns: 100 },
    );
  });
});
