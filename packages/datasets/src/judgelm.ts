/**
 * JudgeLM data formats (baaivision/JudgeLM, commit 00c45169; data on Hugging Face
 * `BAAI/JudgeLM-100K`, CC-BY-NC-4.0, not bundled): the train/val judge-sample JSONL (§3.1 of the
 * spec) and the per-model answer JSONL used by `judgelm/data/JudgeLM/judgelm_preprocess.py` (§3.2).
 */
import {
  type DataLocation,
  DataFormatError,
  type PairwiseSample,
  type ScorePair,
  verdictFromScores,
} from '@judgekit/core';
import {
  type JsonRecord,
  optionalNumberArray,
  optionalObject,
  optionalString,
  requireId,
  requireRecord,
  requireString,
} from './field-validators.js';
import { parseJsonl, readTextFile } from './json-lines.js';

/** One JudgeLM judge sample (a line of `judgelm_train_100k.jsonl` / `judgelm_val_5k*.jsonl`). */
export interface JudgeLmRecord {
  /** `question_id` as stored (an int upstream). */
  question_id: string | number;
  question_body: string;
  answer1_body: string;
  answer2_body: string;
  answer1_model_id?: string;
  answer2_model_id?: string;
  /** GPT-4 judgment without reference, e.g. `"1 10\nAssistant 1's response ..."`. */
  text?: string;
  /** `[s1, s2]` parsed from `text`. */
  score?: ScorePair;
  /** `reference.text`: the gold answer. */
  reference?: string;
  /** GPT-4 judgment with the reference shown. */
  text_w_reference?: string;
  /** `[s1, s2]` parsed from `text_w_reference`. */
  score_w_reference?: ScorePair;
  /** 1-based line in the file. */
  line: number;
  /** The whole parsed line, for fields not modelled here (`review_id`, `answer1_metadata`, …). */
  raw: JsonRecord;
}

/** Result of loading JudgeLM samples: the kept records and what was dropped, counted. */
export interface JudgeLmSamples {
  records: JudgeLmRecord[];
  /**
   * Lines with `text == "error"` (failed GPT-4 calls), dropped as JudgeLM's loader does
   * (`judgelm/train/train.py`); their 1-based line numbers.
   */
  droppedErrorLines: number[];
}

function optionalScorePair(r: JsonRecord, field: string, loc: DataLocation): ScorePair | undefined {
  const v = optionalNumberArray(r, field, loc, 2);
  return v === undefined ? undefined : [v[0], v[1]];
}

/**
 * Parse JudgeLM judge-sample JSONL. Required: `question_id` (int or string), `question_body`,
 * `answer1_body`, `answer2_body` (strings). Optional, type-checked when present: `text`,
 * `score` (2 numbers), `reference` (object with string `text`), `text_w_reference`,
 * `score_w_reference`, `answer1_model_id`, `answer2_model_id`. Lines whose `text` is `"error"`
 * are dropped and listed in `droppedErrorLines`.
 */
export function parseJudgeLmSamples(text: string, fileName: string): JudgeLmSamples {
  const records: JudgeLmRecord[] = [];
  const droppedErrorLines: number[] = [];
  for (const { line, value } of parseJsonl(text, fileName)) {
    const loc: DataLocation = { file: fileName, line };
    const r = requireRecord(value, loc);
    const judgment = optionalString(r, 'text', loc);
    if (judgment === 'error') {
      droppedErrorLines.push(line);
      continue;
    }
    const out: JudgeLmRecord = {
      question_id: requireId(r, 'question_id', loc),
      question_body: requireString(r, 'question_body', loc),
      answer1_body: requireString(r, 'answer1_body', loc),
      answer2_body: requireString(r, 'answer2_body', loc),
      line,
      raw: r,
    };
    const m1 = optionalString(r, 'answer1_model_id', loc);
    const m2 = optionalString(r, 'answer2_model_id', loc);
    if (m1 !== undefined) out.answer1_model_id = m1;
    if (m2 !== undefined) out.answer2_model_id = m2;
    if (judgment !== undefined) out.text = judgment;
    const score = optionalScorePair(r, 'score', loc);
    if (score !== undefined) out.score = score;
    const ref = optionalObject(r, 'reference', loc);
    if (ref !== undefined) out.reference = requireString(ref, 'text', { ...loc, field: 'reference' });
    const tw = optionalString(r, 'text_w_reference', loc);
    if (tw !== undefined) out.text_w_reference = tw;
    const sw = optionalScorePair(r, 'score_w_reference', loc);
    if (sw !== undefined) out.score_w_reference = sw;
    records.push(out);
  }
  return { records, droppedErrorLines };
}

/** Load a JudgeLM judge-sample JSONL file; see `parseJudgeLmSamples`. */
export async function loadJudgeLmSamples(file: string): Promise<JudgeLmSamples> {
  return parseJudgeLmSamples(await readTextFile(file), file);
}

