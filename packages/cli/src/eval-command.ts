/**
 * `judgekit eval`: flags (and `--config FILE`) → a validated run configuration → the pipeline.
 * Every flag problem is reported at once; nothing is written until the configuration (and, on a
 * resume, the run's fingerprint and existing results) has been checked; credentials never reach a
 * file or a message.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '@judgekit/core';
import {
  checkParseFailureRate,
  checkProbabilityOptions,
  checkRunFingerprint,
  createFileCache,
  createOpenAICompatibleModel,
  createProgressBar,
  createRoundRobinModel,
  datasetContentHash,
  evaluateJudgeOnDataset,
  evaluationRunFiles,
  getTemplate,
  type JudgeModel,
  loadPairwiseDataset,
  loadPandaLmReplayJudge,
  PAIRWISE_DATASET_FORMATS,
  type EvaluationResult,
  type PairwiseDataset,
  type PairwiseDatasetFormat,
  type RunFingerprint,
  redactUrl,
  writeEvaluationReport,
  writeRunInfo,
} from '@judgekit/pipelines';
import { combineArg } from './combine-arg.js';
import {
  apiKeyFromEnv,
  flagChecker,
  throwIfProblems,
  withRedactedErrors,
  FAILURE_POLICIES,
  EXTRACTIONS,
} from './flag-checks.js';
import { isJuryEval, juryEvalCommand } from './jury-command.js';
import { type CliIo, UsageError } from './usage-error.js';

export const EVAL_USAGE = `usage: judgekit eval [--data <file|dir> --format pandalm|judgelm|llmbar|judgebench --template <id>
                      --base-url <url> [--base-url <url> …] --model <name>] [options]

With no data source or judge flags: the embedded default — the bundled PandaLM test set (999 pairs, human majority
vote) judged by a replay of GPT-3.5-turbo's recorded verdicts (no server needed); prints accuracy
and macro F1 with 95% bootstrap intervals and writes the report.

options:
  --config FILE              JSON object with the same names as the flags ("base-url" may be a list);
                             flags on the command line win
  --out DIR                  run directory (default runs/eval/<data>-<template>-<model>)
  --api-key-env VAR          environment variable holding the bearer token (no other key is sent,
                             not even OPENAI_API_KEY)
  --swap                     also judge with the answers swapped (swap consistency)
  --combine NAME             with --swap: score both orders together under a named rule
                             (fastchat, judgebench, llmbar, both-agree, or one a --plugin registered);
                             the report says which rule made the numbers
  --concurrency N            calls in flight (default 4)
  --timeout SECONDS          time limit of one HTTP attempt (default 120)
  --retries N                retries of a failed call: 5xx, 429, malformed body, timeout (default 3)
  --limit N                  first N samples only
  --mode strict|lenient      parser mode (default strict)
  --extraction NAME          JudgeLRM reading: reward, pandalm-inference, pandalm-qwen3-inference,
                             judgelm-benchmark
  --failure-policy P         parse failures in the metrics: count-separately (default), as-tie, drop
  --max-tokens N, --temperature T
  --max-parse-failure-rate R warn above R (0–1, default warn above 0.2) and exit 1
  --retry-errors             retry the calls that failed in this session once more at the end
  --resamples N, --seed S    bootstrap of the intervals (default 1000, 0)
  --cache DIR                keep every response in DIR; a repeated request is answered from it
  --top-logprobs K           ask for the top K log-probs per token and add, per judgment, the answer
                             token's verdict distribution / expected score (G-Eval style) and a
                             report section; the sampled verdict stays the verdict (formats with a
                             score or letter answer: mtbench-pair, pandalm, llmbar, prometheus-*, …)
  --version                  print the version

Several --base-url values spread the calls round-robin over several servers of the same model.
A jury (several --model values, or --jury-config FILE, with --jury-rule majority|mean-score|weighted)
judges with every juror and scores each juror and the panel: see 'judgekit eval --jury-rule majority --help'.
Writes <out>/results.jsonl (one line per call, as they finish), run.json and report.{md,json,svg}.
Re-running with the same options resumes (and retries calls that ended in an error); a resume with
settings that change a judgment (model, endpoint, template, parsing, generation, data, limit, swap)
is refused before anything is written. Ctrl-C stops scheduling and keeps what finished.
`;

/** Flags that name a data source or a judge; without any of them `eval` runs the embedded default. */
const EMBEDDED_EXCLUSIVE = [
  'data',
  'format',
  'template',
  'base-url',
  'model',
  'api-key-env',
  'cache',
] as const;

