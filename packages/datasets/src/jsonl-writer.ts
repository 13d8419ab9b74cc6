/**
 * Appending JSONL output (judge predictions, rollouts) so that an interrupted run can resume.
 *
 * Crash model: `appendJsonl` writes all its lines with one `write` on a file opened in append
 * mode (and, with `fsync: true`, flushes before returning). A crash can therefore leave at most
 * one incomplete line at the end of the file, never a gap in the middle. `readJsonlIfExists`
 * treats exactly that case — a last line with no trailing newline that is not valid JSON — as a
 * truncated write: it reports it in `truncated` instead of failing, and with `repair: true`
 * cuts it off the file so that later appends start on a clean line. Any other malformed line is
 * a `DataFormatError` as in `parseJsonl`; nothing is dropped without being reported.
 */
import { DataFormatError } from '@judgekit/core';
import { type JsonlLine, parseJsonLine, stringifyJsonl } from './json-lines.js';

/** Options of `appendJsonl`. */
export interface AppendJsonlOptions {
  /** `fsync` the file before returning, so the lines survive a power loss. Default false. */
  fsync?: boolean;
}

/** A final line cut short by a crash, as reported by `readJsonlIfExists`. */
export interface TruncatedLine {
  /** 1-based line number. */
  line: number;
  /** The partial text found on it. */
  text: string;
  /** Byte offset in the file where the line starts (the length to truncate the file to). */
  byteOffset: number;
}

/** Result of `parseJsonlResumable` / `readJsonlIfExists`. */
export interface ResumableJsonl<T = unknown> {
  /** Whether the file existed (always true for `parseJsonlResumable`). */
  exists: boolean;
  /** The complete records with their line numbers. */
  records: JsonlLine<T>[];
  /** The truncated last line, when there was one (it is not in `records`). */
  truncated?: TruncatedLine;
  /** Whether `repair: true` cut the truncated line off the file. */
  repaired: boolean;
}

/**
 * Parse JSONL text written by `appendJsonl`, tolerating a truncated final line (no trailing
 * newline and not valid JSON), which is returned in `truncated` rather than thrown. A final line
 * without newline that *is* valid JSON counts as a complete record.
 */
export function parseJsonlResumable<T = unknown>(text: string, fileName: string): ResumableJsonl<T> {
  const records: JsonlLine<T>[] = [];
  let start = 0;
  let lineNo = 0;
  let truncated: TruncatedLine | undefined;
  const encoder = new TextEncoder();
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    lineNo++;
    const raw = text.slice(start, end);
    const lineStart = start;
    start = end + 1;
    if (raw.trim() === '') continue;
    if (nl === -1) {
      try {
        records.push({ line: lineNo, value: JSON.parse(raw) as T });
      } catch {
        truncated = { line: lineNo, text: raw, byteOffset: encoder.encode(text.slice(0, lineStart)).length };
      }
      break;
    }
    records.push({ line: lineNo, value: parseJsonLine(raw, fileName, lineNo) as T });
  }
  const out: ResumableJsonl<T> = { exists: true, records, repaired: false };
  if (truncated !== undefined) out.truncated = truncated;
  return out;
}

/**
 * Read a JSONL results file to resume a run: `{ exists: false, records: [] }` when the file does
 * not exist; otherwise `parseJsonlResumable`. With `repair: true` a truncated last line is cut off
 * the file (`truncate` to its `byteOffset`) so the next `appendJsonl` starts cleanly.
 */
export async function readJsonlIfExists<T = unknown>(
  path: string,
  options: { repair?: boolean } = {},
): Promise<ResumableJsonl<T>> {
  const fs = await import('node:fs/promises');
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT')
      return { exists: false, records: [], repaired: false };
    throw error;
  }
  const out = parseJsonlResumable<T>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, path);
  if (out.truncated !== undefined && options.repair === true) {
    const bom = text.charCodeAt(0) === 0xfeff ? 3 : 0;
    await fs.truncate(path, out.truncated.byteOffset + bom);
    out.repaired = true;
  }
  return out;
}

/**
 * Append records to a JSONL file (created if missing), one `JSON.stringify` line per record, in
 * a single append-mode write. If the file does not end in a newline, its last line is checked:
 * a complete JSON value gets the missing `\n` first; a partial one (a crash mid-write) is a
 * `DataFormatError` telling the caller to run `readJsonlIfExists(path, { repair: true })` first,
 * because appending to it would corrupt the next record.
 */
export async function appendJsonl(
  path: string,
  records: readonly unknown[],
  options: AppendJsonlOptions = {},
): Promise<void> {
  const fs = await import('node:fs/promises');
  let payload = stringifyJsonl(records);
  const handle = await fs.open(path, 'a+');
  try {
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 10) {
        const tail = await readLastLine(handle, size);
        try {
          JSON.parse(tail.text);
          payload = `\n${payload}`;
        } catch {
          throw new DataFormatError(
            { file: path, line: tail.line },
            'the file ends in an incomplete JSONL line (a crash mid-write?); call readJsonlIfExists(path, { repair: true }) before appending',
          );
        }
      }
    }
    if (payload.length > 0) await handle.appendFile(payload, 'utf8');
    if (options.fsync === true) await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readLastLine(
  handle: import('node:fs/promises').FileHandle,
  size: number,
): Promise<{ text: string; line: number | undefined }> {
  // Scan backwards in chunks for the previous newline; the line number is known only when the
  // whole file was scanned, so count lines only for files small enough to read whole.
  const chunk = 65536;
  let pos = size;
  const parts: Buffer[] = [];
  let found = -1;
  while (pos > 0 && found === -1) {
    const len = Math.min(chunk, pos);
    pos -= len;
    const buf = Buffer.alloc(len);
    await handle.read(buf, 0, len, pos);
    const idx = buf.lastIndexOf(10);
    if (idx !== -1) {
      found = pos + idx;
      parts.unshift(buf.subarray(idx + 1));
    } else {
      parts.unshift(buf);
    }
  }
  const text = Buffer.concat(parts).toString('utf8');
  let line: number | undefined;
  if (size <= 1 << 24) {
    const whole = Buffer.alloc(found + 1);
    if (found >= 0) await handle.read(whole, 0, found + 1, 0);
    let n = 1;
    for (let i = 0; i <= found; i++) if (whole[i] === 10) n++;
    line = n;
  }
  return { text, line };
}