/** Options of `judgeLmRecordToSample`. */
export interface JudgeLmToSampleOptions {
  /**
   * Take gold scores from `score_w_reference` instead of `score` (JudgeLM's "w/ reference"
   * setting, `judgelm_val_5k_gpt4_with_reference.jsonl`). Default false.
   */
  withReference?: boolean;
}

/**
 * A JudgeLM record as a `PairwiseSample`: `id` = `String(question_id)`, `reference` from
 * `reference.text`, gold `scores` from `score` (or `score_w_reference`) and `label` from them with
 * JudgeLM's `translate_score_to_win_list` rule (T = 0, `verdictFromScores`). Scores of
 * `[-1, -1]` (a failed GT parse; JudgeLM filters these out of its metrics) give no label.
 */
export function judgeLmRecordToSample(
  record: JudgeLmRecord,
  options: JudgeLmToSampleOptions = {},
): PairwiseSample {
  const sample: PairwiseSample = {
    id: String(record.question_id),
    question: record.question_body,
    answer1: record.answer1_body,
    answer2: record.answer2_body,
  };
  if (record.reference !== undefined) sample.reference = record.reference;
  const scores = options.withReference === true ? record.score_w_reference : record.score;
  if (scores !== undefined) {
    sample.scores = scores;
    if (!(scores[0] === -1 && scores[1] === -1)) sample.label = verdictFromScores(scores);
  }
  const metadata: Record<string, unknown> = {};
  if (record.answer1_model_id !== undefined) metadata.answer1_model_id = record.answer1_model_id;
  if (record.answer2_model_id !== undefined) metadata.answer2_model_id = record.answer2_model_id;
  if (Object.keys(metadata).length > 0) sample.metadata = metadata;
  return sample;
}

/** One line of a JudgeLM per-model answer file (§3.2). */
export interface JudgeLmAnswer {
  question_id: string | number;
  question_body: string;
  /** The model's answer. */
  text: string;
  decoding_method?: string;
  model?: string;
  /** Whatever `scores` holds (placeholders are fine upstream); copied into the pair's `score`. */
  scores?: unknown;
  /** 1-based line in the file. */
  line: number;
}

/**
 * Parse a JudgeLM per-model answer JSONL (`judgelm_preprocess.py` input): required
 * `question_id`, `question_body`, `text`; optional `decoding_method`, `model` (strings) and
 * `scores` (kept as is).
 */
export function parseJudgeLmAnswers(text: string, fileName: string): JudgeLmAnswer[] {
  return parseJsonl(text, fileName).map(({ line, value }) => {
    const loc: DataLocation = { file: fileName, line };
    const r = requireRecord(value, loc);
    const out: JudgeLmAnswer = {
      question_id: requireId(r, 'question_id', loc),
      question_body: requireString(r, 'question_body', loc),
      text: requireString(r, 'text', loc),
      line,
    };
    const dm = optionalString(r, 'decoding_method', loc);
    const model = optionalString(r, 'model', loc);
    if (dm !== undefined) out.decoding_method = dm;
    if (model !== undefined) out.model = model;
    if (r.scores !== undefined) out.scores = r.scores;
    return out;
  });
}

/** Load a JudgeLM per-model answer file; see `parseJudgeLmAnswers`. */
export async function loadJudgeLmAnswers(file: string): Promise<JudgeLmAnswer[]> {
  return parseJudgeLmAnswers(await readTextFile(file), file);
}

/**
 * Pair two per-model answer files as `judgelm_preprocess.py` does (zip by position, asserting
 * equal `question_id` and `question_body`) into `PairwiseSample`s; `metadata` holds
 * `answer1_model_id` / `answer2_model_id` (the files' `model`) and the two `scores`.
 * A mismatch is a `DataFormatError` naming the second file's line; unequal lengths too.
 */
export function pairJudgeLmAnswers(
  answers1: readonly JudgeLmAnswer[],
  answers2: readonly JudgeLmAnswer[],
  files: { file1: string; file2: string },
): PairwiseSample[] {
  if (answers1.length !== answers2.length) {
    throw new DataFormatError(
      { file: files.file2 },
      `has ${answers2.length} answers but ${files.file1} has ${answers1.length}; answer files must align line by line`,
    );
  }
  return answers1.map((a, i) => {
    const b = answers2[i];
    for (const field of ['question_id', 'question_body'] as const) {
      if (a[field] !== b[field]) {
        throw new DataFormatError(
          { file: files.file2, line: b.line, field },
          `does not match ${files.file1}:${a.line} (${JSON.stringify(String(a[field])).slice(0, 60)}); answer files must list the same questions in the same order`,
        );
      }
    }
    return {
      id: String(a.question_id),
      question: a.question_body,
      answer1: a.text,
      answer2: b.text,
      metadata: { answer1_model_id: a.model, answer2_model_id: b.model, score: [a.scores, b.scores] },
    };
  });
}