const FLAGS = {
  data: { type: 'string' },
  format: { type: 'string' },
  template: { type: 'string' },
  'base-url': { type: 'string', multiple: true },
  model: { type: 'string' },
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
  'max-parse-failure-rate': { type: 'string' },
  'retry-errors': { type: 'boolean' },
  resamples: { type: 'string' },
  seed: { type: 'string' },
  cache: { type: 'string' },
  combine: { type: 'string' },
  'top-logprobs': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type FlagName = keyof typeof FLAGS;
type Values = Partial<Record<FlagName, string | boolean | string[]>>;

/** Directory of this module (source or build), for the package version and the embedded data. */
function moduleDir(): string | undefined {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return typeof __dirname === 'string' ? __dirname : undefined;
  }
}

/** The `judgekit` package version. */
export function cliVersion(): string {
  const dir = moduleDir();
  try {
    if (dir)
      return (JSON.parse(readFileSync(join(dir, '..', 'package.json'), 'utf8')) as { version: string })
        .version;
  } catch {
    // fall through
  }
  return 'unknown';
}

/** Where the embedded default's PandaLM data lives: the repository's fixtures, found from here or the cwd. */
function embeddedDataDir(): string {
  const dir = moduleDir();
  const candidates = [
    ...(dir ? [resolve(dir, '../../../fixtures/data/pandalm/data')] : []),
    resolve('fixtures/data/pandalm/data'),
  ];
  const found = candidates.find((c) => existsSync(join(c, 'testset-v1.json')));
  if (found === undefined)
    throw new UsageError(
      `the embedded default needs the PandaLM test set of the judgekit repository (fixtures/data/pandalm/data, looked in ${candidates.join(', ')}); run it from a checkout, or pass --data/--format/--template/--base-url/--model`,
    );
  return found;
}

/** Lower-case slug for a path component. */
function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/** Default run directory: dataset, template, model (and limit), so two models never collide. */
export function defaultRunDir(
  data: string,
  format: string,
  templateId: string,
  model: string,
  limit?: number,
): string {
  const base = basename(data.replace(/\/+$/, ''), extname(data));
  return join(
    'runs',
    'eval',
    `${slug(`${format}-${base}`)}-${slug(templateId)}-${slug(model)}${limit === undefined ? '' : `-n${limit}`}`,
  );
}

/** Parse the command line without stopping at the first problem. */
function readFlags(args: string[], problems: string[]): Values {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: FLAGS, strict: false, allowPositionals: true, tokens: true });
  } catch (err) {
    problems.push((err as Error).message.split('\n')[0]!);
    return {};
  }
  const values: Values = {};
  for (const p of parsed.positionals) problems.push(`unexpected argument ${JSON.stringify(p)}`);
  for (const [k, v] of Object.entries(parsed.values)) {
    const spec = (FLAGS as Record<string, { type: string; multiple?: boolean }>)[k];
    if (spec === undefined) {
      problems.push(`unknown flag --${k}`);
      continue;
    }
    const list = Array.isArray(v) ? v : [v];
    if (spec.type === 'string' && list.some((x) => typeof x !== 'string')) {
      problems.push(`--${k} needs a value`);
      continue;
    }
    if (spec.type === 'boolean' && list.some((x) => typeof x !== 'boolean')) {
      problems.push(`--${k} takes no value`);
      continue;
    }
    (values as Record<string, unknown>)[k] = v;
  }
  return values;
}

