import { describe, expect, it } from 'vitest';
import { resolveAliasedOption } from './deprecated-option.js';
import { InvalidArgumentError } from './errors.js';

const alias = (value: unknown) => ({
  name: 'impl',
  value,
  values: [
    ['loop', 'verl'],
    ['vectorized', 'verl:vectorized'],
  ] as const,
});
const allowed = ['verl', 'verl:vectorized'] as const;

describe('resolveAliasedOption', () => {
  it('uses the current name, then the alias, then the fallback', () => {
    expect(resolveAliasedOption('reference', 'verl:vectorized', allowed, 'verl')).toBe('verl:vectorized');
    expect(resolveAliasedOption('reference', undefined, allowed, 'verl', alias('vectorized'))).toBe(
      'verl:vectorized',
    );
    expect(resolveAliasedOption('reference', undefined, allowed, 'verl', alias(undefined))).toBe('verl');
  });

  it('accepts both names when they agree', () => {
    expect(resolveAliasedOption('reference', 'verl', allowed, 'verl:vectorized', alias('loop'))).toBe('verl');
  });

  it('throws a typed error naming both options when they conflict', () => {
    let err: unknown;
    try {
      resolveAliasedOption('reference', 'verl', allowed, 'verl', alias('vectorized'));
    } catch (e) {
      err = e;
    }
    expect(InvalidArgumentError.isInstance(err)).toBe(true);
    expect((err as InvalidArgumentError).argument).toBe('reference');
    expect((err as Error).message).toMatch(/reference: 'verl'.*impl: 'vectorized'.*verl:vectorized/);
  });

  it('rejects unknown values under either name', () => {
    expect(() => resolveAliasedOption('reference', 'trl' as never, allowed, 'verl')).toThrow(
      /unknown value 'trl'; expected one of 'verl', 'verl:vectorized'/,
    );
    expect(() => resolveAliasedOption('reference', undefined, allowed, 'verl', alias('fast'))).toThrow(
      /Invalid argument `impl`: unknown value 'fast'.*'loop' → 'verl'/,
    );
  });
});
