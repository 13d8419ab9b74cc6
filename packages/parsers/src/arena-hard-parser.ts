/**
 * Arena-Hard-Auto verdicts: `[[A>>B]]`, `[[A>B]]`, `[[A=B]]`, `[[B>A]]`, `[[B>>A]]`.
 *
 * Strict mode copies lmarena/arena-hard-auto gen_judgment.py `get_score` (commit
 * 01109e9930889fde8baada6e86bb74a7e029608b) with the v0.1 `regex_pattern` `\[\[([AB<>=]+)\]\]`
 * (config/judge_config.yaml, commit 7f1b7f5dd6ce53e1f8530220ceb452b7019a8056): every capture of
 * the regex is collected; no capture → no verdict (upstream `None`, and it asks the judge to
 * continue), exactly one *distinct* capture → that label (repeating the same label is fine),
 * several distinct captures → no verdict (upstream `None`). The label is then read with the table
 * of show_result.py `label_to_score` (commit 005ac120c11d3a1bbc35b0408a926dbc614de9c7):
 * `A>B`, `A>>B`, `A=B`, `A<<B`, `A<B`, `B>A`, `B>>A`, `B=A`, `B<<A`, `B<A`; a doubled sign is a
 * *strong* preference (weighted `weight = 3` there), a single sign a weak one. A capture outside
 * that table (`[[A>>>B]]`, `[[AB]]`) is a failure here (`unknown-label`; upstream raises `KeyError`).
 * JudgeBench (ScalerLab/JudgeBench utils/judges.py `ArenaHard`, commit
 * 12a499c5c29f06940d259b49250fca627d2a0ee5) reads the same and drops the strength
 * (`score.replace(">>", ">")`), which is what `verdict` carries; `strength` keeps it.
 */

import { type ParseResult, parseFailure, parseSuccess, type Verdict } from '@judgekit/core';
import {
  type BaseParseOptions,
  cleanJudgeText,
  type JudgeTextInput,
  splitJudgeInput,
  withReasoningFallback,
} from './judge-input.js';

/** Strength of a decisive Arena-Hard verdict: `>>` (strong) or `>` (weak). */
export type ArenaHardStrength = 'strong' | 'weak';

/** A parsed Arena-Hard verdict. */
export interface ArenaHardVerdict {
  verdict: Verdict;
  /** `'strong'` for `A>>B` / `B>>A` (and `<<`), `'weak'` for `A>B` / `B>A`; absent for a tie. */
  strength?: ArenaHardStrength;
  /** The label as the judge wrote it inside `[[…]]` (spaces removed in lenient mode). */
  label: string;
}

/**
 * Why an Arena-Hard parse failed.
 * - `empty-output`: no text.
 * - `no-verdict`: no `[[…]]` label (upstream `None`, "continue your judgment").
 * - `multiple-verdicts`: several distinct labels (upstream `None`).
 * - `unknown-label`: one label, not in upstream's table (upstream `KeyError`).
 */
export type ArenaHardFailureReason = 'empty-output' | 'no-verdict' | 'multiple-verdicts' | 'unknown-label';

/** Lenient recovery steps specific to Arena-Hard. */
export type ArenaHardRecoveryStep =
  /** Spaces inside the brackets (`[[ A > B ]]`). */
  | 'label-spacing'
  /** Several labels with the same meaning (`[[A>B]]` and `[[B<A]]`). */
  | 'equivalent-labels'
  /** Several labels with different meanings: the last one (the final verdict) was taken. */
  | 'last-verdict';

/** Options of {@link parseArenaHard}. */
export type ArenaHardParseOptions = BaseParseOptions;

/** Upstream's label table (show_result.py `label_to_score`), as verdict and strength. */
export const ARENA_HARD_LABELS: Readonly<Record<string, { verdict: Verdict; strength?: ArenaHardStrength }>> =
  Object.freeze({
    'A>>B': { verdict: 'answer1', strength: 'strong' },
    'A>B': { verdict: 'answer1', strength: 'weak' },
    'A=B': { verdict: 'tie' },
    'A<<B': { verdict: 'answer2', strength: 'strong' },
    'A<B': { verdict: 'answer2', strength: 'weak' },
    'B>A': { verdict: 'answer2', strength: 'weak' },
    'B>>A': { verdict: 'answer2', strength: 'strong' },
    'B=A': { verdict: 'tie' },
    'B<<A': { verdict: 'answer1', strength: 'strong' },
    'B<A': { verdict: 'answer1', strength: 'weak' },
  });

const STRICT = /\[\[([AB<>=]+)\]\]/g;
const LENIENT = /\[\[\s*([AB<>=][AB<>=\s]*?)\s*\]\]/gi;

function lookup(label: string): ArenaHardVerdict | undefined {
  const entry = Object.hasOwn(ARENA_HARD_LABELS, label) ? ARENA_HARD_LABELS[label] : undefined;
  if (entry === undefined) return undefined;
  return entry.strength === undefined
    ? { verdict: entry.verdict, label }
    : { verdict: entry.verdict, strength: entry.strength, label };
}