/** Merge `--config FILE` under the command-line values. */
async function withConfig(values: Values, problems: string[]): Promise<Values> {
  const file = values.config;
  if (typeof file !== 'string') return values;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    problems.push(`--config ${file}: ${(err as Error).message.split('\n')[0]}`);
    return values;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    problems.push(`--config ${file}: must be a JSON object with flag names as keys`);
    return values;
  }
  const merged: Values = {};
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    const spec = (FLAGS as Record<string, { type: string; multiple?: boolean }>)[k];
    if (spec === undefined || k === 'config' || k === 'help' || k === 'version') {
      problems.push(`--config ${file}: unknown key ${JSON.stringify(k)}`);
      continue;
    }
    if (spec.type === 'boolean') {
      if (typeof v !== 'boolean') problems.push(`--config ${file}: "${k}" must be true or false`);
      else (merged as Record<string, unknown>)[k] = v;
    } else if (spec.multiple) {
      const list = Array.isArray(v) ? v : [v];
      if (list.length === 0 || list.some((x) => typeof x !== 'string'))
        problems.push(`--config ${file}: "${k}" must be a string or a list of strings`);
      else (merged as Record<string, unknown>)[k] = list;
    } else if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) {
      (merged as Record<string, unknown>)[k] = String(v);
    } else {
      problems.push(`--config ${file}: "${k}" must be a string or a number`);
    }
  }
  return { ...merged, ...values };
}

/** A `--base-url` checked up front: the URL without credentials, and the credentials as a header. */
export interface Endpoint {
  url: string;
  authorization?: string;
  secrets: string[];
}

export function checkEndpoint(raw: string, problems: string[]): Endpoint | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    u = undefined as unknown as URL;
  }
  if (u === undefined || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.host === '') {
    const shown = redactUrl(raw);
    const hint =
      /^[\w.-]+:\d+/.test(raw) || /^[\w.-]+(\/|$)/.test(raw)
        ? ` (did you mean http://${shown.replace(/\/+$/, '')}${/\/v\d/.test(raw) ? '' : '/v1'}?)`
        : '';
    problems.push(`--base-url must be an http:// or https:// URL, got ${JSON.stringify(shown)}${hint}`);
    return undefined;
  }
  const secrets: string[] = [];
  let authorization: string | undefined;
  if (u.username !== '' || u.password !== '') {
    const user = decodeURIComponent(u.username);
    const pass = decodeURIComponent(u.password);
    authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    for (const s of [u.username, u.password, user, pass, authorization.slice(6)])
      if (s.length >= 3) secrets.push(s);
    u.username = '';
    u.password = '';
  }
  for (const [, v] of u.searchParams) if (v.length >= 3) secrets.push(v, encodeURIComponent(v));
  return authorization === undefined ? { url: u.href, secrets } : { url: u.href, authorization, secrets };
}

