/**
 * Evaluate a jury (a panel of judge models) on a pairwise dataset: every juror is run by
 * `evaluateJudgeOnDataset` into its own resumable results file, then each (sample, order) gets the
 * panel's verdict by `aggregateJury`, and the panel is scored like a single judge. A composition:
 * the run machinery (resume, errors never scored, fsync) and the jury rules are the ones already here.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, emptyUsage, swapVerdict, type Verdict, withUsageNames } from '@judgekit/core';
import { readJsonlIfExists } from '@judgekit/datasets';
import { getTemplate, type PromptTemplate } from '@judgekit/prompts';
import {
  type EvaluateOnDatasetOptions,
  type EvaluationProgress,
  evaluateJudgeOnDataset,
} from './evaluate-judge-on-dataset.js';
import { type NamedEvaluation, renderEvaluationReport } from './evaluation-report.js';
import { renderEvaluationHtml } from './evaluation-report-html.js';
import { evaluationRunFiles } from './evaluation-run-files.js';
import type { JudgeModel } from './judge-model.js';
import {
  type EvaluationResult,
  type JudgeOrder,
  type JudgeResultRecord,
  outcomeOf,
  recordKey,
  summarizeJudgeRecords,
} from './judge-records.js';
import type { JudgeResult } from './judge-single-model.js';
import {
  aggregateJury,
  type JuryAgreement,
  type JuryResult,
  type JuryRule,
  type JurorResult,
  juryAgreement,
} from './jury.js';

/** One juror of a dataset jury. */
export interface DatasetJuror {
  /**
   * Juror id: names its results file (`<outDir>/jurors/<id>/results.jsonl`) and its rows in the
   * report. Letters, digits, `.`, `_`, `-` only; unique in the panel.
   */
  id: string;
  model: JudgeModel;
  /** This juror's template (default: the jury's `template`). */
  template?: string | PromptTemplate;
  /** Weight under the `'weighted'` rule (default 1). */
  weight?: number;
}

/** Progress of one juror (the fields of {@link EvaluationProgress} plus the juror id). */
export interface JuryEvaluationProgress extends EvaluationProgress {
  juror: string;
}

/** Options of {@link evaluateJuryOnDataset}. */
export interface EvaluateJuryOnDatasetOptions
  extends Omit<EvaluateOnDatasetOptions, 'model' | 'outFile' | 'onProgress' | 'combine'> {
  /** The panel (at least one juror; two or more for an agreement figure). */
  jurors: readonly DatasetJuror[];
  /** How the panel's verdict is formed (default `'majority'`); see {@link JuryRule}. */
  rule?: JuryRule;
  /** Run directory: each juror's results go to `<outDir>/jurors/<id>/results.jsonl`. */
  outDir: string;
  onProgress?: (progress: JuryEvaluationProgress) => void;
}

/** One juror's part of a {@link JuryEvaluationResult}. */
export interface JurorEvaluation {
  id: string;
  weight: number;
  /** Template id this juror judged with. */
  template: string;
  /** This juror's results file. */
  resultsFile: string;
  /** This juror scored alone, as `evaluateJudgeOnDataset` scores a judge. */
  result: EvaluationResult;
  /** Its records (latest per sample and order). */
  records: JudgeResultRecord[];
}

/** What {@link evaluateJuryOnDataset} returns. */
export interface JuryEvaluationResult {
  rule: JuryRule;
  /** The panel scored as one judge (its records are {@link JuryEvaluationResult.panelRecords}). */
  panel: EvaluationResult;
  /** One synthetic record per (sample, order) every juror has a record for: the panel's verdict. */
  panelRecords: JudgeResultRecord[];
  /** The panel's result per (sample, order), with every juror's vote, in dataset order. */
  items: JuryResult[];
  jurors: JurorEvaluation[];
  /**
   * Inter-judge agreement: Fleiss' kappa (`@judgekit/metrics`) of the jurors' verdicts over the
   * items where every juror gave one (both orders, when swapped), via `juryAgreement`.
   */
  agreement: JuryAgreement;
  /** Every juror finished every call (no pending sample, no error left). */
  complete: boolean;
}

const JUROR_ID = /^[A-Za-z0-9._-]+$/;

/** Results file of a juror in a jury run directory. */
export function jurorResultsFile(outDir: string, jurorId: string): string {
  return join(outDir, 'jurors', jurorId, 'results.jsonl');
}

