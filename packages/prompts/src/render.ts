/**
 * `render(template, sample, options)`: a template plus a sample → chat messages and the raw
 * prompt string, byte for byte as upstream builds them.
 */

import {
  type ChatMessage,
  InvalidArgumentError,
  type PairwiseSample,
  type SingleAnswerSample,
} from '@judgekit/core';
import type { OutputFormatId } from './output-formats.js';
import { getTemplate } from './registry.js';
import { fillPlan, fillRaw, renderPlan, type TextPlan } from './render-plan.js';
import { stripSpecialTokens } from './special-tokens.js';
import type { PromptTemplate } from './template.js';

/** A judging task over N ≥ 2 answers (JudgeLM's multi-answer grading). */
export interface MultiAnswerSample {
  id: string;
  question: string;
  /** The answers in display order: `answers[0]` is "Assistant 1". */
  answers: readonly string[];
  reference?: string;
  /** Gold scores, one per answer, when known. */
  scores?: readonly number[];
  metadata?: Record<string, unknown>;
}

/** Any sample `render` accepts; the template's `format` decides which one it must be. */
export type JudgeSample = PairwiseSample | SingleAnswerSample | MultiAnswerSample;

/** Options of {@link render}. */
export interface RenderOptions {
  /**
   * Pairwise: swap the two answers (with `@judgekit/core`'s `swapSample`), as JudgeLM's
   * `--if-reverse-answers 1` does for the reversed run. The template's `swapVars` pairs (MT-Bench
   * multi-turn first-turn answers) are exchanged too. Multi: reverse the answer order.
   * Not allowed for single-answer templates.
   */
  swap?: boolean;
  /**
   * Multi only: display order as a permutation of `0..N-1` (`order[k]` = index of the answer
   * shown as Assistant k+1). Applied before `swap`.
   */
  order?: readonly number[];
  /**
   * Use the template's reference-guided form (`true`) or not (`false`, the default for
   * templates that have both). Templates whose only form uses a reference (MT-Bench
   * `pair-math-v1`) always need `sample.reference`, and `reference: false` on them is an error,
   * as is `true` on templates without a reference form. Whenever the chosen text uses
   * `{reference}` (JudgeLM's single-answer grading always does: the reference is Assistant 1),
   * a missing `sample.reference` is an error.
   */
  reference?: boolean;
  /**
   * Values of the template's extra variables (`template.vars`, e.g. Prometheus's `rubric`, and
   * `input` for PandaLM). A variable missing here is read from `sample.metadata[name]` when
   * that is a string.
   */
  vars?: Readonly<Record<string, string>>;
  /**
   * Remove special tokens (`</s>`, `<unk>`, `[PAD]`, …) from the answers and strip them, as
   * PandaLM's and JudgeLRM's inference scripts do. Defaults to the template's
   * `stripSpecialTokens` (true for `pandalm/pair`, `judgelrm/pair`, `judgelrm/single`).
   */
  stripSpecialTokens?: boolean;
}

/** The result of {@link render}. */
export interface RenderedPrompt {
  templateId: string;
  templateVersion: number;
  outputFormat: OutputFormatId | (string & {});
  /**
   * The chat form: optional system message, the user message and, when the template has an
   * assistant prefill, a final assistant message holding it (to be continued by the model:
   * vLLM `continue_final_message: true, add_generation_prompt: false`). With the Qwen chat
   * template, JudgeLRM's messages reproduce `raw` exactly.
   */
  messages: ChatMessage[];
  /** The full raw prompt string the original model was trained or prompted on, prefill included. */
  raw: string;
  /** The assistant prefill (a suffix of `raw`), when the template has one. */
  prefill?: string;
  /** Whether the answers were swapped (pairwise) or reordered (multi). */
  swapped: boolean;
}

const NUM2WORDS: readonly string[] = [
  '',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];

/**
 * JudgeLM's `Conversation.copy(answer_num)` rewrite of the instruction text for N answers
 * (baaivision/JudgeLM, judgelm/llm_judge/common.py, commit 00c45169): every `two` becomes the
 * number word of N, `for Assistant 1 and 2` becomes `for Assistant 1`, and `, 2, ..., N-1 and N`
 * is inserted after the first `for Assistant 1`. N must be in 1..19 (the `num2words` table).
 */
export function judgelmMultiInstruction(prompt: string, answerCount: number): string {
  if (!Number.isInteger(answerCount) || answerCount < 1 || answerCount > 19) {
    throw new InvalidArgumentError(
      'answerCount',
      `JudgeLM's num2words table covers 1..19, got ${answerCount}`,
    );
  }
  let p = prompt
    .split('two')
    .join(NUM2WORDS[answerCount])
    .split('for Assistant 1 and 2')
    .join('for Assistant 1');
  const after = 'for Assistant 1';
  // Python's str.find returns -1 when absent; -1 + len(after) is then the insertion point.
  const pos = p.indexOf(after) + after.length;
  let extra = '';
  for (let i = 0; i < answerCount - 2; i++) extra += `, ${i + 2}`;
  extra += ` and ${answerCount}`;
  p = p.slice(0, pos) + extra + p.slice(pos);
  return p;
}

