/**
 * LLMBar (princeton-nlp/LLMBar, `Dataset/<group>/<subset>/dataset.json`, commit 900616bf): JSON arrays of
 * `{input, output_1, output_2, label}` with `label` 1 or 2 (which output is objectively better;
 * LLMBar has no ties).
 */
import { type DataLocation, DataFormatError, type PairwiseSample } from '@judgekit/core';
import { atField, requireInteger, requireRecord, requireString } from './field-validators.js';
import { parseJsonArray, readTextFile } from './json-lines.js';

/** Options of the LLMBar loaders. */
export interface LlmBarOptions {
  /** Prefix of the generated ids (`${idPrefix}${index}`); default `''`, so ids are `"0"`, `"1"`, … */
  idPrefix?: string;
}

/**
 * Parse an LLMBar `dataset.json`: `question` = `input`, `answer1/2` = `output_1/2`,
 * `label` 1 → `answer1`, 2 → `answer2`; any other label is a `DataFormatError`. `id` is the
 * record index (LLMBar has no id field).
 */
export function parseLlmBar(text: string, fileName: string, options: LlmBarOptions = {}): PairwiseSample[] {
  const prefix = options.idPrefix ?? '';
  return parseJsonArray(text, fileName).map(({ record, value }) => {
    const loc: DataLocation = { file: fileName, record };
    const r = requireRecord(value, loc);
    const label = requireInteger(r, 'label', loc);
    if (label !== 1 && label !== 2) {
      throw new DataFormatError(
        atField(loc, 'label'),
        `invalid LLMBar label ${label}; expected 1 (output_1 better) or 2 (output_2 better)`,
      );
    }
    return {
      id: `${prefix}${record}`,
      question: requireString(r, 'input', loc),
      answer1: requireString(r, 'output_1', loc),
      answer2: requireString(r, 'output_2', loc),
      label: label === 1 ? 'answer1' : 'answer2',
    };
  });
}

/** Load an LLMBar `dataset.json`; see `parseLlmBar`. */
export async function loadLlmBar(file: string, options: LlmBarOptions = {}): Promise<PairwiseSample[]> {
  return parseLlmBar(await readTextFile(file), file, options);
}
