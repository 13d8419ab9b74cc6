/**
 * PandaLM human-annotated test set and PandaLM's released judge outputs
 * (WeOpenML/PandaLM, `data/testset-v1.json`, `data/gpt-3.5-turbo-testset-v1.json`,
 * `data/pandalm-7b-testset-v1.json`, commit 3871806e). Labels: `1` = response 1 better,
 * `2` = response 2 better, `0` = tie. The majority vote is a metric and lives in
 * `@judgekit/metrics`; this module only loads and validates.
 */
import { type DataLocation, DataFormatError, type PairwiseSample, type Verdict } from '@judgekit/core';
import {
  atField,
  type JsonRecord,
  requireInteger,
  requireRecord,
  requireString,
} from './field-validators.js';
import { parseJsonArray, readTextFile } from './json-lines.js';

/** The three annotator verdicts of one PandaLM test item, in column order. */
export type PandaLmAnnotators = [Verdict, Verdict, Verdict];

/** `metadata` of a `PairwiseSample` loaded from the PandaLM test set. */
export interface PandaLmMetadata {
  /** `annotator1..3` mapped with `pandaLmLabelToVerdict`. */
  annotators: PandaLmAnnotators;
  /** `"<model1>_<model2>"`, e.g. `"bloom-7b_llama-7b"`. */
  cmp_key: string;
  /** The self-instruct application the item came from, e.g. `"Grammarly"`. */
  motivation_app: string;
  /** PandaLM's `instruction`, unchanged. */
  instruction: string;
  /** PandaLM's `input`, unchanged (`""` for 167 items). */
  input: string;
  /** Response fields that held a JSON boolean and were cast to Python's `str()` (`"True"`). */
  coerced?: string[];
}

/** How `PairwiseSample.question` is built from PandaLM's `instruction` and `input`. */
export type PandaLmQuestionStyle = 'joined' | 'instruction';

/** Options of the PandaLM test-set loaders. */
export interface PandaLmTestSetOptions {
  /**
   * - `'joined'` (default): `instruction + "\n" + input` when `input` is non-empty, else
   *   `instruction` — how JudgeLRM builds the question from a PandaLM record
   *   (NuoJohnChen/JudgeLRM, `pandalm/utils/judgelrm_inference.py`, commit e60f305; the same rule
   *   as `joinInstructionInput` in `@judgekit/prompts`).
   * - `'instruction'`: `instruction` only. Use this with the `pandalm/pair` prompt of
   *   `@judgekit/prompts`, which reads `metadata.input` itself and renders PandaLM's separate
   *   `### Input:` block (WeOpenML/PandaLM, `pandalm/utils/pandalm_inference.py`); with `'joined'`
   *   that prompt would show the input twice.
   */
  question?: PandaLmQuestionStyle;
}

/** PandaLM label code → verdict: `1` → `answer1`, `2` → `answer2`, `0` → `tie`; else `undefined`. */
export function pandaLmLabelToVerdict(label: unknown): Verdict | undefined {
  return label === 1 ? 'answer1' : label === 2 ? 'answer2' : label === 0 ? 'tie' : undefined;
}

function requireLabel(record: JsonRecord, field: string, loc: DataLocation): Verdict {
  const v = requireInteger(record, field, loc);
  const verdict = pandaLmLabelToVerdict(v);
  if (verdict === undefined) {
    throw new DataFormatError(
      atField(loc, field),
      `invalid PandaLM label ${v}; expected 1 (response 1 better), 2 (response 2 better) or 0 (tie)`,
    );
  }
  return verdict;
}

/** A response field: a string, or a JSON boolean (6 upstream quirks) cast as Python's `str()` does. */
function requireResponse(record: JsonRecord, field: string, loc: DataLocation, coerced: string[]): string {
  const v = record[field];
  if (typeof v === 'boolean') {
    coerced.push(field);
    return v ? 'True' : 'False';
  }
  return requireString(record, field, loc);
}

/**
 * Parse the text of PandaLM's `testset-v1.json` (a JSON array of `{idx, motivation_app, cmp_key,
 * instruction, input, response1, response2, annotator1, annotator2, annotator3}`) into pairwise
 * samples: `id` = `String(idx)`, `answer1/2` = `response1/2`, no `label` (the gold label is the
 * majority vote, computed by `@judgekit/metrics`), `metadata` = `PandaLmMetadata`.
 * Known quirk: six responses are JSON `true` (idx 157–164); they become `"True"` as with Python's
 * `str(True)` and are listed in `metadata.coerced`. Any other type or label is a `DataFormatError`.
 */
