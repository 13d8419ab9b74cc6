/**
 * The reward server's command line, shared by the `judgekit-reward-server` bin and
 * `judgekit serve-reward`: parse the flags, build the JudgeLRM reward (a preset plus a JSON config
 * file), start the server and print its URL.
 *
 *   [--host 127.0.0.1] [--port 5000] [--max-response-length N] [--token-env JUDGEKIT_REWARD_TOKEN]
 *   [--config reward.json] [--max-body-bytes N] [--request-timeout-ms N] [--workers N] [--extra-logs]
 *   [--quiet]
 *
 * `--workers N` (default: the available cores, `os.availableParallelism()`) runs N processes on
 * the same port (node:cluster; see `startRewardServerCluster`); `--workers 1` is one process.
 * `--extra-logs` adds OpenRLHF's per-sample `extra_logs` to every response (otherwise a request
 * asks for them with `?extra_logs=1`).
 *
 * `--config` is a JSON file with JudgeLRM reward options (`formatReward`, `answerReward`,
 * `rewardAblation`, `relation`, `constants`, …) and optionally `"preset"`: one of `qwen25` (default),
 * `qwen3-kk`, `qwen3-kkdpo`, `qwen3-experimental`, `paper-table10`, `paper-table11`.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { InvalidArgumentError } from '@judgekit/core';
import {
  JUDGELRM_PAPER_TABLE10_CONFIG,
  JUDGELRM_PAPER_TABLE11_CONFIG,
  JUDGELRM_QWEN25_CONFIG,
  JUDGELRM_QWEN3_EXPERIMENTAL_CONFIG,
  JUDGELRM_QWEN3_KK_CONFIG,
  JUDGELRM_QWEN3_KKDPO_CONFIG,
  type JudgeLrmRewardConfig,
} from './judgelrm-reward.js';
import { createJudgeLrmReward } from './reward-function.js';
import { createRewardServer, createStderrLogger, type RewardServer, silentLogger } from './reward-server.js';
import {
  isRewardServerWorker,
  onWorkerShutdownRequest,
  type RewardServerCluster,
  reportWorkerStartupError,
  startRewardServerCluster,
} from './reward-server-cluster.js';
import cluster from 'node:cluster';

/** The reward presets `--config` may name with `"preset"`. */
export const JUDGELRM_REWARD_PRESETS: Readonly<Record<string, Readonly<JudgeLrmRewardConfig>>> = {
  qwen25: JUDGELRM_QWEN25_CONFIG,
  'qwen3-kk': JUDGELRM_QWEN3_KK_CONFIG,
  'qwen3-kkdpo': JUDGELRM_QWEN3_KKDPO_CONFIG,
  'qwen3-experimental': JUDGELRM_QWEN3_EXPERIMENTAL_CONFIG,
  'paper-table10': JUDGELRM_PAPER_TABLE10_CONFIG,
  'paper-table11': JUDGELRM_PAPER_TABLE11_CONFIG,
};

/** The flags, as one usage line (after the command name). */
export const REWARD_SERVER_FLAGS =
  '[--host 127.0.0.1] [--port 5000] [--max-response-length N] [--token-env JUDGEKIT_REWARD_TOKEN] ' +
  '[--config reward.json] [--max-body-bytes N] [--request-timeout-ms N] [--workers N] [--extra-logs] [--quiet]';

/** Where the command writes: the URL goes to `stdout`, shutdown notes to `stderr`. */
export interface RewardServerCommandIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function usage(flag: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError(flag, message);
}