/** A juror's stored record as the `JudgeResult` `aggregateJury` reads (status, verdict, scores, usage). */
function recordAsJudgeResult(r: JudgeResultRecord): JudgeResult {
  const base = {
    id: r.id,
    format: r.templateId,
    outputFormat: r.outputFormat,
    model: r.model,
    calls: [],
    text: r.text,
    rationale: null,
    usage: withUsageNames(r.usage ?? emptyUsage()),
  };
  const outcome = outcomeOf(r);
  if (outcome === 'error')
    return {
      ...base,
      status: 'error',
      verdict: null,
      error: {
        code: r.errorCode ?? 'error',
        message: r.error ?? 'model call failed',
        ...(r.errorStatus === undefined ? {} : { status: r.errorStatus }),
      },
    };
  if (outcome === 'parse-failure' || r.verdict === null || !r.parse.ok)
    return {
      ...base,
      status: 'parse-failure',
      verdict: null,
      failure: {
        reason: r.parse.ok ? 'not-pairwise' : r.parse.reason,
        message: r.parse.ok ? 'no verdict' : r.parse.message,
        raw: r.text ?? '',
      },
    };
  const j = r.parse.judgment;
  const scores = j.kind === 'pairwise' ? j.scores : undefined;
  return {
    ...base,
    status: 'verdict',
    verdict: r.verdict,
    ...(scores === undefined ? {} : { scores: r.order === 'swapped' ? [scores[1], scores[0]] : scores }),
  };
}

/** The panel's result as a results record (original frame; `verdictAsJudged` in the order's frame). */
function juryRecord(
  jr: JuryResult,
  meta: { id: string; index: number; order: JudgeOrder; label: Verdict | null; promptHash: string },
): JudgeResultRecord {
  const usage = {
    promptTokens: jr.usage.promptTokens,
    completionTokens: jr.usage.completionTokens,
    totalTokens: jr.usage.totalTokens,
  };
  const common = {
    ...meta,
    templateId: 'jury',
    outputFormat: 'jury',
    model: `jury(${jr.rule})`,
    usage,
  };
  const votes = `votes ${JSON.stringify(jr.votes)}, ${jr.abstained} abstained`;
  if (jr.status === 'error')
    return {
      ...common,
      text: null,
      outcome: 'error',
      parse: { ok: false, reason: 'model-error', message: jr.error?.message ?? 'every juror failed' },
      verdict: null,
      verdictAsJudged: null,
      error: `every juror's call failed: ${jr.error?.message ?? ''}`,
      errorCode: jr.error?.code ?? 'error',
    };
  if (jr.status === 'parse-failure' || jr.verdict === null)
    return {
      ...common,
      text: votes,
      outcome: 'parse-failure',
      parse: {
        ok: false,
        reason: jr.failure?.reason ?? 'no-juror-verdict',
        message: jr.failure?.message ?? 'no juror gave a readable verdict',
      },
      verdict: null,
      verdictAsJudged: null,
    };
  const asJudged = meta.order === 'swapped' ? swapVerdict(jr.verdict) : jr.verdict;
  const scores =
    jr.scores === undefined ? undefined : meta.order === 'swapped' ? [jr.scores[1], jr.scores[0]] : jr.scores;
  return {
    ...common,
    text: votes,
    outcome: 'verdict',
    parse: {
      ok: true,
      judgment: {
        kind: 'pairwise',
        verdict: asJudged,
        ...(scores === undefined ? {} : { scores: scores as [number, number] }),
      },
      recoveredBy: [],
    },
    verdict: jr.verdict,
    verdictAsJudged: asJudged,
  };
}

/**
 * Judge a dataset with a panel and score each juror and the panel. Each juror runs through
 * `evaluateJudgeOnDataset` into `<outDir>/jurors/<id>/results.jsonl` (all jurors at once, each with
 * `concurrency` calls in flight), so a resume re-runs only the calls missing or failed in a juror's
 * file. Every juror's existing results are checked before anything is written: one refused resume
 * leaves every file as it was. A juror's parse failure or error is an abstention, never a vote (as
 * in `jury()`); a (sample, order) that a juror has not judged yet has no panel verdict (pending).
 * Panel verdicts come from `aggregateJury` by `rule`; the panel is scored by the same summary as a
 * single judge (failure policy, bootstrap, swap consistency), and the jurors' agreement is Fleiss'
 * kappa via `juryAgreement`.
 */
