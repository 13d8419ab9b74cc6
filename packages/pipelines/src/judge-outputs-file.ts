/**
 * Read recorded judge outputs (any JSONL with an id and the raw judge text per order) for
 * re-scoring with `scoreJudgeOutputs`, e.g. a published JudgeBench or Arena-Hard run.
 */

import { type DataLocation, DataFormatError, type Verdict } from '@judgekit/core';
import { readJsonl } from '@judgekit/datasets';

/**
 * Where each value sits in a line: a field name or a dotted path with array indexes
 * (`judgments.1.judgment.response`).
 */
export interface JudgeOutputFields {
  /** Sample id. Default `'id'`; a missing id falls back to the line number. */
  id?: string;
  /** Judge text of the original order. Default `'output'`. */
  output?: string;
  /** Judge text of the swapped order (as judged). Optional; default `'swapped_output'` when present. */
  swappedOutput?: string;
  /** Reference label: `answer1` / `answer2` / `tie`, `A>B` / `B>A` / `A=B`, or `1` / `2` (LLMBar). Default `'label'` when present. */
  label?: string;
  /** Group (category, source). Optional. */
  group?: string;
}

/** The outputs of a file, aligned by line. */
export interface JudgeOutputsFile {
  ids: string[];
  outputs: string[];
  /** Present when every line has the swapped field. */
  swappedOutputs?: string[];
  labels?: (Verdict | null)[];
  groups?: (string | null)[];
  /** Lines whose output is JSON `null` (a failed call upstream): kept as empty text, a parse failure. */
  nullOutputs: number;
}

function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? v[Number(key)] : (v as Record<string, unknown>)[key];
  }
  return v;
}

const LABELS: Record<string, Verdict> = {
  answer1: 'answer1',
  answer2: 'answer2',
  tie: 'tie',
  'A>B': 'answer1',
  'B>A': 'answer2',
  'A=B': 'tie',
  '1': 'answer1',
  '2': 'answer2',
};

/**
 * Read a JSONL file of recorded judge outputs. Every error is a `DataFormatError` naming file,
 * line and field. A swapped field present on some lines only is an error (the orders must align).
 */
export async function loadJudgeOutputsFile(
  file: string,
  fields: JudgeOutputFields = {},
): Promise<JudgeOutputsFile> {
  const lines = await readJsonl(file);
  const f = {
    id: fields.id ?? 'id',
    output: fields.output ?? 'output',
    swapped: fields.swappedOutput ?? 'swapped_output',
    label: fields.label ?? 'label',
    group: fields.group,
  };
  const out: JudgeOutputsFile = { ids: [], outputs: [], nullOutputs: 0 };
  const swapped: (string | undefined)[] = [];
  const labels: (Verdict | null)[] = [];
  const groups: (string | null)[] = [];
  let anyLabel = false;
  const text = (v: unknown, loc: DataLocation, field: string): string => {
    if (v === null) {
      out.nullOutputs++;
      return '';
    }
    if (typeof v !== 'string')
      throw new DataFormatError(
        { ...loc, field },
        `expected the judge text (a string or null), got ${v === undefined ? 'nothing' : typeof v}`,
      );
    return v;
  };
  for (const { line, value } of lines) {
    const loc: DataLocation = { file, line };
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new DataFormatError(loc, 'expected a JSON object per line');
    const id = at(value, f.id);
    out.ids.push(typeof id === 'string' || typeof id === 'number' ? String(id) : String(line));
    out.outputs.push(text(at(value, f.output), loc, f.output));
    const s = at(value, f.swapped);
    swapped.push(s === undefined ? undefined : text(s, loc, f.swapped));
    const l = at(value, f.label);
    if (l === undefined || l === null) labels.push(null);
    else {
      const v = LABELS[String(l)];
      if (v === undefined)
        throw new DataFormatError(
          { ...loc, field: f.label },
          `unknown label ${JSON.stringify(l)}; expected answer1/answer2/tie, A>B/B>A/A=B or 1/2`,
        );
      anyLabel = true;
      labels.push(v);
    }
    if (f.group !== undefined) {
      const g = at(value, f.group);
      groups.push(typeof g === 'string' && g !== '' ? g : null);
    }
  }
  const withSwapped = swapped.filter((s) => s !== undefined).length;
  if (withSwapped > 0 && withSwapped < swapped.length) {
    const missing = swapped.indexOf(undefined);
    throw new DataFormatError(
      { file, line: lines[missing]!.line, field: f.swapped },
      `missing here but present on ${withSwapped} other lines; every line needs both orders`,
    );
  }
  if (withSwapped > 0) out.swappedOutputs = swapped as string[];
  if (anyLabel) out.labels = labels;
  if (f.group !== undefined) out.groups = groups;
  return out;
}
