/**
 * Training data for the papers' judges, in TRL's dataset formats:
 *
 * - JudgeLM-style SFT (`prompt`/`completion`, or `messages`): the JudgeLM pairwise prompt
 *   (`@judgekit/prompts`) and the teacher judgment, with JudgeLM's swap augmentation and reference
 *   support (baaivision/JudgeLM, judgelm/train/train.py `LazyJudgeSupervisedDataset.__getitem__`,
 *   commit 00c45169; spec §3.3) — done on copies, so unlike upstream nothing persists across epochs.
 * - DPO pairs (`prompt`/`chosen`/`rejected`): best vs worst completion per group by reward, or the
 *   winning vs losing answer of a judged pair, with margin filters.
 * - SPIN rounds as data (`prompt`/`chosen`/`rejected` + `round`): the SFT answer against the
 *   opponent model's generations of the rounds `spinRound(t).dataRounds` (`@judgekit/baselines`).
 *
 * Every row is plain JSON; {@link writeJsonlRows} writes JSONL that `@judgekit/datasets` reads back
 * (`readJsonl`; preference rows with `loadRewardBenchPairs`).
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { spinRound, type SpinRound } from '@judgekit/baselines';
import {
  type ChatMessage,
  createRng,
  InvalidArgumentError,
  type PairwiseSample,
  type ScorePair,
  type Seed,
  swapSample,
  type Verdict,
} from '@judgekit/core';
import {
  judgeLmRecordToSample,
  loadJudgeLmSamples,
  readJsonl,
  requireRecord,
  requireString,
  stringifyJsonl,
} from '@judgekit/datasets';
import { formatJudgeOutput, getTemplate, render } from '@judgekit/prompts';

/** TRL dataset layout of SFT rows: standard `prompt`/`completion` text or conversational `messages`. */
export type TrlSftFormat = 'prompt-completion' | 'messages';

/** One JudgeLM training sample: the pair and the teacher's judgments, when known. */
export interface JudgeLmSftSource {
  /** The pair (its `scores` / `label` are used when `text` is absent; `reference` enables reference support). */
  sample: PairwiseSample;
  /** Teacher judgment without reference, `"s1 s2\n<explanation>"` (JudgeLM-100K `text`). */
  text?: string;
  /** Teacher judgment with the reference shown (`text_w_reference`). */
  textWithReference?: string;
}

/**
 * How to write a target for a pair that has only a verdict (e.g. PandaLM's human labels): the
 * winner gets `winner`, the loser `loser`, a tie `tie` for both. A convention the caller names;
 * there is no default, because the scores are not data.
 */
export interface VerdictScoreConvention {
  winner: number;
  loser: number;
  tie: number;
}

/** Options of {@link makeJudgeLmSftData}. */
export interface JudgeLmSftOptions {
  /** Seed of the augmentation draws (same seed, same rows). */
  seed: Seed;
  /**
   * JudgeLM `swap_aug_ratio`: probability of swapping the answers (and rewriting the judgment).
   * Default 0.5 (the release); a value < -0.5 or 0 turns it off, 1 always swaps.
   */
  swapAugRatio?: number;
  /**
   * JudgeLM `ref_drop_ratio` — despite the name, the probability of **including** the reference
   * (spec §3.3 naming trap). Default 0.5 (the release); -1 (upstream's default) never includes it.
   */
  refDropRatio?: number;
  /** Output layout (default `prompt-completion`). */
  format?: TrlSftFormat;
  /** Targets for pairs without `text` or `scores` (see {@link VerdictScoreConvention}). */
  verdictScores?: VerdictScoreConvention;
  /** Template id (default `judgelm/pair`). */
  template?: string;
  /** Appended to every completion (default `''`: TRL's SFTTrainer appends the EOS token itself). */
  eos?: string;
}

/** One SFT row (TRL standard or conversational) plus provenance columns TRL ignores. */
export type SftRow = ({ prompt: string; completion: string } | { messages: ChatMessage[] }) & {
  /** Sample id. */
  id: string;
  /** Whether the answers were swapped by the augmentation. */
  swapped: boolean;
  /** Whether the reference was shown. */
  with_reference: boolean;
};