export async function evaluateJuryOnDataset(
  options: EvaluateJuryOnDatasetOptions,
): Promise<JuryEvaluationResult> {
  const { jurors, outDir, rule = 'majority', onProgress, onValidated, ...shared } = options;
  if (!Array.isArray(jurors) || jurors.length === 0) throw new ConfigError('a jury needs at least one juror');
  if (rule !== 'majority' && rule !== 'weighted' && rule !== 'mean-score')
    throw new ConfigError(`unknown jury rule ${JSON.stringify(rule)} (majority, weighted, mean-score)`);
  const seen = new Set<string>();
  for (const [i, j] of jurors.entries()) {
    if (typeof j.id !== 'string' || !JUROR_ID.test(j.id))
      throw new ConfigError(
        `juror ${i}: id ${JSON.stringify(j.id)} must be letters, digits, '.', '_' or '-' (it names a directory)`,
      );
    if (seen.has(j.id))
      throw new ConfigError(`juror ${i}: id ${JSON.stringify(j.id)} is used twice in the panel`);
    seen.add(j.id);
    const w = j.weight ?? 1;
    if (!Number.isFinite(w) || w < 0)
      throw new ConfigError(`juror ${j.id}: weight must be a finite number >= 0, got ${w}`);
  }

  // Barrier: no juror writes until every juror's existing results were checked against this run.
  let validated = 0;
  let release!: () => void;
  let refuse!: (e: unknown) => void;
  const allValidated = new Promise<void>((res, rej) => {
    release = res;
    refuse = rej;
  });
  allValidated.catch(() => undefined);
  let failedEarly = false;
  const onJurorValidated = async () => {
    validated++;
    if (validated === jurors.length) {
      try {
        await onValidated?.();
        release();
      } catch (e) {
        refuse(e);
      }
    }
    await allValidated;
  };

  const templateOf = (j: DatasetJuror) => {
    const t = j.template ?? shared.template;
    return typeof t === 'string' ? getTemplate(t) : t;
  };
  const settled = await Promise.allSettled(
    jurors.map((j) =>
      evaluateJudgeOnDataset({
        ...shared,
        template: templateOf(j),
        model: j.model,
        outFile: jurorResultsFile(outDir, j.id),
        juror: j.id,
        onValidated: onJurorValidated,
        ...(onProgress === undefined ? {} : { onProgress: (p) => onProgress({ ...p, juror: j.id }) }),
      }).catch((e) => {
        if (validated < jurors.length && !failedEarly) {
          failedEarly = true;
          refuse(e);
        }
        throw e;
      }),
    ),
  );
  const firstFailure = settled.find((s) => s.status === 'rejected');
  if (firstFailure !== undefined) throw (firstFailure as PromiseRejectedResult).reason;

  const samples = shared.samples;
  const labelOf = (i: number): Verdict | null =>
    (shared.labels ? shared.labels[i] : samples[i]!.label) ?? null;
  const orders: JudgeOrder[] = shared.swap ? ['original', 'swapped'] : ['original'];
  const jurorEvals: JurorEvaluation[] = [];
  const latest: Map<string, JudgeResultRecord>[] = [];
  for (const [k, j] of jurors.entries()) {
    const file = jurorResultsFile(outDir, j.id);
    const read = await readJsonlIfExists<JudgeResultRecord>(file);
    const byKey = new Map<string, JudgeResultRecord>();
    for (const { value } of read.records) byKey.set(recordKey(value.index, value.order), value);
    latest.push(byKey);
    jurorEvals.push({
      id: j.id,
      weight: j.weight ?? 1,
      template: templateOf(j).id,
      resultsFile: file,
      result: (settled[k] as PromiseFulfilledResult<EvaluationResult>).value,
      records: [...byKey.values()],
    });
  }

  const items: JuryResult[] = [];
  const panelRecords: JudgeResultRecord[] = [];
  for (let i = 0; i < samples.length; i++) {
    for (const order of orders) {
      const key = recordKey(i, order);
      const recs = latest.map((m) => m.get(key));
      if (recs.some((r) => r === undefined)) continue;
      const votes: JurorResult[] = recs.map((r, k) => ({
        name: jurors[k]!.id,
        weight: jurors[k]!.weight ?? 1,
        sample: 0,
        result: recordAsJudgeResult(r!),
      }));
      const jr = aggregateJury(votes, rule, samples[i]!.id);
      items.push(jr);
      panelRecords.push(
        juryRecord(jr, {
          id: samples[i]!.id,
          index: i,
          order,
          label: labelOf(i),
          promptHash: recs.map((r) => r!.promptHash).join('+'),
        }),
      );
    }
  }

  const summarize: Parameters<typeof summarizeJudgeRecords>[1] = {
    samples: samples.length,
    swap: shared.swap === true,
    failurePolicy: shared.failurePolicy ?? 'count-separately',
    parseMode: shared.parseMode ?? 'strict',
  };
  if (shared.bootstrap !== undefined) summarize.bootstrap = shared.bootstrap;
  if (shared.groups !== undefined) summarize.groups = shared.groups;
  const panel = summarizeJudgeRecords(panelRecords, summarize);
  panel.model = `jury(${rule}): ${jurors.map((j) => j.id).join(', ')}`;
  panel.templateId = 'jury';
  panel.outputFormat = 'jury';
  const agreement: JuryAgreement =
    items.length > 0
      ? juryAgreement(items)
      : { fleissKappa: Number.NaN, items: 0, skipped: 0, jurors: jurors.length, meanShare: Number.NaN };
  return {
    rule,
    panel,
    panelRecords,
    items,
    jurors: jurorEvals,
    agreement,
    complete: jurorEvals.every((j) => j.result.complete),
  };
}

