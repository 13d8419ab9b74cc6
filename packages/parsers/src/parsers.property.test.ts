import { formatJudgeOutput, OUTPUT_FORMAT_IDS, type OutputFormatId } from '@judgekit/prompts';
import { verdictFromScores } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJudgeLm, parseJudgeLmMulti, parseJudgeLmSingle } from './judgelm-parser.js';
import { parseJudgeLrm, parseJudgeLrmSingle } from './judgelrm-parser.js';
import { parseMtBenchPair, parseMtBenchSingle } from './mt-bench-parser.js';
import { parsePandaLm } from './pandalm-parser.js';
import { getParser, type Judgment } from './parser-registry.js';
import { parsePrometheusAbsolute, parsePrometheusRelative } from './prometheus-parser.js';

const MODES = ['strict', 'lenient'] as const;

/** Arbitrary text, biased towards what the parsers look for. */
const nastyText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '<think>',
        '</think>',
        '<answer>',
        '</answer>',
        '[[',
        ']]',
        '[RESULT]',
        '```json',
        '```',
        '{',
        '}',
        '"score"',
        ':',
        '8',
        '7',
        ' ',
        '\n',
        ',',
        'Assistant 1',
        'Tie',
        '### Evaluation:',
        '\ud800',
        '<|im_end|>',
        'A',
        'B',
        '/10',
        '1e999',
      ),
      { maxLength: 40 },
    )
    .map((a) => a.join('')),
);
const input = fc.oneof(
  nastyText,
  fc.record({
    text: fc.option(nastyText, { nil: null }),
    reasoningContent: fc.option(nastyText, { nil: undefined }),
  }),
);

const ALL: ((t: never, o: never) => { ok: boolean; raw: string })[] = [
  parseJudgeLm as never,
  ((t: never, o: { mode: 'strict' | 'lenient' }) => parseJudgeLmMulti(t, { ...o, answerCount: 3 })) as never,
  parseJudgeLmSingle as never,
  parseJudgeLrm as never,
  ((t: never, o: object) => parseJudgeLrm(t, { ...o, extraction: 'pandalm-inference' })) as never,
  ((t: never, o: object) => parseJudgeLrm(t, { ...o, extraction: 'pandalm-qwen3-inference' })) as never,
  ((t: never, o: object) =>
    parseJudgeLrm(t, { ...o, extraction: 'pandalm-qwen3-inference', input: 'full-sequence' })) as never,
  ((t: never, o: object) => parseJudgeLrm(t, { ...o, extraction: 'judgelm-benchmark' })) as never,
  parseJudgeLrmSingle as never,
  parsePandaLm as never,
  ((t: never, o: object) => parsePandaLm(t, { ...o, postprocess: true })) as never,
  parseMtBenchPair as never,
  ((t: never, o: object) => parseMtBenchPair(t, { ...o, outputFormat: '[[rating_a,rating_b]]' })) as never,
  parseMtBenchSingle as never,
  parsePrometheusAbsolute as never,
  parsePrometheusRelative as never,
  ((t: never, o: object) => parsePrometheusRelative(t, { ...o, relativeParser: 'f2589f7' })) as never,
];

