/**
 * The `judgekit` commands: argument parsing and wiring only; the work is `@judgekit/pipelines`
 * (and `@judgekit/rewards` for the reward server).
 */

import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createFileCache,
  createOpenAICompatibleModel,
  createProgressBar,
  evaluateJudgeOnDataset,
  evaluationRunFiles,
  getTemplate,
  loadPairwiseDataset,
  PAIRWISE_DATASET_FORMATS,
  type PairwiseDatasetFormat,
  summarizeResultsFile,
  writeEvaluationReport,
  writeRunInfo,
} from '@judgekit/pipelines';
import { startRewardServerFromArgs } from '@judgekit/rewards';
import { InvalidArgumentError } from '@judgekit/core';
import { openInBrowser } from './open-in-browser.js';

/** A bad command line: reported on one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Where the CLI writes (injectable for tests). */
export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
}

type Values = Record<string, string | boolean | undefined>;

const USAGE = `usage: judgekit <command> [options]

commands:
  eval           judge a pairwise dataset with an OpenAI-compatible model and score it
  report         re-render the report of a results.jsonl file
  serve-reward   serve the JudgeLRM reward over OpenRLHF's HTTP protocol

run 'judgekit <command> --help' for the options of a command.
`;

const EVAL_USAGE = `usage: judgekit eval --data <pandalm dir|file> --format pandalm|judgelm|llmbar --template <id>
                     --base-url <url> --model <name> [--api-key-env VAR] [--out runs/eval]
                     [--swap] [--concurrency 4] [--limit N] [--mode strict|lenient]
                     [--failure-policy count-separately|as-tie|drop] [--max-tokens N]
                     [--resamples 1000] [--seed 0] [--cache DIR]

--cache DIR keeps every model response in DIR (one file per request hash), so a repeated request
(another run, another report) is answered without calling the server.
Writes <out>/results.jsonl (one line per call, as they finish), run.json, report.{md,json,svg}
and the self-contained report.html.
Re-running with the same options resumes; Ctrl-C stops scheduling and keeps what finished.
`;

const REPORT_USAGE = `usage: judgekit report <results.jsonl> [--out dir] [--failure-policy P] [--resamples 1000] [--seed 0] [--open]

Re-scores a results file (settings from run.json beside it) and writes report.{md,json,svg}
and the self-contained report.html to --out (default: the results file's directory).
--open prints the path of report.html and opens it in a browser where a desktop exists.
`;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parse(args: string[], options: OptionSpec, positionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: positionals });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
}

