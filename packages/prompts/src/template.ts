/**
 * The template data model and its validation. A template is plain, versioned data: the system and
 * user message texts with `{placeholders}`, the raw layout that wraps them into the string the
 * original model saw, the assistant prefill, the expected output format and where upstream
 * defines it. `defineTemplate` validates a definition and returns a frozen `PromptTemplate`.
 */

import { InvalidArgumentError } from '@judgekit/core';
import { USER_OUTPUT_FORMATS } from './output-format-store.js';
import { isOutputFormatId, type OutputFormatId } from './output-formats.js';
import { type CompiledTemplateString, compileTemplateString } from './template-string.js';

/** What a template judges: two answers, one answer, or N answers. */
export type TemplateFormat = 'pairwise' | 'single' | 'multi';

/** Where upstream defines a template: repository, file and commit (40 hex digits or a short sha). */
export interface TemplateSource {
  /** `owner/name` on GitHub. */
  repo: string;
  /** Path of the file inside the repository. */
  path: string;
  /** Commit the strings were copied from. */
  commit: string;
  /** The symbol inside the file (variable, function or JSON record name). */
  symbol?: string;
}

/**
 * An alternative text of a template, chosen at render time:
 * - `when: 'reference'`: used when `options.reference === true` (reference-guided form);
 * - `when: 'input'`: used when the `input` variable is a non-empty string (PandaLM's
 *   "with an Input" form).
 * A variant replaces `user` (and `system`, when given); everything else is shared.
 */
export interface TemplateVariant {
  when: 'reference' | 'input';
  system?: string;
  user: string;
  /** Upstream location of the variant, when it differs from the template's. */
  source?: TemplateSource;
}

/**
 * A template definition (the input of `defineTemplate` / `registerTemplate`).
 *
 * Placeholders (`{name}`, Python `str.format` syntax, `{{`/`}}` for literal braces) available
 * in `system`, `user` and variants:
 * - `pairwise`: `{question}`, `{answer1}`, `{answer2}` (all required), `{reference}`;
 * - `single`: `{question}`, `{answer}` (required), `{reference}`;
 * - `multi`: `{question}`, `{answer1}`, `{answer2}`, `{answers_more}` (required: the answers
 *   3..N, each rendered with `answerFormat`), `{answer_count}` (N), `{reference}`;
 * - the keys of `constants` (fixed text, e.g. JudgeLM's instruction block `{prompt}`);
 * - the names in `vars` (caller-supplied text such as Prometheus's `{rubric}`), and `{input}`
 *   where an `input` variant exists.
 *
 * Rendering needs `sample.reference` whenever the chosen text uses `{reference}`. A `reference`
 * variant is the reference-guided form chosen by `options.reference: true`; a template whose base
 * text already uses `{reference}` and has no variant (MT-Bench `pair-math-v1`) is inherently
 * reference-guided (JudgeLM's single-answer base form uses `{reference}` as Assistant 1 and has a
 * variant that adds the `[Reference Answer]` block).
 *
 * `raw` lays out the rendered messages as the exact string the model was trained or prompted
 * on; its only placeholders are `{system}`, `{user}` and `{prefill}`. It must contain `{user}`,
 * contain `{system}` exactly when the template has a system text, and end with `{prefill}`
 * exactly when the template has an assistant prefill.
 */
