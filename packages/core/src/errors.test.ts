import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DataFormatError,
  InvalidArgumentError,
  JudgekitError,
  ModelCallError,
  ShapeMismatchError,
  TimeoutError,
} from './errors.js';

describe('errors', () => {
  it('carry a stable code, a name and the JudgekitError base', () => {
    const e = new ShapeMismatchError('logprobs', [2, 3], [2, 4]);
    expect(e).toBeInstanceOf(JudgekitError);
    expect(e.code).toBe('shape_mismatch');
    expect(e.name).toBe('ShapeMismatchError');
    expect(e.message).toBe('Shape mismatch for logprobs: expected [2, 3], got [2, 4]');
  });

  it('isInstance works across package copies (marker, not prototype)', () => {
    const foreign = Object.assign(new Error('x'), {
      code: 'data_format',
      [Symbol.for('judgekit.error')]: true,
    });
    expect(JudgekitError.isInstance(foreign)).toBe(true);
    expect(DataFormatError.isInstance(foreign)).toBe(true);
    expect(ConfigError.isInstance(foreign)).toBe(false);
    expect(JudgekitError.isInstance(new Error('plain'))).toBe(false);
    expect(JudgekitError.isInstance(null)).toBe(false);
    expect(JudgekitError.isInstance({ code: 'config' })).toBe(false);
  });

  it('data errors name file, line and field', () => {
    const e = new DataFormatError(
      { file: 'data/test.jsonl', line: 12, field: 'answer1_body' },
      'expected a string, got null',
    );
    expect(e.message).toBe('data/test.jsonl:12 field `answer1_body`: expected a string, got null');
    expect(new DataFormatError({ file: 'a.json', record: 3 }, 'bad').message).toBe('a.json (record 3): bad');
  });

  it('keeps cause and details', () => {
    const cause = new Error('ECONNRESET');
    const e = new ModelCallError('POST /v1/chat/completions failed', { status: 503, retryable: true, cause });
    expect(e.cause).toBe(cause);
    expect(e.status).toBe(503);
    expect(e.retryable).toBe(true);
    expect(ModelCallError.isInstance(e)).toBe(true);
    expect(new TimeoutError('request', 1500).message).toBe('request timed out after 1500 ms');
    expect(new InvalidArgumentError('beta', 'must be > 0').argument).toBe('beta');
  });
});
