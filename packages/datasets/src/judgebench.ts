/**
 * JudgeBench (ScalerLab/JudgeBench, `data/dataset=judgebench,response_model=<model>.jsonl`, commit
 * 12a499c5c29f06940d259b49250fca627d2a0ee5): JSONL of pairs
 * `{pair_id, original_id, source, question, response_model, response_A, response_B, label}` with
 * `label` `"A>B"` or `"B>A"` (JudgeBench has no ties; run_judge.py passes `response_A` first).
 * The category is read from `source` as the paper's four groups: `mmlu-pro-*` → knowledge,
 * `livebench-reasoning` → reasoning, `livebench-math` → math, `livecodebench` → coding; any other
 * source keeps its own name as category (and is counted in `unknownSources`).
 */
import { type DataLocation, DataFormatError, type PairwiseSample } from '@judgekit/core';
import { atField, optionalString, requireRecord, requireString } from './field-validators.js';
import { parseJsonl, readTextFile } from './json-lines.js';

/** One JudgeBench pair as a sample; `metadata` keeps the upstream fields. */
export interface JudgeBenchSample extends PairwiseSample {
  label: 'answer1' | 'answer2';
  /** The upstream `source` (e.g. `mmlu-pro-law`, `livebench-math`). */
  source: string;
  /** `knowledge`, `reasoning`, `math`, `coding`, or the source itself when unknown. */
  category: string;
}

/** A parsed JudgeBench file. */
export interface JudgeBenchDataset {
  samples: JudgeBenchSample[];
  /** Sources that map to none of the four categories, with their counts. */
  unknownSources: Record<string, number>;
}

/** The JudgeBench category of a `source` value, or `undefined` when it is none of the four. */
export function judgeBenchCategory(
  source: string,
): 'knowledge' | 'reasoning' | 'math' | 'coding' | undefined {
  if (source.startsWith('mmlu-pro')) return 'knowledge';
  if (source.startsWith('livebench-reasoning')) return 'reasoning';
  if (source.startsWith('livebench-math')) return 'math';
  if (source.startsWith('livecodebench')) return 'coding';
  return undefined;
}

/**
 * Parse a JudgeBench pairs file. `question` = `question`, `answer1` = `response_A`, `answer2` =
 * `response_B`, `label` `A>B` → `answer1`, `B>A` → `answer2`; any other label (including `A=B`)
 * is a `DataFormatError` naming file, line and field. Duplicate `pair_id`s are an error too.
 */
export function parseJudgeBench(text: string, fileName: string): JudgeBenchDataset {
  const seen = new Map<string, number>();
  const unknownSources: Record<string, number> = {};
  const samples = parseJsonl(text, fileName).map(({ line, value }) => {
    const loc: DataLocation = { file: fileName, line };
    const r = requireRecord(value, loc);
    const id = requireString(r, 'pair_id', loc);
    const prev = seen.get(id);
    if (prev !== undefined)
      throw new DataFormatError(
        atField(loc, 'pair_id'),
        `duplicate pair_id ${JSON.stringify(id)} (first on line ${prev})`,
      );
    seen.set(id, line);
    const rawLabel = requireString(r, 'label', loc);
    if (rawLabel !== 'A>B' && rawLabel !== 'B>A')
      throw new DataFormatError(
        atField(loc, 'label'),
        `invalid JudgeBench label ${JSON.stringify(rawLabel)}; expected "A>B" or "B>A"`,
      );
    const source = requireString(r, 'source', loc);
    const category = judgeBenchCategory(source);
    if (category === undefined) unknownSources[source] = (unknownSources[source] ?? 0) + 1;
    const metadata: Record<string, unknown> = { source };
    const responseModel = optionalString(r, 'response_model', loc);
    if (responseModel !== undefined) metadata.response_model = responseModel;
    if (r.original_id !== undefined) metadata.original_id = r.original_id;
    const sample: JudgeBenchSample = {
      id,
      question: requireString(r, 'question', loc),
      answer1: requireString(r, 'response_A', loc),
      answer2: requireString(r, 'response_B', loc),
      label: rawLabel === 'A>B' ? 'answer1' : 'answer2',
      source,
      category: category ?? source,
      metadata,
    };
    return sample;
  });
  return { samples, unknownSources };
}

/** Load a JudgeBench pairs file; see {@link parseJudgeBench}. */
export async function loadJudgeBench(file: string): Promise<JudgeBenchDataset> {
  return parseJudgeBench(await readTextFile(file), file);
}
