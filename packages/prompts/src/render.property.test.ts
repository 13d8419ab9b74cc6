import { type PairwiseSample, swapSample } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listTemplates } from './registry.js';
import { type JudgeSample, type RenderOptions, render, renderRaw } from './render.js';
import { pythonStrip, SPECIAL_TOKEN_PATTERN, stripSpecialTokens } from './special-tokens.js';
import type { PromptTemplate } from './template.js';

/** Text rich in placeholder-like pieces, mixed with arbitrary unicode. */
const trickyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          '{question}',
          '{answer1}',
          '{answer2}',
          '{answer}',
          '{reference}',
          '{prompt}',
          '{system}',
          '{user}',
        ),
        fc.constantFrom(
          '{prefill}',
          '{answers_more}',
          '{rubric}',
          '{input}',
          '{',
          '}',
          '{{',
          '}}',
          '{0}',
          '{x!r}',
          '$&',
          '$1',
        ),
        fc.string(),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join('')),
);

function sampleFor(t: PromptTemplate, q: string, a: string, b: string, c: string, ref: string): JudgeSample {
  if (t.format === 'pairwise') return { id: 'x', question: q, answer1: a, answer2: b, reference: ref };
  if (t.format === 'single') return { id: 'x', question: q, answer: a, reference: ref };
  return { id: 'x', question: q, answers: [a, b, c], reference: ref };
}

function optionsFor(t: PromptTemplate, extra: string, withRef: boolean): RenderOptions {
  const vars: Record<string, string> = {};
  for (const v of t.vars ?? []) vars[v] = extra;
  const hasRefVariant = (t.variants ?? []).some((v) => v.when === 'reference');
  return { vars, reference: hasRefVariant ? withRef : undefined };
}

const templates = listTemplates();

describe('render properties (every built-in template)', () => {
  it('never throws for arbitrary strings in the sample fields', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...templates),
        trickyText,
        trickyText,
        trickyText,
        trickyText,
        trickyText,
        fc.boolean(),
        (t, q, a, b, c, ref, withRef) => {
          const r = render(t, sampleFor(t, q, a, b, c, ref), optionsFor(t, c, withRef));
          expect(typeof r.raw).toBe('string');
          expect(r.raw.endsWith(r.prefill ?? '')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('inserts sample text verbatim, exactly once per slot: no re-substitution of placeholder-like text', () => {
    // Render with sentinels, substitute the real text into the sentinel positions by hand, and
    // compare with rendering the real text: equal only if the values were inserted verbatim.
    fc.assert(
      fc.property(fc.constantFrom(...templates), trickyText, trickyText, trickyText, (t, q, a, b) => {
        const opts = { ...optionsFor(t, 'RUBRIC', false), stripSpecialTokens: false };
        const real = render(t, sampleFor(t, q, a, b, 'C', 'REF'), opts).raw;
        const S = ['\u0000Q\u0000', '\u0000A\u0000', '\u0000B\u0000'];
        const sentinel = render(
          t,
          sampleFor(t, S[0] as string, S[1] as string, S[2] as string, 'C', 'REF'),
          opts,
        ).raw;
        const rebuilt = sentinel
          .split(S[0] as string)
          .join(q)
          .split(S[1] as string)
          .join(a)
          .split(S[2] as string)
          .join(b);
        expect(real).toBe(rebuilt);
      }),
      { numRuns: 300 },
    );
  });

  it('swap equals rendering the swapped sample (pairwise templates)', () => {
    const pairwise = templates.filter((t) => t.format === 'pairwise');
    fc.assert(
      fc.property(fc.constantFrom(...pairwise), trickyText, trickyText, trickyText, (t, q, a, b) => {
        const s: PairwiseSample = { id: 'x', question: q, answer1: a, answer2: b, reference: 'R' };
        const opts = optionsFor(t, 'RUBRIC', false);
        expect(render(t, s, { ...opts, swap: true }).raw).toBe(render(t, swapSample(s), opts).raw);
      }),
      { numRuns: 200 },
    );
  });

  it('renderRaw equals render().raw, for every option combination', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...templates),
        trickyText,
        trickyText,
        trickyText,
        fc.boolean(),
        fc.boolean(),
        fc.option(fc.boolean(), { nil: undefined }),
        (t, q, a, b, withRef, swap, strip) => {
          const opts: RenderOptions = { ...optionsFor(t, b, withRef), stripSpecialTokens: strip };
          if (t.format !== 'single') opts.swap = swap;
          const sample = sampleFor(t, q, a, b, a, q);
          expect(renderRaw(t, sample, opts)).toBe(render(t, sample, opts).raw);
          expect(renderRaw(t.id, sample, opts)).toBe(render(t, sample, opts).raw);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** The regex-only statement of `pattern.sub("", text.strip()).strip()`, as first written. */
const PY_WS =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const referenceStrip = (s: string): string =>
  s.replace(new RegExp(`^[${PY_WS}]+`), '').replace(new RegExp(`[${PY_WS}]+$`), '');

describe('special-token stripping fast paths', () => {
  const tokenText = fc
    .array(
      fc.oneof(
        fc.constantFrom('<unk>', '<pad>', '<s>', '</s>', '[PAD]', '<|endoftext|>', '[UNK]', '[CLS]'),
        fc.constantFrom('[MASK]', '<|startofpiece|>', '<|endofpiece|>', '[gMASK]', '[sMASK]', '<', '['),
        fc.constantFrom(' ', '\t', '\n', '\u3000', '\u0085', '\u001c', '\ufeff', '\u200b', '\u180e'),
        fc.string({ unit: 'binary', maxLength: 4 }),
      ),
      { maxLength: 10 },
    )
    .map((parts) => parts.join(''));

  it('pythonStrip and stripSpecialTokens equal the regex statements', () => {
    fc.assert(
      fc.property(tokenText, (s) => {
        expect(pythonStrip(s)).toBe(referenceStrip(s));
        expect(stripSpecialTokens(s)).toBe(
          referenceStrip(referenceStrip(s).replace(SPECIAL_TOKEN_PATTERN, '')),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
