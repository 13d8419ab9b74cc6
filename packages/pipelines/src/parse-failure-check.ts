/**
 * The parse-failure-rate check of a finished evaluation: a loud warning (or, for scripts, an
 * error) when too many judge outputs could not be read, with the most common reasons and a hint
 * where the cause is known.
 */

import type { EvaluationResult } from './judge-records.js';

/** Options of {@link checkParseFailureRate}. */
export interface ParseFailureCheckOptions {
  /** Rate (0–1) above which the check fails. Default 0.2. */
  threshold?: number;
  /** Reasons listed. Default 3. */
  topReasons?: number;
}

/** Outcome of {@link checkParseFailureRate}. */
export interface ParseFailureCheck {
  /** Parse failures / judged calls (both orders); 0 with nothing judged. */
  rate: number;
  failures: number;
  judged: number;
  threshold: number;
  /** Whether `rate > threshold`. */
  exceeded: boolean;
  /** Most common reasons with their counts, most common first. */
  topReasons: { reason: string; count: number }[];
  /** A known cause and what to do about it, when the failures match one. */
  hint?: string;
  /** The warning text (several lines) when `exceeded`. */
  message?: string;
}

function knownHint(result: EvaluationResult, top: string | undefined): string | undefined {
  const raws = result.parseFailures.examples.map((e) => e.raw);
  if (raws.length === 0) return undefined;
  const share = (f: (s: string) => boolean) => raws.filter(f).length / raws.length;
  if (result.outputFormat.startsWith('judgelrm')) {
    // Released JudgeLRM outputs are often post-processed to the text after `</think>`.
    if (share((s) => s.includes('<answer>') && !s.includes('</think>')) >= 0.5)
      return (
        'these look like JudgeLRM outputs post-processed to the text after </think> (answer tags, no </think>): ' +
        "the '<think>' prefill with the 'pandalm-inference' / 'reward' readings expects the whole decoded sequence. " +
        "Read them with extraction 'judgelm-benchmark' (the answer-tag regex alone), or lenient mode, or give the raw outputs"
      );
    if (top === 'missing-think-close' || top === 'tag-count')
      return "the outputs do not have JudgeLRM's <think>…</think><answer>…</answer><answer>…</answer> shape; check --max-tokens (truncated outputs) and that the template matches the model";
  }
  if (share((s) => s === '') >= 0.5)
    return 'most failed outputs are empty: check the server (chat template, stop strings) and --max-tokens';
  if (result.parseMode === 'strict')
    return "strict mode reads only the upstream format; '--mode lenient' recovers common deviations (each recovery is recorded)";
  return undefined;
}

/**
 * Check the parse-failure rate of a result against `threshold` (default 20%). Never throws: the
 * caller decides whether an exceeded check is a warning or an error.
 */
export function checkParseFailureRate(
  result: EvaluationResult,
  options: ParseFailureCheckOptions = {},
): ParseFailureCheck {
  const threshold = options.threshold ?? 0.2;
  const failures = result.parseFailures.total + result.parseFailures.swappedTotal;
  const judged = result.counts.judged + result.counts.judgedSwapped;
  const rate = judged === 0 ? 0 : failures / judged;
  const topReasons = Object.entries(result.parseFailures.byReason)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.topReasons ?? 3)
    .map(([reason, count]) => ({ reason, count }));
  const check: ParseFailureCheck = {
    rate,
    failures,
    judged,
    threshold,
    exceeded: rate > threshold,
    topReasons,
  };
  if (!check.exceeded) return check;
  const hint = knownHint(result, topReasons[0]?.reason);
  if (hint !== undefined) check.hint = hint;
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `WARNING: ${failures} of ${judged} judge outputs (${pct(rate)}) could not be parsed (threshold ${pct(threshold)}); the metrics mostly measure the parser, not the judge.`,
    `  most common reasons: ${topReasons.map((r) => `${r.reason} ${r.count}`).join(', ')}`,
  ];
  const example = result.parseFailures.examples[0];
  if (example)
    lines.push(`  e.g. sample ${JSON.stringify(example.id)}: ${JSON.stringify(example.raw.slice(0, 160))}`);
  if (hint) lines.push(`  hint: ${hint}`);
  check.message = lines.join('\n');
  return check;
}
