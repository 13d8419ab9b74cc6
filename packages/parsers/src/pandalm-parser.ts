/**
 * PandaLM verdict parser: first line `1` / `2` / `Tie`, then `### Reason:` and `### Reference:`.
 *
 * Strict mode copies WeOpenML/PandaLM, pandalm/utils/pandalm_inference.py::parse_pandalm_response
 * (commit 3871806e72b4832f815ecafd24d3503c73403f48; file version 68238877): first line of
 * `text.strip()`, exactly `"1"` → 1, `"2"` → 2, `.lower() == "tie"` → 0, anything else → 0.
 */

import { type ParseResult, parseFailure, parseSuccess, type Verdict } from '@judgekit/core';
import {
  type BaseParseOptions,
  cleanJudgeText,
  findJson,
  type JudgeTextInput,
  jsonField,
  splitJudgeInput,
  withReasoningFallback,
} from './judge-input.js';
import { filterPandaLmSpecialTokens } from './judgelrm-parser.js';
import { pyStrip } from './python-compat.js';

/** A parsed PandaLM verdict. */
export interface PandaLmVerdict {
  /** `answer1` for "1", `answer2` for "2", `tie` for "Tie". */
  verdict: Verdict;
  /** The text after `### Reason:`, when present. */
  reason?: string;
  /** The text after `### Reference:`, when present. */
  reference?: string;
}

/**
 * Why a PandaLM parse failed.
 * - `empty-output`: no text.
 * - `unrecognized-verdict`: the first line is not `1`, `2` or `tie` (upstream silently scores this
 *   as 0, a tie — use {@link parsePandaLmUpstream} for that convention).
 * - `missing-evaluation-marker`: (`postprocess: true`) no `### Evaluation:` in the decoded text
 *   (upstream `postprocess_output` raises IndexError).
 */
export type PandaLmFailureReason = 'empty-output' | 'unrecognized-verdict' | 'missing-evaluation-marker';

/** Lenient recovery steps specific to PandaLM. */
export type PandaLmRecoveryStep =
  /** The first line had decoration or words around the verdict (`**1**`, `1.`, `Response 1`, `Tie.`, `Result: 2`). */
  | 'verdict-line-variant'
  /** The text after `### Evaluation:` was used (the input was the whole decoded sequence). */
  | 'after-evaluation-marker'
  /** The verdict came from a JSON object. */
  | 'json'
  /** The verdict was written as a sentence (`Response 2 is better`, `Both are equally good`). */
  | 'verdict-sentence';

/** Options of {@link parsePandaLm}. */
export interface PandaLmParseOptions extends BaseParseOptions {
  /**
   * Strict mode: first apply upstream `postprocess_output` + `filter_special_token` (take the text
   * after the first `### Evaluation:`, strip PandaLM's special tokens), for a full decoded sequence.
   * Default `false` (the input is the generated continuation).
   */
  postprocess?: boolean;
}

function sections(text: string): { reason?: string; reference?: string } {
  const out: { reason?: string; reference?: string } = {};
  const r = text.indexOf('### Reason:');
  const f = text.indexOf('### Reference:', r === -1 ? 0 : r);
  if (r !== -1) out.reason = text.slice(r + 11, f === -1 ? undefined : f).trim();
  if (f !== -1) out.reference = text.slice(f + 14).trim();
  return out;
}

/** First line of `text.strip()` (`text.strip().split("\n")[0]`). */
function firstStrippedLine(text: string): string {
  const t = pyStrip(text);
  const nl = t.indexOf('\n');
  return nl === -1 ? t : t.slice(0, nl);
}

function strictVerdict(text: string): Verdict | undefined {
  const first = firstStrippedLine(text);
  if (first === '1') return 'answer1';
  if (first === '2') return 'answer2';
  if (first.toLowerCase() === 'tie') return 'tie';
  return undefined;
}