describe('no input string makes a parser throw', () => {
  it('every parser, both modes, returns a ParseResult', () => {
    fc.assert(
      fc.property(input, (inp) => {
        for (const parse of ALL) {
          for (const mode of MODES) {
            const r = parse(inp as never, { mode } as never);
            expect(typeof r.ok).toBe('boolean');
            expect(typeof r.raw).toBe('string');
            if (!r.ok) {
              const f = r as unknown as { reason: string; message: string };
              expect(f.reason.length).toBeGreaterThan(0);
              expect(f.message.length).toBeGreaterThan(0);
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });
  it('registry parsers never throw, even on non-string input', () => {
    const weird = fc.oneof(input, fc.anything()) as fc.Arbitrary<never>;
    fc.assert(
      fc.property(weird, (inp) => {
        for (const id of OUTPUT_FORMAT_IDS) for (const mode of MODES) getParser(id).parse(inp, { mode });
      }),
      { numRuns: 300 },
    );
  });
  it('keeps the raw text on failure', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (t) => {
        const r = parseJudgeLm(t);
        expect(r.raw).toBe(t);
      }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Round trip: formatJudgeOutput(format, v) parses back to v, in both modes.
// ---------------------------------------------------------------------------------------------

const WORDS = [
  'the',
  'first',
  'answer',
  'is',
  'clear',
  'and',
  'helpful',
  'while',
  'second',
  'lacks',
  'detail',
  'overall',
  'good',
];
const prose = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 20 })
  .map((w) => `${w.join(' ')}.`);
const optProse = fc.option(prose, { nil: undefined });
const score10 = fc.oneof(
  fc.integer({ min: 0, max: 10 }),
  fc.integer({ min: 1, max: 99 }).map((x) => x / 10),
);
const int10 = fc.integer({ min: 0, max: 10 });
const verdict = fc.constantFrom('answer1', 'answer2', 'tie') as fc.Arbitrary<'answer1' | 'answer2' | 'tie'>;

type Case = { id: OutputFormatId; value: unknown; expected: Judgment };

const cases: fc.Arbitrary<Case>[] = [
  fc
    .record({ scores: fc.tuple(score10, score10), explanation: optProse, blankLine: fc.boolean() })
    .map((v) => ({
      id: 'judgelm-scores' as const,
      value: v,
      expected: { kind: 'pairwise' as const, verdict: verdictFromScores(v.scores), scores: v.scores },
    })),
  fc.record({ scores: fc.array(score10, { minLength: 2, maxLength: 8 }), explanation: optProse }).map((v) => {
    const max = Math.max(...v.scores);
    return {
      id: 'judgelm-multi-scores' as const,
      value: v,
      expected: {
        kind: 'multi-scores' as const,
        scores: v.scores,
        best: v.scores.flatMap((s, i) => (s === max ? [i] : [])),
      },
    };
  }),
  fc.record({ score: score10, explanation: optProse }).map((v) => ({
    id: 'judgelm-single' as const,
    value: v,
    expected: { kind: 'rating' as const, score: v.score },
  })),
  fc
    .record({
      scores: fc.tuple(int10, int10),
      reasoning: optProse,
      endToken: fc.constantFrom(undefined, '<|im_end|>'),
    })
    .map((v) => ({
      id: 'judgelrm-answer-tags' as const,
      value: v,
      expected: { kind: 'pairwise' as const, verdict: verdictFromScores(v.scores), scores: v.scores },
    })),
  fc.record({ score: int10, reasoning: optProse }).map((v) => ({
    id: 'judgelrm-single' as const,
    value: v,
    expected: { kind: 'rating' as const, score: v.score },
  })),
  fc.record({ verdict, reason: optProse, reference: optProse }).map((v) => ({
    id: 'pandalm' as const,
    value: v,
    expected: { kind: 'pairwise' as const, verdict: v.verdict },
  })),
  fc.record({ verdict, explanation: optProse }).map((v) => ({
    id: 'mtbench-pair' as const,
    value: v,
    expected: { kind: 'pairwise' as const, verdict: v.verdict },
  })),
  fc.record({ rating: fc.integer({ min: 1, max: 10 }), explanation: optProse }).map((v) => ({
    id: 'mtbench-single' as const,
    value: v,
    expected: { kind: 'rating' as const, score: v.rating },
  })),
  fc.record({ score: fc.integer({ min: 1, max: 5 }), feedback: optProse }).map((v) => ({
    id: 'prometheus-absolute' as const,
    value: v,
    expected: { kind: 'rating' as const, score: v.score },
  })),
  fc
    .record({
      verdict: fc.constantFrom('answer1', 'answer2') as fc.Arbitrary<'answer1' | 'answer2'>,
      feedback: optProse,
    })
    .map((v) => ({
      id: 'prometheus-relative' as const,
      value: v,
      expected: { kind: 'pairwise' as const, verdict: v.verdict },
    })),
  fc.record({ verdict, strong: fc.boolean(), explanation: optProse }).map((v) => ({
    id: 'arena-hard' as const,
    value: v,
    expected: { kind: 'pairwise' as const, verdict: v.verdict },
  })),
  fc
    .record({ verdict: fc.constantFrom('answer1', 'answer2') as fc.Arbitrary<'answer1' | 'answer2'> })
    .map((v) => ({
      id: 'llmbar' as const,
      value: v,
      expected: { kind: 'pairwise' as const, verdict: v.verdict },
    })),
  fc
    .record({
      verdict: fc.constantFrom('answer1', 'answer2') as fc.Arbitrary<'answer1' | 'answer2'>,
      explanation: optProse,
    })
    .map((v) => ({
      id: 'llmbar-cot' as const,
      value: v,
      expected: { kind: 'pairwise' as const, verdict: v.verdict },
    })),
];

describe('a judge answer written in each output format parses back to the same verdict', () => {
  it('covers every output format of @judgekit/prompts', () => {
    const ids = new Set<string>();
    for (const arb of cases) ids.add(fc.sample(arb, 1)[0]!.id);
    expect([...ids].sort()).toEqual([...OUTPUT_FORMAT_IDS].sort());
  });
  for (const arb of cases) {
    const id = fc.sample(arb, 1)[0]!.id;
    for (const mode of MODES) {
      it(`${id} (${mode})`, () => {
        fc.assert(
          fc.property(arb, (c) => {
            const text = formatJudgeOutput(c.id, c.value as never);
            const r = getParser(c.id).parse(text, { mode });
            if (!r.ok) throw new Error(`${c.id} failed on ${JSON.stringify(text)}: ${r.reason}`);
            expect(r.value).toEqual(c.expected);
            // Well-formed output needs no recovery; the JudgeLRM completion ends the prefilled think
            // block and may carry the end token, which lenient mode strips.
            const allowed =
              c.id.startsWith('judgelrm') && mode === 'lenient' ? ['stripped-think', 'special-tokens'] : [];
            for (const step of r.recoveredBy) expect(allowed).toContain(step);
          }),
          { numRuns: 150 },
        );
      });
    }
  }
});
