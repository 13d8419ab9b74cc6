/**
 * Parsing of template strings with Python `str.format` placeholder syntax, the syntax every
 * upstream judge prompt uses: `{name}` is a placeholder, `{{` and `}}` are literal braces.
 * Conversions and format specs (`{x!r}`, `{x:>4}`) and positional fields (`{}`, `{0}`) are not
 * supported and are rejected, so a template cannot silently mean something else than upstream.
 *
 * A template is compiled once into literal and placeholder parts; filling it concatenates the
 * parts, inserting each value exactly once. Values are never scanned for placeholders, so text
 * such as `"{question}"` inside an answer stays as it is (what Python's `str.format` does too).
 */

import { InvalidArgumentError } from '@judgekit/core';

/** One piece of a compiled template: literal text or a named placeholder. */
export type TemplatePart = { readonly text: string } | { readonly name: string };

/** A template string compiled into parts, with the set of placeholder names it uses. */
export interface CompiledTemplateString {
  /** The source text. */
  readonly source: string;
  readonly parts: readonly TemplatePart[];
  /** Distinct placeholder names in order of first use. */
  readonly names: readonly string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Compile `source` (Python `str.format` syntax). `what` names the field in error messages.
 * Throws `InvalidArgumentError` on an unmatched brace or an unsupported field.
 */
export function compileTemplateString(what: string, source: string): CompiledTemplateString {
  if (typeof source !== 'string') {
    throw new InvalidArgumentError(what, `expected a string, got ${typeof source}`);
  }
  const parts: TemplatePart[] = [];
  const names: string[] = [];
  let text = '';
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i];
    if (ch === '{') {
      if (source[i + 1] === '{') {
        text += '{';
        i += 2;
        continue;
      }
      const end = source.indexOf('}', i + 1);
      if (end < 0) {
        throw new InvalidArgumentError(what, `unmatched '{' at offset ${i}; write '{{' for a literal brace`);
      }
      const field = source.slice(i + 1, end);
      if (!NAME.test(field)) {
        throw new InvalidArgumentError(
          what,
          `unsupported placeholder {${field}} at offset ${i}: only named fields like {question} are allowed ` +
            `(no positional fields, conversions or format specs); write '{{' / '}}' for literal braces`,
        );
      }
      if (text !== '') {
        parts.push({ text });
        text = '';
      }
      parts.push({ name: field });
      if (!names.includes(field)) names.push(field);
      i = end + 1;
      continue;
    }
    if (ch === '}') {
      if (source[i + 1] === '}') {
        text += '}';
        i += 2;
        continue;
      }
      throw new InvalidArgumentError(what, `single '}' at offset ${i}; write '}}' for a literal brace`);
    }
    // Copy a run of ordinary characters at once.
    let j = i + 1;
    while (j < n && source[j] !== '{' && source[j] !== '}') j++;
    text += source.slice(i, j);
    i = j;
  }
  if (text !== '') parts.push({ text });
  return { source, parts, names };
}

/**
 * Fill a compiled template. Every placeholder must have a value in `values` (the caller has
 * validated this); values are inserted verbatim.
 */
export function fillTemplateString(
  compiled: CompiledTemplateString,
  values: Readonly<Record<string, string>>,
): string {
  let out = '';
  for (const part of compiled.parts) {
    out += 'text' in part ? part.text : (values[part.name] as string);
  }
  return out;
}

/** Escape literal text for use inside a template string (`{` → `{{`, `}` → `}}`). */
export function escapeTemplateText(text: string): string {
  return text.replace(/[{}]/g, (c) => c + c);
}