export interface TemplateDefinition {
  /** Stable id, e.g. `judgelm/pair`; lowercase letters, digits, `.`, `_`, `-`, separated by `/`. */
  id: string;
  /** Version of this template's text (positive integer); bump it whenever a string changes. */
  version: number;
  format: TemplateFormat;
  /** One-line human description. */
  description: string;
  source: TemplateSource;
  /** System message text, when the model has a system turn. */
  system?: string;
  /** User message text. */
  user: string;
  /** Layout of the raw prompt string around `{system}`, `{user}` and `{prefill}`. */
  raw: string;
  /**
   * The output format id the parsers package reads the judge's completion with: a built-in
   * {@link OutputFormatId} or a format registered with `registerOutputFormat`.
   */
  outputFormat: OutputFormatId | (string & {});
  /** Text the assistant turn starts with (the judge's completion continues after it). */
  assistantPrefill?: string;
  /** Fixed text blocks available as placeholders. Inserted verbatim (not re-scanned). */
  constants?: Readonly<Record<string, string>>;
  /** Names of extra caller-supplied variables (all required), e.g. `['rubric']`. */
  vars?: readonly string[];
  /**
   * `pairwise` only: pairs of `vars` that belong to Assistant 1 and Assistant 2 and are exchanged
   * together with the answers when rendering with `swap: true` (MT-Bench multi-turn: the
   * first-turn answers `answer1_1` / `answer2_1`).
   */
  swapVars?: readonly (readonly [string, string])[];
  variants?: readonly TemplateVariant[];
  /** `multi` only: the block for each answer 3..N, with `{answer_id}` and `{answer}`. */
  answerFormat?: string;
  /**
   * `multi` only: how constants change with N. `'judgelm-copy'` applies JudgeLM's
   * `Conversation.copy(answer_num)` rewrite to the `prompt` constant.
   */
  multiRewrite?: 'judgelm-copy';
  /** `multi` only: the largest N accepted (JudgeLM: 19, the end of its `num2words` table). */
  maxAnswers?: number;
  /**
   * Default for `options.stripSpecialTokens`: remove `<unk>`, `</s>`, `[PAD]`, … from the
   * answers before rendering, as PandaLM's and JudgeLRM's inference scripts do.
   */
  stripSpecialTokens?: boolean;
}

/** A validated, frozen template (what the registry holds and `render` takes). */
export type PromptTemplate = Readonly<TemplateDefinition>;

/** Compiled forms of one template text (base or variant). @internal */
export interface CompiledText {
  readonly system: CompiledTemplateString | undefined;
  readonly user: CompiledTemplateString;
  /** Whether this text uses `{reference}` (so rendering it needs `sample.reference`). */
  readonly usesReference: boolean;
}

/** Everything `render` needs, compiled once per template. @internal */
export interface CompiledTemplate {
  readonly template: PromptTemplate;
  readonly base: CompiledText;
  readonly referenceVariant: CompiledText | undefined;
  readonly inputVariant: CompiledText | undefined;
  readonly raw: CompiledTemplateString;
  readonly answerFormat: CompiledTemplateString | undefined;
  readonly vars: readonly string[];
}

/** Sample placeholders per format. */
export const SAMPLE_PLACEHOLDERS: Readonly<Record<TemplateFormat, readonly string[]>> = {
  pairwise: ['question', 'answer1', 'answer2', 'reference'],
  single: ['question', 'answer', 'reference'],
  multi: ['question', 'answer1', 'answer2', 'answers_more', 'answer_count', 'reference'],
};

/** Placeholders every template of a format must use. */
export const REQUIRED_PLACEHOLDERS: Readonly<Record<TemplateFormat, readonly string[]>> = {
  pairwise: ['question', 'answer1', 'answer2'],
  single: ['question', 'answer'],
  multi: ['question', 'answer1', 'answer2', 'answers_more'],
};

const ID = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;
const compiledCache = new WeakMap<object, CompiledTemplate>();

function fail(what: string, message: string): never {
  throw new InvalidArgumentError(what, message);
}

function isString(x: unknown): x is string {
  return typeof x === 'string';
}

function checkSource(what: string, source: unknown): void {
  if (typeof source !== 'object' || source === null) fail(what, 'expected { repo, path, commit }');
  const s = source as Record<string, unknown>;
  for (const key of ['repo', 'path', 'commit'] as const) {
    if (!isString(s[key]) || s[key] === '') fail(`${what}.${key}`, 'expected a non-empty string');
  }
  if (s.symbol !== undefined && !isString(s.symbol)) fail(`${what}.symbol`, 'expected a string');
}

