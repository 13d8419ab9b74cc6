/**
 * `judgekit eval` with a jury: several `--model` values, or `--jury-config FILE`, and `--jury-rule`.
 * A thin shell over `evaluateJuryOnDataset`: flags and the jury file are checked up front (every
 * problem at once, naming the file and field), the run's fingerprint holds the panel and the rule
 * (a resume under another panel is refused before anything is written), credentials never reach a
 * file or a message.
 */

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  checkRunFingerprint,
  createOpenAICompatibleModel,
  createProgressBar,
  createRoundRobinModel,
  type DatasetJuror,
  datasetContentHash,
  evaluateJuryOnDataset,
  evaluationRunFiles,
  getTemplate,
  type JuryFingerprint,
  type JuryRule,
  type PairwiseDatasetFormat,
  PAIRWISE_DATASET_FORMATS,
  type RunFingerprint,
  redactUrl,
  writeJuryEvaluationReport,
  writeRunInfo,
} from '@judgekit/pipelines';
import {
  checkEndpoint,
  defaultRunDir,
  type Endpoint,
  loadData,
  redactor,
  summaryLine,
} from './eval-command.js';
import {
  apiKeyFromEnv,
  flagChecker,
  throwIfProblems,
  withRedactedErrors,
  FAILURE_POLICIES,
  EXTRACTIONS,
} from './flag-checks.js';
import { type CliIo, UsageError } from './usage-error.js';

export const JURY_USAGE = `usage: judgekit eval --data <file|dir> --format pandalm|judgelm|llmbar|judgebench --template <id>
                     (--model <name> --model <name> … --base-url <url> … | --jury-config FILE)
                     [--jury-rule majority|mean-score|weighted] [options]

A jury: every sample is judged by every juror; the panel's verdict is formed by the rule (a juror's
error or unreadable reply is an abstention, never a vote); each juror and the panel are scored, and
the jurors' agreement is Fleiss' kappa.

  --model NAME (repeated)    one juror per model; with one --base-url all are served there, with as
                             many --base-url values as --model values they are paired in order
  --jury-config FILE         JSON: a list of jurors, or { "rule": …, "jurors": [ … ] }; a juror is
                             { "model": "name", "base-url": "http://…/v1" (default: --base-url),
                               "name": "id" (default: the model), "template": "id" (default:
                               --template), "weight": 2 (default 1, for --jury-rule weighted) }
  --jury-rule R              majority (default; a split is a tie), mean-score (mean of the jurors'
                             scores; needs a format with scores), weighted (sum of juror weights)
  --out DIR                  run directory (default runs/eval/<data>-<template>-jury-<jurors>)
  --api-key-env VAR, --swap, --concurrency N (per juror), --timeout SECONDS, --retries N, --limit N,
  --mode strict|lenient, --extraction NAME, --failure-policy P, --max-tokens N, --temperature T,
  --retry-errors, --resamples N, --seed S    as for a single judge

Writes <out>/jurors/<id>/results.jsonl (each juror's calls, resumable), <out>/panel.jsonl (the panel's
verdicts), run.json and report.{md,json,svg,html} (panel and every juror; the kappa in report.json's
"jury"). Re-running resumes each juror where it stopped; a resume with another panel, rule or
setting is refused before anything is written.
`;

const RULES = ['majority', 'mean-score', 'weighted'] as const;

