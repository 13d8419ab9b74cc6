/**
 * Small schema helpers: read one field of a JSON record, check its type, and throw a
 * `DataFormatError` naming the file, the line (or record index) and the field path when it is
 * missing or of the wrong type. Field paths nest: when `loc.field` is already set (e.g.
 * `reference`), the checked field is appended (`reference.text`); array elements are written
 * `scores[1]`.
 */
import { type DataLocation, DataFormatError } from '@judgekit/core';

/** A parsed JSON object (the shape every record of a judge data file must have). */
export type JsonRecord = Record<string, unknown>;

/** Field path `parent.child` (or `child` at the top level). */
export function fieldPath(loc: DataLocation, field: string): string {
  return loc.field === undefined ? field : `${loc.field}.${field}`;
}

/** The location of a field below `loc`. */
export function atField(loc: DataLocation, field: string): DataLocation {
  return { ...loc, field: fieldPath(loc, field) };
}

/** The location of element `index` of the array at `loc.field`. */
export function atIndex(loc: DataLocation, index: number): DataLocation {
  return { ...loc, field: `${loc.field ?? ''}[${index}]` };
}

/** Short, bounded description of a JSON value for error messages: `number (42)`, `null`, … */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const type = typeof value;
  if (type === 'object') return 'an object';
  if (type === 'string') {
    const s = value as string;
    return `a string (${JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)})`;
  }
  return `${type === 'number' ? 'a number' : type === 'boolean' ? 'a boolean' : type} (${String(value)})`;
}

function wrongType(loc: DataLocation, expected: string, value: unknown): DataFormatError {
  return new DataFormatError(loc, `expected ${expected}, got ${describeValue(value)}`);
}

function missing(loc: DataLocation, expected: string): DataFormatError {
  return new DataFormatError(loc, `missing required field (expected ${expected})`);
}

/** Assert that `value` is a JSON object (not an array, not null) and return it. */
export function requireRecord(value: unknown, loc: DataLocation): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw wrongType(loc, 'a JSON object', value);
  }
  return value as JsonRecord;
}

function get(record: JsonRecord, field: string): unknown {
  return Object.hasOwn(record, field) ? record[field] : undefined;
}

/** Required string field. Throws `DataFormatError` when absent or not a string. */
export function requireString(record: JsonRecord, field: string, loc: DataLocation): string {
  const v = get(record, field);
  if (v === undefined) throw missing(atField(loc, field), 'a string');
  if (typeof v !== 'string') throw wrongType(atField(loc, field), 'a string', v);
  return v;
}

/** Optional string field: `undefined` when absent (or JSON `null`), else it must be a string. */
export function optionalString(record: JsonRecord, field: string, loc: DataLocation): string | undefined {
  const v = get(record, field);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw wrongType(atField(loc, field), 'a string', v);
  return v;
}

/** Required finite number field. */
export function requireNumber(record: JsonRecord, field: string, loc: DataLocation): number {
  const v = get(record, field);
  if (v === undefined) throw missing(atField(loc, field), 'a number');
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw wrongType(atField(loc, field), 'a finite number', v);
  return v;
}

/** Optional finite number field: `undefined` when absent (or JSON `null`). */
export function optionalNumber(record: JsonRecord, field: string, loc: DataLocation): number | undefined {
  const v = get(record, field);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw wrongType(atField(loc, field), 'a finite number', v);
  return v;
}

/** Required integer field. */
export function requireInteger(record: JsonRecord, field: string, loc: DataLocation): number {
  const v = get(record, field);
  if (v === undefined) throw missing(atField(loc, field), 'an integer');
  if (typeof v !== 'number' || !Number.isInteger(v)) throw wrongType(atField(loc, field), 'an integer', v);
  return v;
}

/** Required field that is a string or a number (ids); returned unchanged. */
export function requireId(record: JsonRecord, field: string, loc: DataLocation): string | number {
  const v = get(record, field);
  if (v === undefined) throw missing(atField(loc, field), 'a string or number id');
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw wrongType(atField(loc, field), 'a string or number id', v);
}

/** Optional id (string or number). */
export function optionalId(
  record: JsonRecord,
  field: string,
  loc: DataLocation,
): string | number | undefined {
  const v = get(record, field);
  if (v === undefined || v === null) return undefined;
  return requireId(record, field, loc);
}

/** Required JSON-object field. */
export function requireObject(record: JsonRecord, field: string, loc: DataLocation): JsonRecord {
  const v = get(record, field);
  if (v === undefined) throw missing(atField(loc, field), 'a JSON object');
  return requireRecord(v, atField(loc, field));
}

/** Optional JSON-object field. */
export function optionalObject(record: JsonRecord, field: string, loc: DataLocation): JsonRecord | undefined {
  const v = get(record, field);
  if (v === undefined || v === null) return undefined;
  return requireRecord(v, atField(loc, field));
}

function checkLength(arr: unknown[], loc: DataLocation, field: string, length: number | undefined): void {
  if (length !== undefined && arr.length !== length) {
    throw new DataFormatError(
      atField(loc, field),
      `expected an array of length ${length}, got length ${arr.length}`,
    );
  }
}

/** Required array of strings, optionally of an exact length; element errors name `field[i]`. */
export function requireStringArray(
  record: JsonRecord,
  field: string,
  loc: DataLocation,
  length?: number,
): string[] {
  const v = get(record, field);
  if (v === undefined) throw missing(atField(loc, field), 'an array of strings');
  if (!Array.isArray(v)) throw wrongType(atField(loc, field), 'an array of strings', v);
  checkLength(v, loc, field, length);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'string') throw wrongType(atIndex(atField(loc, field), i), 'a string', v[i]);
  }
  return v as string[];
}

/** Required array of finite numbers, optionally of an exact length; element errors name `field[i]`. */
export function requireNumberArray(
  record: JsonRecord,
  field: string,
  loc: DataLocation,
  length?: number,
): number[] {
  const v = get(record, field);
  if (v === undefined) throw missing(atField(loc, field), 'an array of numbers');
  return checkNumberArray(v, loc, field, length);
}

/** Optional array of finite numbers (absent or `null` → `undefined`). */
export function optionalNumberArray(
  record: JsonRecord,
  field: string,
  loc: DataLocation,
  length?: number,
): number[] | undefined {
  const v = get(record, field);
  if (v === undefined || v === null) return undefined;
  return checkNumberArray(v, loc, field, length);
}

function checkNumberArray(
  v: unknown,
  loc: DataLocation,
  field: string,
  length: number | undefined,
): number[] {
  if (!Array.isArray(v)) throw wrongType(atField(loc, field), 'an array of numbers', v);
  checkLength(v, loc, field, length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw wrongType(atIndex(atField(loc, field), i), 'a finite number', x);
    }
  }
  return v as number[];
}
