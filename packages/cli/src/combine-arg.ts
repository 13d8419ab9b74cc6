import { getCombineRule } from '@judgekit/pipelines';
import { UsageError } from './usage-error.js';

/** Check a `--combine NAME` flag: the rule must be registered and the run must have both orders. */
export function combineArg(name: string, swap: boolean): string {
  if (!swap) throw new UsageError(`--combine ${name} needs --swap (the rule combines the two orders)`);
  try {
    getCombineRule(name);
  } catch (err) {
    throw new UsageError(`--combine: ${(err as Error).message.replace(/^Invalid argument `combine`: /, '')}`);
  }
  return name;
}