/** Replace every secret in a text. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const list = [...new Set(secrets)].filter((s) => s !== '').sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of list) out = out.split(s).join('[redacted]');
    return out;
  };
}

export async function loadData(
  data: string,
  format: PairwiseDatasetFormat,
  usesInput: boolean,
  limit: number | undefined,
): Promise<PairwiseDataset> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(data);
  } catch {
    throw new ConfigError(`--data ${data}: no such file or directory`);
  }
  if (info.isDirectory() && format !== 'pandalm')
    throw new ConfigError(`--data ${data} is a directory; the ${format} format reads one file`);
  let dataset: PairwiseDataset;
  try {
    dataset = await loadPairwiseDataset(data, format, {
      pandalmQuestion: usesInput ? 'instruction' : 'joined',
      ...(limit === undefined ? {} : { limit }),
    });
  } catch (err) {
    const message = (err as Error).message;
    if (message.includes(data) || message.includes(resolve(data))) throw err;
    throw new ConfigError(`--data ${data}: ${message.split('\n')[0]}`);
  }
  if (dataset.samples.length === 0)
    throw new ConfigError(`--data ${data} holds no samples (an empty ${format} data set); nothing to judge`);
  return dataset;
}

/** The one-line summary of a result: coverage, headline metrics with intervals, parse failures. */
export function summaryLine(result: EvaluationResult): string {
  const m = result.metrics;
  const ci = (k: 'accuracy' | 'macroF1', v: number) => {
    const i = m?.ci?.[k];
    return `${v.toFixed(4)}${i ? ` [${i.lower.toFixed(4)}, ${i.upper.toFixed(4)}]` : ''}`;
  };
  const cnt = result.counts;
  const errors = cnt.errors ?? 0;
  return (
    `judged ${cnt.judged}/${cnt.samples}${errors > 0 ? `, ${errors} errors` : ''}` +
    (cnt.pending > 0 ? `, ${cnt.pending} pending` : '') +
    (m ? `, accuracy ${ci('accuracy', m.accuracy)}, macro F1 ${ci('macroF1', m.macro.f1)}` : '') +
    `, ${result.parseFailures.total} parse failures` +
    (result.failurePolicy === 'count-separately'
      ? ''
      : ` (scored with --failure-policy ${result.failurePolicy})`) +
    (result.swap ? `, swap consistency ${result.swap.consistency.toFixed(4)}` : '') +
    (result.combined
      ? `, ${result.combined.rule.name} rule accuracy ${result.combined.accuracy.toFixed(4)} (${result.combined.correct}/${result.combined.outOf})`
      : '') +
    (result.probabilities?.argmax?.accuracy != null
      ? `, argmax-of-log-probs verdict accuracy ${result.probabilities.argmax.accuracy.toFixed(4)} (${result.probabilities.argmax.correct}/${result.probabilities.argmax.labelled})`
      : '')
  );
}

/**
 * `judgekit eval`. Resolves to the exit code: 0 complete, 1 incomplete / errors / parse-failure
 * rate over `--max-parse-failure-rate`, 130 interrupted. Usage problems throw `UsageError`.
 */
