/**
 * `judgekit score`: re-score recorded judge outputs (any JSONL with an id and the raw judge text
 * per order) with any output format (built in or from a `--plugin`) and any combine rule, so a
 * published run can be checked from its raw text. The work is `loadJudgeOutputsFile` and
 * `scoreJudgeOutputs` of `@judgekit/pipelines`.
 */

import { parseArgs } from 'node:util';
import {
  getCombineRule,
  getTemplate,
  loadJudgeOutputsFile,
  scoreJudgeOutputs,
  writeEvaluationReport,
} from '@judgekit/pipelines';
import { intFlag } from './flag-checks.js';
import { type CliIo, UsageError } from './usage-error.js';

export const SCORE_USAGE = `usage: judgekit score <outputs.jsonl> (--format <output format> | --template <id>)
                      [--combine fastchat|judgebench|llmbar|both-agree|<registered>]
                      [--mode strict|lenient] [--failure-policy count-separately|as-tie|drop]
                      [--id-field id] [--output-field output] [--swapped-field swapped_output]
                      [--label-field label] [--group-field <field>] [--prefill <text>]
                      [--keep-strength] [--out <dir>] [--resamples 1000] [--seed 0]
                      [--plugin ./my-format.mjs]

Re-scores recorded judge outputs: one JSON object per line with the judge's raw text for the
original order (and, for a two-order rule, the swapped order as judged) and a reference label
(answer1/answer2/tie, A>B/B>A/A=B or 1/2). Fields may be dotted paths, e.g. for a published
JudgeBench run: --id-field pair_id --output-field judgments.0.judgment.response
--swapped-field judgments.1.judgment.response --group-field source.
--template takes the output format and the prefill from a template. With --out, writes
report.{md,json,svg} there.
`;

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');

/** Run `judgekit score`; resolves to the exit code. */
export async function scoreCommand(args: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: Record<string, { type: 'string' | 'boolean' }>;
      allowPositionals: true;
      strict: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        template: { type: 'string' },
        combine: { type: 'string' },
        mode: { type: 'string' },
        'failure-policy': { type: 'string' },
        'id-field': { type: 'string' },
        'output-field': { type: 'string' },
        'swapped-field': { type: 'string' },
        'label-field': { type: 'string' },
        'group-field': { type: 'string' },
        prefill: { type: 'string' },
        'keep-strength': { type: 'boolean' },
        out: { type: 'string' },
        resamples: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    io.stdout.write(SCORE_USAGE);
    return 0;
  }
  if (parsed.positionals.length !== 1)
    throw new UsageError('expected one outputs file (judgekit score <outputs.jsonl> --format <id>)');
  const file = parsed.positionals[0]!;
  const str = (k: string) => values[k] as string | undefined;
  if ((str('format') === undefined) === (str('template') === undefined))
    throw new UsageError('give exactly one of --format <output format> or --template <id>');
  let outputFormat = str('format');
  let prefill = str('prefill');
  if (str('template') !== undefined) {
    let t: ReturnType<typeof getTemplate>;
    try {
      t = getTemplate(str('template')!);
    } catch (err) {
      throw new UsageError(`--template: ${(err as Error).message.split('\n')[0]}`);
    }
    outputFormat = t.outputFormat;
    prefill ??= t.assistantPrefill;
  }
  const mode = str('mode') ?? 'strict';
  if (mode !== 'strict' && mode !== 'lenient')
    throw new UsageError(`--mode must be one of strict, lenient, got ${JSON.stringify(mode)}`);
  const policy = str('failure-policy') ?? 'count-separately';
  if (policy !== 'count-separately' && policy !== 'as-tie' && policy !== 'drop')
    throw new UsageError(
      `--failure-policy must be one of count-separately, as-tie, drop, got ${JSON.stringify(policy)}`,
    );
  const combine = str('combine');
  if (combine !== undefined) {
    try {
      getCombineRule(combine);
    } catch (err) {
      throw new UsageError(
        `--combine: ${(err as Error).message.replace(/^Invalid argument `combine`: /, '')}`,
      );
    }
  }
  const resamples = intFlag(str('resamples'), 'resamples', 1, 1e7) ?? 1000;
  const seed = intFlag(str('seed'), 'seed', 0, 2 ** 32 - 1) ?? 0;

  const fields: Parameters<typeof loadJudgeOutputsFile>[1] = {};
  if (str('id-field') !== undefined) fields.id = str('id-field')!;
  if (str('output-field') !== undefined) fields.output = str('output-field')!;
  if (str('swapped-field') !== undefined) fields.swappedOutput = str('swapped-field')!;
  if (str('label-field') !== undefined) fields.label = str('label-field')!;
  if (str('group-field') !== undefined) fields.group = str('group-field')!;
  const data = await loadJudgeOutputsFile(file, fields);
  if (combine !== undefined && data.swappedOutputs === undefined)
    throw new UsageError(
      `--combine ${combine} needs the swapped order: no "${fields.swappedOutput ?? 'swapped_output'}" field in ${file} (set --swapped-field)`,
    );
  const { result } = scoreJudgeOutputs({
    outputs: data.outputs,
    ids: data.ids,
    outputFormat: outputFormat!,
    judge: file,
    parseMode: mode,
    failurePolicy: policy,
    bootstrap: { resamples, seed },
    ...(values['keep-strength'] ? { parseOptions: { keepStrength: true } } : {}),
    ...(prefill === undefined ? {} : { prefill }),
    ...(data.swappedOutputs === undefined ? {} : { swappedOutputs: data.swappedOutputs }),
    ...(data.labels === undefined ? {} : { labels: data.labels }),
    ...(data.groups === undefined ? {} : { groups: data.groups }),
    ...(combine === undefined ? {} : { combine }),
  });
  const lines: string[] = [
    `${result.counts.judged} outputs scored with format ${outputFormat} (${mode}); ` +
      `${result.parseFailures.total} parse failures in the original order` +
      (data.swappedOutputs ? `, ${result.parseFailures.swappedTotal} in the swapped order` : '') +
      (data.nullOutputs > 0 ? ` (${data.nullOutputs} null outputs read as empty text)` : ''),
  ];
  const m = result.metrics;
  if (m)
    lines.push(
      `original order: accuracy ${f4(m.accuracy)} (${m.correct}/${m.n} correct), macro F1 ${f4(m.macro.f1)}`,
    );
  else lines.push('no reference labels: no accuracy');
  const c = result.combined;
  if (c) {
    lines.push(
      `combined (${c.rule.name}, ${c.rule.kind}): accuracy ${f4(c.accuracy)} (${c.correct}/${c.outOf} correct over ${c.n} pairs)` +
        (c.ci ? `, 95% interval [${f4(c.ci.lower)}, ${f4(c.ci.upper)}]` : ''),
    );
    lines.push(`rule: ${c.rule.description}`);
  }
  const groups = c?.groups ?? m?.groups;
  if (groups)
    for (const [g, r] of Object.entries(groups))
      lines.push(`  ${g}: ${f4(r.accuracy)} (${r.correct}/${'outOf' in r ? r.outOf : r.n})`);
  if (values.out !== undefined) {
    const written = await writeEvaluationReport(values.out as string, result, {
      title: `Re-scored ${file} (${outputFormat}${combine ? `, ${combine} rule` : ''})`,
    });
    lines.push(`report: ${written.markdown}`);
  }
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
