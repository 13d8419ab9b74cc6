/**
 * `grade()` and `gradeMany()`: single-answer grading in one call, with the score on the format's
 * scale and, as an option, the autoevals / Braintrust scorer shape `{ name, score, metadata }`.
 */

import { InvalidArgumentError, type NamedUsage, type SingleAnswerSample } from '@judgekit/core';
import { asJudgeModel, type JudgeModelLike } from '@judgekit/models';
import { render } from '@judgekit/prompts';
import { type CallRecord, type JudgeCallError, runJudgeCall } from './judge-call.js';
import { type BatchOptions, mapBatch } from './judge.js';
import { type JudgeSettings, referenceRenderOptions, resolveFormat } from './judge-single-model.js';

/**
 * The score range of each single-answer output format, from its upstream prompt: MT-Bench and
 * JudgeLM 1–10, JudgeLRM 0–10, Prometheus 1–5. Used to normalise to [0, 1].
 */
export const GRADE_SCALES: Readonly<Record<string, readonly [number, number]>> = {
  'mtbench-single': [1, 10],
  'judgelm-single': [1, 10],
  'judgelrm-single': [0, 10],
  'prometheus-absolute': [1, 5],
};

/** Options of {@link grade}. */
export interface GradeOptions extends JudgeSettings {
  /** The judge: a `JudgeModel` or an AI SDK language model object. */
  model: JudgeModelLike;
  question: string;
  /** The answer to grade. */
  answer: string;
  /** Reference answer (the template's reference-guided form; JudgeLM single-answer needs it). */
  reference?: string;
  id?: string;
  /** Score range `[min, max]` for `normalizedScore` (default: `GRADE_SCALES` of the format). */
  scale?: readonly [number, number];
  /** Result shape: `'result'` (default, a `GradeResult`) or `'autoevals'` (`{ name, score, metadata }`). */
  output?: 'result' | 'autoevals';
  /** Scorer name in the autoevals shape (default: the template id). */
  name?: string;
}

interface GradeResultBase {
  id?: string;
  format: string;
  outputFormat: string;
  model: string;
  /** The completion text (`null` when the call failed). */
  text: string | null;
  rationale: string | null;
  reasoningContent?: string;
  /** The score range used for `normalizedScore`. */
  scale: readonly [number, number];
  usage: NamedUsage;
  /** The model call with its parse outcome. */
  call: CallRecord;
}

/** A grade with a score. */
export interface GradeScoreResult extends GradeResultBase {
  status: 'score';
  /** The score as the judge wrote it, on the format's scale. */
  score: number;
  /** `(score - min) / (max - min)`; `null` when the score lies outside the scale (not clamped). */
  normalizedScore: number | null;
}

/** A reply that could not be read (never a score). */
export interface GradeParseFailureResult extends GradeResultBase {
  status: 'parse-failure';
  score: null;
  normalizedScore: null;
  failure: { reason: string; message: string; raw: string };
}

/** No usable response. */
export interface GradeErrorResult extends GradeResultBase {
  status: 'error';
  score: null;
  normalizedScore: null;
  error: JudgeCallError;
}

/** The result of {@link grade}. */
export type GradeResult = GradeScoreResult | GradeParseFailureResult | GradeErrorResult;

/**
 * The autoevals / Braintrust `Score` shape: `score` in [0, 1], or `null` when there is none (a
 * parse failure, an error, or a score outside the scale — `metadata` says which).
 */
export interface AutoevalsScore {
  name: string;
  score: number | null;
  metadata: {
    status: GradeResult['status'];
    /** The score on the format's scale. */
    rawScore: number | null;
    scale: readonly [number, number];
    rationale: string | null;
    format: string;
    model: string;
    usage: NamedUsage;
    failure?: { reason: string; message: string };
    outOfScale?: boolean;
  };
  /** The error of a failed call, as autoevals reports scorer errors. */
  error?: JudgeCallError;
}

/** Grade one answer; `output: 'autoevals'` gives the autoevals shape. */
export function grade(options: GradeOptions & { output: 'autoevals' }): Promise<AutoevalsScore>;
export function grade(options: GradeOptions & { output?: 'result' }): Promise<GradeResult>;
export function grade(options: GradeOptions): Promise<GradeResult | AutoevalsScore>;
export async function grade(options: GradeOptions): Promise<GradeResult | AutoevalsScore> {
  const result = await gradeResult(options);
  return options.output === 'autoevals' ? toAutoevalsScore(result, options.name) : result;
}

