#!/usr/bin/env node
/**
 * Re-score a published judge run from its raw text: read the recorded judge outputs (here a
 * small constructed run in JudgeBench's output layout with Arena-Hard verdicts,
 * examples/data/judgebench-style-run.jsonl), parse them with the Arena-Hard rule, and score the two
 * games under each combine rule, to see how much the choice of rule moves the number.
 *
 * The same from the command line:
 *   judgekit score examples/data/judgebench-style-run.jsonl --template arena-hard/v0.1 \
 *     --id-field pair_id --output-field judgments.0.judgment.response \
 *     --swapped-field judgments.1.judgment.response --group-field source --combine judgebench
 *
 * Usage: node examples/rescore-published-run.mjs   (after `pnpm build`)
 */
import { fileURLToPath } from 'node:url';
import { judgeBenchCategory } from '@judgekit/datasets';
import { listCombineRules, loadJudgeOutputsFile, scoreJudgeOutputs } from '@judgekit/pipelines';

const file = fileURLToPath(new URL('./data/judgebench-style-run.jsonl', import.meta.url));
const run = await loadJudgeOutputsFile(file, {
  id: 'pair_id',
  output: 'judgments.0.judgment.response',
  swappedOutput: 'judgments.1.judgment.response',
  group: 'source',
});
const groups = run.groups.map((s) => (s === null ? null : (judgeBenchCategory(s) ?? s)));
console.log(`${run.outputs.length} pairs, two games each, from ${file.split('/').slice(-2).join('/')}`);

const scores = {};
for (const rule of listCombineRules()) {
  const { result } = scoreJudgeOutputs({
    outputs: run.outputs,
    swappedOutputs: run.swappedOutputs,
    labels: run.labels,
    ids: run.ids,
    groups,
    outputFormat: 'arena-hard',
    combine: rule.name,
    bootstrap: { resamples: 1000, seed: 0 },
  });
  const c = result.combined;
  scores[rule.name] = c.accuracy;
  const byGroup = Object.entries(c.groups)
    .map(([g, r]) => `${g} ${r.correct}/${r.outOf}`)
    .join(', ');
  console.log(
    `${rule.name.padEnd(11)} accuracy ${c.accuracy.toFixed(4)} (${c.correct}/${c.outOf}) ` +
      `95% [${c.ci.lower.toFixed(4)}, ${c.ci.upper.toFixed(4)}]  by category: ${byGroup}`,
  );
  if (rule.name === 'judgebench')
    console.log(
      `            parse failures: ${result.parseFailures.total} in game 1, ${result.parseFailures.swappedTotal} in game 2 ` +
        `(${Object.entries(result.parseFailures.byReason)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')})`,
    );
}
const spread = Math.max(...Object.values(scores)) - Math.min(...Object.values(scores));
console.log(`the rule alone moves accuracy by ${(100 * spread).toFixed(1)} points on this run`);
// Worked by hand from the file (game 2 read back into the original order): JudgeBench's rule gets
// p01, p02, p03, p06, p07 and p08 right (6/10; p08's failed game 1 counts 0 and game 2 decides);
// FastChat's gets p01, p02, p06, p07 (4/10: p03's decisive game plus a tie is a tie there).
if (Math.abs(scores.judgebench - 0.6) > 1e-12 || Math.abs(scores.fastchat - 0.4) > 1e-12) process.exit(1);
