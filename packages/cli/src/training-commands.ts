/**
 * The training commands of `judgekit`: `score-rollouts` (and the other training flows as they
 * land). Argument parsing and wiring only; the work is `@judgekit/pipelines`.
 */
import { parseArgs } from 'node:util';
import { readRollouts, scoreRollouts, writeScoredRollouts } from '@judgekit/pipelines';
import { createJudgeLrmReward, JUDGELRM_REWARD_PRESETS } from '@judgekit/rewards';
import { type CliIo, UsageError } from './run-cli.js';

/** Names of the training commands (the `judgekit <command>` words {@link runTrainingCommand} takes). */
export const TRAINING_COMMANDS: readonly string[] = ['score-rollouts'];

/** One usage line per training command, for `judgekit --help`. */
export const TRAINING_USAGE = `  score-rollouts score judge rollouts (JSONL) → rewards, GRPO advantages, loss, gradients`;

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

function parse(args: string[], options: OptionSpec, positionals = false) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: positionals });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
}

function positiveInt(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

const SCORE_ROLLOUTS_USAGE = `usage: judgekit score-rollouts <rollouts.jsonl> --convention verl|trl [--out DIR]
                              [--preset qwen25] [--max-response-length N] [--num-generations G]

Each line: {"prompt", "completion", "group_id", "ground_truth", optional "log_probs",
"old_log_probs", "ref_log_probs", "entropy" (one number per response token), "response_length"}.
Rewards with the JudgeLRM reward (--preset, default qwen25 = judgelrm.py), group advantages in
verl's (compute_grpo_outcome_advantage, any group order) or TRL's (GRPOTrainer, contiguous groups)
convention, the GRPO loss and its gradient with respect to the log-probs. Writes
<out>/scored.jsonl, <out>/scored.safetensors and <out>/summary.json (default out: scored-rollouts).
`;

async function scoreRolloutsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      convention: { type: 'string' },
      out: { type: 'string' },
      preset: { type: 'string' },
      'max-response-length': { type: 'string' },
      'num-generations': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(SCORE_ROLLOUTS_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      'expected one rollouts file (judgekit score-rollouts <rollouts.jsonl> --convention verl|trl)',
    );
  const convention = values.convention;
  if (convention !== 'verl' && convention !== 'trl')
    throw new UsageError(
      `--convention must be verl or trl (the trainer whose advantages and loss to reproduce), got ${JSON.stringify(convention ?? null)}`,
    );
  const presetName = (values.preset as string | undefined) ?? 'qwen25';
  const base = JUDGELRM_REWARD_PRESETS[presetName];
  if (base === undefined)
    throw new UsageError(
      `--preset must be one of ${Object.keys(JUDGELRM_REWARD_PRESETS).join(', ')}, got ${JSON.stringify(presetName)}`,
    );
  const maxResponseLength = positiveInt(values['max-response-length'], 'max-response-length');
  const numGenerations = positiveInt(values['num-generations'], 'num-generations');
  const rollouts = await readRollouts(positionals[0]!);
  const scored = scoreRollouts(rollouts, {
    convention,
    reward: createJudgeLrmReward({ base }),
    checkResponseHeader: true,
    ...(maxResponseLength === undefined ? {} : { maxResponseLength }),
    ...(numGenerations === undefined ? {} : { trl: { numGenerations } }),
  });
  const files = await writeScoredRollouts(
    (values.out as string | undefined) ?? 'scored-rollouts',
    scored,
    rollouts,
  );
  for (const note of scored.notes) io.stderr.write(`${note.startsWith('WARNING') ? '' : 'note: '}${note}\n`);
  const s = scored.stats;
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));
  io.stdout.write(
    `${scored.rows} rollouts in ${s.groups.length} groups (${convention}): reward mean ${f(s.rewardMean)} ± ${f(s.rewardStd)}, ` +
      `loss ${scored.loss.toPrecision(6)}, clip fraction ${f(s.clipFraction)}, KL ${f(s.kl)}, entropy ${f(s.entropy)}, ` +
      `mean length ${s.responseLength.mean.toFixed(1)}, ${s.zeroVarianceGroups} groups without reward variance\n` +
      `wrote ${files.jsonl}\n      ${files.safetensors}\n      ${files.summary}\n`,
  );
  return 0;
}

/**
 * Run one training command (`args` without the command word). Throws `UsageError` for a bad
 * command line; other errors propagate to `runCli`, which prints them on one line.
 */
export async function runTrainingCommand(command: string, args: string[], io: CliIo): Promise<number> {
  switch (command) {
    case 'score-rollouts':
      return scoreRolloutsCommand(args, io);
    default:
      throw new UsageError(`unknown training command ${JSON.stringify(command)}`);
  }
}
