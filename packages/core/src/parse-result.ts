/**
 * The outcome of turning model text into a typed value. Parsers never throw on model text: bad text
 * is a failure with a reason code and the raw text, kept so that nothing is silently dropped.
 */

/** A successful parse. */
export interface ParseSuccess<T> {
  ok: true;
  value: T;
  /** The text that was parsed. */
  raw: string;
  /**
   * How the value was recovered when the parser had to be lenient (e.g. `'stripped-think'`,
   * `'json-fence'`); empty when the text was in the exact expected format.
   */
  recoveredBy: readonly string[];
}

/** A failed parse: what went wrong, in a stable code and in words, and the raw text. */
export interface ParseFailure<R extends string = string> {
  ok: false;
  /** Stable reason code, e.g. `'no-scores-line'`, `'missing-answer-tag'`. */
  reason: R;
  /** Human-readable explanation. */
  message: string;
  /** The text that could not be parsed, unmodified. */
  raw: string;
}

/** Success with a value of type `T`, or a failure with reason code `R`. */
export type ParseResult<T, R extends string = string> = ParseSuccess<T> | ParseFailure<R>;

/** Build a success. */
export function parseSuccess<T>(value: T, raw: string, recoveredBy: readonly string[] = []): ParseSuccess<T> {
  return { ok: true, value, raw, recoveredBy };
}

/** Build a failure. */
export function parseFailure<R extends string>(reason: R, message: string, raw: string): ParseFailure<R> {
  return { ok: false, reason, message, raw };
}

/** Narrow a result to its success branch. */
export function isParseSuccess<T, R extends string>(result: ParseResult<T, R>): result is ParseSuccess<T> {
  return result.ok;
}

/** Map the value of a success, passing failures through unchanged. */
export function mapParseResult<T, U, R extends string>(
  result: ParseResult<T, R>,
  fn: (value: T) => U,
): ParseResult<U, R> {
  return result.ok ? { ...result, value: fn(result.value) } : result;
}
