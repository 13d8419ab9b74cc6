/**
 * Render plans: everything `render` needs from a template, computed once per template object and
 * cached (a `WeakMap` keyed by the template), so a render call only looks values up and
 * concatenates strings. A plan holds each text (base, reference and input variants) as a list of
 * literal strings and placeholder slots, with the template's constants and the raw layout's fixed
 * parts (a placeholder-free system text, the assistant prefill) already folded into the literals.
 */

import { compileTemplate, type CompiledText, type PromptTemplate } from './template.js';
import type { CompiledTemplateString } from './template-string.js';

/**
 * A template string with its constants folded in: the result of filling it is
 * `lits[0] + values[slots[0]] + lits[1] + … + lits[slots.length]`. @internal
 */
export interface FillPlan {
  readonly lits: readonly string[];
  readonly slots: readonly string[];
}

/** Slot ids of a raw layout plan: the system text or the user text. @internal */
export const RAW_SYSTEM = 0;
/** @internal */
export const RAW_USER = 1;

/** The raw layout with `{prefill}` and a constant system text folded into the literals. @internal */
export interface RawPlan {
  readonly lits: readonly string[];
  /** `RAW_SYSTEM` or `RAW_USER` per slot. */
  readonly slots: readonly number[];
}

/** One text of a template (base or variant), planned. @internal */
export interface TextPlan {
  /** The system text's plan, when the template has a system text and it has placeholders. */
  readonly system: FillPlan | undefined;
  /** The system text when it has no placeholders (after folding constants). */
  readonly systemConst: string | undefined;
  readonly user: FillPlan;
  readonly raw: RawPlan;
  /** Whether this text uses `{reference}`. */
  readonly usesReference: boolean;
}

/** Everything `render` needs, computed once per template. @internal */
export interface RenderPlan {
  readonly template: PromptTemplate;
  readonly base: TextPlan;
  readonly referenceVariant: TextPlan | undefined;
  readonly inputVariant: TextPlan | undefined;
  /** `multi` only: the plan of the per-answer block (slots `answer_id` and `answer`). */
  readonly answerFormat: FillPlan | undefined;
  /** The template's `vars`, in declaration order. */
  readonly vars: readonly string[];
  /** Names accepted in `options.vars`: `vars`, plus `input` where an input variant exists. */
  readonly known: ReadonlySet<string>;
  /** `known` as written in error messages (`{a}, {b}`). */
  readonly knownList: string;
  /** `multi` with `multiRewrite: 'judgelm-copy'`: the `prompt` constant to rewrite per N. */
  readonly rewritePrompt: string | undefined;
  /** Rewritten `prompt` constants by answer count (filled lazily). */
  readonly rewriteCache: Map<number, string>;
}

const planCache = new WeakMap<object, RenderPlan>();

/** Plan `compiled`, folding in the `constants` (except the name in `keep`). @internal */
export function planFill(
  compiled: CompiledTemplateString,
  constants: Readonly<Record<string, string>>,
  keep?: string,
): FillPlan {
  const lits: string[] = [];
  const slots: string[] = [];
  let lit = '';
  for (const part of compiled.parts) {
    if ('text' in part) lit += part.text;
    else if (part.name !== keep && Object.hasOwn(constants, part.name)) lit += constants[part.name];
    else {
      lits.push(lit);
      slots.push(part.name);
      lit = '';
    }
  }
  lits.push(lit);
  return { lits, slots };
}

/** Fill a plan; every slot must have a value in `values` (the caller has checked this). @internal */
export function fillPlan(plan: FillPlan, values: Readonly<Record<string, string>>): string {
  const lits = plan.lits;
  const slots = plan.slots;
  let out = lits[0] as string;
  for (let i = 0; i < slots.length; i++) out += (values[slots[i] as string] as string) + lits[i + 1];
  return out;
}

/** Fill a raw layout plan with the rendered system and user texts. @internal */
export function fillRaw(plan: RawPlan, system: string | undefined, user: string): string {
  const lits = plan.lits;
  const slots = plan.slots;
  let out = lits[0] as string;
  for (let i = 0; i < slots.length; i++) out += (slots[i] === RAW_USER ? user : system) + lits[i + 1];
  return out;
}

function planText(
  text: CompiledText,
  raw: CompiledTemplateString,
  prefill: string | undefined,
  constants: Readonly<Record<string, string>>,
  keep: string | undefined,
): TextPlan {
  const sys = text.system ? planFill(text.system, constants, keep) : undefined;
  const systemConst = sys && sys.slots.length === 0 ? (sys.lits[0] as string) : undefined;
  const lits: string[] = [];
  const slots: number[] = [];
  let lit = '';
  for (const part of raw.parts) {
    if ('text' in part) lit += part.text;
    else if (part.name === 'prefill') lit += prefill ?? '';
    else if (part.name === 'system' && (systemConst !== undefined || sys === undefined))
      lit += systemConst ?? '';
    else {
      lits.push(lit);
      slots.push(part.name === 'user' ? RAW_USER : RAW_SYSTEM);
      lit = '';
    }
  }
  lits.push(lit);
  return {
    system: systemConst === undefined ? sys : undefined,
    systemConst,
    user: planFill(text.user, constants, keep),
    raw: { lits, slots },
    usesReference: text.usesReference,
  };
}

/**
 * The render plan of `template`: validated (`compileTemplate`, which throws on an invalid
 * template) and planned on first use, then cached for the template object. @internal
 */
export function renderPlan(template: PromptTemplate): RenderPlan {
  const cached = planCache.get(template);
  if (cached) return cached;
  const compiled = compileTemplate(template);
  const constants = template.constants ?? {};
  const rewritePrompt =
    template.format === 'multi' && template.multiRewrite === 'judgelm-copy'
      ? (constants.prompt as string)
      : undefined;
  const keep = rewritePrompt === undefined ? undefined : 'prompt';
  const prefill = template.assistantPrefill;
  const plan = (t: CompiledText | undefined): TextPlan | undefined =>
    t === undefined ? undefined : planText(t, compiled.raw, prefill, constants, keep);
  const known = new Set(compiled.vars);
  if (compiled.inputVariant) known.add('input');
  const result: RenderPlan = {
    template,
    base: plan(compiled.base) as TextPlan,
    referenceVariant: plan(compiled.referenceVariant),
    inputVariant: plan(compiled.inputVariant),
    answerFormat: compiled.answerFormat ? planFill(compiled.answerFormat, {}) : undefined,
    vars: compiled.vars,
    known,
    knownList: [...known].map((k) => `{${k}}`).join(', '),
    rewritePrompt,
    rewriteCache: new Map(),
  };
  planCache.set(template, result);
  return result;
}