const FLAGS = {
  data: { type: 'string' },
  format: { type: 'string' },
  template: { type: 'string' },
  'base-url': { type: 'string', multiple: true },
  model: { type: 'string', multiple: true },
  'jury-config': { type: 'string' },
  'jury-rule': { type: 'string' },
  'api-key-env': { type: 'string' },
  out: { type: 'string' },
  swap: { type: 'boolean' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  limit: { type: 'string' },
  mode: { type: 'string' },
  extraction: { type: 'string' },
  'failure-policy': { type: 'string' },
  'max-tokens': { type: 'string' },
  temperature: { type: 'string' },
  'retry-errors': { type: 'boolean' },
  resamples: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Whether an `eval` command line asks for a jury (`--jury-config`, `--jury-rule`, or several `--model`). */
export function isJuryEval(args: readonly string[]): boolean {
  let models = 0;
  for (const a of args) {
    if (a === '--') break;
    if (/^--jury-(config|rule)(=|$)/.test(a)) return true;
    if (a === '--model' || a.startsWith('--model=')) models++;
  }
  return models > 1;
}

/** A juror as given on the command line or in the jury file, before its models are made. */
interface JurorSpec {
  id: string;
  model: string;
  endpoints: Endpoint[];
  template: ReturnType<typeof getTemplate>;
  weight: number;
}

function slug(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'juror'
  );
}

/** Read `--jury-config FILE`: jurors (and optionally the rule), every problem named by field. */
async function readJuryConfig(
  file: string,
  problems: string[],
): Promise<{ rule?: string; jurors: Record<string, unknown>[] }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    problems.push(`--jury-config ${file}: ${(err as Error).message.split('\n')[0]}`);
    return { jurors: [] };
  }
  let list: unknown = json;
  let rule: string | undefined;
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const o = json as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (k !== 'rule' && k !== 'jurors')
        problems.push(`--jury-config ${file}: unknown key ${JSON.stringify(k)}`);
    if (o.rule !== undefined) {
      if (typeof o.rule !== 'string') problems.push(`--jury-config ${file}: "rule" must be a string`);
      else rule = o.rule;
    }
    list = o.jurors;
  }
  if (!Array.isArray(list) || list.length === 0) {
    problems.push(`--jury-config ${file}: must be a non-empty list of jurors, or { "jurors": [ … ] }`);
    return { jurors: [] };
  }
  const jurors: Record<string, unknown>[] = [];
  for (const [i, j] of list.entries()) {
    if (j === null || typeof j !== 'object' || Array.isArray(j)) {
      problems.push(`--jury-config ${file}: jurors[${i}] must be an object with a "model"`);
      continue;
    }
    jurors.push(j as Record<string, unknown>);
  }
  return rule === undefined ? { jurors } : { rule, jurors };
}

/**
 * `judgekit eval` with a jury. Resolves to the exit code: 0 complete, 1 incomplete or errors left,
 * 130 interrupted. Usage problems throw `UsageError`.
 */