export async function evalCommand(args: string[], io: CliIo): Promise<number> {
  if (isJuryEval(args)) return juryEvalCommand(args, io);
  const problems: string[] = [];
  let values = readFlags(args, problems);
  if (values.help === true) {
    io.stdout.write(EVAL_USAGE);
    return 0;
  }
  if (values.version === true) {
    io.stdout.write(`judgekit ${cliVersion()}\n`);
    return 0;
  }
  values = await withConfig(values, problems);
  const c = flagChecker<FlagName>(values, problems);
  // No data source named: the embedded default (other flags such as --out or --resamples apply).
  const embedded = EMBEDDED_EXCLUSIVE.every((k) => values[k] === undefined);
  if (embedded && values.swap === true)
    problems.push('--swap needs a judge: the embedded default replays verdicts recorded in one order');

  let data: string;
  let format: PairwiseDatasetFormat | undefined;
  let templateId: string;
  let modelName: string;
  const endpoints: Endpoint[] = [];
  if (embedded) {
    data = embeddedDataDir();
    format = 'pandalm';
    templateId = 'pandalm/pair';
    modelName = 'GPT-3.5-turbo';
  } else {
    data = c.required('data');
    format = c.oneOf('format', PAIRWISE_DATASET_FORMATS);
    if (c.str('format') === undefined) c.required('format');
    templateId = c.required('template');
    modelName = c.required('model');
    const urls = values['base-url'];
    const list = Array.isArray(urls) ? urls : typeof urls === 'string' ? [urls] : [];
    if (list.length === 0) problems.push('--base-url is required');
    for (const u of list) {
      const e = checkEndpoint(u, problems);
      if (e) endpoints.push(e);
    }
  }
  const apiKey = apiKeyFromEnv(c.str('api-key-env'), problems);
  const concurrency = c.int('concurrency', 1, 1024) ?? 4;
  const timeoutS = c.num('timeout', 0.001, 86_400);
  const retries = c.int('retries', 0, 100);
  const limit = c.int('limit', 1, Number.MAX_SAFE_INTEGER);
  const maxTokens = c.int('max-tokens', 1, 1e7);
  const temperature = c.num('temperature', 0, 2) ?? 0;
  const resamples = c.int('resamples', 1, 1e7) ?? 1000;
  const seed = c.int('seed', 0, 2 ** 32 - 1) ?? 0;
  const maxFailureRate = c.num('max-parse-failure-rate', 0, 1);
  const parseMode = c.oneOf('mode', ['strict', 'lenient'] as const) ?? 'strict';
  const extraction = c.oneOf('extraction', EXTRACTIONS);
  const failurePolicy =
    c.oneOf('failure-policy', FAILURE_POLICIES) ?? (embedded ? 'as-tie' : 'count-separately');
  let combine: string | undefined;
  const combineName = c.str('combine');
  if (combineName !== undefined) {
    try {
      combine = combineArg(combineName, values.swap === true);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  let template: ReturnType<typeof getTemplate> | undefined;
  if (templateId !== '') {
    try {
      template = getTemplate(templateId);
    } catch (err) {
      problems.push(`--template: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  const topLogprobs = c.int('top-logprobs', 1, 100);
  if (topLogprobs !== undefined && embedded)
    problems.push(
      '--top-logprobs needs a judge: the embedded default replays recorded text without log-probs',
    );
  else if (topLogprobs !== undefined && template !== undefined) {
    try {
      checkProbabilityOptions(template.outputFormat, { topLogprobs });
    } catch (err) {
      problems.push(`--top-logprobs: ${(err as Error).message}`);
    }
  }
  const cacheDir = c.str('cache');
  if (cacheDir !== undefined && existsSync(cacheDir) && !statSync(cacheDir).isDirectory())
    problems.push(`--cache ${cacheDir} is not a directory`);
  const secrets = [...endpoints.flatMap((e) => e.secrets), ...(apiKey && apiKey.length >= 3 ? [apiKey] : [])];
  const redact = redactor(secrets);
  throwIfProblems(problems, redact, 'judgekit eval --help');
  return withRedactedErrors(redact, runEval);

  async function runEval(): Promise<number> {
    const tpl = template!;
    const usesInput = tpl.variants?.some((v: { when: string }) => v.when === 'input') === true;
    const dataset = await loadData(data, format!, usesInput, limit);
    const swap = values.swap === true;
    const generation = {
      temperature,
      ...(maxTokens === undefined ? {} : { maxTokens }),
    };
    const parseOptions = extraction === undefined ? {} : { extraction };
    const fingerprint: RunFingerprint = {
      model: modelName,
      endpoints: embedded
        ? ['replay:pandalm/gpt-3.5-turbo-testset-v1.json']
        : endpoints.map((e) => redactUrl(e.url)).sort(),
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
      ...(topLogprobs === undefined ? {} : { probabilities: { topLogprobs } }),
    };
    const out =
      c.str('out') ?? defaultRunDir(embedded ? 'testset-v1' : data, format!, tpl.id, modelName, limit);
    const files = evaluationRunFiles(out);
    // Read-only check of an existing run; nothing is written before the pipeline validated the results too.
    await checkRunFingerprint(files.run, fingerprint, { resultsExist: existsSync(files.results) });

    let model: JudgeModel;
    if (embedded) {
      model = await loadPandaLmReplayJudge(data, 'gpt35');
    } else {
      const cache = cacheDir === undefined ? undefined : createFileCache(cacheDir);
      const backends = endpoints.map((e) =>
        createOpenAICompatibleModel({
          baseURL: e.url,
          model: modelName,
          concurrency,
          // Parsers read the reply exactly as the model wrote it (upstream extractions such as
          // JudgeLRM's pandalm-inference reading need the <think> block), so nothing is split off.
          thinkBlocks: 'keep',
          ...(retries === undefined ? {} : { maxRetries: retries }),
          ...(timeoutS === undefined ? {} : { timeoutMs: Math.max(1, Math.round(timeoutS * 1000)) }),
          // Only the key the user named with --api-key-env is sent: an OPENAI_API_KEY in the
          // environment is not sent to whatever server --base-url names ('' = no key).
          apiKey: apiKey ?? '',
          ...(e.authorization === undefined ? {} : { headers: { authorization: e.authorization } }),
          ...(cache === undefined ? {} : { cache }),
        }),
      );
      model = createRoundRobinModel(backends, { id: modelName });
    }
    if (embedded)
      io.stderr.write(
        `judgekit eval (embedded default): PandaLM test set, ${dataset.samples.length} pairs, judged by a replay of GPT-3.5-turbo's recorded verdicts; ` +
          `unreadable verdicts scored as ties (PandaLM's convention, --failure-policy as-tie)\n`,
      );

    const controller = new AbortController();
    let interrupted = false;
    const onSigint = () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      controller.abort();
      io.stderr.write('\nSIGINT: finishing the calls in flight (Ctrl-C again to quit now)\n');
    };
    process.on('SIGINT', onSigint);
    const bar = createProgressBar(dataset.samples.length * (swap ? 2 : 1), {
      stream: io.stderr,
      label: 'eval',
    });
    let result: Awaited<ReturnType<typeof evaluateJudgeOnDataset>>;
    try {
      result = await evaluateJudgeOnDataset({
        samples: dataset.samples,
        labels: dataset.labels,
        template: tpl,
        model,
        parseMode,
        parseOptions,
        swap,
        outFile: files.results,
        concurrency,
        signal: controller.signal,
        failurePolicy,
        bootstrap: { resamples, seed },
        generation,
        ...(combine === undefined ? {} : { combine }),
        ...(topLogprobs === undefined ? {} : { probabilities: { topLogprobs } }),
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
            model: modelName,
            data: embedded ? 'PandaLM test set (embedded default)' : data,
            format: format!,
            labelSource: dataset.labelSource,
            fingerprint,
            ...(combine === undefined ? {} : { combine }),
          }),
        onProgress: (p) => {
          const notes = [
            p.resumed > 0 ? `${p.resumed} resumed` : '',
            p.failures > 0 ? `${p.failures} parse failures` : '',
            p.errors > 0 ? `${p.errors} errors` : '',
          ].filter(Boolean);
          bar.update(p.done, notes.join(', '));
        },
      });
    } finally {
      bar.finish();
      process.off('SIGINT', onSigint);
    }
    const written = await writeEvaluationReport(out, result, {
      title: `${modelName} on ${embedded ? 'the PandaLM test set' : data} (${tpl.id})`,
      intro: [`Reference labels: ${dataset.labelSource}.`],
    });
    const cnt = result.counts;
    io.stdout.write(
      `${summaryLine(result)}\nresults: ${files.results}\nreport: ${written.markdown}\nhtml: ${written.html}\n`,
    );
    const check = checkParseFailureRate(
      result,
      maxFailureRate === undefined ? {} : { threshold: maxFailureRate },
    );
    if (check.exceeded) io.stderr.write(`${check.message}\n`);
    if (!result.complete && cnt.pending > 0) {
      io.stderr.write(`incomplete: ${cnt.pending} samples pending; run the same command again to resume\n`);
      if (interrupted) return 130;
    }
    if (cnt.modelErrors > 0) {
      const codes = Object.entries(result.errors.byCode)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      io.stderr.write(
        `${cnt.modelErrors} calls ended in an error (${codes}; no usable response, not scored); run the same command again to retry them\n`,
      );
    }
    if (maxFailureRate !== undefined && check.exceeded) {
      io.stderr.write(
        `judgekit: parse-failure rate ${check.rate.toFixed(4)} is over --max-parse-failure-rate ${maxFailureRate}\n`,
      );
      return 1;
    }
    return result.complete ? 0 : 1;
  }
}