export function parsePandaLmTestSet(
  text: string,
  fileName: string,
  options: PandaLmTestSetOptions = {},
): PairwiseSample[] {
  const style = options.question ?? 'joined';
  const seen = new Map<number, number>();
  return parseJsonArray(text, fileName).map(({ record: index, value }) => {
    const loc: DataLocation = { file: fileName, record: index };
    const r = requireRecord(value, loc);
    const idx = requireInteger(r, 'idx', loc);
    const prev = seen.get(idx);
    if (prev !== undefined) {
      throw new DataFormatError(atField(loc, 'idx'), `duplicate idx ${idx} (also at record ${prev})`);
    }
    seen.set(idx, index);
    const instruction = requireString(r, 'instruction', loc);
    const input = requireString(r, 'input', loc);
    const coerced: string[] = [];
    const answer1 = requireResponse(r, 'response1', loc, coerced);
    const answer2 = requireResponse(r, 'response2', loc, coerced);
    const metadata: PandaLmMetadata = {
      annotators: [
        requireLabel(r, 'annotator1', loc),
        requireLabel(r, 'annotator2', loc),
        requireLabel(r, 'annotator3', loc),
      ],
      cmp_key: requireString(r, 'cmp_key', loc),
      motivation_app: requireString(r, 'motivation_app', loc),
      instruction,
      input,
    };
    if (coerced.length > 0) metadata.coerced = coerced;
    const question = style === 'joined' && input ? `${instruction}\n${input}` : instruction;
    return {
      id: String(idx),
      question,
      answer1,
      answer2,
      metadata: metadata as unknown as Record<string, unknown>,
    };
  });
}

async function resolveTestSetPath(path: string): Promise<string> {
  if (path.endsWith('.json')) return path;
  const fs = await import('node:fs/promises');
  const stat = await fs.stat(path);
  return stat.isDirectory() ? `${path.replace(/\/+$/, '')}/testset-v1.json` : path;
}

/**
 * Load PandaLM's human-annotated test set. `path` is either the `testset-v1.json` file or the
 * directory holding it (PandaLM's `data/`). See `parsePandaLmTestSet`.
 */
export async function loadPandaLmTestSet(
  path: string,
  options: PandaLmTestSetOptions = {},
): Promise<PairwiseSample[]> {
  const file = await resolveTestSetPath(path);
  return parsePandaLmTestSet(await readTextFile(file), file, options);
}

/** One judgment of PandaLM's released result files, with the judge prefix removed. */
export interface PandaLmJudgeOutput {
  /** The field prefix of the file: `gpt` for gpt-3.5-turbo, `pandalm` for PandaLM-7B. */
  judge: string;
  /** The test-set `idx` this judgment belongs to. */
  idx: number;
  /**
   * The verdict exactly as stored: GPT-3.5's file has strings `"1"`, `"2"`, `"Tie"` or
   * `"garbage"` (unparseable); PandaLM-7B's has ints `0`, `1`, `2`.
   */
  result: string | number;
  /** `<judge>_reason`. */
  reason: string;
  /** `<judge>_reference` (the reference answer the judge wrote). */
  reference: string;
}

/**
 * Parse a PandaLM judge-output file (`gpt-3.5-turbo-testset-v1.json`, `pandalm-7b-testset-v1.json`):
 * a JSON array of `{idx, <judge>_result, <judge>_reason, <judge>_reference}`. The prefix is taken
 * from the first record's `*_result` field (kept in each output's `judge`) and every record must use it. `result` must be a
 * string or an integer; its value is not interpreted here (parse it with `@judgekit/parsers`).
 */
