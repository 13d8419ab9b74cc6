/**
 * Error classes of judgekit. Every failure kind has its own class with a stable `code`, so callers
 * can branch on `error.code` or on `XError.isInstance(error)`; the latter works across duplicated
 * copies of this package (two versions in one `node_modules`), where `instanceof` would not.
 *
 * Model text never raises these: parsers return a `ParseResult` failure instead.
 */

const MARKER = Symbol.for('judgekit.error');

/** Stable machine-readable codes, one per failure kind. */
export type JudgekitErrorCode =
  | 'invalid_argument'
  | 'shape_mismatch'
  | 'data_format'
  | 'config'
  | 'model_call'
  | 'timeout'
  | 'aborted'
  | 'not_supported'
  | 'registry_conflict'
  | 'webgpu'
  | 'worker_failed';

/** Options common to every judgekit error. */
export interface JudgekitErrorOptions {
  /** The underlying error, kept as the standard `cause`. */
  cause?: unknown;
}

/** Base class of every error judgekit throws. */
export class JudgekitError extends Error {
  /** Stable code naming the failure kind; safe to branch on. */
  readonly code: JudgekitErrorCode;
  constructor(code: JudgekitErrorCode, message: string, options: JudgekitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, MARKER, { value: true, enumerable: false });
  }

  /** True for any judgekit error, from this copy of the package or another. */
  static isInstance(error: unknown): error is JudgekitError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

function hasCode(error: unknown, code: JudgekitErrorCode): boolean {
  return JudgekitError.isInstance(error) && error.code === code;
}

/** A function was called with an argument outside its documented domain. */
export class InvalidArgumentError extends JudgekitError {
  /** Name of the offending argument. */
  readonly argument: string;
  constructor(argument: string, message: string, options?: JudgekitErrorOptions) {
    super('invalid_argument', `Invalid argument \`${argument}\`: ${message}`, options);
    this.argument = argument;
  }
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return hasCode(error, 'invalid_argument');
  }
}

/** Typed arrays whose lengths or shapes do not fit together. */
export class ShapeMismatchError extends JudgekitError {
  /** Shape the operation expected. */
  readonly expected: readonly number[];
  /** Shape it received. */
  readonly actual: readonly number[];
  constructor(
    what: string,
    expected: readonly number[],
    actual: readonly number[],
    options?: JudgekitErrorOptions,
  ) {
    super(
      'shape_mismatch',
      `Shape mismatch for ${what}: expected [${expected.join(', ')}], got [${actual.join(', ')}]`,
      options,
    );
    this.expected = expected;
    this.actual = actual;
  }
  static override isInstance(error: unknown): error is ShapeMismatchError {
    return hasCode(error, 'shape_mismatch');
  }
}

/** Where in an input file a problem sits. */
export interface DataLocation {
  /** Path (or name) of the file. */
  file: string;
  /** 1-based line number, when the format is line-oriented (JSONL) or the line is known. */
  line?: number;
  /** 0-based record index inside a JSON array file. */
  record?: number;
  /** Field path, e.g. `scores[1]` or `answer1_body`. */
  field?: string;
}

/** A data file (or record) that does not match its schema. The message names file, line and field. */
export class DataFormatError extends JudgekitError {
  readonly location: DataLocation;
  constructor(location: DataLocation, problem: string, options?: JudgekitErrorOptions) {
    super('data_format', `${formatLocation(location)}: ${problem}`, options);
    this.location = location;
  }
  static override isInstance(error: unknown): error is DataFormatError {
    return hasCode(error, 'data_format');
  }
}

/** Render a location as `file:line (record n) field x`. */
export function formatLocation(location: DataLocation): string {
  let out = location.file;
  if (location.line !== undefined) out += `:${location.line}`;
  if (location.record !== undefined) out += ` (record ${location.record})`;
  if (location.field !== undefined) out += ` field \`${location.field}\``;
  return out;
}

/** A configuration that cannot work (unknown option value, contradictory switches). */
export class ConfigError extends JudgekitError {
  constructor(message: string, options?: JudgekitErrorOptions) {
    super('config', message, options);
  }
  static override isInstance(error: unknown): error is ConfigError {
    return hasCode(error, 'config');
  }
}

/** A model backend failed (HTTP status, connection error, runtime error) after its retries. */
export class ModelCallError extends JudgekitError {
  /** HTTP status when the backend is a server. */
  readonly status: number | undefined;
  /** Whether retrying later may succeed (429, 5xx, connection reset). */
  readonly retryable: boolean;
  constructor(
    message: string,
    details: { status?: number; retryable?: boolean } & JudgekitErrorOptions = {},
  ) {
    super('model_call', message, details);
    this.status = details.status;
    this.retryable = details.retryable ?? false;
  }
  static override isInstance(error: unknown): error is ModelCallError {
    return hasCode(error, 'model_call');
  }
}

/** An operation ran past its time limit. */
export class TimeoutError extends JudgekitError {
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number, options?: JudgekitErrorOptions) {
    super('timeout', `${what} timed out after ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
  static override isInstance(error: unknown): error is TimeoutError {
    return hasCode(error, 'timeout');
  }
}

/** An operation was cancelled through an `AbortSignal`. */
export class AbortedError extends JudgekitError {
  constructor(what: string, options?: JudgekitErrorOptions) {
    super('aborted', `${what} was aborted`, options);
  }
  static override isInstance(error: unknown): error is AbortedError {
    return hasCode(error, 'aborted');
  }
}

/** The requested feature is not available here (no GPU adapter, unsupported dtype). */
export class NotSupportedError extends JudgekitError {
  constructor(message: string, options?: JudgekitErrorOptions) {
    super('not_supported', message, options);
  }
  static override isInstance(error: unknown): error is NotSupportedError {
    return hasCode(error, 'not_supported');
  }
}

/**
 * A registration collides with an entry that may not be replaced: a built-in output format,
 * parser, template or combine rule, or (without `override`) an id registered before.
 */
export class RegistryConflictError extends JudgekitError {
  /** Which registry (`'output-format'`, `'parser'`, `'combine-rule'`, …). */
  readonly registry: string;
  /** The id that collided. */
  readonly id: string;
  constructor(registry: string, id: string, message: string, options?: JudgekitErrorOptions) {
    super('registry_conflict', message, options);
    this.registry = registry;
    this.id = id;
  }
  static override isInstance(error: unknown): error is RegistryConflictError {
    return hasCode(error, 'registry_conflict');
  }
}