function str(what: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(what, `expected a string, got ${value === null ? 'null' : typeof value}`);
  }
  return value;
}

function resolve(template: PromptTemplate | string): PromptTemplate {
  return typeof template === 'string' ? getTemplate(template) : template;
}

function isPermutation(order: readonly number[], n: number): boolean {
  if (order.length !== n) return false;
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = order[i] as number;
    if (!Number.isInteger(k) || k < 0 || k >= n || seen[k] === 1) return false;
    seen[k] = 1;
  }
  return true;
}

/** Shared stand-in for absent `options.vars` / `sample.metadata` (never written). */
const NONE: Readonly<Record<string, never>> = Object.freeze({});

/** A variable's value from `options.vars`, else from `sample.metadata` (checked to be a string). */
function lookupVar(
  name: string,
  vars: Readonly<Record<string, unknown>>,
  metadata: Readonly<Record<string, unknown>>,
): string | undefined {
  const fromVars = vars[name];
  if (fromVars !== undefined) return str(`options.vars.${name}`, fromVars);
  const v = metadata[name];
  return v === undefined ? undefined : str(`sample.metadata.${name}`, v);
}

/** The chosen text and filled values of one render, shared by `render` and `renderRaw`. */
interface Prepared {
  template: PromptTemplate;
  text: TextPlan;
  values: Record<string, string>;
  swapped: boolean;
}

function prepare(template: PromptTemplate | string, sample: JudgeSample, options: RenderOptions): Prepared {
  const t = resolve(template);
  const plan = renderPlan(t);
  if (typeof sample !== 'object' || sample === null) {
    throw new InvalidArgumentError('sample', 'expected a sample object');
  }
  const values: Record<string, string> = Object.create(null);
  const strip = options.stripSpecialTokens ?? t.stripSpecialTokens ?? false;
  const raw = sample as unknown as Record<string, unknown>;
  values.question = str('sample.question', raw.question);
  let swapped = false;

  if (t.format === 'pairwise') {
    if (options.order !== undefined) {
      throw new InvalidArgumentError(
        'options.order',
        `'order' applies to multi-answer templates; use 'swap' for '${t.id}'`,
      );
    }
    let a1 = str('sample.answer1', raw.answer1);
    let a2 = str('sample.answer2', raw.answer2);
    if (options.swap) {
      // What `swapSample` does to the two answers (the only fields read here).
      const first = a1;
      a1 = a2;
      a2 = first;
      swapped = true;
    }
    values.answer1 = strip ? stripSpecialTokens(a1) : a1;
    values.answer2 = strip ? stripSpecialTokens(a2) : a2;
  } else if (t.format === 'single') {
    if (options.swap) {
      throw new InvalidArgumentError(
        'options.swap',
        `'${t.id}' grades a single answer; there is no order to swap`,
      );
    }
    if (options.order !== undefined) {
      throw new InvalidArgumentError('options.order', `'${t.id}' grades a single answer; there is no order`);
    }
    const answer = str('sample.answer', raw.answer);
    values.answer = strip ? stripSpecialTokens(answer) : answer;
  } else {
    const answers = raw.answers;
    if (!Array.isArray(answers))
      throw new InvalidArgumentError('sample.answers', 'expected an array of strings');
    const n = answers.length;
    const max = t.maxAnswers ?? Number.POSITIVE_INFINITY;
    if (n < 2 || n > max) {
      throw new InvalidArgumentError('sample.answers', `'${t.id}' takes 2..${max} answers, got ${n}`);
    }
    for (let k = 0; k < n; k++) str(`sample.answers[${k}]`, answers[k]);
    const order = options.order;
    if (order !== undefined) {
      if (!isPermutation(order, n)) {
        throw new InvalidArgumentError('options.order', `expected a permutation of 0..${n - 1}`);
      }
      for (let i = 0; i < n; i++) if (order[i] !== i) swapped = true;
    }
    const reverse = options.swap === true;
    if (reverse) swapped = true;
    // shown[j] = answers[order[j]] (or answers[j]), then reversed when swapping.
    const shown: string[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const pos = reverse ? n - 1 - j : j;
      const a = answers[order === undefined ? pos : (order[pos] as number)] as string;
      shown[j] = strip ? stripSpecialTokens(a) : a;
    }
    values.answer1 = shown[0] as string;
    values.answer2 = shown[1] as string;
    values.answer_count = String(n);
    let more = '';
    const fmt = plan.answerFormat;
    if (fmt) {
      for (let k = 2; k < n; k++)
        more += fillPlan(fmt, { answer_id: String(k + 1), answer: shown[k] as string });
    }
    values.answers_more = more;
  }

  // Reference handling.
  let text: TextPlan = plan.base;
  const wantRef = options.reference;
  if (wantRef === true) {
    if (plan.referenceVariant) text = plan.referenceVariant;
    else if (!plan.base.usesReference) {
      throw new InvalidArgumentError('options.reference', `'${t.id}' has no reference-guided form`);
    }
  } else if (wantRef === false && plan.base.usesReference && !plan.referenceVariant) {
    throw new InvalidArgumentError('options.reference', `'${t.id}' always includes a reference answer`);
  }
  if (text.usesReference) {
    if (raw.reference === undefined) {
      throw new InvalidArgumentError(
        'sample.reference',
        `'${t.id}' needs a reference answer (sample.reference)`,
      );
    }
    values.reference = str('sample.reference', raw.reference);
  }

  // Constants are folded into the plan; JudgeLM's multi-answer instruction depends on N.
  if (plan.rewritePrompt !== undefined) {
    const n = (raw.answers as unknown[]).length;
    let prompt = plan.rewriteCache.get(n);
    if (prompt === undefined) {
      prompt = judgelmMultiInstruction(plan.rewritePrompt, n);
      plan.rewriteCache.set(n, prompt);
    }
    values.prompt = prompt;
  }

  // Extra variables.
  const vars: Readonly<Record<string, unknown>> = options.vars ?? NONE;
  const metadata: Readonly<Record<string, unknown>> =
    typeof raw.metadata === 'object' && raw.metadata !== null
      ? (raw.metadata as Record<string, unknown>)
      : NONE;
  if (vars !== NONE) {
    for (const name of Object.keys(vars)) {
      if (!plan.known.has(name)) {
        throw new InvalidArgumentError(
          `options.vars.${name}`,
          `'${t.id}' has no variable {${name}}${plan.known.size > 0 ? `; it takes ${plan.knownList}` : ''}`,
        );
      }
    }
  }
  const names = plan.vars;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const v = lookupVar(name, vars, metadata);
    if (v === undefined) {
      throw new InvalidArgumentError(
        `options.vars.${name}`,
        `'${t.id}' needs the variable {${name}} (options.vars.${name})`,
      );
    }
    values[name] = v;
  }
  if (swapped && t.format === 'pairwise' && t.swapVars) {
    for (const [a, b] of t.swapVars) {
      const first = values[a] as string;
      values[a] = values[b] as string;
      values[b] = first;
    }
  }
  if (plan.inputVariant) {
    const input = lookupVar('input', vars, metadata);
    if (input) {
      text = plan.inputVariant;
      values.input = input;
    }
  }
  return { template: t, text, values, swapped };
}

