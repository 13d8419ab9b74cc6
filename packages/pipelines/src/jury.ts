/**
 * Juries: a panel of judges (several models, one model with several formats, or repeated samples)
 * whose verdicts are combined by a named rule, with each juror's result and the panel's agreement
 * ("Replacing Judges with Juries", Verga et al. 2024: a panel of smaller judges instead of one big one).
 */

import {
  addUsage,
  emptyUsage,
  InvalidArgumentError,
  type NamedUsage,
  type ScorePair,
  type Verdict,
  VERDICTS,
  verdictFromScores,
  withUsageNames,
} from '@judgekit/core';
import { fleissKappa } from '@judgekit/metrics';
import { asJudgeModel, type JudgeModelLike } from '@judgekit/models';
import type { PromptTemplate } from '@judgekit/prompts';
import type { JudgeCallError } from './judge-call.js';
import { type JudgeOptions, type JudgeResult, judgeWithModel } from './judge-single-model.js';

/**
 * How the panel's verdict is formed from the jurors' (jurors without a verdict abstain):
 * - `'majority'`: the most-voted verdict; a split between the most-voted verdicts is a `tie`;
 * - `'weighted'`: the verdict with the largest sum of juror weights; a split is a `tie`;
 * - `'mean-score'`: the mean of the jurors' score pairs, then JudgeLM's rule (higher mean wins,
 *   equal means tie); jurors whose format gives no scores abstain.
 */
export type JuryRule = 'majority' | 'weighted' | 'mean-score';

/** One juror: a model, optionally with its own format, weight and sampling. */
export interface Juror {
  model: JudgeModelLike;
  /** This juror's template (default: the jury's `format`). */
  format?: string | PromptTemplate;
  /** Name in the report (default: the model id, with the format when it differs). */
  name?: string;
  /** Weight under the `'weighted'` rule (default 1). */
  weight?: number;
  temperature?: number;
  seed?: number;
}

/** Options of {@link jury}. */
export interface JuryOptions extends Omit<JudgeOptions, 'model'> {
  /** The panel: models or `Juror`s (at least one). */
  jurors: readonly (JudgeModelLike | Juror)[];
  /** Aggregation rule (default `'majority'`). */
  rule?: JuryRule;
  /**
   * Judge each juror this many times (default 1), with seeds `seed + k` (seed default 0) and, when
   * > 1 and no temperature is set, temperature 0.7 so that the samples can differ.
   */
  samples?: number;
}

/** One juror's judgment. */
export interface JurorResult {
  name: string;
  weight: number;
  /** 0-based sample number of this juror. */
  sample: number;
  result: JudgeResult;
}

/** The panel's result. */
export interface JuryResult {
  id?: string;
  /** `verdict` when at least one juror voted (or had scores, under `'mean-score'`). */
  status: 'verdict' | 'parse-failure' | 'error';
  verdict: Verdict | null;
  /** Mean scores under `'mean-score'`. */
  scores?: ScorePair;
  rule: JuryRule;
  /** Every juror's result, in panel order (samples of a juror together). */
  jurors: JurorResult[];
  /** Votes per verdict (sums of weights under `'weighted'`, counts otherwise). */
  votes: Record<Verdict, number>;
  /** Jurors without a verdict (parse failure, error, or no scores under `'mean-score'`). */
  abstained: number;
  /**
   * Agreement on this item: `share` = fraction of voting jurors whose verdict is the panel's
   * (`null` without votes); `unanimous` = every juror voted and all agree.
   */
  agreement: { share: number | null; unanimous: boolean };
  /** Usage over all jurors. */
  usage: NamedUsage;
  /** Why there is no verdict: every juror failed to parse (or had no scores) … */
  failure?: { reason: string; message: string };
  /** … or every juror's call failed. */
  error?: JudgeCallError;
}

function isJuror(value: JudgeModelLike | Juror): value is Juror {
  return (
    typeof value === 'object' &&
    value !== null &&
    'model' in value &&
    !('generate' in value) &&
    !('doGenerate' in value)
  );
}

function formatName(format: string | PromptTemplate | undefined): string | undefined {
  return format === undefined ? undefined : typeof format === 'string' ? format : format.id;
}

/**
 * Judge two answers with a panel and combine the verdicts by `rule`. Every juror's result is kept;
 * a juror's parse failure or error is an abstention, never a vote.
 */
export async function jury(options: JuryOptions): Promise<JuryResult> {
  const { jurors: specs, rule = 'majority', samples = 1, ...rest } = options;
  if (!Array.isArray(specs) || specs.length === 0)
    throw new InvalidArgumentError('jurors', 'need at least one juror');
  if (!Number.isInteger(samples) || samples < 1)
    throw new InvalidArgumentError('samples', `must be a positive integer, got ${samples}`);
  if (rule !== 'majority' && rule !== 'weighted' && rule !== 'mean-score')
    throw new InvalidArgumentError(
      'rule',
      `unknown jury rule ${JSON.stringify(rule)} (majority, weighted, mean-score)`,
    );
  const panel = specs.map((spec, i) => {
    const j: Juror = isJuror(spec) ? spec : { model: spec };
    const model = asJudgeModel(j.model, `jurors[${i}].model`);
    const weight = j.weight ?? 1;
    if (!(weight >= 0) || !Number.isFinite(weight))
      throw new InvalidArgumentError(`jurors[${i}].weight`, `must be a finite number >= 0, got ${weight}`);
    const fmt = formatName(j.format);
    const name =
      j.name ?? (fmt !== undefined && fmt !== formatName(rest.format) ? `${model.id} (${fmt})` : model.id);
    return { juror: j, model, weight, name };
  });
  const runs: Promise<JurorResult>[] = [];
  for (const p of panel) {
    for (let k = 0; k < samples; k++) {
      const temperature = p.juror.temperature ?? rest.temperature ?? (samples > 1 ? 0.7 : undefined);
      const seed = p.juror.seed ?? rest.seed ?? (samples > 1 ? 0 : undefined);
      const opts: JudgeOptions = {
        ...rest,
        model: p.model,
        ...(p.juror.format === undefined ? {} : { format: p.juror.format }),
        ...(temperature === undefined ? {} : { temperature }),
        ...(seed === undefined ? {} : { seed: seed + k }),
      };
      runs.push(
        judgeWithModel(opts).then((result) => ({
          name: samples > 1 ? `${p.name}#${k}` : p.name,
          weight: p.weight,
          sample: k,
          result,
        })),
      );
    }
  }
  const jurors = await Promise.all(runs);
  return aggregateJury(jurors, rule, options.id);
}