export function parsePandaLmJudgeOutputs(text: string, fileName: string): PandaLmJudgeOutput[] {
  const items = parseJsonArray(text, fileName);
  let judge: string | undefined;
  return items.map(({ record: index, value }) => {
    const loc: DataLocation = { file: fileName, record: index };
    const r = requireRecord(value, loc);
    if (judge === undefined) {
      const key = Object.keys(r).find((k) => k.endsWith('_result'));
      if (key === undefined) {
        throw new DataFormatError(
          loc,
          'no `<judge>_result` field (expected e.g. `gpt_result` or `pandalm_result`)',
        );
      }
      judge = key.slice(0, -'_result'.length);
    }
    const idx = requireInteger(r, 'idx', loc);
    const resultField = `${judge}_result`;
    const result = r[resultField];
    if (result === undefined) {
      throw new DataFormatError(
        atField(loc, resultField),
        'missing required field (expected a string or an integer)',
      );
    }
    if (typeof result !== 'string' && !(typeof result === 'number' && Number.isInteger(result))) {
      throw new DataFormatError(
        atField(loc, resultField),
        `expected a string or an integer, got ${result === null ? 'null' : typeof result}`,
      );
    }
    return {
      judge,
      idx,
      result,
      reason: requireString(r, `${judge}_reason`, loc),
      reference: requireString(r, `${judge}_reference`, loc),
    };
  });
}

/** Load a PandaLM judge-output file; see `parsePandaLmJudgeOutputs`. */
export async function loadPandaLmJudgeOutputs(file: string): Promise<PandaLmJudgeOutput[]> {
  return parsePandaLmJudgeOutputs(await readTextFile(file), file);
}

/**
 * Render a stored judgment as PandaLM's raw output text,
 * `{result}\n\n### Reason: {reason}\n\n### Reference: {reference}\n` (the training target of
 * `build_pandalm_prompt`, WeOpenML/PandaLM `pandalm/utils/pandalm_inference.py`, commit 3871806e),
 * for feeding to a PandaLM parser. Integer results are written as the model would: `1`, `2`, and
 * `0` as `Tie`; strings (including GPT-3.5's `"garbage"`) verbatim.
 */
export function renderPandaLmJudgeText(
  output: Pick<PandaLmJudgeOutput, 'result' | 'reason' | 'reference'>,
): string {
  const result = output.result === 0 ? 'Tie' : String(output.result);
  return `${result}\n\n### Reason: ${output.reason}\n\n### Reference: ${output.reference}\n`;
}

/**
 * Check that judge outputs line up with the test set by position and `idx` (upstream aligns by
 * position). Throws a `DataFormatError` naming `outputsFile`, the record and `idx` at the first
 * disagreement, or when the counts differ.
 */
export function checkPandaLmAlignment(
  samples: readonly PairwiseSample[],
  outputs: readonly PandaLmJudgeOutput[],
  outputsFile: string,
): void {
  if (samples.length !== outputs.length) {
    throw new DataFormatError(
      { file: outputsFile },
      `has ${outputs.length} judgments but the test set has ${samples.length} items; they must align one-to-one by position and idx`,
    );
  }
  for (let i = 0; i < samples.length; i++) {
    if (String(outputs[i].idx) !== samples[i].id) {
      throw new DataFormatError(
        { file: outputsFile, record: i, field: 'idx' },
        `idx ${outputs[i].idx} does not match the test set's idx ${samples[i].id} at the same position`,
      );
    }
  }
}

/** The PandaLM test set with the two released judges' outputs, checked to be aligned. */
export interface PandaLmBundle {
  samples: PairwiseSample[];
  /** `gpt-3.5-turbo-testset-v1.json`. */
  gpt35: PandaLmJudgeOutput[];
  /** `pandalm-7b-testset-v1.json`. */
  pandalm7b: PandaLmJudgeOutput[];
}

/**
 * Load `testset-v1.json`, `gpt-3.5-turbo-testset-v1.json` and `pandalm-7b-testset-v1.json` from
 * PandaLM's `data/` directory and check their alignment (`checkPandaLmAlignment`).
 */
export async function loadPandaLmBundle(
  dir: string,
  options: PandaLmTestSetOptions = {},
): Promise<PandaLmBundle> {
  const base = dir.replace(/\/+$/, '');
  const gptFile = `${base}/gpt-3.5-turbo-testset-v1.json`;
  const pandaFile = `${base}/pandalm-7b-testset-v1.json`;
  const [samples, gpt, panda] = await Promise.all([
    loadPandaLmTestSet(`${base}/testset-v1.json`, options),
    loadPandaLmJudgeOutputs(gptFile),
    loadPandaLmJudgeOutputs(pandaFile),
  ]);
  checkPandaLmAlignment(samples, gpt, gptFile);
  checkPandaLmAlignment(samples, panda, pandaFile);
  return { samples, gpt35: gpt, pandalm7b: panda };
}
