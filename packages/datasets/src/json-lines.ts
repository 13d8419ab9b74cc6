/**
 * Generic readers for the two container formats judge data comes in: JSON Lines (one JSON value
 * per line, as JudgeLM's `*.jsonl` files) and a single JSON array (PandaLM, LLMBar, RM-Bench,
 * prometheus-eval). Every reader has a string form (`parse…(text, fileName)`, usable in browsers
 * and tests) and a file form (`read…(path)`, Node only; `node:fs/promises` is imported lazily so
 * bundles of the string forms do not pull it in).
 */
import { type DataLocation, DataFormatError, InvalidArgumentError } from '@judgekit/core';
import { findJsonErrorPosition } from './json-error-position.js';

/** One value of a JSONL file with the 1-based line it came from. */
export interface JsonlLine<T = unknown> {
  /** 1-based line number in the file. */
  line: number;
  /** The parsed JSON value. */
  value: T;
}

/** One value of a JSON array file with its 0-based index. */
export interface JsonArrayItem<T = unknown> {
  /** 0-based index in the array. */
  record: number;
  /** The parsed JSON value. */
  value: T;
}

/** A parsed value together with where it came from, ready for field validation. */
export interface LocatedValue {
  /** File, line (JSONL) or record index (JSON array). */
  loc: DataLocation;
  value: unknown;
}

/** Read a UTF-8 text file (Node only). */
export async function readTextFile(path: string): Promise<string> {
  const fs = await import('node:fs/promises');
  return fs.readFile(path, 'utf8');
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Split JSONL text into lines (`\n` or `\r\n`), skip blank (whitespace-only) lines and parse the
 * rest. A line that is not valid JSON is a `DataFormatError` naming `fileName:line` and carrying
 * the JSON parser's message. A leading UTF-8 BOM is ignored.
 */
export function parseJsonl<T = unknown>(text: string, fileName: string): JsonlLine<T>[] {
  const out: JsonlLine<T>[] = [];
  const src = stripBom(text);
  let start = 0;
  let lineNo = 0;
  while (start <= src.length) {
    let end = src.indexOf('\n', start);
    if (end === -1) end = src.length;
    lineNo++;
    const raw = src.slice(start, end);
    start = end + 1;
    if (raw.trim() === '') continue;
    out.push({ line: lineNo, value: parseJsonLine(raw, fileName, lineNo) as T });
  }
  return out;
}

/** Parse one JSONL line; a syntax error becomes a `DataFormatError` at `fileName:line`. */
export function parseJsonLine(raw: string, fileName: string, line: number): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new DataFormatError(
      { file: fileName, line },
      `invalid JSON (${errorMessage(error)}); each line of a JSONL file must hold one complete JSON value`,
      { cause: error },
    );
  }
}

/** Read and parse a JSONL file; see `parseJsonl`. */
export async function readJsonl<T = unknown>(path: string): Promise<JsonlLine<T>[]> {
  return parseJsonl<T>(await readTextFile(path), path);
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lastNl = i;
    }
  }
  return { line, column: position - lastNl };
}

/**
 * Parse a file holding one JSON array. A syntax error is a `DataFormatError` whose location has
 * the line (and the message the column) of the error, found by re-scanning the text;
 * a top-level value that is not an array is a `DataFormatError` too.
 */
export function parseJsonArray<T = unknown>(text: string, fileName: string): JsonArrayItem<T>[] {
  const src = stripBom(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(src);
  } catch (error) {
    const msg = errorMessage(error);
    const m = /position (\d+)/.exec(msg);
    const position = m ? Number(m[1]) : findJsonErrorPosition(src);
    const loc: DataLocation = { file: fileName };
    let where = '';
    if (position >= 0) {
      const lc = lineColumn(src, position);
      loc.line = lc.line;
      where = ` at column ${lc.column}`;
    }
    throw new DataFormatError(loc, `invalid JSON${where} (${msg})`, { cause: error });
  }
  if (!Array.isArray(parsed)) {
    throw new DataFormatError(
      { file: fileName },
      `expected a JSON array of records at the top level, got ${parsed === null ? 'null' : typeof parsed}`,
    );
  }
  return parsed.map((value, record) => ({ record, value: value as T }));
}

/** Read and parse a JSON array file; see `parseJsonArray`. */
export async function readJsonArray<T = unknown>(path: string): Promise<JsonArrayItem<T>[]> {
  return parseJsonArray<T>(await readTextFile(path), path);
}

/**
 * Parse either container: text whose first non-blank character is `[` is a JSON array, anything
 * else JSONL. Each value comes with its location (`line` for JSONL, `record` for arrays).
 */
export function parseJsonRecords(text: string, fileName: string): LocatedValue[] {
  const first = /\S/.exec(stripBom(text));
  if (first !== null && first[0] === '[') {
    return parseJsonArray(text, fileName).map((it) => ({
      loc: { file: fileName, record: it.record },
      value: it.value,
    }));
  }
  return parseJsonl(text, fileName).map((it) => ({
    loc: { file: fileName, line: it.line },
    value: it.value,
  }));
}

/** Read either container from a file; see `parseJsonRecords`. */
export async function readJsonRecords(path: string): Promise<LocatedValue[]> {
  return parseJsonRecords(await readTextFile(path), path);
}

/** Serialize records as JSONL text: one `JSON.stringify` line per record, each ending in `\n`. */
export function stringifyJsonl(records: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < records.length; i++) {
    const line = JSON.stringify(records[i]);
    if (line === undefined) {
      throw new InvalidArgumentError(
        `records[${i}]`,
        `a value of type ${typeof records[i]} has no JSON form`,
      );
    }
    out += `${line}\n`;
  }
  return out;
}
