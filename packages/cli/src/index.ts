/**
 * judgekit — the command line (`judgekit eval`, `judgekit report`, `judgekit serve-reward`),
 * also callable in-process with `runCli(argv, io)`.
 *
 * @packageDocumentation
 */
export { type CliIo, runCli, UsageError } from './run-cli.js';