function compileText(
  def: TemplateDefinition,
  where: string,
  system: string | undefined,
  user: string,
  allowed: ReadonlySet<string>,
): { text: CompiledText; used: Set<string> } {
  const used = new Set<string>();
  const check = (field: string, compiled: CompiledTemplateString): void => {
    for (const name of compiled.names) {
      if (!allowed.has(name)) {
        fail(
          `${where}.${field}`,
          `unknown placeholder {${name}} in template '${def.id}'; a '${def.format}' template may use ` +
            `${[...allowed].map((a) => `{${a}}`).join(', ')}` +
            ' (declare fixed text in `constants` and caller-supplied text in `vars`)',
        );
      }
      used.add(name);
    }
  };
  const sys = system === undefined ? undefined : compileTemplateString(`${where}.system`, system);
  if (sys) check('system', sys);
  const usr = compileTemplateString(`${where}.user`, user);
  check('user', usr);
  const missing = REQUIRED_PLACEHOLDERS[def.format].filter((p) => !used.has(p));
  if (missing.length > 0) {
    fail(
      where,
      `template '${def.id}' is missing required placeholder(s) ${missing.map((m) => `{${m}}`).join(', ')} ` +
        `for format '${def.format}'`,
    );
  }
  return { text: { system: sys, user: usr, usesReference: used.has('reference') }, used };
}

