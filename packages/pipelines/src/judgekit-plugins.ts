/**
 * Plugins: a module (`.mjs` / `.js`) that registers judge formats, templates and combine rules, so
 * that the CLI (`judgekit --plugin ./my-format.mjs …`) and any script can use them by id.
 *
 * A plugin either exports `register(judgekit)`, called with {@link JUDGEKIT_PLUGIN_API} (no
 * import of `@judgekit/*` needed, so the file may live anywhere), or registers on import through
 * the packages' own `register…` functions. A plugin that registers nothing is an error.
 */

import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, parseFailure, parseSuccess } from '@judgekit/core';
import { listCombineRules, registerCombineRule } from '@judgekit/metrics';
import { listParsers, registerJudgeFormat, registerParser } from '@judgekit/parsers';
import {
  formatJudgeOutput,
  listOutputFormats,
  listTemplates,
  registerOutputFormat,
  registerTemplate,
} from '@judgekit/prompts';

/** What `register(judgekit)` of a plugin receives: the public registration doors and result helpers. */
export const JUDGEKIT_PLUGIN_API = Object.freeze({
  registerJudgeFormat,
  registerParser,
  registerOutputFormat,
  registerTemplate,
  registerCombineRule,
  formatJudgeOutput,
  parseSuccess,
  parseFailure,
});

/** The API object handed to a plugin's `register`. */
export type JudgekitPluginApi = typeof JUDGEKIT_PLUGIN_API;

/** What a plugin added. */
export interface LoadedPlugin {
  /** Absolute path of the module. */
  path: string;
  outputFormats: string[];
  templates: string[];
  combineRules: string[];
}

function snapshot() {
  return {
    formats: new Set(listOutputFormats().map((f) => f.id)),
    parsers: new Set(listParsers().map((p) => p.id as string)),
    templates: new Set(listTemplates().map((t) => t.id)),
    rules: new Set(listCombineRules().map((r) => r.name)),
  };
}

/**
 * Import a plugin module and run its `register(judgekit)` export (if any). Returns what it
 * registered. A missing file, a module that throws, or one that registers nothing is a
 * `ConfigError` naming the path.
 */
export async function loadJudgekitPlugin(path: string, cwd: string = process.cwd()): Promise<LoadedPlugin> {
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  try {
    await access(abs);
  } catch {
    throw new ConfigError(`plugin ${path}: no such file (${abs})`);
  }
  const before = snapshot();
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
    if (mod.register !== undefined) {
      if (typeof mod.register !== 'function')
        throw new ConfigError(`plugin ${path}: \`register\` is exported but is not a function`);
      await (mod.register as (api: JudgekitPluginApi) => unknown)(JUDGEKIT_PLUGIN_API);
    }
  } catch (err) {
    if (ConfigError.isInstance(err)) throw err;
    throw new ConfigError(`plugin ${path}: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
  const after = snapshot();
  const added = (a: Set<string>, b: Set<string>) => [...b].filter((x) => !a.has(x)).sort();
  const loaded: LoadedPlugin = {
    path: abs,
    outputFormats: [
      ...new Set([...added(before.formats, after.formats), ...added(before.parsers, after.parsers)]),
    ],
    templates: added(before.templates, after.templates),
    combineRules: added(before.rules, after.rules),
  };
  if (loaded.outputFormats.length + loaded.templates.length + loaded.combineRules.length === 0)
    throw new ConfigError(
      `plugin ${path} registered nothing; export a function register(judgekit) that calls judgekit.registerJudgeFormat / registerTemplate / registerCombineRule`,
    );
  return loaded;
}
