#!/usr/bin/env node
/**
 * `judgekit-reward-server`: serve the JudgeLRM reward over OpenRLHF's remote reward protocol.
 *
 *   judgekit-reward-server [--host 127.0.0.1] [--port 5000] [--max-response-length N]
 *                          [--token-env JUDGEKIT_REWARD_TOKEN] [--config reward.json]
 *                          [--max-body-bytes N] [--request-timeout-ms N] [--quiet]
 *
 * `--config` is a JSON file with JudgeLRM reward options (`formatReward`, `answerReward`,
 * `rewardAblation`, `relation`, `constants`, …) and optionally `"preset"`: one of `qwen25` (default),
 * `qwen3-kk`, `qwen3-kkdpo`, `qwen3-experimental`, `paper-table10`, `paper-table11`.
 * Prints the URL on stdout; SIGINT/SIGTERM shut down gracefully. Bad arguments: one line on
 * stderr, exit code 2.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
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
import { createRewardServer, createStderrLogger, silentLogger } from './reward-server.js';

const PRESETS: Record<string, Readonly<JudgeLrmRewardConfig>> = {
  qwen25: JUDGELRM_QWEN25_CONFIG,
  'qwen3-kk': JUDGELRM_QWEN3_KK_CONFIG,
  'qwen3-kkdpo': JUDGELRM_QWEN3_KKDPO_CONFIG,
  'qwen3-experimental': JUDGELRM_QWEN3_EXPERIMENTAL_CONFIG,
  'paper-table10': JUDGELRM_PAPER_TABLE10_CONFIG,
  'paper-table11': JUDGELRM_PAPER_TABLE11_CONFIG,
};

class UsageError extends Error {}

function intArg(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return n;
}

async function main(argv: string[]): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
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
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  if (values.help) {
    process.stdout.write(
      'usage: judgekit-reward-server [--host 127.0.0.1] [--port 5000] [--max-response-length N] ' +
        '[--token-env JUDGEKIT_REWARD_TOKEN] [--config reward.json] [--max-body-bytes N] ' +
        '[--request-timeout-ms N] [--quiet]\n',
    );
    return;
  }
  const port = intArg('port', values.port as string | undefined, 0, 65535) ?? 5000;
  const maxResponseLength = intArg(
    'max-response-length',
    values['max-response-length'] as string | undefined,
    1,
    1e9,
  );
  const maxBodyBytes = intArg('max-body-bytes', values['max-body-bytes'] as string | undefined, 1, 2 ** 31);
  const requestTimeoutMs = intArg(
    'request-timeout-ms',
    values['request-timeout-ms'] as string | undefined,
    1,
    2 ** 31 - 1,
  );
  const tokenEnv = (values['token-env'] as string | undefined) ?? 'JUDGEKIT_REWARD_TOKEN';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv))
    throw new UsageError(`--token-env must be an environment variable name`);

  let rewardOptions: Record<string, unknown> = {};
  if (values.config !== undefined) {
    const file = values.config as string;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `--config: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    try {
      rewardOptions = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new UsageError(`--config: ${file} is not valid JSON`);
    }
    if (rewardOptions === null || typeof rewardOptions !== 'object' || Array.isArray(rewardOptions)) {
      throw new UsageError(`--config: ${file} must hold a JSON object`);
    }
  }
  const { preset = 'qwen25', ...rest } = rewardOptions;
  const base = PRESETS[String(preset)];
  if (base === undefined)
    throw new UsageError(
      `--config: unknown preset ${JSON.stringify(preset)}; use one of ${Object.keys(PRESETS).join(', ')}`,
    );

  let reward: ReturnType<typeof createJudgeLrmReward>;
  try {
    reward = createJudgeLrmReward({ ...(rest as object), base });
  } catch (err) {
    throw new UsageError(`--config: ${(err as Error).message}`);
  }
  const server = await createRewardServer({
    reward,
    host: (values.host as string | undefined) ?? '127.0.0.1',
    port,
    tokenEnv,
    logger: values.quiet ? silentLogger : createStderrLogger(),
    ...(maxResponseLength === undefined ? {} : { maxResponseLength }),
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
  }).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot listen: ${err.code ?? err.message}`);
  });
  process.stdout.write(`${server.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.exit(130);
    }
    stopping = true;
    process.stderr.write(`${signal}: finishing in-flight requests\n`);
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`judgekit-reward-server: ${message.split('\n')[0]}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
