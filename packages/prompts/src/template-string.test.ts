import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTemplateString, escapeTemplateText, fillTemplateString } from './template-string.js';

describe('compileTemplateString', () => {
  it('parses named fields and Python brace escapes', () => {
    const c = compileTemplateString('t', 'a{x}b{{c}}{y}{x}');
    expect(c.names).toEqual(['x', 'y']);
    expect(fillTemplateString(c, { x: '1', y: '{x}' })).toBe('a1b{c}{x}1');
  });

  it('escapeTemplateText round-trips any text as a literal (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const c = compileTemplateString('t', escapeTemplateText(s));
        expect(c.names).toEqual([]);
        expect(fillTemplateString(c, {})).toBe(s);
      }),
    );
  });
});