/** The report rows of a jury run: the panel first, then each juror (for `renderEvaluationReport`). */
export function juryReportEntries(result: JuryEvaluationResult): NamedEvaluation[] {
  return [
    { name: `panel (${result.rule})`, result: result.panel, records: result.panelRecords },
    ...result.jurors.map((j) => ({ name: j.id, result: j.result, records: j.records })),
  ];
}

/** Markdown lines describing the panel and its agreement (for a report's intro). */
export function juryReportIntro(result: JuryEvaluationResult): string[] {
  const a = result.agreement;
  const kappa = Number.isNaN(a.fleissKappa) ? 'undefined' : a.fleissKappa.toFixed(4);
  return [
    `Jury of ${result.jurors.length} (${result.jurors.map((j) => `\`${j.id}\`${result.rule === 'weighted' ? ` weight ${j.weight}` : ''}`).join(', ')}), panel verdict by the \`${result.rule}\` rule; a juror's parse failure or error is an abstention, never a vote.`,
    `Inter-judge agreement: Fleiss' kappa ${kappa} over ${a.items} judgments where every juror gave a verdict (${a.skipped} left out); mean share of jurors agreeing with the panel ${Number.isNaN(a.meanShare) ? 'undefined' : a.meanShare.toFixed(4)}.`,
  ];
}

/** The `jury` field of a jury run's `report.json`. */
export function juryReportJson(result: JuryEvaluationResult): Record<string, unknown> {
  const a = result.agreement;
  return {
    rule: result.rule,
    jurors: result.jurors.map((j) => ({
      id: j.id,
      weight: j.weight,
      template: j.template,
      model: j.result.model,
    })),
    agreement: {
      fleissKappa: Number.isNaN(a.fleissKappa) ? null : a.fleissKappa,
      items: a.items,
      skipped: a.skipped,
      jurors: a.jurors,
      meanShare: Number.isNaN(a.meanShare) ? null : a.meanShare,
    },
    complete: result.complete,
  };
}

/**
 * Write a jury run's reports into `dir`: `report.md`, `report.json` (with a `jury` field: rule,
 * jurors, Fleiss' kappa), `report.svg` and `report.html`, each with the panel's row and every
 * juror's row; and `panel.jsonl`, the panel's records (derived from the jurors' files, rewritten
 * on every run). Returns the paths.
 */
export async function writeJuryEvaluationReport(
  dir: string,
  result: JuryEvaluationResult,
  options: { title: string; intro?: readonly string[]; config?: Readonly<Record<string, unknown>> },
): Promise<{ markdown: string; json: string; svg: string; html: string; panel: string }> {
  const files = evaluationRunFiles(dir);
  const entries = juryReportEntries(result);
  const intro = [...(options.intro ?? []), ...juryReportIntro(result)];
  const report = renderEvaluationReport(entries, {
    title: options.title,
    intro,
    svgFile: 'report.svg',
    extraJson: { jury: juryReportJson(result) },
  });
  const html = renderEvaluationHtml(entries, {
    title: options.title,
    intro,
    ...(options.config === undefined ? {} : { config: options.config }),
  });
  const panel = join(dir, 'panel.jsonl');
  await mkdir(dir, { recursive: true });
  await writeFile(files.markdown, report.markdown);
  await writeFile(files.json, report.json);
  await writeFile(files.svg, report.svg);
  await writeFile(files.html, html);
  await writeFile(panel, result.panelRecords.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return { markdown: files.markdown, json: files.json, svg: files.svg, html: files.html, panel };
}
