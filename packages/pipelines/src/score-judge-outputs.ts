/**
 * Score pre-computed judge outputs (no model calls): parse each text with the output format's
 * parser and summarise exactly as `evaluateJudgeOnDataset` does.
 */

import { ConfigError, type Verdict } from '@judgekit/core';
import type { BootstrapOptions, FailurePolicy } from '@judgekit/metrics';
import type { RegistryParseOptions } from '@judgekit/parsers';
import type { EvaluationResult, JudgeResultRecord } from './judge-records.js';
import { summarizeJudgeRecords } from './judge-records.js';
import { buildJudgeRecord, parserFor } from './judge-text-record.js';

/** A judge output: the completion text, optionally with split-off reasoning. */
export type JudgeOutputText = string | { text: string; reasoningContent?: string };

/** Options of {@link scoreJudgeOutputs}. */
export interface ScoreJudgeOutputsOptions {
  /** The judge's outputs, one per sample, in the original answer order. */
  outputs: readonly JudgeOutputText[];
  /** Outputs for the swapped presentation (as judged: `1` means the answer shown first). */
  swappedOutputs?: readonly JudgeOutputText[];
  /** Reference verdicts aligned with `outputs` (`null`: no label). */
  labels?: readonly (Verdict | null | undefined)[];
  /** Sample ids; default `"0"`, `"1"`, … */
  ids?: readonly string[];
  /** Output format id of `@judgekit/prompts` / `@judgekit/parsers` (`'pandalm'`, `'judgelm-scores'`, …). */
  outputFormat: string;
  /** Name of the judge, stored as the records' `model`. Default `'judge'`. */
  judge?: string;
  /** Text the completions continue (prepended before parsing), e.g. `'<think>'`. */
  prefill?: string;
  parseMode?: 'strict' | 'lenient';
  parseOptions?: Omit<RegistryParseOptions, 'mode'>;
  failurePolicy?: FailurePolicy;
  /** Default 1000 resamples, seed 0; `false` for none. */
  bootstrap?: BootstrapOptions | false;
  /** Two-order combination rule name (with `swappedOutputs`); the result then has `combined`. */
  combine?: string;
  /** Group name per sample (category, source), for per-group reports. */
  groups?: readonly (string | null | undefined)[];
}

/** Result of {@link scoreJudgeOutputs}: the summary and the per-sample records. */
export interface ScoredJudgeOutputs {
  result: EvaluationResult;
  records: JudgeResultRecord[];
}

/**
 * Parse pre-computed judge texts and score them against labels. Same records and summary as
 * `evaluateJudgeOnDataset` (with `promptHash` of the empty prompt, as there is none).
 */
export function scoreJudgeOutputs(options: ScoreJudgeOutputsOptions): ScoredJudgeOutputs {
  const { outputs } = options;
  const n = outputs.length;
  if (options.labels !== undefined && options.labels.length !== n)
    throw new ConfigError(`labels has ${options.labels.length} entries but there are ${n} outputs`);
  if (options.swappedOutputs !== undefined && options.swappedOutputs.length !== n)
    throw new ConfigError(
      `swappedOutputs has ${options.swappedOutputs.length} entries but there are ${n} outputs`,
    );
  if (options.groups !== undefined && options.groups.length !== n)
    throw new ConfigError(`groups has ${options.groups.length} entries but there are ${n} outputs`);
  if (options.combine !== undefined && options.swappedOutputs === undefined)
    throw new ConfigError(`combine rule '${options.combine}' needs swappedOutputs (the second order)`);
  if (options.ids !== undefined && options.ids.length !== n)
    throw new ConfigError(`ids has ${options.ids.length} entries but there are ${n} outputs`);
  const parser = parserFor(options.outputFormat);
  const parseOptions: RegistryParseOptions = { ...options.parseOptions, mode: options.parseMode ?? 'strict' };
  const records: JudgeResultRecord[] = [];
  const add = (i: number, order: 'original' | 'swapped', out: JudgeOutputText) => {
    const o = typeof out === 'string' ? { text: out } : out;
    records.push(
      buildJudgeRecord(
        {
          id: options.ids?.[i] ?? String(i),
          index: i,
          order,
          templateId: 'precomputed',
          outputFormat: options.outputFormat,
          raw: '',
          model: options.judge ?? 'judge',
          label: options.labels?.[i] ?? null,
          text: o.text,
          ...(o.reasoningContent === undefined ? {} : { reasoningContent: o.reasoningContent }),
          ...(options.prefill === undefined ? {} : { prefill: options.prefill }),
        },
        parser,
        parseOptions,
      ),
    );
  };
  for (let i = 0; i < n; i++) add(i, 'original', outputs[i]!);
  if (options.swappedOutputs) for (let i = 0; i < n; i++) add(i, 'swapped', options.swappedOutputs[i]!);
  const summarizeOptions: Parameters<typeof summarizeJudgeRecords>[1] = {
    samples: n,
    swap: options.swappedOutputs !== undefined,
    failurePolicy: options.failurePolicy ?? 'count-separately',
    parseMode: options.parseMode ?? 'strict',
  };
  if (options.bootstrap !== undefined) summarizeOptions.bootstrap = options.bootstrap;
  if (options.combine !== undefined) summarizeOptions.combine = options.combine;
  if (options.groups !== undefined) summarizeOptions.groups = options.groups;
  return { result: summarizeJudgeRecords(records, summarizeOptions), records };
}