/** Result of {@link makeJudgeLmSftData}. */
export interface JudgeLmSftData {
  rows: SftRow[];
  /** Counts: rows, swapped, with reference, and samples that drew the reference but had none usable. */
  stats: { rows: number; swapped: number; withReference: number; referenceUnavailable: number };
}

/**
 * JudgeLM's judgment rewrite for swapped answers: `swap_first_two_integers` (the text before the
 * first space and the text from that space to the first newline trade places — only right when
 * line 1 is exactly two tokens, as upstream), then `Assistant 1` → `Assistant X` → … so that
 * Assistant 1 and 2 trade names everywhere.
 */
export function swapJudgeLmJudgment(text: string): string {
  const nl = text.indexOf('\n');
  const first = nl === -1 ? text : text.slice(0, nl);
  const rest = nl === -1 ? '' : text.slice(nl);
  const sp = first.indexOf(' ');
  const swappedLine = sp === -1 ? first : `${first.slice(sp + 1)} ${first.slice(0, sp)}`;
  return (swappedLine + rest)
    .replaceAll('Assistant 1', 'Assistant X')
    .replaceAll('Assistant 2', 'Assistant 1')
    .replaceAll('Assistant X', 'Assistant 2');
}

function targetFromScores(
  sample: PairwiseSample,
  convention: VerdictScoreConvention | undefined,
  label?: Verdict | null,
): string {
  let scores: ScorePair | undefined = sample.scores;
  const verdict = label ?? sample.label;
  if (scores === undefined && verdict !== undefined && verdict !== null && convention !== undefined) {
    const { winner, loser, tie } = convention;
    scores = verdict === 'answer1' ? [winner, loser] : verdict === 'answer2' ? [loser, winner] : [tie, tie];
  }
  if (scores === undefined) {
    throw new InvalidArgumentError(
      'sources',
      `sample ${sample.id} has no teacher text, no scores${verdict ? '' : ' and no label'}; ${verdict ? 'pass verdictScores (--verdict-scores) to write targets from verdicts' : 'it cannot be a training target'}`,
    );
  }
  return formatJudgeOutput('judgelm-scores', { scores });
}

/**
 * JudgeLM-style SFT rows. Per sample, as upstream: draw the reference (`rand() < refDropRatio`;
 * then `textWithReference` and the with-reference prompt), then the swap (`rand() < swapAugRatio`;
 * answers swapped with `swapSample`, judgment with {@link swapJudgeLmJudgment}). The draws use
 * `@judgekit/core`'s seeded RNG (same distribution as upstream's `np.random.rand`, not the same
 * numbers). A sample that draws the reference without a usable one (no `reference`, or teacher
 * `text` without `textWithReference`) keeps the no-reference form and is counted.
 * `labels`, when given, are used for targets of samples without `text` / `scores`.
 */
export function makeJudgeLmSftData(
  sources: readonly JudgeLmSftSource[],
  options: JudgeLmSftOptions,
  labels?: readonly (Verdict | null)[],
): JudgeLmSftData {
  const rng = createRng(options.seed);
  const swapRatio = options.swapAugRatio ?? 0.5;
  const refRatio = options.refDropRatio ?? 0.5;
  const format = options.format ?? 'prompt-completion';
  const template = getTemplate(options.template ?? 'judgelm/pair');
  const eos = options.eos ?? '';
  if (labels !== undefined && labels.length !== sources.length)
    throw new InvalidArgumentError('labels', `has ${labels.length} entries for ${sources.length} sources`);
  const stats = { rows: 0, swapped: 0, withReference: 0, referenceUnavailable: 0 };
  const rows: SftRow[] = [];
  sources.forEach((src, i) => {
    let sample = src.sample;
    let useRef = false;
    if (refRatio >= -0.5 && rng.nextFloat() < refRatio) {
      if (sample.reference !== undefined && (src.textWithReference !== undefined || src.text === undefined))
        useRef = true;
      else stats.referenceUnavailable++;
    }
    let target = useRef ? src.textWithReference : src.text;
    target ??= targetFromScores(sample, options.verdictScores, labels?.[i]);
    let swapped = false;
    if (swapRatio >= -0.5 && rng.nextFloat() < swapRatio) {
      sample = swapSample(sample);
      target = swapJudgeLmJudgment(target);
      swapped = true;
    }
    const r = render(template, sample, { reference: useRef });
    const completion = target + eos;
    const base = { id: sample.id, swapped, with_reference: useRef };
    if (format === 'messages') {
      const messages = r.messages.slice();
      const last = messages[messages.length - 1];
      if (r.prefill !== undefined && last?.role === 'assistant')
        messages[messages.length - 1] = { role: 'assistant', content: last.content + completion };
      else messages.push({ role: 'assistant', content: completion });
      rows.push({ messages, ...base });
    } else {
      rows.push({ prompt: r.raw, completion, ...base });
    }
    stats.rows++;
    if (swapped) stats.swapped++;
    if (useRef) stats.withReference++;
  });
  return { rows, stats };
}

