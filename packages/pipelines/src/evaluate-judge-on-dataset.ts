/**
 * Evaluate a judge model on a pairwise dataset: render each sample with a prompt template, call
 * the model with bounded concurrency, parse, append each result to a JSONL file as it finishes
 * (resumable), and summarise with `@judgekit/metrics`.
 */

import { ConfigError, JudgekitError, type PairwiseSample, type Verdict } from '@judgekit/core';
import { readJsonlIfExists } from '@judgekit/datasets';
import { type BootstrapOptions, type FailurePolicy, getCombineRule } from '@judgekit/metrics';
import type { RegistryParseOptions } from '@judgekit/parsers';
import { getTemplate, type PromptTemplate, type RenderOptions, render } from '@judgekit/prompts';
import type { JudgeModel } from './judge-model.js';
import {
  checkProbabilityOptions,
  judgmentProbabilities,
  type ProbabilityOptions,
} from './judge-probabilities.js';
import {
  type EvaluationResult,
  type JudgeOrder,
  type JudgeResultRecord,
  outcomeOf,
  recordKey,
  summarizeJudgeRecords,
} from './judge-records.js';
import { buildJudgeRecord, parserFor, promptHash } from './judge-text-record.js';
import { openResultsFileWriter } from './results-file-writer.js';

/** Progress of a run, passed to `onProgress` after every finished call. */
export interface EvaluationProgress {
  /** Calls finished, counting those found in the results file on resume. */
  done: number;
  /** Calls in the whole run (samples × orders). */
  total: number;
  /** Calls skipped because the results file already had them. */
  resumed: number;
  /** Parse failures so far in this session. */
  failures: number;
  /** Calls with no usable response so far in this session (not scored; retried on resume). */
  errors: number;
}

/** Options of {@link evaluateJudgeOnDataset}. */
export interface EvaluateOnDatasetOptions {
  samples: readonly PairwiseSample[];
  /**
   * Reference verdicts aligned with `samples` (`null`: no label). Default: each `sample.label`.
   * Without any label the result has no `metrics` (swap consistency and failures still).
   */
  labels?: readonly (Verdict | null | undefined)[];
  /** A registered template id (`'pandalm/pair'`, `'judgelm/pair'`, …) or a `PromptTemplate`. */
  template: string | PromptTemplate;
  /** Extra render options (`vars`, `reference`, `stripSpecialTokens`); `swap` is set per order. */
  renderOptions?: Omit<RenderOptions, 'swap' | 'order'>;
  model: JudgeModel;
  /** Generation settings passed with each request. Default temperature 0. */
  generation?: { maxTokens?: number; temperature?: number; stop?: string[]; seed?: number };
  /** Parser mode: `'strict'` (default, upstream-exact) or `'lenient'`. */
  parseMode?: 'strict' | 'lenient';
  /** Extra parser options (e.g. JudgeLRM `extraction`). */
  parseOptions?: Omit<RegistryParseOptions, 'mode'>;
  /** Also judge every sample with the answers swapped and report swap consistency. */
  swap?: boolean;
  /** JSONL results file; each call's record is appended when it finishes. */
  outFile: string;
  /**
   * Skip (sample, order) pairs already in `outFile` (except failed model calls, which are retried)
   * and cut off a truncated last line. Default true. With `false` an existing file is an error.
   */
  resume?: boolean;
  /** Model calls in flight at once. Default 4. */
  concurrency?: number;
  /**
   * Stop scheduling new calls when aborted; calls in flight finish and are written. The result
   * then has `complete: false`; run again with `resume` to finish.
   */
  signal?: AbortSignal;
  onProgress?: (progress: EvaluationProgress) => void;
  /** Parse failures in the metrics: `'count-separately'` (default, always wrong), `'as-tie'`, `'drop'`. */
  failurePolicy?: FailurePolicy;
  /** Bootstrap of the headline metrics. Default 1000 resamples, seed 0; `false` for none. */
  bootstrap?: BootstrapOptions | false;
  /**
   * Errors of earlier sessions are always retried on resume. With `retryErrors`, the calls that
   * ended in an error in this session are also retried once more at the end of the pass.
   */
  retryErrors?: boolean;
  /**
   * Called once the existing results were checked against this run and before anything is
   * written (e.g. to write `run.json`): a rejected resume leaves every file as it was.
   */
  onValidated?: () => void | Promise<void>;
  /** Applied to every error message before it is stored (e.g. to strip credentials). */
  redact?: (text: string) => string;
  /** Juror id stamped on every record as `juror` (set by `evaluateJuryOnDataset`). */
  juror?: string;
  /** Milliseconds between `fsync`s of the results file. Default 1000. */
  fsyncIntervalMs?: number;
  /** With `swap`: the two-order combination rule (`'fastchat'`, `'judgebench'`, `'llmbar'`, `'both-agree'`, registered). */
  combine?: string;
  /** Group name per sample (category, source) for per-group reports. */
  groups?: readonly (string | null | undefined)[];
  /**
   * Ask for top log-probabilities and store, per judgment, the expected score or verdict
   * distribution of the answer token (G-Eval style; `record.probabilities`, `result.probabilities`).
   * Only output formats of `LOGPROB_ANSWER_TOKENS` (`@judgekit/parsers`); others are a
   * `ConfigError`. Results made with and without it are never mixed on resume.
   */
  probabilities?: ProbabilityOptions;
}

