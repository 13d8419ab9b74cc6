/**
 * The files of an evaluation run directory (what `judgekit eval` and `judgekit report` read and
 * write), dataset loading by format name, and re-scoring a results file.
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError, type PairwiseSample, type Verdict } from '@judgekit/core';
import {
  judgeLmRecordToSample,
  loadJudgeBench,
  loadJudgeLmSamples,
  loadLlmBar,
  loadPandaLmTestSet,
  readJsonlIfExists,
} from '@judgekit/datasets';
import { type BootstrapOptions, type FailurePolicy, majorityVote } from '@judgekit/metrics';
import { type EvaluationReportOptions, renderEvaluationReport } from './evaluation-report.js';
import { type EvaluationHtmlOptions, renderEvaluationHtml } from './evaluation-report-html.js';
import type { EvaluationResult, JudgeResultRecord } from './judge-records.js';
import { summarizeJudgeRecords } from './judge-records.js';
import type { RunFingerprint } from './run-identity.js';

/** Dataset formats `loadPairwiseDataset` reads. */
export const PAIRWISE_DATASET_FORMATS = ['pandalm', 'judgelm', 'llmbar', 'judgebench'] as const;
/** One of {@link PAIRWISE_DATASET_FORMATS}. */
export type PairwiseDatasetFormat = (typeof PAIRWISE_DATASET_FORMATS)[number];

/** Options of {@link loadPairwiseDataset}. */
export interface LoadPairwiseDatasetOptions {
  /**
   * PandaLM only: `'instruction'` keeps PandaLM's `input` out of the question (for the
   * `pandalm/pair` template, which renders it as its own block); `'joined'` (default) appends it.
   */
  pandalmQuestion?: 'joined' | 'instruction';
  /** Keep only the first `limit` samples. */
  limit?: number;
}

/** A loaded pairwise dataset: samples and their reference labels (aligned). */
export interface PairwiseDataset {
  samples: PairwiseSample[];
  labels: (Verdict | null)[];
  /** How the labels were made, for reports. */
  labelSource: string;
  /** Group per sample when the format has one (JudgeBench: knowledge / reasoning / math / coding). */
  groups?: (string | null)[];
}

/**
 * Load a pairwise judge-evaluation set by format:
 * - `pandalm`: PandaLM's `testset-v1.json` or its directory; label = majority vote of the three
 *   annotators (`majorityVote`, ties between votes resolved first-seen, as the PandaLM demo).
 * - `judgelm`: JudgeLM judge-sample JSONL; label from the GPT-4 scores (`judgeLmRecordToSample`).
 * - `llmbar`: LLMBar `dataset.json`; label from `label` (no ties).
 * - `judgebench`: JudgeBench pairs JSONL; label `A>B` / `B>A`, groups = category from `source`.
 */
export async function loadPairwiseDataset(
  path: string,
  format: PairwiseDatasetFormat,
  options: LoadPairwiseDatasetOptions = {},
): Promise<PairwiseDataset> {
  let samples: PairwiseSample[];
  let labels: (Verdict | null)[];
  let labelSource: string;
  let groups: (string | null)[] | undefined;
  if (format === 'pandalm') {
    samples = await loadPandaLmTestSet(path, { question: options.pandalmQuestion ?? 'joined' });
    const annotators = [0, 1, 2].map((k) =>
      samples.map((s) => (s.metadata as { annotators: Verdict[] }).annotators[k]!),
    );
    labels = majorityVote(annotators, { onSplit: 'first-seen' }).labels;
    labelSource = 'majority vote of three human annotators';
  } else if (format === 'judgelm') {
    samples = (await loadJudgeLmSamples(path)).records.map((r) => judgeLmRecordToSample(r));
    labels = samples.map((s) => s.label ?? null);
    labelSource = 'GPT-4 scores (JudgeLM)';
  } else if (format === 'llmbar') {
    samples = await loadLlmBar(path);
    labels = samples.map((s) => s.label ?? null);
    labelSource = 'LLMBar gold label';
  } else if (format === 'judgebench') {
    const jb = await loadJudgeBench(path);
    samples = jb.samples;
    labels = jb.samples.map((s) => s.label);
    groups = jb.samples.map((s) => s.category);
    labelSource = 'JudgeBench gold label (A>B / B>A)';
  } else {
    throw new ConfigError(
      `unknown dataset format ${JSON.stringify(format)}; use one of ${PAIRWISE_DATASET_FORMATS.join(', ')}`,
    );
  }
  if (options.limit !== undefined) {
    samples = samples.slice(0, options.limit);
    labels = labels.slice(0, options.limit);
    groups = groups?.slice(0, options.limit);
  }
  return groups === undefined ? { samples, labels, labelSource } : { samples, labels, labelSource, groups };
}

/** The settings of a run, saved as `run.json` beside `results.jsonl` so `report` can re-score. */
export interface EvaluationRunInfo {
  samples: number;
  swap: boolean;
  parseMode: 'strict' | 'lenient';
  failurePolicy: FailurePolicy;
  template: string;
  model: string;
  data?: string;
  format?: string;
  labelSource?: string;
  /** Everything that can change a judgment; a resume with another fingerprint is refused. */
  fingerprint?: RunFingerprint;
  /** The two-order combine rule the run was scored with (`--combine`). */
  combine?: string;
}