/** Combine jurors' results by `rule` (exported for panels judged elsewhere, e.g. from stored results). */
export function aggregateJury(jurors: readonly JurorResult[], rule: JuryRule, id?: string): JuryResult {
  const votes: Record<Verdict, number> = { answer1: 0, answer2: 0, tie: 0 };
  const counts: Record<Verdict, number> = { answer1: 0, answer2: 0, tie: 0 };
  let usage = withUsageNames(emptyUsage());
  let voting = 0;
  let s1 = 0;
  let s2 = 0;
  let scored = 0;
  for (const j of jurors) {
    usage = withUsageNames(addUsage(usage, j.result.usage));
    const r = j.result;
    if (r.status !== 'verdict') continue;
    if (rule === 'mean-score') {
      if (r.scores === undefined) continue;
      s1 += r.scores[0];
      s2 += r.scores[1];
      scored++;
    }
    voting++;
    counts[r.verdict]++;
    votes[r.verdict] += rule === 'weighted' ? j.weight : 1;
  }
  const base = {
    ...(id === undefined ? {} : { id }),
    rule,
    jurors: [...jurors],
    votes,
    abstained: jurors.length - voting,
    usage,
  };
  let verdict: Verdict | null = null;
  let scores: ScorePair | undefined;
  if (rule === 'mean-score') {
    if (scored > 0) {
      scores = [s1 / scored, s2 / scored];
      verdict = verdictFromScores(scores);
    }
  } else if (voting > 0) {
    const best = Math.max(...VERDICTS.map((v) => votes[v]));
    const top = VERDICTS.filter((v) => votes[v] === best);
    verdict = top.length === 1 ? top[0]! : 'tie';
  }
  if (verdict === null) {
    const errors = jurors.filter((j) => j.result.status === 'error');
    if (errors.length === jurors.length && errors.length > 0) {
      const e = errors[0]!.result;
      return {
        ...base,
        status: 'error',
        verdict: null,
        agreement: { share: null, unanimous: false },
        error: e.status === 'error' ? e.error : { code: 'unknown', message: 'every juror failed' },
      };
    }
    return {
      ...base,
      status: 'parse-failure',
      verdict: null,
      agreement: { share: null, unanimous: false },
      failure:
        rule === 'mean-score' && voting === 0 && jurors.some((j) => j.result.status === 'verdict')
          ? { reason: 'no-juror-scores', message: "no juror's format gave scores; mean-score needs them" }
          : { reason: 'no-juror-verdict', message: 'no juror gave a readable verdict' },
    };
  }
  const out: JuryResult = {
    ...base,
    status: 'verdict',
    verdict,
    agreement: {
      share: voting > 0 ? counts[verdict] / voting : null,
      unanimous: voting === jurors.length && counts[verdict] === voting,
    },
  };
  if (scores !== undefined) out.scores = scores;
  return out;
}

/** Inter-judge agreement of a panel over many items. */
export interface JuryAgreement {
  /** Fleiss' kappa (`@judgekit/metrics`) over the items where every juror gave a verdict; NaN when undefined. */
  fleissKappa: number;
  /** Items in the kappa. */
  items: number;
  /** Items left out because some juror had no verdict. */
  skipped: number;
  /** Jurors per item. */
  jurors: number;
  /** Mean of the items' `agreement.share`. */
  meanShare: number;
}

/** Fleiss' kappa of the jurors over many jury results (same panel on every item). */
export function juryAgreement(results: readonly JuryResult[]): JuryAgreement {
  if (results.length === 0) throw new InvalidArgumentError('results', 'need at least one jury result');
  const m = results[0]!.jurors.length;
  const raters: Verdict[][] = Array.from({ length: m }, () => []);
  let skipped = 0;
  let shareSum = 0;
  let shareN = 0;
  for (const [i, r] of results.entries()) {
    if (r.jurors.length !== m)
      throw new InvalidArgumentError('results', `item ${i} has ${r.jurors.length} jurors, item 0 has ${m}`);
    if (r.agreement.share !== null) {
      shareSum += r.agreement.share;
      shareN++;
    }
    if (r.jurors.some((j) => j.result.status !== 'verdict')) {
      skipped++;
      continue;
    }
    for (const [k, j] of r.jurors.entries()) raters[k]!.push(j.result.verdict as Verdict);
  }
  const items = results.length - skipped;
  return {
    fleissKappa: m >= 2 && items > 0 ? fleissKappa(raters) : Number.NaN,
    items,
    skipped,
    jurors: m,
    meanShare: shareN > 0 ? shareSum / shareN : Number.NaN,
  };
}