/** gen_judgment.py `get_score` (pairwise): the single distinct label, or why there is none. */
export function arenaHardUpstreamLabel(
  text: string,
): { label: string } | { reason: 'no-verdict' | 'multiple-verdicts' } {
  const matches = [...text.matchAll(STRICT)].map((m) => m[1]!).filter((m) => m !== '');
  const distinct = new Set(matches);
  if (distinct.size === 0) return { reason: 'no-verdict' };
  if (distinct.size > 1) return { reason: 'multiple-verdicts' };
  return { label: matches[0]! };
}

function lenientRead(text: string): { value: ArenaHardVerdict; steps: string[] } | undefined {
  const found: ArenaHardVerdict[] = [];
  let spaced = false;
  for (const m of text.matchAll(LENIENT)) {
    const written = m[1]!;
    const label = written.replace(/\s+/g, '').toUpperCase();
    if (label !== written) spaced = true;
    const v = lookup(label);
    if (v !== undefined) found.push(v);
  }
  if (found.length === 0) return undefined;
  const steps: string[] = spaced ? ['label-spacing'] : [];
  const meanings = new Set(found.map((f) => `${f.verdict}:${f.strength ?? ''}`));
  const labels = new Set(found.map((f) => f.label));
  const last = found[found.length - 1]!;
  if (meanings.size > 1) steps.push('last-verdict');
  else if (labels.size > 1) steps.push('equivalent-labels');
  return { value: last, steps };
}

/**
 * Parse an Arena-Hard judgment. Strict (default) is upstream's `get_score` plus its label table
 * (module doc); lenient also strips reasoning, special tokens and code fences, accepts spaces and
 * lower case inside the brackets, reads equivalent labels as one, and takes the last of several
 * different labels (reported in `recoveredBy`), then looks in `reasoningContent`. Never throws.
 */
export function parseArenaHard(
  input: JudgeTextInput,
  options: ArenaHardParseOptions = {},
): ParseResult<ArenaHardVerdict, ArenaHardFailureReason> {
  const { text, reasoning, raw } = splitJudgeInput(input);
  if (text.trim() === '' && (options.mode !== 'lenient' || reasoning.trim() === ''))
    return parseFailure('empty-output', 'the judge returned no text', raw);
  const upstream = arenaHardUpstreamLabel(text);
  if (options.mode !== 'lenient') {
    if ('reason' in upstream) {
      return parseFailure(
        upstream.reason,
        upstream.reason === 'no-verdict'
          ? 'no [[A>>B]] / [[A>B]] / [[A=B]] / [[B>A]] / [[B>>A]] label in the judgment'
          : 'several different [[…]] labels in the judgment (upstream reads none)',
        raw,
      );
    }
    const v = lookup(upstream.label);
    if (v === undefined)
      return parseFailure('unknown-label', `[[${upstream.label}]] is not an Arena-Hard label`, raw);
    return parseSuccess(v, raw);
  }
  const found = withReasoningFallback(text, reasoning, (t) => {
    const cleaned = cleanJudgeText(t);
    const r = lenientRead(cleaned.text);
    return r === undefined ? undefined : { value: r.value, steps: [...cleaned.steps, ...r.steps] };
  });
  if (found !== undefined) return parseSuccess(found.value, raw, found.steps);
  if ('label' in upstream)
    return parseFailure('unknown-label', `[[${upstream.label}]] is not an Arena-Hard label`, raw);
  return parseFailure('no-verdict', 'no Arena-Hard [[…]] label in the judgment', raw);
}

/**
 * Arena-Hard's battle outcomes of one question from its two games, as show_result.py
 * `load_judgments` builds them (commit 005ac120): `label_to_score[game2] + [1 − s for s in
 * label_to_score[game1]]`, where game 1 shows (baseline, model) and game 2 (model, baseline), a
 * weak label scores `[1]` / `[0]`, a tie `[0.5]`, and a strong one repeats its score `weight`
 * times (default 3). The values are the judged model's wins against the baseline. `undefined`
 * when either label is missing or not in the table (upstream drops null games and raises on
 * unknown labels).
 */
export function arenaHardBattleScores(
  game1Label: string | null | undefined,
  game2Label: string | null | undefined,
  options: { weight?: number } = {},
): number[] | undefined {
  const weight = options.weight ?? 3;
  const scores = (label: string | null | undefined): number[] | undefined => {
    if (typeof label !== 'string' || !Object.hasOwn(ARENA_HARD_LABELS, label)) return undefined;
    const e = ARENA_HARD_LABELS[label]!;
    const s = e.verdict === 'answer1' ? 1 : e.verdict === 'answer2' ? 0 : 0.5;
    return Array.from({ length: e.strength === 'strong' ? weight : 1 }, () => s);
  };
  const g1 = scores(game1Label);
  const g2 = scores(game2Label);
  if (g1 === undefined || g2 === undefined) return undefined;
  return [...g2, ...g1.map((s) => 1 - s)];
}