export async function juryEvalCommand(args: string[], io: CliIo): Promise<number> {
  const problems: string[] = [];
  let values: Record<string, string | boolean | string[] | undefined> = {};
  try {
    const parsed = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false });
    values = parsed.values as typeof values;
  } catch (err) {
    throw new UsageError(
      `${(err as Error).message.split('\n')[0]} (run 'judgekit eval --jury-rule majority --help')`,
    );
  }
  if (values.help === true) {
    io.stdout.write(JURY_USAGE);
    return 0;
  }
  const { str, required, int, num, oneOf } = flagChecker<string>(values, problems);
  const list = (k: string) => (Array.isArray(values[k]) ? (values[k] as string[]) : []);

  const data = required('data');
  const format = oneOf('format', PAIRWISE_DATASET_FORMATS) as PairwiseDatasetFormat | undefined;
  if (str('format') === undefined) required('format');
  const templateId = required('template');
  let template: ReturnType<typeof getTemplate> | undefined;
  const templateNamed = (id: string, where: string) => {
    try {
      return getTemplate(id);
    } catch (err) {
      problems.push(`${where}: ${(err as Error).message.split('\n')[0]}`);
      return undefined;
    }
  };
  if (templateId !== '') template = templateNamed(templateId, '--template');
  const sharedEndpoints = list('base-url')
    .map((u) => checkEndpoint(u, problems))
    .filter((e): e is Endpoint => e !== undefined);

  // Jurors: --model values, then the jury file's.
  const specs: JurorSpec[] = [];
  const models = list('model');
  if (models.length > 0) {
    if (list('base-url').length === 0) problems.push('--base-url is required with --model');
    else if (sharedEndpoints.length > 1 && sharedEndpoints.length !== models.length)
      problems.push(
        `${models.length} --model values and ${sharedEndpoints.length} --base-url values: give one --base-url (shared) or one per --model`,
      );
    for (const [i, m] of models.entries()) {
      const endpoints =
        sharedEndpoints.length === models.length && models.length > 1
          ? [sharedEndpoints[i]!]
          : sharedEndpoints;
      if (template) specs.push({ id: slug(m), model: m, endpoints, template, weight: 1 });
    }
  }
  let fileRule: string | undefined;
  const juryFile = str('jury-config');
  if (juryFile !== undefined) {
    const cfg = await readJuryConfig(juryFile, problems);
    fileRule = cfg.rule;
    for (const [i, j] of cfg.jurors.entries()) {
      const where = `--jury-config ${juryFile}: jurors[${i}]`;
      for (const k of Object.keys(j))
        if (!['model', 'base-url', 'name', 'template', 'weight'].includes(k))
          problems.push(`${where}: unknown key ${JSON.stringify(k)}`);
      if (typeof j.model !== 'string' || j.model === '') {
        problems.push(`${where}.model must be a non-empty string`);
        continue;
      }
      const urls = j['base-url'];
      let endpoints = sharedEndpoints;
      if (urls !== undefined) {
        const raw = Array.isArray(urls) ? urls : [urls];
        if (raw.length === 0 || raw.some((u) => typeof u !== 'string')) {
          problems.push(`${where}."base-url" must be a URL or a list of URLs`);
          continue;
        }
        const sub: string[] = [];
        endpoints = raw
          .map((u) => checkEndpoint(u as string, sub))
          .filter((e): e is Endpoint => e !== undefined);
        for (const p of sub) problems.push(`${where}: ${p.replace(/^--base-url/, '"base-url"')}`);
      } else if (sharedEndpoints.length === 0) {
        problems.push(`${where} has no "base-url" and no --base-url was given`);
        continue;
      }
      if (j.name !== undefined && (typeof j.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(j.name))) {
        problems.push(`${where}.name must be letters, digits, '.', '_' or '-' (it names a directory)`);
        continue;
      }
      if (
        j.weight !== undefined &&
        (typeof j.weight !== 'number' || !Number.isFinite(j.weight) || j.weight < 0)
      ) {
        problems.push(`${where}.weight must be a number >= 0`);
        continue;
      }
      let tpl = template;
      if (j.template !== undefined) {
        if (typeof j.template !== 'string') {
          problems.push(`${where}.template must be a template id`);
          continue;
        }
        tpl = templateNamed(j.template, `${where}.template`);
      }
      if (tpl === undefined) continue;
      specs.push({
        id: (j.name as string | undefined) ?? slug(j.model),
        model: j.model,
        endpoints,
        template: tpl,
        weight: (j.weight as number | undefined) ?? 1,
      });
    }
  }
  if (models.length === 0 && juryFile === undefined)
    problems.push('a jury needs --model values or --jury-config');
  const ids = new Set<string>();
  for (const s of specs) {
    if (ids.has(s.id))
      problems.push(
        `juror id ${JSON.stringify(s.id)} is used twice; give the jurors distinct "name"s in --jury-config`,
      );
    ids.add(s.id);
  }
  const ruleFlag = str('jury-rule');
  if (ruleFlag !== undefined && fileRule !== undefined && ruleFlag !== fileRule)
    problems.push(`--jury-rule ${ruleFlag} and the jury file's rule ${fileRule} differ; give one`);
  const rule: JuryRule = oneOf('jury-rule', RULES, ruleFlag ?? fileRule) ?? 'majority';
  const apiKey = apiKeyFromEnv(str('api-key-env'), problems);
  const concurrency = int('concurrency', 1, 1024) ?? 4;
  const timeoutS = num('timeout', 0.001, 86_400);
  const retries = int('retries', 0, 100);
  const limit = int('limit', 1, Number.MAX_SAFE_INTEGER);
  const maxTokens = int('max-tokens', 1, 1e7);
  const temperature = num('temperature', 0, 2) ?? 0;
  const resamples = int('resamples', 1, 1e7) ?? 1000;
  const seed = int('seed', 0, 2 ** 32 - 1) ?? 0;
  const parseMode = oneOf('mode', ['strict', 'lenient'] as const) ?? 'strict';
  const extraction = oneOf('extraction', EXTRACTIONS);
  const failurePolicy = oneOf('failure-policy', FAILURE_POLICIES) ?? 'count-separately';
  const secrets = [
    ...sharedEndpoints.flatMap((e) => e.secrets),
    ...specs.flatMap((s) => s.endpoints.flatMap((e) => e.secrets)),
    ...(apiKey && apiKey.length >= 3 ? [apiKey] : []),
  ];
  const redact = redactor(secrets);
  throwIfProblems(problems, redact, 'judgekit eval --jury-rule majority --help');
  return withRedactedErrors(redact, run);

  async function run(): Promise<number> {
    const tpl = template!;
    const usesInput = tpl.variants?.some((v: { when: string }) => v.when === 'input') === true;
    const dataset = await loadData(data, format!, usesInput, limit);
    const swap = values.swap === true;
    const generation = { temperature, ...(maxTokens === undefined ? {} : { maxTokens }) };
    const parseOptions = extraction === undefined ? {} : { extraction };
    const jury: JuryFingerprint = {
      rule,
      jurors: specs.map((s) => ({
        id: s.id,
        model: s.model,
        endpoints: s.endpoints.map((e) => redactUrl(e.url)).sort(),
        template: s.template.id,
        templateVersion: s.template.version,
        weight: s.weight,
      })),
    };
    const fingerprint: RunFingerprint = {
      model: `jury(${rule})`,
      endpoints: [...new Set(jury.jurors.flatMap((j) => j.endpoints))].sort(),
      template: tpl.id,
      templateVersion: tpl.version,
      outputFormat: tpl.outputFormat,
      parseMode,
      parseOptions,
      generation,
      dataHash: datasetContentHash(dataset.samples, dataset.labels),
      limit: limit ?? null,
      swap,
      order: 'dataset',
      jury,
    };
    const out =
      str('out') ?? defaultRunDir(data, format!, tpl.id, `jury-${specs.map((s) => s.id).join('-')}`, limit);
    const files = evaluationRunFiles(out);
    await checkRunFingerprint(files.run, fingerprint, {
      resultsExist: existsSync(join(out, 'jurors')) || existsSync(files.results),
    });

    const jurors: DatasetJuror[] = specs.map((s) => {
      const backends = s.endpoints.map((e) =>
        createOpenAICompatibleModel({
          baseURL: e.url,
          model: s.model,
          concurrency,
          thinkBlocks: 'keep',
          ...(retries === undefined ? {} : { maxRetries: retries }),
          ...(timeoutS === undefined ? {} : { timeoutMs: Math.max(1, Math.round(timeoutS * 1000)) }),
          apiKey: apiKey ?? '',
          ...(e.authorization === undefined ? {} : { headers: { authorization: e.authorization } }),
        }),
      );
      const model = backends.length === 1 ? backends[0]! : createRoundRobinModel(backends, { id: s.model });
      return { id: s.id, model, template: s.template, weight: s.weight };
    });

    const controller = new AbortController();
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      controller.abort();
      io.stderr.write('\nSIGINT: finishing the calls in flight (Ctrl-C again to quit now)\n');
    };
    process.on('SIGINT', onSigint);
    const perJuror = dataset.samples.length * (swap ? 2 : 1);
    const bar = createProgressBar(perJuror * jurors.length, {
      stream: io.stderr,
      label: `jury of ${jurors.length}`,
    });
    const doneBy = new Map<string, number>();
    let result: Awaited<ReturnType<typeof evaluateJuryOnDataset>>;
    try {
      result = await evaluateJuryOnDataset({
        samples: dataset.samples,
        labels: dataset.labels,
        template: tpl,
        jurors,
        rule,
        outDir: out,
        parseMode,
        parseOptions,
        swap,
        concurrency,
        signal: controller.signal,
        failurePolicy,
        bootstrap: { resamples, seed },
        generation,
        ...(dataset.groups === undefined ? {} : { groups: dataset.groups }),
        retryErrors: values['retry-errors'] === true,
        redact,
        onValidated: () =>
          writeRunInfo(out, {
            samples: dataset.samples.length,
            swap,
            parseMode,
            failurePolicy,
            template: tpl.id,
            model: fingerprint.model,
            data,
            format: format!,
            labelSource: dataset.labelSource,
            fingerprint,
          }),
        onProgress: (p) => {
          doneBy.set(p.juror, p.done);
          let sum = 0;
          for (const v of doneBy.values()) sum += v;
          bar.update(sum);
        },
      });
    } finally {
      bar.finish();
      process.off('SIGINT', onSigint);
    }
    const written = await writeJuryEvaluationReport(out, result, {
      title: `Jury of ${jurors.length} on ${data} (${tpl.id}, ${rule})`,
      intro: [`Reference labels: ${dataset.labelSource}.`],
      config: { ...fingerprint, jury: JSON.stringify(jury) },
    });
    const a = result.agreement;
    const lines = [
      `panel (${rule}): ${summaryLine(result.panel)}`,
      ...result.jurors.map((j) => `juror ${j.id}: ${summaryLine(j.result)}`),
      `Fleiss' kappa ${Number.isNaN(a.fleissKappa) ? 'undefined' : a.fleissKappa.toFixed(4)} over ${a.items} judgments where every juror gave a verdict (${a.skipped} left out)`,
      `results: ${join(out, 'jurors')}`,
      `report: ${written.markdown}`,
      `html: ${written.html}`,
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    const errors = result.jurors.reduce((s, j) => s + j.result.counts.modelErrors, 0);
    if (errors > 0)
      io.stderr.write(
        `${errors} juror calls ended in an error (abstentions, not votes); run the same command again to retry them\n`,
      );
    const pending = result.jurors.reduce((s, j) => s + j.result.counts.pending, 0);
    if (pending > 0) {
      io.stderr.write(
        `incomplete: ${pending} juror judgments pending; run the same command again to resume\n`,
      );
      if (interrupted) return 130;
    }
    return result.complete ? 0 : 1;
  }
}
