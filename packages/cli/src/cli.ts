#!/usr/bin/env node
/**
 * The `judgekit` executable: `judgekit eval | report | serve-reward`. See `runCli`.
 */
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  if (code !== 'running') process.exitCode = code;
});
