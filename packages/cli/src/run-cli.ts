/**
 * The `judgekit` commands: argument parsing and wiring only; the work is `@judgekit/pipelines`
 * (and `@judgekit/rewards` for the reward server).
 */

import { dirname } from 'node:path';
import { loadJudgekitPlugin, summarizeResultsFile, writeEvaluationReport } from '@judgekit/pipelines';
import { startRewardServerFromArgs } from '@judgekit/rewards';
import { InvalidArgumentError } from '@judgekit/core';
import { combineArg } from './combine-arg.js';
import { intFlag, parseFlags as parse, FAILURE_POLICIES } from './flag-checks.js';
import { openInBrowser } from './open-in-browser.js';
import { cliVersion, evalCommand, summaryLine } from './eval-command.js';
import { extractPluginArgs } from './plugin-args.js';
import { scoreCommand } from './score-command.js';
import { type CliIo, UsageError } from './usage-error.js';
import { runTrainingCommand, TRAINING_COMMANDS, TRAINING_USAGE } from './training-commands.js';

export { type CliIo, UsageError } from './usage-error.js';

type Values = Record<string, string | boolean | undefined>;

const USAGE = `usage: judgekit <command> [options]

commands:
  eval           judge a pairwise dataset with an OpenAI-compatible model and score it
                 (no arguments: the embedded PandaLM default, no server needed)
  report         re-render the report of a results.jsonl file
  score          re-score recorded judge outputs with any format and combine rule
  serve-reward   serve the JudgeLRM reward over OpenRLHF's HTTP protocol
${TRAINING_USAGE}

run 'judgekit <command> --help' for the options of a command.
Every command takes --plugin ./my-format.mjs (repeatable): a module whose register(judgekit)
registers judge formats, templates and combine rules used by id in the same command.
`;

const REPORT_USAGE = `usage: judgekit report <results.jsonl> [--out dir] [--failure-policy P] [--resamples 1000] [--seed 0]
                       [--combine NAME] [--open]

Re-scores a results file (settings from run.json beside it) and writes report.{md,json,svg}
and the self-contained report.html to --out (default: the results file's directory).
--open prints the path of report.html and opens it in a browser where a desktop exists.
`;

function oneOf<T extends string>(values: Values, name: string, allowed: readonly T[]): T | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T))
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

async function reportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      out: { type: 'string' },
      'failure-policy': { type: 'string' },
      resamples: { type: 'string' },
      seed: { type: 'string' },
      combine: { type: 'string' },
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
  const failurePolicy = oneOf(values, 'failure-policy', FAILURE_POLICIES);
  const resamples = intFlag(values.resamples, 'resamples', 1, 1e7) ?? 1000;
  const seed = intFlag(values.seed, 'seed', 0, 2 ** 32 - 1) ?? 0;
  const { result, info, truncatedLine } = await summarizeResultsFile(file, {
    bootstrap: { resamples, seed },
    ...(failurePolicy === undefined ? {} : { failurePolicy }),
    ...(values.combine === undefined ? {} : { combine: combineArg(values.combine as string, true) }),
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
  io.stdout.write(`${summaryLine(result)}\nreport: ${written.markdown}\nhtml: ${written.html}\n`);
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
  const [command, ...withPlugins] = argv;
  try {
    const { args: rest, plugins } = extractPluginArgs(withPlugins);
    for (const plugin of plugins) {
      if (plugin === '') throw new UsageError('--plugin needs a module path (--plugin ./my-format.mjs)');
      await loadJudgekitPlugin(plugin);
    }
    if (command !== undefined && TRAINING_COMMANDS.includes(command))
      return await runTrainingCommand(command, rest, io);
    switch (command) {
      case 'eval':
        return await evalCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'score':
        return await scoreCommand(rest, io);
      case 'serve-reward':
        return await serveRewardCommand(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`judgekit ${cliVersion()}\n`);
        return 0;
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
