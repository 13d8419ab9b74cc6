/**
 * RM-Bench (THU-KEG/RM-Bench, `data/*.json`, commit 73c52d7b): JSON arrays of
 * `{id, subset, prompt, chosen[3], rejected[3]}` (chat rows add `error_key`, `error`). Index =
 * style: 0 concise, 1 detailed plain text, 2 detailed markdown. Every `chosen[i]` is better than
 * every `rejected[j]`; the 3×3 hard/normal/easy accuracy is a metric and is not computed here.
 */
import type { DataLocation } from '@judgekit/core';
import {
  optionalString,
  requireId,
  requireRecord,
  requireString,
  requireStringArray,
} from './field-validators.js';
import { parseJsonArray, readTextFile } from './json-lines.js';

/** Three responses in RM-Bench's style order: concise, detailed plain, detailed markdown. */
export type RmBenchStyles = [string, string, string];

/** One RM-Bench prompt. */
export interface RmBenchRecord {
  id: string | number;
  /** Source subset, e.g. `alpacaeval`. */
  subset: string;
  prompt: string;
  /** The better responses, one per style. */
  chosen: RmBenchStyles;
  /** The worse responses, one per style. */
  rejected: RmBenchStyles;
  /** Chat rows: the injected factual error's key phrase. */
  error_key?: string;
  /** Chat rows: the injected factual error. */
  error?: string;
}

/** Parse an RM-Bench JSON array; `chosen` / `rejected` must be arrays of exactly 3 strings. */
export function parseRmBench(text: string, fileName: string): RmBenchRecord[] {
  return parseJsonArray(text, fileName).map(({ record, value }) => {
    const loc: DataLocation = { file: fileName, record };
    const r = requireRecord(value, loc);
    const out: RmBenchRecord = {
      id: requireId(r, 'id', loc),
      subset: requireString(r, 'subset', loc),
      prompt: requireString(r, 'prompt', loc),
      chosen: requireStringArray(r, 'chosen', loc, 3) as RmBenchStyles,
      rejected: requireStringArray(r, 'rejected', loc, 3) as RmBenchStyles,
    };
    const errorKey = optionalString(r, 'error_key', loc);
    const error = optionalString(r, 'error', loc);
    if (errorKey !== undefined) out.error_key = errorKey;
    if (error !== undefined) out.error = error;
    return out;
  });
}

/** Load an RM-Bench file; see `parseRmBench`. */
export async function loadRmBench(file: string): Promise<RmBenchRecord[]> {
  return parseRmBench(await readTextFile(file), file);
}
