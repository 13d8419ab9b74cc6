import { DataFormatError } from '@judgekit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonArray, parseJsonl, parseJsonRecords, stringifyJsonl } from './json-lines.js';

function catchError(fn: () => unknown): DataFormatError {
  try {
    fn();
  } catch (error) {
    if (DataFormatError.isInstance(error)) return error as DataFormatError;
    throw error;
  }
  throw new Error('expected a DataFormatError');
}

describe('parseJsonl', () => {
  it('parses lines with 1-based numbers, skipping blank lines, CRLF and a BOM', () => {
    const text = '\ufeff{"a":1}\r\n\n   \n[2]\n"x"\n';
    expect(parseJsonl(text, 'f.jsonl')).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: [2] },
      { line: 5, value: 'x' },
    ]);
  });

  it('accepts a last line without newline and an empty file', () => {
    expect(parseJsonl('1\n2', 'f')).toEqual([
      { line: 1, value: 1 },
      { line: 2, value: 2 },
    ]);
    expect(parseJsonl('', 'f')).toEqual([]);
  });

  it('names file and line of malformed JSON and keeps the parser message', () => {
    const err = catchError(() => parseJsonl('{"a":1}\n\n{"a":\n', 'preds.jsonl'));
    expect(err.location).toEqual({ file: 'preds.jsonl', line: 3 });
    expect(err.message).toMatch(/^preds\.jsonl:3: invalid JSON \(/);
    expect(err.cause).toBeInstanceOf(SyntaxError);
  });

  it('round-trips JSON.stringify lines (property)', () => {
    const json = fc.jsonValue().filter((v) => v !== undefined);
    fc.assert(
      fc.property(fc.array(json, { maxLength: 20 }), (values) => {
        const text = values.map((v) => JSON.stringify(v)).join('\n');
        const parsed = parseJsonl(text, 'p.jsonl');
        expect(parsed.map((p) => p.value)).toEqual(values.map((v) => JSON.parse(JSON.stringify(v))));
        expect(parsed.map((p) => p.line)).toEqual(values.map((_, i) => i + 1));
      }),
    );
  });

  it('stringifyJsonl output parses back to the same records', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 10 }), (values) => {
        const text = stringifyJsonl(values);
        expect(text.split('\n').length).toBe(values.length + 1);
        expect(parseJsonl(text, 'x').map((p) => p.value)).toEqual(
          values.map((v) => JSON.parse(JSON.stringify(v))),
        );
      }),
    );
  });
});

describe('parseJsonArray', () => {
  it('returns items with record indices', () => {
    expect(parseJsonArray('[{"a":1}, 2]', 'a.json')).toEqual([
      { record: 0, value: { a: 1 } },
      { record: 1, value: 2 },
    ]);
  });

  it('reports the line of a syntax error', () => {
    const err = catchError(() => parseJsonArray('[\n{"a": 1},\n{"a": }\n]', 'a.json'));
    expect(err.location.file).toBe('a.json');
    expect(err.location.line).toBe(3);
    expect(err.message).toContain('a.json:3');
  });

  it('rejects a top-level value that is not an array', () => {
    const err = catchError(() => parseJsonArray('{"a":1}', 'obj.json'));
    expect(err.message).toContain('obj.json');
    expect(err.message).toContain('expected a JSON array');
  });
});

describe('parseJsonRecords', () => {
  it('detects arrays and JSONL and locates records', () => {
    expect(parseJsonRecords('  [1,2]', 'a.json').map((r) => r.loc)).toEqual([
      { file: 'a.json', record: 0 },
      { file: 'a.json', record: 1 },
    ]);
    expect(parseJsonRecords('1\n\n2\n', 'a.jsonl').map((r) => r.loc)).toEqual([
      { file: 'a.jsonl', line: 1 },
      { file: 'a.jsonl', line: 3 },
    ]);
  });
});