function intArg(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw usage(`--${name}`, `must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return n;
}

function readRewardConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw usage('--config', `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw usage('--config', `${file} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw usage('--config', `${file} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * Parse the reward server's flags, start it and print its URL on `io.stdout`. Returns `'help'`
 * after printing the usage for `--help`. Bad flags or config throw `InvalidArgumentError` (the
 * callers print one line and exit 2); a port that cannot be bound throws `InvalidArgumentError` too.
 * With `handleSignals` (default true) SIGINT / SIGTERM close the server gracefully (in-flight
 * requests finish) and exit the process; a second signal exits at once with 130.
 *
 * With `--workers N` above 1 (the default on a multi-core machine) this process becomes the primary
 * of N worker processes that re-run its command line (`process.argv`), so call it from a program's
 * entry point; it resolves to a {@link RewardServerCluster} once every worker listens. In a worker
 * it serves (without printing the URL) and never resolves when the port cannot be bound (it reports
 * the reason to the primary and exits 2).
 */
export async function startRewardServerFromArgs(
  argv: readonly string[],
  io: RewardServerCommandIo,
  options: { commandName?: string; handleSignals?: boolean } = {},
): Promise<RewardServer | RewardServerCluster | 'help'> {
  if (!isRewardServerWorker()) return startFromArgs(argv, io, options);
  try {
    return await startFromArgs(argv, io, options);
  } catch (err) {
    // A worker leaves the report to the primary (one line from one process) and exits.
    await reportWorkerStartupError(err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
}

async function startFromArgs(
  argv: readonly string[],
  io: RewardServerCommandIo,
  options: { commandName?: string; handleSignals?: boolean },
): Promise<RewardServer | RewardServerCluster | 'help'> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'max-response-length': { type: 'string' },
        'token-env': { type: 'string' },
        config: { type: 'string' },
        'max-body-bytes': { type: 'string' },
        'request-timeout-ms': { type: 'string' },
        workers: { type: 'string' },
        'extra-logs': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw usage('argv', (err as Error).message.split('\n')[0]!);
  }
  if (values.help) {
    io.stdout.write(`usage: ${options.commandName ?? 'judgekit-reward-server'} ${REWARD_SERVER_FLAGS}\n`);
    return 'help';
  }
  const str = (name: string) => values[name] as string | undefined;
  const port = intArg('port', str('port'), 0, 65535) ?? 5000;
  const maxResponseLength = intArg('max-response-length', str('max-response-length'), 1, 1e9);
  const maxBodyBytes = intArg('max-body-bytes', str('max-body-bytes'), 1, 2 ** 31);
  const requestTimeoutMs = intArg('request-timeout-ms', str('request-timeout-ms'), 1, 2 ** 31 - 1);
  const workers = intArg('workers', str('workers'), 1, 1024) ?? availableParallelism();
  const tokenEnv = str('token-env');
  if (tokenEnv !== undefined) {
    // Named explicitly, the variable must hold the token: otherwise the server would run without
    // authentication (the usual mistake is passing the token itself).
    const hint =
      'pass the NAME of an environment variable that holds the token (e.g. JUDGEKIT_REWARD_TOKEN=… and --token-env JUDGEKIT_REWARD_TOKEN), not the token itself';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv))
      throw usage('--token-env', `is not an environment variable name; ${hint}`);
    if (!process.env[tokenEnv])
      throw usage('--token-env', `the environment variable ${tokenEnv} is unset or empty; ${hint}`);
  }

  const configFile = str('config');
  const { preset = 'qwen25', ...rest } = configFile === undefined ? {} : readRewardConfig(configFile);
  const base = JUDGELRM_REWARD_PRESETS[String(preset)];
  if (base === undefined)
    throw usage(
      '--config',
      `unknown preset ${JSON.stringify(preset)}; use one of ${Object.keys(JUDGELRM_REWARD_PRESETS).join(', ')}`,
    );
  let reward: ReturnType<typeof createJudgeLrmReward>;
  try {
    reward = createJudgeLrmReward({ ...(rest as object), base });
  } catch (err) {
    throw usage('--config', (err as Error).message.split('\n')[0]!);
  }
  const host = str('host') ?? '127.0.0.1';
  const handleSignals = options.handleSignals ?? true;
  const worker = isRewardServerWorker();
  if (!worker && workers > 1) {
    // The primary: fork the workers (each re-runs this command line and lands in the branch below).
    const primaryLogger = values.quiet ? errorsOnly(createStderrLogger()) : createStderrLogger();
    const group = await startRewardServerCluster({
      workers,
      host,
      logger: primaryLogger,
      shutdownTimeoutMs: (requestTimeoutMs ?? 120_000) + 5_000,
    });
    io.stdout.write(`${group.url}\n`);
    if (handleSignals) installSignalHandlers(io, () => group.close());
    return group;
  }
  const workerId = worker ? cluster.worker!.id : 0;
  const baseLogger = worker
    ? createStderrLogger({ worker: workerId, pid: process.pid })
    : createStderrLogger();
  const server = await createRewardServer({
    reward,
    host,
    port,
    ...(tokenEnv === undefined ? {} : { tokenEnv }),
    logger: values.quiet ? silentLogger : baseLogger,
    ...(maxResponseLength === undefined ? {} : { maxResponseLength }),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    ...(values['extra-logs'] ? { extraLogs: true } : {}),
    workerId,
  }).catch((err: NodeJS.ErrnoException) => {
    if (InvalidArgumentError.isInstance(err)) throw err;
    throw usage('--port', `cannot listen: ${err.code ?? err.message}`);
  });
  if (worker) {
    // The primary asks for the shutdown; a signal sent to the whole process group (Ctrl-C) also
    // reaches the workers, which then finish their in-flight requests too.
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void server.close().then(() => process.exit(0));
    };
    onWorkerShutdownRequest(stop);
    if (handleSignals) {
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    }
    return server;
  }
  io.stdout.write(`${server.url}\n`);
  if (handleSignals) installSignalHandlers(io, () => server.close());
  return server;
}

/** A logger that keeps only errors (the primary's crash reports under `--quiet`). */
function errorsOnly(logger: ReturnType<typeof createStderrLogger>): ReturnType<typeof createStderrLogger> {
  return { info() {}, warn() {}, error: (m, f) => logger.error(m, f) };
}

/** SIGINT / SIGTERM: close gracefully and exit 0; a second signal exits at once with 130. */
function installSignalHandlers(io: RewardServerCommandIo, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    io.stderr.write(`${signal}: finishing in-flight requests\n`);
    void close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