/** Validate and compile a definition. @internal */
export function compileTemplate(template: PromptTemplate): CompiledTemplate {
  const cached = compiledCache.get(template);
  if (cached) return cached;
  const def = template as TemplateDefinition;
  if (typeof def !== 'object' || def === null) fail('template', 'expected a template definition object');
  if (!isString(def.id) || !ID.test(def.id)) {
    fail(
      'template.id',
      `expected an id like 'judgelm/pair' (lowercase, digits, . _ -, '/'-separated), got ${JSON.stringify(def.id)}`,
    );
  }
  const where = `template '${def.id}'`;
  if (!Number.isInteger(def.version) || def.version < 1)
    fail(`${where}.version`, 'expected a positive integer');
  if (def.format !== 'pairwise' && def.format !== 'single' && def.format !== 'multi') {
    fail(`${where}.format`, `expected 'pairwise' | 'single' | 'multi', got ${JSON.stringify(def.format)}`);
  }
  if (!isString(def.description)) fail(`${where}.description`, 'expected a string');
  checkSource(`${where}.source`, def.source);
  if (
    !isOutputFormatId(def.outputFormat) &&
    !(typeof def.outputFormat === 'string' && USER_OUTPUT_FORMATS.has(def.outputFormat))
  ) {
    fail(
      `${where}.outputFormat`,
      `unknown output format ${JSON.stringify(def.outputFormat)}; use a built-in one or register yours first with registerOutputFormat (or registerJudgeFormat of @judgekit/parsers)`,
    );
  }
  if (def.system !== undefined && !isString(def.system)) fail(`${where}.system`, 'expected a string');
  if (!isString(def.user)) fail(`${where}.user`, 'expected a string');
  if (
    def.assistantPrefill !== undefined &&
    (!isString(def.assistantPrefill) || def.assistantPrefill === '')
  ) {
    fail(`${where}.assistantPrefill`, 'expected a non-empty string');
  }
  if (def.stripSpecialTokens !== undefined && typeof def.stripSpecialTokens !== 'boolean') {
    fail(`${where}.stripSpecialTokens`, 'expected a boolean');
  }

  const samplePlaceholders = SAMPLE_PLACEHOLDERS[def.format];
  const constants = def.constants ?? {};
  if (typeof constants !== 'object' || constants === null) fail(`${where}.constants`, 'expected an object');
  const vars = def.vars ?? [];
  if (!Array.isArray(vars)) fail(`${where}.vars`, 'expected an array of names');
  const variants = def.variants ?? [];
  if (!Array.isArray(variants)) fail(`${where}.variants`, 'expected an array');
  const hasInputVariant = variants.some((v) => v?.when === 'input');

  const declared = new Map<string, string>();
  for (const name of samplePlaceholders) declared.set(name, 'sample');
  const declare = (name: string, kind: string): void => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      fail(`${where}.${kind}`, `invalid name ${JSON.stringify(name)}`);
    const prev = declared.get(name);
    if (prev !== undefined) {
      fail(`${where}.${kind}`, `name {${name}} is already a ${prev} placeholder; pick another name`);
    }
    declared.set(name, kind);
  };
  for (const [name, value] of Object.entries(constants)) {
    declare(name, 'constants');
    if (!isString(value)) fail(`${where}.constants.${name}`, 'expected a string');
  }
  for (const name of vars) {
    if (!isString(name)) fail(`${where}.vars`, 'expected an array of names');
    declare(name, 'vars');
  }
  if (hasInputVariant) declare('input', 'vars');
  const allowed = new Set(declared.keys());

  const base = compileText(def, where, def.system, def.user, allowed);
  if (base.used.has('input')) fail(`${where}.user`, '{input} may only appear in the `input` variant');
  const used = new Set(base.used);
  let referenceVariant: CompiledText | undefined;
  let inputVariant: CompiledText | undefined;
  variants.forEach((variant, k) => {
    const vw = `${where}.variants[${k}]`;
    if (typeof variant !== 'object' || variant === null) fail(vw, 'expected an object');
    if (variant.source !== undefined) checkSource(`${vw}.source`, variant.source);
    if (variant.system !== undefined && def.system === undefined) {
      fail(`${vw}.system`, 'a variant may only replace the system text of a template that has one');
    }
    if (variant.system !== undefined && !isString(variant.system)) fail(`${vw}.system`, 'expected a string');
    if (!isString(variant.user)) fail(`${vw}.user`, 'expected a string');
    const compiled = compileText(def, vw, variant.system ?? def.system, variant.user, allowed);
    for (const name of compiled.used) used.add(name);
    if (variant.when === 'reference') {
      if (referenceVariant) fail(vw, 'only one `reference` variant is allowed');
      if (!compiled.used.has('reference')) fail(vw, 'a `reference` variant must use {reference}');
      if (compiled.used.has('input')) fail(vw, '{input} may only appear in the `input` variant');
      referenceVariant = compiled.text;
    } else if (variant.when === 'input') {
      if (inputVariant) fail(vw, 'only one `input` variant is allowed');
      if (!compiled.used.has('input')) fail(vw, 'an `input` variant must use {input}');
      inputVariant = compiled.text;
    } else {
      fail(
        `${vw}.when`,
        `expected 'reference' | 'input', got ${JSON.stringify((variant as TemplateVariant).when)}`,
      );
    }
  });
  if (referenceVariant && inputVariant)
    fail(`${where}.variants`, 'a template may have a `reference` or an `input` variant, not both');

  for (const name of [...Object.keys(constants), ...vars]) {
    if (!used.has(name)) fail(where, `declared placeholder {${name}} is never used in the template text`);
  }
  const swapVars = def.swapVars ?? [];
  if (!Array.isArray(swapVars)) fail(`${where}.swapVars`, 'expected an array of [name, name] pairs');
  if (swapVars.length > 0 && def.format !== 'pairwise')
    fail(`${where}.swapVars`, "only 'pairwise' templates have swapVars");
  const swapped = new Set<string>();
  swapVars.forEach((pair, k) => {
    const sw = `${where}.swapVars[${k}]`;
    if (!Array.isArray(pair) || pair.length !== 2) fail(sw, 'expected a [name, name] pair');
    for (const name of pair) {
      if (!isString(name) || !vars.includes(name))
        fail(sw, `${JSON.stringify(name)} is not one of the template's vars`);
      if (swapped.has(name)) fail(sw, `{${name}} appears in more than one swap pair`);
      swapped.add(name);
    }
    if (pair[0] === pair[1]) fail(sw, 'a swap pair needs two different names');
  });

  const raw = compileTemplateString(`${where}.raw`, def.raw);
  for (const name of raw.names) {
    if (name !== 'system' && name !== 'user' && name !== 'prefill') {
      fail(
        `${where}.raw`,
        `unknown placeholder {${name}}; the raw layout may only use {system}, {user} and {prefill}`,
      );
    }
  }
  if (!raw.names.includes('user')) fail(`${where}.raw`, 'the raw layout must contain {user}');
  if (def.system !== undefined && !raw.names.includes('system')) {
    fail(`${where}.raw`, 'the template has a system text, so the raw layout must contain {system}');
  }
  if (def.system === undefined && raw.names.includes('system')) {
    fail(`${where}.raw`, 'the template has no system text, so the raw layout must not contain {system}');
  }
  const last = raw.parts[raw.parts.length - 1];
  const endsWithPrefill = last !== undefined && 'name' in last && last.name === 'prefill';
  const prefillCount = raw.parts.filter((p) => 'name' in p && p.name === 'prefill').length;
  if (def.assistantPrefill !== undefined && (!endsWithPrefill || prefillCount !== 1)) {
    fail(
      `${where}.raw`,
      'the template has an assistant prefill, so the raw layout must end with {prefill} (once)',
    );
  }
  if (def.assistantPrefill === undefined && prefillCount > 0) {
    fail(
      `${where}.raw`,
      'the template has no assistant prefill, so the raw layout must not contain {prefill}',
    );
  }

  let answerFormat: CompiledTemplateString | undefined;
  if (def.format === 'multi') {
    if (!isString(def.answerFormat))
      fail(`${where}.answerFormat`, "a 'multi' template needs an answerFormat");
    answerFormat = compileTemplateString(`${where}.answerFormat`, def.answerFormat);
    for (const name of answerFormat.names) {
      if (name !== 'answer_id' && name !== 'answer') {
        fail(
          `${where}.answerFormat`,
          `unknown placeholder {${name}}; only {answer_id} and {answer} are allowed`,
        );
      }
    }
    if (!answerFormat.names.includes('answer')) fail(`${where}.answerFormat`, 'must contain {answer}');
    if (def.maxAnswers !== undefined && (!Number.isInteger(def.maxAnswers) || def.maxAnswers < 2)) {
      fail(`${where}.maxAnswers`, 'expected an integer ≥ 2');
    }
    if (def.multiRewrite !== undefined) {
      if (def.multiRewrite !== 'judgelm-copy') fail(`${where}.multiRewrite`, "expected 'judgelm-copy'");
      if (!isString(constants.prompt))
        fail(`${where}.multiRewrite`, "'judgelm-copy' rewrites constants.prompt, which is missing");
    }
  } else {
    if (def.answerFormat !== undefined)
      fail(`${where}.answerFormat`, "only 'multi' templates have an answerFormat");
    if (def.multiRewrite !== undefined)
      fail(`${where}.multiRewrite`, "only 'multi' templates have a multiRewrite");
    if (def.maxAnswers !== undefined) fail(`${where}.maxAnswers`, "only 'multi' templates have maxAnswers");
  }

  const compiled: CompiledTemplate = {
    template,
    base: base.text,
    referenceVariant,
    inputVariant,
    raw,
    answerFormat,
    vars: [...vars],
  };
  compiledCache.set(template, compiled);
  return compiled;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clone(v);
    return out as T;
  }
  return value;
}

/**
 * Validate a template definition and return it as a frozen `PromptTemplate` (a copy; the input
 * is not modified). Throws `InvalidArgumentError` with a message naming the field and the
 * problem: unknown or missing placeholders, unmatched braces, a raw layout that drops the
 * system text or the prefill, declared constants or vars that are never used, and so on.
 */
export function defineTemplate(definition: TemplateDefinition): PromptTemplate {
  if (typeof definition !== 'object' || definition === null) {
    fail('definition', 'expected a template definition object');
  }
  const template = deepFreeze(clone(definition));
  compileTemplate(template);
  return template;
}