/** One preference row (TRL `prompt`/`chosen`/`rejected`, RewardBench columns) with provenance. */
export interface PreferenceRow {
  /** Group or sample id. */
  id: string;
  prompt: string;
  chosen: string;
  rejected: string;
  /** Reward (or score) margin chosen − rejected, when known. */
  margin?: number;
}

/** A scored completion for {@link dpoPairsFromRewards}. */
export interface RewardedCompletion {
  prompt: string;
  completion: string;
  groupId: string | number;
  reward: number;
}

/** Counts of a pair-building run. */
export interface PreferenceStats {
  /** Groups (or samples) seen. */
  groups: number;
  /** Pairs written. */
  pairs: number;
  /** Dropped: margin below the filter (including equal rewards / ties). */
  belowMargin: number;
  /** Dropped: fewer than two completions / no label. */
  unusable: number;
}

/**
 * DPO pairs from rewards: per group the best (highest reward; first seen on ties) against the worst
 * (lowest; last seen on ties) completion, kept when `best − worst ≥ minMargin` and `> 0`.
 */
export function dpoPairsFromRewards(
  items: readonly RewardedCompletion[],
  options: { minMargin?: number } = {},
): { rows: PreferenceRow[]; stats: PreferenceStats } {
  const minMargin = options.minMargin ?? 0;
  const groups = new Map<string | number, RewardedCompletion[]>();
  for (const it of items) {
    if (!Number.isFinite(it.reward))
      throw new InvalidArgumentError('items', `group ${String(it.groupId)} has a non-finite reward`);
    let g = groups.get(it.groupId);
    if (g === undefined) groups.set(it.groupId, (g = []));
    g.push(it);
  }
  const rows: PreferenceRow[] = [];
  const stats: PreferenceStats = { groups: groups.size, pairs: 0, belowMargin: 0, unusable: 0 };
  for (const [id, g] of groups) {
    if (g.length < 2) {
      stats.unusable++;
      continue;
    }
    let best = g[0]!;
    let worst = g[0]!;
    for (const x of g) {
      if (x.reward > best.reward) best = x;
      if (x.reward <= worst.reward) worst = x;
    }
    const margin = best.reward - worst.reward;
    if (!(margin > 0) || margin < minMargin) {
      stats.belowMargin++;
      continue;
    }
    if (best.prompt !== worst.prompt)
      throw new InvalidArgumentError(
        'items',
        `group ${String(id)} holds different prompts; a group is one prompt`,
      );
    rows.push({
      id: String(id),
      prompt: best.prompt,
      chosen: best.completion,
      rejected: worst.completion,
      margin,
    });
    stats.pairs++;
  }
  return { rows, stats };
}

/**
 * Preference pairs from judged pairs: `prompt` = the question, `chosen` = the winning answer,
 * `rejected` = the other. Ties and unlabelled samples are dropped (counted); with `minScoreMargin`,
 * samples with scores need `|s1 − s2| ≥ minScoreMargin`.
 */