async function gradeResult(options: GradeOptions): Promise<GradeResult> {
  if (options === null || typeof options !== 'object')
    throw new InvalidArgumentError('options', 'expected an object with model, question and answer');
  for (const k of ['question', 'answer'] as const)
    if (typeof options[k] !== 'string')
      throw new InvalidArgumentError(k, `must be a string, got ${typeof options[k]}`);
  const model = asJudgeModel(options.model);
  const { template, parser, parseOptions } = resolveFormat(options, 'single', 'mtbench/single-v1');
  const scale = options.scale ?? GRADE_SCALES[template.outputFormat];
  if (scale === undefined || !(scale[1] > scale[0]))
    throw new InvalidArgumentError(
      'scale',
      `no score range known for ${template.outputFormat}; pass scale: [min, max] with max > min`,
    );
  const sample: SingleAnswerSample = {
    id: options.id ?? 'grade',
    question: options.question,
    answer: options.answer,
    ...(options.reference === undefined ? {} : { reference: options.reference }),
  };
  const prompt = render(template, sample, {
    ...referenceRenderOptions(template, options.reference),
    ...(options.vars === undefined ? {} : { vars: options.vars }),
  });
  const call = await runJudgeCall(model, prompt, { ...options, parser, parseOptions });
  const base: GradeResultBase = {
    ...(options.id === undefined ? {} : { id: options.id }),
    format: template.id,
    outputFormat: template.outputFormat,
    model: model.id,
    text: call.text,
    rationale: call.rationale,
    scale,
    usage: call.usage,
    call,
  };
  if (call.reasoningContent !== undefined) base.reasoningContent = call.reasoningContent;
  if (call.error !== undefined || call.parse === undefined)
    return {
      ...base,
      status: 'error',
      score: null,
      normalizedScore: null,
      error: call.error ?? { code: 'unknown', message: '' },
    };
  const raw = (call.prefill ?? '') + (call.text ?? '');
  if (!call.parse.ok)
    return {
      ...base,
      status: 'parse-failure',
      score: null,
      normalizedScore: null,
      failure: { reason: call.parse.reason, message: call.parse.message, raw },
    };
  if (call.parse.judgment.kind !== 'rating')
    return {
      ...base,
      status: 'parse-failure',
      score: null,
      normalizedScore: null,
      failure: { reason: 'not-rating', message: `a ${call.parse.judgment.kind} judgment, not a score`, raw },
    };
  const score = call.parse.judgment.score;
  const [lo, hi] = scale;
  return {
    ...base,
    status: 'score',
    score,
    normalizedScore: score >= lo && score <= hi ? (score - lo) / (hi - lo) : null,
  };
}

/** The autoevals / Braintrust `Score` of a grade. */
export function toAutoevalsScore(result: GradeResult, name?: string): AutoevalsScore {
  const metadata: AutoevalsScore['metadata'] = {
    status: result.status,
    rawScore: result.score,
    scale: result.scale,
    rationale: result.rationale,
    format: result.format,
    model: result.model,
    usage: result.usage,
  };
  if (result.status === 'parse-failure')
    metadata.failure = { reason: result.failure.reason, message: result.failure.message };
  if (result.status === 'score' && result.normalizedScore === null) metadata.outOfScale = true;
  const out: AutoevalsScore = {
    name: name ?? result.format,
    score: result.status === 'score' ? result.normalizedScore : null,
    metadata,
  };
  if (result.status === 'error') out.error = result.error;
  return out;
}

/** One item of {@link gradeMany}. */
export interface GradeItem {
  id?: string;
  question: string;
  answer: string;
  reference?: string;
  vars?: Readonly<Record<string, string>>;
}

/** Progress of {@link gradeMany}. */
export interface GradeManyProgress {
  done: number;
  total: number;
  scores: number;
  parseFailures: number;
  errors: number;
}

/**
 * Grade many answers with bounded concurrency (default 4); results in input order. On abort,
 * unfinished items are `error` results with code `'aborted'`.
 */
export async function gradeMany(
  items: readonly GradeItem[],
  options: Omit<GradeOptions, 'question' | 'answer' | 'reference' | 'id' | 'output' | 'name'> &
    BatchOptions<GradeManyProgress>,
): Promise<GradeResult[]> {
  if (!Array.isArray(items))
    throw new InvalidArgumentError('items', 'must be an array of { question, answer }');
  const { concurrency = 4, onProgress, ...shared } = options;
  for (const [i, item] of items.entries())
    if (typeof item?.question !== 'string' || typeof item?.answer !== 'string')
      throw new InvalidArgumentError(`items[${i}]`, 'must be { question: string, answer: string }');
  const progress: GradeManyProgress = {
    done: 0,
    total: items.length,
    scores: 0,
    parseFailures: 0,
    errors: 0,
  };
  const model = asJudgeModel(shared.model);
  const { template } = resolveFormat(shared, 'single', 'mtbench/single-v1');
  return mapBatch<GradeItem, GradeResult>(
    items,
    concurrency,
    shared.abortSignal,
    (item) =>
      gradeResult({
        ...shared,
        model,
        question: item.question,
        answer: item.answer,
        ...(item.reference === undefined ? {} : { reference: item.reference }),
        ...(item.id === undefined ? {} : { id: item.id }),
        ...(item.vars === undefined ? {} : { vars: { ...shared.vars, ...item.vars } }),
      }),
    (i) => {
      const id = items[i]?.id;
      const usage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, inputTokens: 0, outputTokens: 0 };
      const error = { code: 'aborted', message: 'the batch was aborted before this item finished' };
      return {
        ...(id === undefined ? {} : { id }),
        status: 'error',
        score: null,
        normalizedScore: null,
        error,
        format: template.id,
        outputFormat: template.outputFormat,
        model: model.id,
        text: null,
        rationale: null,
        scale: shared.scale ?? GRADE_SCALES[template.outputFormat] ?? [0, 1],
        usage,
        call: {
          modelId: model.id,
          model: model.id,
          text: null,
          error,
          rationale: null,
          usage,
          cached: false,
          latencyMs: 0,
        },
      };
    },
    (r) => {
      progress.done++;
      if (r.status === 'score') progress.scores++;
      else if (r.status === 'parse-failure') progress.parseFailures++;
      else progress.errors++;
      onProgress?.({ ...progress });
    },
  );
}
