/**
 * Template registries: the built-in judge templates, plus the user's own, validated with the same
 * rules (`defineTemplate`).
 */

import { InvalidArgumentError } from '@judgekit/core';
import { defineTemplate, type PromptTemplate, type TemplateDefinition } from './template.js';
import { BUILTIN_TEMPLATES } from './templates/index.js';

/** Options of `registerTemplate`. */
export interface RegisterTemplateOptions {
  /** Replace an existing template with the same id (otherwise a duplicate id is an error). */
  override?: boolean;
}

/** A set of templates keyed by id. */
export class TemplateRegistry {
  readonly #templates = new Map<string, PromptTemplate>();

  /** A registry holding `templates` (validated); pass `BUILTIN_TEMPLATES` to start from the built-ins. */
  constructor(templates: readonly (PromptTemplate | TemplateDefinition)[] = []) {
    for (const t of templates) this.register(t);
  }

  /**
   * Validate `definition` (see `defineTemplate`) and add it. A duplicate id throws
   * `InvalidArgumentError` unless `options.override` is true. Returns the frozen template.
   */
  register(
    definition: PromptTemplate | TemplateDefinition,
    options: RegisterTemplateOptions = {},
  ): PromptTemplate {
    const template = defineTemplate(definition);
    const existing = this.#templates.get(template.id);
    if (existing && !options.override) {
      throw new InvalidArgumentError(
        'definition.id',
        `a template with id '${template.id}' (version ${existing.version}) is already registered; ` +
          'pick another id or pass { override: true } to replace it',
      );
    }
    this.#templates.set(template.id, template);
    return template;
  }

  /** The template with this id; throws `InvalidArgumentError` (listing the known ids) when absent. */
  get(id: string): PromptTemplate {
    const t = this.#templates.get(id);
    if (!t) {
      throw new InvalidArgumentError(
        'id',
        `no template '${String(id)}'; known templates: ${[...this.#templates.keys()].sort().join(', ')}`,
      );
    }
    return t;
  }

  /** Whether a template with this id is registered. */
  has(id: string): boolean {
    return this.#templates.has(id);
  }

  /** All templates, sorted by id. */
  list(): PromptTemplate[] {
    return [...this.#templates.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Remove a template; returns whether it was there. */
  unregister(id: string): boolean {
    return this.#templates.delete(id);
  }
}

let defaultRegistry: TemplateRegistry | undefined;

/** The process-wide registry used by `getTemplate`, `listTemplates`, `registerTemplate` and `render(id, …)`. */
export function defaultTemplateRegistry(): TemplateRegistry {
  defaultRegistry ??= new TemplateRegistry(BUILTIN_TEMPLATES);
  return defaultRegistry;
}

/** The registered template with this id (built-in or user-registered); throws when unknown. */
export function getTemplate(id: string): PromptTemplate {
  return defaultTemplateRegistry().get(id);
}

/** Every registered template, sorted by id. */
export function listTemplates(): PromptTemplate[] {
  return defaultTemplateRegistry().list();
}

/**
 * Register a user template in the default registry, with the same validation as the built-ins:
 * unknown or missing placeholders, unmatched braces, bad raw layouts and duplicate ids (unless
 * `{ override: true }`) are rejected with an `InvalidArgumentError` that says what to fix.
 */
export function registerTemplate(
  definition: PromptTemplate | TemplateDefinition,
  options: RegisterTemplateOptions = {},
): PromptTemplate {
  return defaultTemplateRegistry().register(definition, options);
}
