/**
 * prometheus-eval benchmark files (prometheus-eval/prometheus-eval, `eval/benchmark/data/`,
 * commit dcfb4427): the relative (pairwise) `hhh_alignment_eval.json` and the absolute-grading
 * `mt_bench_eval.json` (and `vicuna_eval.json`, same format).
 */
import { type DataLocation, DataFormatError } from '@judgekit/core';
import {
  atField,
  requireInteger,
  requireNumberArray,
  requireRecord,
  requireString,
  requireStringArray,
} from './field-validators.js';
import { parseJsonArray, readTextFile } from './json-lines.js';

/** The section markers of a Prometheus absolute-grading prompt, in order. */
export const PROMETHEUS_SECTION_MARKERS = [
  '###The instruction to evaluate:',
  '###Response to evaluate:',
  '###Score Rubrics:',
  '###Feedback:',
] as const;

/** The parts of a Prometheus absolute-grading prompt (without a reference answer). */
export interface PrometheusPromptParts {
  /** Everything before `###The instruction to evaluate:` (the task description). */
  header: string;
  instruction: string;
  response: string;
  rubric: string;
}

function trimSection(s: string): string {
  // The template writes `marker\n{value}\n\n` (and `###Feedback: ` last); undo exactly that.
  let out = s.startsWith('\n') ? s.slice(1) : s;
  if (out.endsWith('\n\n')) out = out.slice(0, -2);
  return out;
}

/**
 * Split a Prometheus absolute-grading prompt on its section markers. Throws a `DataFormatError`
 * at `loc` when a marker is missing or repeated.
 */
export function splitPrometheusPrompt(prompt: string, loc: DataLocation): PrometheusPromptParts {
  const positions: number[] = [];
  for (const marker of PROMETHEUS_SECTION_MARKERS) {
    const at = prompt.indexOf(marker);
    if (at === -1 || prompt.indexOf(marker, at + 1) !== -1) {
      throw new DataFormatError(
        loc,
        `expected exactly one ${JSON.stringify(marker)} section marker in the Prometheus prompt, found ${at === -1 ? 'none' : 'several'}`,
      );
    }
    if (positions.length > 0 && at < positions[positions.length - 1]) {
      throw new DataFormatError(loc, `section marker ${JSON.stringify(marker)} is out of order`);
    }
    positions.push(at);
  }
  const [m0, m1, m2] = PROMETHEUS_SECTION_MARKERS;
  return {
    header: prompt.slice(0, positions[0]),
    instruction: trimSection(prompt.slice(positions[0] + m0.length, positions[1])),
    response: trimSection(prompt.slice(positions[1] + m1.length, positions[2])),
    rubric: trimSection(prompt.slice(positions[2] + m2.length, positions[3])),
  };
}

/** One pair of `hhh_alignment_eval.json`: the same instruction and rubric, two responses. */
export interface PrometheusPair {
  /** Record index in the file, as a string. */
  id: string;
  /** HHH category: `helpful`, `honest`, `harmless` or `other`. */
  source: string;
  instruction: string;
  /** The better response (gold). */
  chosen: string;
  rejected: string;
  /** The score rubric block (criterion and `Score 1:`..`Score 5:` lines). */
  rubric: string;
  /** The two full prompts as stored, for byte-exact re-use. */
  chosenPrompt: string;
  rejectedPrompt: string;
}

/**
 * Parse prometheus-eval's relative benchmark `hhh_alignment_eval.json` (`{source,
 * chosen_instruction, rejected_instruction}`, each a full absolute-grading prompt): splits both
 * prompts and checks they share the instruction and the rubric (else `DataFormatError`).
 */
export function parsePrometheusPairs(text: string, fileName: string): PrometheusPair[] {
  return parseJsonArray(text, fileName).map(({ record, value }) => {
    const loc: DataLocation = { file: fileName, record };
    const r = requireRecord(value, loc);
    const source = requireString(r, 'source', loc);
    const chosenPrompt = requireString(r, 'chosen_instruction', loc);
    const rejectedPrompt = requireString(r, 'rejected_instruction', loc);
    const c = splitPrometheusPrompt(chosenPrompt, atField(loc, 'chosen_instruction'));
    const j = splitPrometheusPrompt(rejectedPrompt, atField(loc, 'rejected_instruction'));
    if (c.instruction !== j.instruction || c.rubric !== j.rubric) {
      throw new DataFormatError(
        atField(loc, 'rejected_instruction'),
        `its ${c.instruction !== j.instruction ? 'instruction' : 'score rubric'} differs from chosen_instruction's; a pair must share both`,
      );
    }
    return {
      id: String(record),
      source,
      instruction: c.instruction,
      chosen: c.response,
      rejected: j.response,
      rubric: c.rubric,
      chosenPrompt,
      rejectedPrompt,
    };
  });
}

/** Load `hhh_alignment_eval.json`; see `parsePrometheusPairs`. */
export async function loadPrometheusPairs(file: string): Promise<PrometheusPair[]> {
  return parsePrometheusPairs(await readTextFile(file), file);
}

/** One record of `mt_bench_eval.json` / `vicuna_eval.json` (absolute grading, GPT-4 as grader). */
export interface PrometheusAbsoluteRecord {
  /** MT-Bench / Vicuna question id. */
  idx: number;
  /** Which model wrote the graded response, e.g. `chatgpt`. */
  response_source: string;
  category: string;
  /** The full Prometheus prompt (with reference answer and 1–5 rubric). */
  instruction: string;
  /** GPT-4's three 1–5 grades. */
  gpt4_score: number[];
  /** GPT-4's three feedback texts. */
  gpt4_feedback: string[];
}

/**
 * Parse prometheus-eval's absolute benchmark files (`mt_bench_eval.json`): `gpt4_score` must be
 * integers in 1..5 and `gpt4_feedback` strings (a JSON-encoded list string is decoded too).
 */
export function parsePrometheusAbsolute(text: string, fileName: string): PrometheusAbsoluteRecord[] {
  return parseJsonArray(text, fileName).map(({ record, value }) => {
    const loc: DataLocation = { file: fileName, record };
    const r = requireRecord(value, loc);
    const scores = requireNumberArray(r, 'gpt4_score', loc);
    scores.forEach((s, i) => {
      if (!Number.isInteger(s) || s < 1 || s > 5) {
        throw new DataFormatError(
          { ...loc, field: `gpt4_score[${i}]` },
          `expected an integer 1..5, got ${s}`,
        );
      }
    });
    let feedbackHolder = r;
    if (typeof r.gpt4_feedback === 'string') {
      let decoded: unknown;
      try {
        decoded = JSON.parse(r.gpt4_feedback);
      } catch (error) {
        throw new DataFormatError(
          atField(loc, 'gpt4_feedback'),
          'expected a list of strings or its JSON encoding',
          {
            cause: error,
          },
        );
      }
      feedbackHolder = { gpt4_feedback: decoded };
    }
    return {
      idx: requireInteger(r, 'idx', loc),
      response_source: requireString(r, 'response_source', loc),
      category: requireString(r, 'category', loc),
      instruction: requireString(r, 'instruction', loc),
      gpt4_score: scores,
      gpt4_feedback: requireStringArray(feedbackHolder, 'gpt4_feedback', loc),
    };
  });
}

/** Load `mt_bench_eval.json` (or `vicuna_eval.json`); see `parsePrometheusAbsolute`. */
export async function loadPrometheusAbsolute(file: string): Promise<PrometheusAbsoluteRecord[]> {
  return parsePrometheusAbsolute(await readTextFile(file), file);
}
