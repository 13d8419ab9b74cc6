/**
 * Resolution of an option that was renamed: the current name and its deprecated alias are both
 * accepted for one minor version (docs/conventions.md, "One vocabulary for the numeric API").
 *
 * @module
 */

import { InvalidArgumentError } from './errors.js';

/** A deprecated spelling of an option, with the translation of its values to the current ones. */
export interface OptionAlias<T> {
  /** The deprecated option name, e.g. `'impl'`. */
  name: string;
  /** The value given under the deprecated name (`undefined` when not given). */
  value: unknown;
  /** Current value for each accepted deprecated value. */
  values: ReadonlyArray<readonly [unknown, T]>;
}

function show(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : String(v);
}

/**
 * Resolve a renamed option: returns the current value (`current`), or the translation of the
 * deprecated alias when only the alias is given, or `fallback` when neither is given. Throws
 * {@link InvalidArgumentError} when the alias holds a value it never accepted, when `current` is
 * not one of `allowed`, or when both are given and mean different things.
 *
 * @param name Current option name (used in error messages), e.g. `'reference'`.
 * @param current Value given under the current name.
 * @param allowed The accepted current values.
 * @param fallback Default when neither name is given.
 * @param alias The deprecated spelling.
 */
export function resolveAliasedOption<T>(
  name: string,
  current: T | undefined,
  allowed: readonly T[],
  fallback: T,
  alias?: OptionAlias<T>,
): T {
  if (current !== undefined && !allowed.includes(current)) {
    throw new InvalidArgumentError(
      name,
      `unknown value ${show(current)}; expected one of ${allowed.map(show).join(', ')}`,
    );
  }
  if (alias === undefined || alias.value === undefined) return current ?? fallback;
  const hit = alias.values.find(([old]) => old === alias.value);
  if (hit === undefined) {
    throw new InvalidArgumentError(
      alias.name,
      `unknown value ${show(alias.value)} (deprecated option; use \`${name}\`: ${alias.values
        .map(([old, cur]) => `${show(old)} → ${show(cur)}`)
        .join(', ')})`,
    );
  }
  const translated = hit[1];
  if (current !== undefined && current !== translated) {
    throw new InvalidArgumentError(
      name,
      `\`${name}: ${show(current)}\` conflicts with the deprecated \`${alias.name}: ${show(alias.value)}\` ` +
        `(which means \`${name}: ${show(translated)}\`); pass only \`${name}\``,
    );
  }
  return translated;
}