interface Job {
  index: number;
  order: JudgeOrder;
}

/**
 * Run a judge over a dataset and score it. Every call's record is appended to `outFile` as soon
 * as it finishes, so a crash or Ctrl-C loses nothing already answered; re-running with the same
 * options resumes. Resuming with a different prompt (template, options or data changed) is a
 * `ConfigError`, because mixing prompts in one results file would make the metrics meaningless.
 * Three outcomes are kept apart: verdicts; parse failures (kept with their reason and scored by
 * `failurePolicy`); errors (no usable response after the model's retries: recorded with `error`,
 * never scored, retried on the next resume).
 */
export async function evaluateJudgeOnDataset(options: EvaluateOnDatasetOptions): Promise<EvaluationResult> {
  const { samples, model, outFile } = options;
  const template = typeof options.template === 'string' ? getTemplate(options.template) : options.template;
  const parser = parserFor(template.outputFormat);
  const parseOptions: RegistryParseOptions = { ...options.parseOptions, mode: options.parseMode ?? 'strict' };
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new ConfigError(`concurrency must be a positive integer, got ${concurrency}`);
  if (options.labels !== undefined && options.labels.length !== samples.length)
    throw new ConfigError(
      `labels has ${options.labels.length} entries but there are ${samples.length} samples`,
    );
  if (options.combine !== undefined) {
    if (!options.swap)
      throw new ConfigError(
        `combine rule '${options.combine}' needs swap: true (it combines the two orders)`,
      );
    getCombineRule(options.combine);
  }
  if (options.groups !== undefined && options.groups.length !== samples.length)
    throw new ConfigError(
      `groups has ${options.groups.length} entries but there are ${samples.length} samples`,
    );
  if (options.probabilities !== undefined)
    checkProbabilityOptions(template.outputFormat, options.probabilities);
  const orders: JudgeOrder[] = options.swap ? ['original', 'swapped'] : ['original'];
  const labelOf = (i: number): Verdict | null =>
    (options.labels ? options.labels[i] : samples[i]!.label) ?? null;

  const rendered = (index: number, order: JudgeOrder) =>
    render(template, samples[index]!, { ...options.renderOptions, swap: order === 'swapped' });

  // Resume: read what is there, repair a truncated tail.
  const existing = await readJsonlIfExists<JudgeResultRecord>(outFile, { repair: options.resume !== false });
  if (existing.exists && existing.records.length > 0 && options.resume === false)
    throw new ConfigError(`${outFile} already holds results; pass resume or choose another output`);
  const records: JudgeResultRecord[] = [];
  const done = new Set<string>();
  for (const { value: r, line } of existing.records) {
    if (samples[r.index]?.id !== r.id) {
      throw new ConfigError(
        `${outFile}:${line}: sample ${JSON.stringify(r.id)} at position ${r.index} is not in this dataset at that position; use another output file`,
      );
    }
    if (r.promptHash !== promptHash(rendered(r.index, r.order).raw)) {
      throw new ConfigError(
        `${outFile}:${line}: sample ${JSON.stringify(r.id)} was judged with a different prompt (template or data changed); use another output file`,
      );
    }
    if (outcomeOf(r) !== 'error' && r.topLogprobs !== options.probabilities?.topLogprobs)
      throw new ConfigError(
        `${outFile}:${line}: sample ${JSON.stringify(r.id)} was judged ${r.topLogprobs === undefined ? 'without probabilities' : `with probabilities (topLogprobs ${r.topLogprobs})`}, this run asks for ${options.probabilities === undefined ? 'none' : `topLogprobs ${options.probabilities.topLogprobs}`}; use another output file`,
      );
    records.push(r);
    if (outcomeOf(r) !== 'error') done.add(recordKey(r.index, r.order));
    else done.delete(recordKey(r.index, r.order));
  }

  const jobs: Job[] = [];
  for (let i = 0; i < samples.length; i++)
    for (const order of orders) if (!done.has(recordKey(i, order))) jobs.push({ index: i, order });
  const total = samples.length * orders.length;
  const resumed = total - jobs.length;
  const progress: EvaluationProgress = { done: resumed, total, resumed, failures: 0, errors: 0 };
  options.onProgress?.({ ...progress });

  await options.onValidated?.();
  // One handle, batched appends: lines never interleave.
  const writer = await openResultsFileWriter(outFile, {
    ...(options.fsyncIntervalMs === undefined ? {} : { fsyncIntervalMs: options.fsyncIntervalMs }),
  });
  const redact = options.redact ?? ((t: string) => t);
  const failedThisSession: Job[] = [];

  const runJob = async (job: Job): Promise<void> => {
    const sample = samples[job.index]!;
    const prompt = rendered(job.index, job.order);
    const meta = {
      id: sample.id,
      index: job.index,
      order: job.order,
      templateId: template.id,
      outputFormat: template.outputFormat,
      label: labelOf(job.index),
    };
    let record: JudgeResultRecord;
    try {
      const res = await model.generate({
        messages: prompt.messages,
        sampleId: sample.id,
        sampleOrder: job.order,
        temperature: options.generation?.temperature ?? 0,
        ...(options.generation?.maxTokens === undefined ? {} : { maxTokens: options.generation.maxTokens }),
        ...(options.generation?.stop === undefined ? {} : { stop: options.generation.stop }),
        ...(options.generation?.seed === undefined ? {} : { seed: options.generation.seed }),
        ...(options.probabilities === undefined ? {} : { topLogprobs: options.probabilities.topLogprobs }),
      });
      record = buildJudgeRecord(
        {
          ...meta,
          raw: prompt.raw,
          model: res.model,
          text: res.text,
          ...(res.reasoningContent === undefined ? {} : { reasoningContent: res.reasoningContent }),
          ...(prompt.prefill === undefined ? {} : { prefill: prompt.prefill }),
          usage: res.usage,
          ...(res.finishReason === undefined ? {} : { finishReason: res.finishReason }),
          cached: res.cached,
          latencyMs: res.latencyMs,
        },
        parser,
        parseOptions,
      );
      if (options.probabilities !== undefined) {
        record.probabilities = judgmentProbabilities(template.outputFormat, res.logprobs, job.order);
        record.topLogprobs = options.probabilities.topLogprobs;
      }
      if (!record.parse.ok) progress.failures++;
    } catch (error) {
      const message = redact(error instanceof Error ? error.message : String(error));
      progress.errors++;
      failedThisSession.push(job);
      record = {
        ...meta,
        promptHash: promptHash(prompt.raw),
        model: model.id,
        text: null,
        outcome: 'error',
        parse: { ok: false, reason: 'model-error', message },
        verdict: null,
        verdictAsJudged: null,
        usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
        error: message,
        errorCode: JudgekitError.isInstance(error) ? error.code : 'error',
      };
      const status = (error as { status?: unknown }).status;
      if (typeof status === 'number') record.errorStatus = status;
    }
    if (options.juror !== undefined) record.juror = options.juror;
    records.push(record);
    await writer.append(record);
    progress.done++;
    options.onProgress?.({ ...progress });
  };

  const runAll = async (list: readonly Job[]) => {
    let next = 0;
    const worker = async () => {
      while (next < list.length && !options.signal?.aborted) {
        const job = list[next++]!;
        await runJob(job);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, worker));
  };
  try {
    await runAll(jobs);
    if (options.retryErrors && failedThisSession.length > 0 && !options.signal?.aborted) {
      const again = failedThisSession.splice(0);
      progress.done -= again.length;
      progress.errors -= again.length;
      await runAll(again);
    }
  } finally {
    await writer.close();
  }

  const summarizeOptions: Parameters<typeof summarizeJudgeRecords>[1] = {
    samples: samples.length,
    swap: options.swap === true,
    failurePolicy: options.failurePolicy ?? 'count-separately',
    parseMode: options.parseMode ?? 'strict',
  };
  if (options.bootstrap !== undefined) summarizeOptions.bootstrap = options.bootstrap;
  if (options.combine !== undefined) summarizeOptions.combine = options.combine;
  if (options.groups !== undefined) summarizeOptions.groups = options.groups;
  const result = summarizeJudgeRecords(records, summarizeOptions);
  if (result.templateId === '') {
    result.templateId = template.id;
    result.outputFormat = template.outputFormat;
    result.model = model.id;
  }
  return result;
}
