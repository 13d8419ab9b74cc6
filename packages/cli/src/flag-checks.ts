/**
 * Checks of command-line flags shared by the commands: every problem is collected (not thrown one
 * at a time), so a command reports all of them at once.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** `--failure-policy` values (how parse failures enter the metrics). */
export const FAILURE_POLICIES = ['count-separately', 'as-tie', 'drop'] as const;

/** `--extraction` values (which upstream JudgeLRM reading strict parsing copies). */
export const EXTRACTIONS = [
  'reward',
  'pandalm-inference',
  'pandalm-qwen3-inference',
  'judgelm-benchmark',
] as const;

/** Option specs as `node:util` `parseArgs` takes them. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** `parseArgs` in strict mode; a bad command line is a one-line `UsageError`. */
export function parseFlags<O extends OptionSpec>(
  args: string[],
  options: O,
  positionals = false,
): ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: positionals });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
}

/** A flag that must be an integer in [min, max] when given; anything else throws `UsageError`. */
export function intFlag(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  return n;
}

/** Typed readers of parsed flags that push a message to `problems` for each bad value. */
export interface FlagChecker<K extends string> {
  /** The flag's string value, if it was given once. */
  str(name: K): string | undefined;
  /** The flag's value; a problem (and `''`) when it is missing or empty. */
  required(name: K): string;
  /** An integer in [min, max]; a problem when it is not one. */
  int(name: K, min: number, max: number): number | undefined;
  /** A finite number in [min, max]; a problem when it is not one. */
  num(name: K, min: number, max: number): number | undefined;
  /** One of `allowed` (`value` defaults to the flag's own value); a problem otherwise. */
  oneOf<T extends string>(name: K, allowed: readonly T[], value?: string): T | undefined;
}

/** A {@link FlagChecker} over `values` (what `parseArgs` returned), collecting into `problems`. */
export function flagChecker<K extends string>(
  values: Partial<Record<K, string | boolean | string[]>>,
  problems: string[],
): FlagChecker<K> {
  const str = (name: K) => {
    const v = values[name];
    return typeof v === 'string' ? v : undefined;
  };
  return {
    str,
    required(name) {
      const v = str(name);
      if (v === undefined || v === '') problems.push(`--${name} is required`);
      return v ?? '';
    },
    int(name, min, max) {
      const v = str(name);
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
        problems.push(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
        return undefined;
      }
      return n;
    },
    num(name, min, max) {
      const v = str(name);
      if (v === undefined) return undefined;
      const n = Number(v);
      if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
        problems.push(`--${name} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`);
        return undefined;
      }
      return n;
    },
    oneOf<T extends string>(name: K, allowed: readonly T[], value = str(name)): T | undefined {
      if (value === undefined) return undefined;
      if (!allowed.includes(value as T)) {
        problems.push(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
        return undefined;
      }
      return value as T;
    },
  };
}

/** The bearer token in the environment variable named by `--api-key-env` (problems when unusable). */
export function apiKeyFromEnv(variable: string | undefined, problems: string[]): string | undefined {
  if (variable === undefined) return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    problems.push('--api-key-env must be an environment variable name');
    return undefined;
  }
  const key = process.env[variable];
  if (!key) {
    problems.push(`--api-key-env: environment variable ${variable} is not set`);
    return undefined;
  }
  return key;
}

/** Throw one `UsageError` listing every problem (redacted), pointing at `help`; nothing when none. */
export function throwIfProblems(
  problems: readonly string[],
  redact: (s: string) => string,
  help: string,
): void {
  if (problems.length === 0) return;
  throw new UsageError(
    `${problems.length === 1 ? '' : `${problems.length} problems: `}${redact(problems.join('; '))} (run '${help}')`,
  );
}

/** Run `work`; an error it throws leaves with its message redacted (no credential in any message). */
export async function withRedactedErrors<T>(
  redact: (s: string) => string,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Error) err.message = redact(err.message);
    throw err;
  }
}
