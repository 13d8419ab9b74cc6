/**
 * `pnpm bench`: renders per second for each built-in template, beside the upstream Python code path
 * (str.format / f-strings, bench/upstream_prompts.py) measured in the same run on the same sample.
 *
 * What each side builds: the Python builders return only the raw prompt string (a flat str).
 * Table 1 times `render()`, which builds more (chat messages + raw + the result object; V8 leaves
 * the concatenated raw as a rope). Table 2 times `renderRaw()` and then flattens the string (reads
 * one character, which makes V8 copy the rope into a flat string): the same work as Python.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchRow, printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import { formatPrometheusRubric, type RenderOptions, render, renderRaw } from '../src/index.ts';

const samplePath = fileURLToPath(new URL('./sample.json', import.meta.url));
const peerPath = fileURLToPath(new URL('./upstream_prompts.py', import.meta.url));
const sampleText = readFileSync(samplePath, 'utf8');
const d = JSON.parse(sampleText);
const r = d.rubric;
const mt = d.multi_turn;
const rubricDef = {
  criteria: r.criteria,
  score1: r.score1_description,
  score2: r.score2_description,
  score3: r.score3_description,
  score4: r.score4_description,
  score5: r.score5_description,
};
const rubric = formatPrometheusRubric(rubricDef);
const relRubric = formatPrometheusRubric(rubricDef, { relative: true });

const cases: [string, string, unknown, RenderOptions][] = [
  ['judgelm/pair', 'judgelm/pair', d.pair, {}],
  ['judgelm/pair+ref', 'judgelm/pair', d.pair, { reference: true }],
  ['judgelm/pair+swap', 'judgelm/pair', d.pair, { swap: true }],
  ['judgelm/single', 'judgelm/single', d.single, {}],
  ['judgelm/multi', 'judgelm/multi', d.multi, {}],
  ['judgelm/vqa-single', 'judgelm/vqa-single', d.single, {}],
  ['judgelrm/pair-train', 'judgelrm/pair-train', d.pair, {}],
  ['judgelrm/pair', 'judgelrm/pair', d.pair, {}],
  ['judgelrm/single', 'judgelrm/single', d.single, {}],
  ['pandalm/pair', 'pandalm/pair', d.pair, {}],
  ['pandalm/pair+input', 'pandalm/pair', d.pair, { vars: { input: d.input } }],
  ['mtbench/pair-v2', 'mtbench/pair-v2', d.pair, {}],
  ['mtbench/pair-math-v1', 'mtbench/pair-math-v1', d.pair, {}],
  ['mtbench/single-v1', 'mtbench/single-v1', d.single, {}],
  [
    'mtbench/pair-v2-multi-turn',
    'mtbench/pair-v2-multi-turn',
    { id: mt.id, question: mt.questions[1], answer1: mt.answers_a[1], answer2: mt.answers_b[1] },
    { vars: { question_1: mt.questions[0], answer1_1: mt.answers_a[0], answer2_1: mt.answers_b[0] } },
  ],
  ['prometheus/absolute', 'prometheus/absolute', d.single, { vars: { rubric } }],
  ['prometheus/relative', 'prometheus/relative', d.pair, { vars: { rubric: relRubric } }],
];

const BATCH = 200;
const ours: Record<string, number> = {};
const oursRaw: Record<string, number> = {};
let sink = 0;
for (const [key, id, sample, options] of cases) {
  const t = timeIt(
    () => {
      for (let i = 0; i < BATCH; i++) render(id, sample as never, options);
    },
    { minSeconds: 0.3, minReps: 5 },
  );
  ours[key] = BATCH / t.secondsPerCall;
  const tr = timeIt(
    () => {
      for (let i = 0; i < BATCH; i++) sink += renderRaw(id, sample as never, options).charCodeAt(0);
    },
    { minSeconds: 0.3, minReps: 5 },
  );
  oursRaw[key] = BATCH / tr.secondsPerCall;
}
if (sink === 0) console.log('');

const input = JSON.stringify({ ...d, keys: cases.map((c) => c[0]) });
const peer = runPythonPeer<Record<string, number>>(peerPath, ['bench', '0.3'], input);

const rows = (figures: Record<string, number>): BenchRow[] =>
  cases.map(([key]) => ({
    work: key,
    ours: figures[key] as number,
    peer: peer?.[key],
    unit: 'renders/s',
    peerName: 'Python str.format (raw only)',
  }));
printTable(
  'Prompt rendering (1): judgekit render() (messages + raw + result object) vs the upstream Python builder (raw string only)',
  rows(ours),
);
printTable(
  'Prompt rendering (2): judgekit renderRaw() + flatten (raw string only) vs the upstream Python builder (raw string only)',
  rows(oursRaw),
);
