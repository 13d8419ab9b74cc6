import { DataFormatError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import {
  optionalNumber,
  optionalString,
  requireInteger,
  requireNumber,
  requireNumberArray,
  requireObject,
  requireRecord,
  requireString,
  requireStringArray,
} from './field-validators.js';

const loc = { file: 'data.jsonl', line: 7 };

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(DataFormatError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('field validators', () => {
  it('return values of the right type', () => {
    const r = { s: 'x', n: 1.5, i: 3, a: [1, 2], sa: ['a'], o: { t: 'y' } };
    expect(requireString(r, 's', loc)).toBe('x');
    expect(requireNumber(r, 'n', loc)).toBe(1.5);
    expect(requireInteger(r, 'i', loc)).toBe(3);
    expect(requireNumberArray(r, 'a', loc, 2)).toEqual([1, 2]);
    expect(requireStringArray(r, 'sa', loc)).toEqual(['a']);
    expect(requireObject(r, 'o', loc)).toEqual({ t: 'y' });
    expect(optionalString(r, 'missing', loc)).toBeUndefined();
    expect(optionalNumber({ n: null }, 'n', loc)).toBeUndefined();
  });

  it('name file, line and field of a missing field', () => {
    expect(messageOf(() => requireString({}, 'question_body', loc))).toBe(
      'data.jsonl:7 field `question_body`: missing required field (expected a string)',
    );
  });

  it('name the element path of a bad array element', () => {
    expect(messageOf(() => requireNumberArray({ scores: [1, 'x'] }, 'scores', loc, 2))).toBe(
      'data.jsonl:7 field `scores[1]`: expected a finite number, got a string ("x")',
    );
    expect(messageOf(() => requireNumberArray({ scores: [1] }, 'scores', loc, 2))).toContain('length 2');
  });

  it('nest paths under loc.field', () => {
    expect(messageOf(() => requireString({ text: 3 }, 'text', { ...loc, field: 'reference' }))).toBe(
      'data.jsonl:7 field `reference.text`: expected a string, got a number (3)',
    );
  });

  it('reject non-objects, non-integers and inherited keys', () => {
    expect(messageOf(() => requireRecord([1], loc))).toContain('expected a JSON object, got an array');
    expect(messageOf(() => requireInteger({ i: 1.5 }, 'i', loc))).toContain('expected an integer');
    expect(messageOf(() => requireString({}, 'toString', loc))).toContain('missing required field');
    expect(messageOf(() => requireNumber({ n: Number.NaN }, 'n', loc))).toContain('finite number');
  });
});
