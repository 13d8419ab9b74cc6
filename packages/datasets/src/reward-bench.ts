/**
 * RewardBench-style preference pairs `{prompt, chosen, rejected, subset?, id?}` (the columns of
 * allenai/reward-bench's filtered set and of most chosen/rejected preference data), as JSONL or
 * as one JSON array.
 */
import type { DataLocation } from '@judgekit/core';
import { optionalId, optionalString, requireRecord, requireString } from './field-validators.js';
import { parseJsonRecords, readTextFile } from './json-lines.js';

/** One preference pair: `chosen` is the better response to `prompt`. */
export interface PreferencePair {
  /** The record's `id` when it has one. */
  id?: string | number;
  prompt: string;
  chosen: string;
  rejected: string;
  /** Category, e.g. `alpacaeval-easy`. */
  subset?: string;
  /** Where the record was read: `line` (JSONL) or `record` (JSON array). */
  source: DataLocation;
}

/**
 * Parse RewardBench-style pairs. Text starting with `[` is a JSON array, anything else JSONL.
 * `prompt`, `chosen`, `rejected` must be strings; `subset` a string and `id` a string or number
 * when present. Other fields are ignored.
 */
export function parseRewardBenchPairs(text: string, fileName: string): PreferencePair[] {
  return parseJsonRecords(text, fileName).map(({ loc, value }) => {
    const r = requireRecord(value, loc);
    const out: PreferencePair = {
      prompt: requireString(r, 'prompt', loc),
      chosen: requireString(r, 'chosen', loc),
      rejected: requireString(r, 'rejected', loc),
      source: loc,
    };
    const id = optionalId(r, 'id', loc);
    const subset = optionalString(r, 'subset', loc);
    if (id !== undefined) out.id = id;
    if (subset !== undefined) out.subset = subset;
    return out;
  });
}

/** Load RewardBench-style pairs from a `.jsonl` or `.json` file; see `parseRewardBenchPairs`. */
export async function loadRewardBenchPairs(file: string): Promise<PreferencePair[]> {
  return parseRewardBenchPairs(await readTextFile(file), file);
}