/** Paths of the files in a run directory. */
export function evaluationRunFiles(dir: string): {
  results: string;
  run: string;
  markdown: string;
  json: string;
  svg: string;
  html: string;
} {
  return {
    results: join(dir, 'results.jsonl'),
    run: join(dir, 'run.json'),
    markdown: join(dir, 'report.md'),
    json: join(dir, 'report.json'),
    svg: join(dir, 'report.svg'),
    html: join(dir, 'report.html'),
  };
}

/** Write `run.json`. */
export async function writeRunInfo(dir: string, info: EvaluationRunInfo): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(evaluationRunFiles(dir).run, `${JSON.stringify(info, null, 2)}\n`);
}

/**
 * Render and write `report.md`, `report.json`, `report.svg` and the self-contained `report.html`
 * into `dir`; returns the paths. Without `options.records` / `options.config`, the HTML report
 * reads the results file (`options.resultsFile`, default `dir/results.jsonl`) and the `run.json`
 * beside it when they are there (score histograms, errors told from parse failures, the run's
 * settings).
 */
export async function writeEvaluationReport(
  dir: string,
  result: EvaluationResult,
  options: EvaluationReportOptions &
    Omit<EvaluationHtmlOptions, keyof EvaluationReportOptions> & {
      /** The results JSONL the report is made from. Default `dir/results.jsonl`. */
      resultsFile?: string;
    },
): Promise<{ markdown: string; json: string; svg: string; html: string }> {
  const files = evaluationRunFiles(dir);
  const resultsFile = options.resultsFile ?? files.results;
  let records = options.records;
  if (records === undefined) {
    const read = await readJsonlIfExists<JudgeResultRecord>(resultsFile).catch(() => undefined);
    if (read?.exists) records = read.records.map((r) => r.value);
  }
  let config = options.config;
  if (config === undefined) {
    try {
      const runJson = join(dirname(resultsFile), 'run.json');
      config = JSON.parse(await readFile(runJson, 'utf8')) as Record<string, unknown>;
    } catch {
      config = undefined;
    }
  }
  const withRecords = records === undefined ? options : { ...options, records };
  const report = renderEvaluationReport(result, { svgFile: 'report.svg', ...withRecords });
  const html = renderEvaluationHtml(result, config === undefined ? withRecords : { ...withRecords, config });
  await mkdir(dir, { recursive: true });
  await writeFile(files.markdown, report.markdown);
  await writeFile(files.json, report.json);
  await writeFile(files.svg, report.svg);
  await writeFile(files.html, html);
  return { markdown: files.markdown, json: files.json, svg: files.svg, html: files.html };
}

/** Options of {@link summarizeResultsFile}. */
export interface SummarizeResultsFileOptions {
  failurePolicy?: FailurePolicy;
  bootstrap?: BootstrapOptions | false;
  /** Two-order combine rule; default the one in `run.json`, if any. */
  combine?: string;
}

/**
 * Re-score a results JSONL file. Settings come from `run.json` in the same directory when it
 * exists (sample count, swap, parse mode, failure policy); `options.failurePolicy` overrides. A
 * truncated last line is reported and skipped (the file is not modified).
 */
export async function summarizeResultsFile(
  file: string,
  options: SummarizeResultsFileOptions = {},
): Promise<{ result: EvaluationResult; info?: EvaluationRunInfo; truncatedLine?: number }> {
  const read = await readJsonlIfExists<JudgeResultRecord>(file);
  if (!read.exists) throw new ConfigError(`${file} does not exist`);
  let info: EvaluationRunInfo | undefined;
  try {
    info = JSON.parse(await readFile(join(dirname(file), 'run.json'), 'utf8')) as EvaluationRunInfo;
  } catch {
    info = undefined;
  }
  const records = read.records.map((r) => r.value);
  for (const [k, r] of records.entries()) {
    if (
      typeof r !== 'object' ||
      r === null ||
      typeof r.index !== 'number' ||
      (r.order !== 'original' && r.order !== 'swapped') ||
      typeof r.parse !== 'object'
    )
      throw new ConfigError(`${file}:${read.records[k]!.line}: not a judgekit result record`);
  }
  const failurePolicy = options.failurePolicy ?? info?.failurePolicy ?? 'count-separately';
  const summarizeOptions: Parameters<typeof summarizeJudgeRecords>[1] = { failurePolicy };
  if (info !== undefined) {
    summarizeOptions.samples = info.samples;
    summarizeOptions.swap = info.swap;
    summarizeOptions.parseMode = info.parseMode;
  } else if (records.some((r) => r.order === 'swapped')) {
    summarizeOptions.swap = true;
  }
  if (options.bootstrap !== undefined) summarizeOptions.bootstrap = options.bootstrap;
  const combine = options.combine ?? info?.combine;
  if (combine !== undefined) summarizeOptions.combine = combine;
  const out: { result: EvaluationResult; info?: EvaluationRunInfo; truncatedLine?: number } = {
    result: summarizeJudgeRecords(records, summarizeOptions),
  };
  if (info !== undefined) out.info = info;
  if (read.truncated !== undefined) out.truncatedLine = read.truncated.line;
  return out;
}