function intArg(values: Values, name: string, min: number, max: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}`);
  return n;
}

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[]): T | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

function required(values: Values, name: string, usage: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '')
    throw new UsageError(`--${name} is required (${usage.split('\n')[0]!.replace('usage: ', '')} …)`);
  return v;
}

const POLICIES = ['count-separately', 'as-tie', 'drop'] as const;

async function evalCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    data: { type: 'string' },
    format: { type: 'string' },
    template: { type: 'string' },
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    out: { type: 'string' },
    swap: { type: 'boolean' },
    concurrency: { type: 'string' },
    limit: { type: 'string' },
    mode: { type: 'string' },
    'failure-policy': { type: 'string' },
    'max-tokens': { type: 'string' },
    resamples: { type: 'string' },
    seed: { type: 'string' },
    cache: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(EVAL_USAGE);
    return 0;
  }
  const data = required(values, 'data', 'judgekit eval');
  const format =
    oneOf(values, 'format', PAIRWISE_DATASET_FORMATS) ?? required(values, 'format', 'judgekit eval');
  const templateId = required(values, 'template', 'judgekit eval');
  const baseURL = required(values, 'base-url', 'judgekit eval');
  const modelName = required(values, 'model', 'judgekit eval');
  const apiKeyEnv = values['api-key-env'] as string | undefined;
  if (apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(apiKeyEnv))
    throw new UsageError('--api-key-env must be an environment variable name');
  try {
    new URL(baseURL);
  } catch {
    throw new UsageError(`--base-url is not a URL: ${JSON.stringify(baseURL)}`);
  }
  const concurrency = intArg(values, 'concurrency', 1, 1024) ?? 4;
  const limit = intArg(values, 'limit', 1, Number.MAX_SAFE_INTEGER);
  const maxTokens = intArg(values, 'max-tokens', 1, 1e7);
  const resamples = intArg(values, 'resamples', 1, 1e7) ?? 1000;
  const seed = intArg(values, 'seed', 0, 2 ** 32 - 1) ?? 0;
  const parseMode = oneOf(values, 'mode', ['strict', 'lenient'] as const) ?? 'strict';
  const failurePolicy = oneOf(values, 'failure-policy', POLICIES) ?? 'count-separately';
  let template: ReturnType<typeof getTemplate>;
  try {
    template = getTemplate(templateId);
  } catch (err) {
    throw new UsageError(`--template: ${(err as Error).message.split('\n')[0]}`);
  }
  const out = (values.out as string | undefined) ?? 'runs/eval';
  const files = evaluationRunFiles(out);

  const usesInput = template.variants?.some((v: { when: string }) => v.when === 'input') === true;
  const dataset = await loadPairwiseDataset(data, format as PairwiseDatasetFormat, {
    pandalmQuestion: usesInput ? 'instruction' : 'joined',
    ...(limit === undefined ? {} : { limit }),
  });
  const model = createOpenAICompatibleModel({
    baseURL,
    model: modelName,
    concurrency,
    ...(apiKeyEnv === undefined ? {} : { apiKeyEnv }),
    ...(values.cache === undefined ? {} : { cache: createFileCache(values.cache as string) }),
  });
  const swap = values.swap === true;
  await writeRunInfo(out, {
    samples: dataset.samples.length,
    swap,
    parseMode,
    failurePolicy,
    template: template.id,
    model: modelName,
    data,
    format,
    labelSource: dataset.labelSource,
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
  const bar = createProgressBar(dataset.samples.length * (swap ? 2 : 1), {
    stream: io.stderr,
    label: 'eval',
  });
  let result: Awaited<ReturnType<typeof evaluateJudgeOnDataset>>;
  try {
    result = await evaluateJudgeOnDataset({
      samples: dataset.samples,
      labels: dataset.labels,
      template,
      model,
      parseMode,
      swap,
      outFile: files.results,
      concurrency,
      signal: controller.signal,
      failurePolicy,
      bootstrap: { resamples, seed },
      ...(maxTokens === undefined ? {} : { generation: { maxTokens } }),
      onProgress: (p) => {
        const notes = [
          p.resumed > 0 ? `${p.resumed} resumed` : '',
          p.failures > 0 ? `${p.failures} parse failures` : '',
          p.errors > 0 ? `${p.errors} call errors` : '',
        ].filter(Boolean);
        bar.update(p.done, notes.join(', '));
      },
    });
  } finally {
    bar.finish();
    process.off('SIGINT', onSigint);
  }
  const written = await writeEvaluationReport(out, result, {
    title: `${modelName} on ${data} (${template.id})`,
    intro: [`Reference labels: ${dataset.labelSource}.`],
  });
  const m = result.metrics;
  io.stdout.write(
    `${result.counts.judged}/${result.counts.samples} judged` +
      (m ? `, accuracy ${m.accuracy.toFixed(4)}, macro F1 ${m.macro.f1.toFixed(4)}` : '') +
      `, ${result.parseFailures.total} parse failures` +
      (result.swap ? `, swap consistency ${result.swap.consistency.toFixed(4)}` : '') +
      `\nresults: ${files.results}\nreport: ${written.markdown}\n`,
  );
  if (!result.complete) {
    io.stderr.write(
      `incomplete: ${result.counts.pending} samples pending; run the same command again to resume\n`,
    );
    return interrupted ? 130 : 1;
  }
  if (result.counts.modelErrors > 0) {
    io.stderr.write(
      `${result.counts.modelErrors} model calls failed (see "error" in results.jsonl); run the same command again to retry them\n`,
    );
    return 1;
  }
  return 0;
}

async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      out: { type: 'string' },
      'failure-policy': { type: 'string' },
      resamples: { type: 'string' },
      seed: { type: 'string' },
      open: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(REPORT_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError('expected one results.jsonl file (judgekit report <results.jsonl>)');
  const file = positionals[0]!;
  const failurePolicy = oneOf(values, 'failure-policy', POLICIES);
  const resamples = intArg(values, 'resamples', 1, 1e7) ?? 1000;
  const seed = intArg(values, 'seed', 0, 2 ** 32 - 1) ?? 0;
  const { result, info, truncatedLine } = await summarizeResultsFile(file, {
    bootstrap: { resamples, seed },
    ...(failurePolicy === undefined ? {} : { failurePolicy }),
  });
  if (truncatedLine !== undefined)
    io.stderr.write(`warning: ${file}:${truncatedLine} is a truncated line and was skipped\n`);
  const out = (values.out as string | undefined) ?? dirname(file);
  const intro = info?.labelSource ? [`Reference labels: ${info.labelSource}.`] : [];
  const written = await writeEvaluationReport(out, result, {
    title: info ? `${info.model} on ${info.data ?? 'data'} (${info.template})` : `Judge evaluation: ${file}`,
    intro,
    resultsFile: file,
  });
  io.stdout.write(`report: ${written.markdown}\nhtml: ${written.html}\n`);
  if (values.open) io.stdout.write(await openInBrowser(written.html));
  return 0;
}

async function serveRewardCommand(args: string[], io: CliIo): Promise<number | 'running'> {
  try {
    const started = await startRewardServerFromArgs(args, io, { commandName: 'judgekit serve-reward' });
    return started === 'help' ? 0 : 'running';
  } catch (err) {
    if (InvalidArgumentError.isInstance(err))
      throw new UsageError(err.message.replace(/^Invalid argument `argv`: /, ''));
    throw err;
  }
}

/**
 * Run the `judgekit` command line. Resolves to the exit code (0 ok, 1 failure, 2 usage error,
 * 130 interrupted), or `'running'` for a server that keeps the process alive. Errors are written
 * as one line (`judgekit: …`) on stderr, never as a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number | 'running'> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'eval':
        return await evalCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'serve-reward':
        return await serveRewardCommand(rest, io);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; run 'judgekit --help'`);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const name =
      err instanceof Error && err.name !== 'Error' && !(err instanceof UsageError) ? `${err.name}: ` : '';
    io.stderr.write(`judgekit: ${name}${message.split('\n')[0]}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
