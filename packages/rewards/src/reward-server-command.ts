/**
 * The reward server's command line, shared by the `judgekit-reward-server` bin and
 * `judgekit serve-reward`: parse the flags, build the JudgeLRM reward (a preset plus a JSON config
 * file), start the server and print its URL.
 *
 *   [--host 127.0.0.1] [--port 5000] [--max-response-length N] [--token-env JUDGEKIT_REWARD_TOKEN]
 *   [--config reward.json] [--max-body-bytes N] [--request-timeout-ms N] [--quiet]
 *
 * `--config` is a JSON file with JudgeLRM reward options (`formatReward`, `answerReward`,
 * `rewardAblation`, `relation`, `constants`, …) and optionally `"preset"`: one of `qwen25` (default),
 * `qwen3-kk`, `qwen3-kkdpo`, `qwen3-experimental`, `paper-table10`, `paper-table11`.
 */
import { readFileSync } from 'node:fs';
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
  '[--config reward.json] [--max-body-bytes N] [--request-timeout-ms N] [--quiet]';

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
 */
export async function startRewardServerFromArgs(
  argv: readonly string[],
  io: RewardServerCommandIo,
  options: { commandName?: string; handleSignals?: boolean } = {},
): Promise<RewardServer | 'help'> {
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
  const server = await createRewardServer({
    reward,
    host: str('host') ?? '127.0.0.1',
    port,
    ...(tokenEnv === undefined ? {} : { tokenEnv }),
    logger: values.quiet ? silentLogger : createStderrLogger(),
    ...(maxResponseLength === undefined ? {} : { maxResponseLength }),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
  }).catch((err: NodeJS.ErrnoException) => {
    if (InvalidArgumentError.isInstance(err)) throw err;
    throw usage('--port', `cannot listen: ${err.code ?? err.message}`);
  });
  io.stdout.write(`${server.url}\n`);
  if (options.handleSignals ?? true) {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) process.exit(130);
      stopping = true;
      io.stderr.write(`${signal}: finishing in-flight requests\n`);
      void server.close().then(() => process.exit(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  }
  return server;
}
