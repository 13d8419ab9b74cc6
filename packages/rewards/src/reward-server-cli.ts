#!/usr/bin/env node
/**
 * `judgekit-reward-server`: serve the JudgeLRM reward over OpenRLHF's remote reward protocol.
 * The flags are those of {@link startRewardServerFromArgs}. Prints the URL on stdout; SIGINT /
 * SIGTERM shut down gracefully. Bad arguments: one line on stderr, exit code 2.
 */
import { InvalidArgumentError } from '@judgekit/core';
import { startRewardServerFromArgs } from './reward-server-command.js';

startRewardServerFromArgs(process.argv.slice(2), process).catch((err: unknown) => {
  const message = InvalidArgumentError.isInstance(err)
    ? err.message.replace(/^Invalid argument `argv`: /, '')
    : err instanceof Error
      ? err.message
      : String(err);
  process.stderr.write(`judgekit-reward-server: ${message.split('\n')[0]}\n`);
  process.exit(InvalidArgumentError.isInstance(err) ? 2 : 1);
});