export function dpoPairsFromVerdicts(
  samples: readonly PairwiseSample[],
  labels: readonly (Verdict | null)[],
  options: { minScoreMargin?: number } = {},
): { rows: PreferenceRow[]; stats: PreferenceStats } {
  if (labels.length !== samples.length)
    throw new InvalidArgumentError('labels', `has ${labels.length} entries for ${samples.length} samples`);
  const rows: PreferenceRow[] = [];
  const stats: PreferenceStats = { groups: samples.length, pairs: 0, belowMargin: 0, unusable: 0 };
  samples.forEach((s, i) => {
    const v = labels[i];
    if (v === null || v === undefined) {
      stats.unusable++;
      return;
    }
    if (v === 'tie') {
      stats.belowMargin++;
      return;
    }
    const margin = s.scores ? Math.abs(s.scores[0] - s.scores[1]) : undefined;
    if (options.minScoreMargin !== undefined && margin !== undefined && margin < options.minScoreMargin) {
      stats.belowMargin++;
      return;
    }
    const [chosen, rejected] = v === 'answer1' ? [s.answer1, s.answer2] : [s.answer2, s.answer1];
    rows.push({
      id: s.id,
      prompt: s.question,
      chosen,
      rejected,
      ...(margin === undefined ? {} : { margin }),
    });
    stats.pairs++;
  });
  return { rows, stats };
}

/** A prompt and one completion (an SFT target or an opponent generation). */
export interface PromptCompletion {
  prompt: string;
  completion: string;
}

/** A SPIN row: the SFT answer (chosen) against the opponent's generation of data round `round`. */
export interface SpinRow extends PreferenceRow {
  round: number;
}

/**
 * SPIN iteration `t` as data: for each data round r in `spinRound(t).dataRounds` and each SFT
 * example, `{prompt, chosen: SFT completion, rejected: the round-r generation for that prompt}`.
 * `generations.get(r)` holds round r's generations (matched by prompt). Returns the rows and the
 * round's published settings (β, learning rate) to train with. Throws when a round or a prompt's
 * generation is missing.
 */
export function spinRoundData(
  t: number,
  sft: readonly PromptCompletion[],
  generations: ReadonlyMap<number, readonly PromptCompletion[]>,
): { rows: SpinRow[]; round: SpinRound } {
  const round = spinRound(t);
  const rows: SpinRow[] = [];
  for (const r of round.dataRounds) {
    const gens = generations.get(r);
    if (gens === undefined)
      throw new InvalidArgumentError(
        'generations',
        `SPIN iteration ${t} needs the generations of data round ${r}`,
      );
    const byPrompt = new Map<string, string>();
    for (const g of gens) if (!byPrompt.has(g.prompt)) byPrompt.set(g.prompt, g.completion);
    sft.forEach((ex, i) => {
      const rejected = byPrompt.get(ex.prompt);
      if (rejected === undefined)
        throw new InvalidArgumentError(
          'generations',
          `round ${r} has no generation for SFT example ${i} (prompt ${JSON.stringify(ex.prompt.slice(0, 60))})`,
        );
      rows.push({ id: `${i}`, prompt: ex.prompt, chosen: ex.completion, rejected, round: r });
    });
  }
  return { rows, round };
}

/** Write rows as JSONL (directories created). */
export async function writeJsonlRows(path: string, rows: readonly unknown[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, stringifyJsonl(rows));
}

/**
 * JudgeLM judge-sample JSONL (JudgeLM-100K layout) as SFT sources: the pair (with `reference`), the
 * teacher `text` and `text_w_reference`. Lines with `text == "error"` are dropped, as upstream.
 */
export async function loadJudgeLmSftSources(file: string): Promise<JudgeLmSftSource[]> {
  const { records } = await loadJudgeLmSamples(file);
  return records.map((r) => {
    const src: JudgeLmSftSource = { sample: judgeLmRecordToSample(r) };
    if (r.text !== undefined) src.text = r.text;
    if (r.text_w_reference !== undefined) src.textWithReference = r.text_w_reference;
    return src;
  });
}

/** Read `{prompt, completion}` JSONL (SFT targets or generations); errors name file:line and field. */
export async function readPromptCompletions(file: string): Promise<PromptCompletion[]> {
  return (await readJsonl(file)).map(({ line, value }) => {
    const loc = { file, line };
    const r = requireRecord(value, loc);
    return { prompt: requireString(r, 'prompt', loc), completion: requireString(r, 'completion', loc) };
  });
}
