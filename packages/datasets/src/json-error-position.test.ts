import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findJsonErrorPosition } from './json-error-position.js';

describe('findJsonErrorPosition', () => {
  it('returns -1 for valid JSON (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
        expect(findJsonErrorPosition(JSON.stringify(v, null, pretty ? 2 : undefined))).toBe(-1);
      }),
    );
  });

  it('agrees with JSON.parse on validity of mutated text (property)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.nat(),
        fc.constantFrom('', '}', ']', ',', '"', ':', 'x', '\u0001'),
        (v, at, ins) => {
          const s = JSON.stringify(v);
          const k = at % (s.length + 1);
          const text = s.slice(0, k) + ins + s.slice(k);
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          expect(findJsonErrorPosition(text) === -1).toBe(valid);
        },
      ),
    );
  });

  it('points at the offending character', () => {
    expect(findJsonErrorPosition('[1, }')).toBe(4);
    expect(findJsonErrorPosition('{"a": tru}')).toBe(9);
    expect(findJsonErrorPosition('[1')).toBe(2);
    expect(findJsonErrorPosition('"\\q"')).toBe(2);
    expect(findJsonErrorPosition('01')).toBe(1);
  });
});
