/**
 * The open door for output formats: `registerOutputFormat` adds a user format that templates,
 * `render` and `formatJudgeOutput` accept exactly like a built-in one. `@judgekit/parsers`
 * attaches the parse function (`registerJudgeFormat` there does both in one call).
 */

import { InvalidArgumentError, RegistryConflictError } from '@judgekit/core';
import { type StoredOutputFormat, USER_OUTPUT_FORMATS as userFormats } from './output-format-store.js';
import {
  isOutputFormatId,
  OUTPUT_FORMAT_IDS,
  OUTPUT_FORMATS,
  type OutputFormatId,
} from './output-formats.js';

/** A user output format (the input of {@link registerOutputFormat}). */
export interface OutputFormatDefinition<V = never> {
  /** Format id, e.g. `'my-lab/verdict-json'`: lowercase letters, digits, `.`, `_`, `-`, `/`-separated. */
  id: string;
  /** One-line description of the text the judge writes. */
  description: string;
  /** Assistant prefill every template of this format starts the completion with, if any. */
  prefill?: string;
  /** Where the reading rule comes from (paper, repository, file), for reports. */
  parser?: string;
  /**
   * Write a well-formed judge answer carrying `value` (used by `formatJudgeOutput` and by
   * render → answer → parse round-trip tests). Optional.
   */
  format?: (value: V) => string;
}

/** A registered output format, built in or user-defined. */
export interface RegisteredOutputFormat {
  id: string;
  description: string;
  prefill?: string;
  /** Upstream parser reference (built-ins) or the user's note. */
  parser?: string;
  /** True for the formats judgekit ships (`OUTPUT_FORMAT_IDS`). */
  builtin: boolean;
  /** Writes a judge answer; built-ins go through `formatJudgeOutput`. */
  format?: (value: never) => string;
}

/** Options of {@link registerOutputFormat}. */
export interface RegisterOutputFormatOptions {
  /** Replace a user format registered earlier under the same id (built-ins can never be replaced). */
  override?: boolean;
}

const ID = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/**
 * Register a user output format so that templates may name it in `outputFormat` and
 * `formatJudgeOutput` can write it. Registering over a built-in id throws
 * `RegistryConflictError`; so does an id registered before, unless `{ override: true }`. A bad
 * definition (id syntax, missing description, `format` not a function) is an `InvalidArgumentError`.
 */
export function registerOutputFormat<V>(
  definition: OutputFormatDefinition<V>,
  options: RegisterOutputFormatOptions = {},
): RegisteredOutputFormat {
  if (typeof definition !== 'object' || definition === null)
    throw new InvalidArgumentError('definition', 'expected { id, description, prefill?, parser?, format? }');
  const { id, description, prefill, parser, format } = definition;
  if (typeof id !== 'string' || !ID.test(id))
    throw new InvalidArgumentError(
      'definition.id',
      `expected an id like 'my-lab/verdict' (lowercase, digits, . _ -, '/'-separated), got ${JSON.stringify(id)}`,
    );
  if (isOutputFormatId(id))
    throw new RegistryConflictError(
      'output-format',
      id,
      `'${id}' is a built-in output format and cannot be replaced; register your format under another id`,
    );
  if (userFormats.has(id) && !options.override)
    throw new RegistryConflictError(
      'output-format',
      id,
      `an output format '${id}' is already registered; pick another id or pass { override: true }`,
    );
  if (typeof description !== 'string' || description === '')
    throw new InvalidArgumentError('definition.description', 'expected a non-empty string');
  if (prefill !== undefined && (typeof prefill !== 'string' || prefill === ''))
    throw new InvalidArgumentError('definition.prefill', 'expected a non-empty string');
  if (parser !== undefined && typeof parser !== 'string')
    throw new InvalidArgumentError('definition.parser', 'expected a string');
  if (format !== undefined && typeof format !== 'function')
    throw new InvalidArgumentError('definition.format', 'expected a function (value) => string');
  const entry: { -readonly [K in keyof StoredOutputFormat]: StoredOutputFormat[K] } = {
    id,
    description,
    builtin: false,
  };
  if (prefill !== undefined) entry.prefill = prefill;
  if (parser !== undefined) entry.parser = parser;
  if (format !== undefined) entry.format = format as (value: never) => string;
  const frozen = Object.freeze(entry);
  userFormats.set(id, frozen);
  return { ...frozen };
}

/**
 * Remove a user output format; returns whether it was there. Built-ins cannot be removed
 * (`RegistryConflictError`). Templates already registered with it keep their data but fail to
 * validate again until the format is back.
 */
export function unregisterOutputFormat(id: string): boolean {
  if (isOutputFormatId(id))
    throw new RegistryConflictError('output-format', id, `'${id}' is a built-in output format`);
  return userFormats.delete(id);
}

function builtin(id: OutputFormatId): RegisteredOutputFormat {
  const info = OUTPUT_FORMATS[id];
  const out: RegisteredOutputFormat = {
    id,
    description: info.description,
    parser: info.parser,
    builtin: true,
  };
  if (info.prefill !== undefined) out.prefill = info.prefill;
  return out;
}

/** The output format with this id (built-in or registered), or `undefined`. */
export function getOutputFormat(id: string): RegisteredOutputFormat | undefined {
  if (isOutputFormatId(id)) return builtin(id);
  const u = userFormats.get(id);
  return u === undefined ? undefined : { ...u };
}

/** Whether `id` names a built-in or registered output format. */
export function hasOutputFormat(id: unknown): id is string {
  return typeof id === 'string' && (isOutputFormatId(id) || userFormats.has(id));
}

/** Every output format: the built-ins in `OUTPUT_FORMAT_IDS` order, then user formats by id. */
export function listOutputFormats(): RegisteredOutputFormat[] {
  return [
    ...OUTPUT_FORMAT_IDS.map(builtin),
    ...[...userFormats.values()]
      .map((u) => ({ ...u }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  ];
}