const LINE_VARIANT =
  /^[\s*_#>`"'([]*(?:(?:evaluation(?:\s+result)?|result|verdict|winner|answer|output|better(?:\s+response)?)(?:\s*[:：=-])?)?[\s*_`"'([]*(?:(?:response|output|answer|assistant)\s*)?([12]|tie|draw)(?![\d])[\s*_`"')\].!]*(?:(?:is|was)\s+better[\s*_.]*)?$/i;
const SENTENCE_1 =
  /\b(?:response|output|answer|assistant)\s*1\s+(?:is|was)\s+(?:better|superior|preferred|more\s+\w+)/i;
const SENTENCE_2 =
  /\b(?:response|output|answer|assistant)\s*2\s+(?:is|was)\s+(?:better|superior|preferred|more\s+\w+)/i;
const SENTENCE_TIE =
  /\b(?:it'?s\s+a\s+tie|both\s+(?:responses\s+)?are\s+(?:equally|similar|equal)|equally\s+good|no\s+(?:clear\s+)?winner)\b/i;

function toVerdict(token: string): Verdict {
  const t = token.toLowerCase();
  return t === '1' ? 'answer1' : t === '2' ? 'answer2' : 'tie';
}

/**
 * Parse a PandaLM judgment.
 *
 * - `strict` (default) copies `parse_pandalm_response` (WeOpenML/PandaLM, commit 3871806e), but an
 *   unrecognised first line is a typed failure, not a tie (see {@link parsePandaLmUpstream}).
 * - `lenient` strips think blocks / special tokens / code fences, takes the text after
 *   `### Evaluation:` when present, falls back to `reasoningContent`, and accepts decorated first
 *   lines (`**1**`, `Tie.`, `Response 2`), JSON (`{"winner": 1}`) and verdict sentences in the first
 *   line (`Response 1 is better`).
 *
 * `reason` and `reference` are filled from the `### Reason:` / `### Reference:` sections. Never
 * throws on model text.
 */
export function parsePandaLm(
  input: JudgeTextInput,
  options: PandaLmParseOptions = {},
): ParseResult<PandaLmVerdict, PandaLmFailureReason> {
  const { raw, text, reasoning } = splitJudgeInput(input);
  if (options.mode === 'lenient') {
    if (text.trim() === '' && reasoning.trim() === '')
      return parseFailure('empty-output', 'The judge output is empty.', raw);
    const found = withReasoningFallback(text, reasoning, (t) => {
      const steps: string[] = [];
      let body = t;
      const marker = body.indexOf('### Evaluation:');
      if (marker !== -1) {
        body = body.slice(marker + '### Evaluation:'.length);
        steps.push('after-evaluation-marker');
      }
      const cleaned = cleanJudgeText(body);
      steps.push(...cleaned.steps);
      const b = cleaned.text;
      const strict = strictVerdict(b);
      if (strict !== undefined) return { value: { verdict: strict, ...sections(b) }, steps };
      const firstLine = b.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
      const variant = LINE_VARIANT.exec(firstLine.length <= 200 ? firstLine : '');
      if (variant !== null) {
        return {
          value: { verdict: toVerdict(variant[1]!), ...sections(b) },
          steps: [...steps, 'verdict-line-variant'],
        };
      }
      if (/[[{]/.test(b)) {
        const j = findJson(b);
        const w = jsonField(j, ['winner', 'result', 'evaluationresult', 'verdict', 'better']);
        const token = typeof w === 'number' ? String(w) : typeof w === 'string' ? w.trim() : '';
        const m = /^(?:(?:response|output|answer|assistant)\s*)?([12]|tie|draw|0)$/i.exec(token);
        if (m !== null) {
          const v = m[1] === '0' ? 'tie' : toVerdict(m[1]!);
          return { value: { verdict: v }, steps: [...steps, 'json'] };
        }
      }
      const one = SENTENCE_1.test(firstLine);
      const two = SENTENCE_2.test(firstLine);
      const tie = SENTENCE_TIE.test(firstLine);
      if (Number(one) + Number(two) + Number(tie) === 1) {
        const v: Verdict = one ? 'answer1' : two ? 'answer2' : 'tie';
        return { value: { verdict: v, ...sections(b) }, steps: [...steps, 'verdict-sentence'] };
      }
      return undefined;
    });
    if (found === undefined) {
      return parseFailure('unrecognized-verdict', 'No PandaLM verdict (1, 2 or Tie) could be read.', raw);
    }
    return parseSuccess(found.value, raw, found.steps);
  }
  let body = text;
  if (options.postprocess) {
    const stripped = pyStrip(body);
    const at = stripped.indexOf('### Evaluation:');
    if (at === -1) {
      return parseFailure(
        'missing-evaluation-marker',
        'No "### Evaluation:" in the decoded text: upstream postprocess_output raises IndexError.',
        raw,
      );
    }
    const rest = stripped.slice(at + '### Evaluation:'.length);
    const next = rest.indexOf('### Evaluation:');
    body = filterPandaLmSpecialTokens(pyStrip(next === -1 ? rest : rest.slice(0, next)));
  }
  if (body === '' && !options.postprocess)
    return parseFailure('empty-output', 'The judge output is empty.', raw);
  const verdict = strictVerdict(body);
  if (verdict === undefined) {
    const first = firstStrippedLine(body);
    return parseFailure(
      'unrecognized-verdict',
      `The first line ${JSON.stringify(first.slice(0, 80))} is not "1", "2" or "Tie"; upstream parse_pandalm_response scores it 0 (tie).`,
      raw,
    );
  }
  return parseSuccess({ verdict, ...sections(body) }, raw);
}

/**
 * PandaLM's exact convention by name: `parse_pandalm_response` → `1`, `2`, or `0` (tie) — and `0`
 * for anything unrecognised. Copies WeOpenML/PandaLM, pandalm/utils/pandalm_inference.py
 * (commit 3871806e). `result` keeps the typed strict result so failures can be counted.
 */
export function parsePandaLmUpstream(
  input: JudgeTextInput,
  options: { postprocess?: boolean } = {},
): { label: 0 | 1 | 2; result: ParseResult<PandaLmVerdict, PandaLmFailureReason> } {
  const result = parsePandaLm(input, { mode: 'strict', postprocess: options.postprocess ?? false });
  const label = result.ok
    ? result.value.verdict === 'answer1'
      ? 1
      : result.value.verdict === 'answer2'
        ? 2
        : 0
    : 0;
  return { label, result };
}