/**
 * Render a judge prompt.
 *
 * - `template`: a registered template id (e.g. `'judgelm/pair'`) or a `PromptTemplate`.
 * - `sample`: a `PairwiseSample` (format `pairwise`), a `SingleAnswerSample` (`single`) or a
 *   `MultiAnswerSample` (`multi`).
 * - `options`: swap / order, reference on or off, extra variables, special-token stripping.
 *
 * Sample text is inserted exactly once and never re-scanned, so placeholder-like text in a
 * question or answer (`"{question}"`) stays literal. Any string is accepted in sample fields.
 *
 * Each template is validated and compiled once, on first use, into literal and placeholder parts
 * (cached for the template object), and the user text is filled once and shared by `messages`
 * and `raw`. A template object must not be changed after its first render.
 *
 * Throws `InvalidArgumentError` for programmer errors: a sample of the wrong shape, a missing
 * reference or variable, an option the template does not support.
 */
export function render(
  template: PromptTemplate | string,
  sample: JudgeSample,
  options: RenderOptions = {},
): RenderedPrompt {
  const { template: t, text, values, swapped } = prepare(template, sample, options);
  const system = text.systemConst ?? (text.system ? fillPlan(text.system, values) : undefined);
  const user = fillPlan(text.user, values);
  const prefill = t.assistantPrefill;
  const messages: ChatMessage[] =
    system === undefined
      ? [{ role: 'user', content: user }]
      : [
          { role: 'system', content: system },
          { role: 'user', content: user },
        ];
  if (prefill !== undefined) messages.push({ role: 'assistant', content: prefill });
  const out: RenderedPrompt = {
    templateId: t.id,
    templateVersion: t.version,
    outputFormat: t.outputFormat,
    messages,
    raw: fillRaw(text.raw, system, user),
    swapped,
  };
  if (prefill !== undefined) out.prefill = prefill;
  return out;
}

/**
 * Render only the raw prompt string: `render(template, sample, options).raw`, byte for byte,
 * without building the chat messages or the result object. For callers that send the raw prompt
 * to a completions endpoint (vLLM `/v1/completions`, `LLM.generate`) or build training data.
 * Same arguments and errors as {@link render}.
 */
export function renderRaw(
  template: PromptTemplate | string,
  sample: JudgeSample,
  options: RenderOptions = {},
): string {
  const { text, values } = prepare(template, sample, options);
  const system = text.systemConst ?? (text.system ? fillPlan(text.system, values) : undefined);
  return fillRaw(text.raw, system, fillPlan(text.user, values));
}
