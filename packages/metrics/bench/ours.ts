/** judgekit side of the metrics bench (one process per round, started by run.ts). */
import { mkdirSync } from 'node:fs';
import { medianSeconds, writeF64 } from '../../../scripts/bench-kit.ts';
import {
  classificationFromCounts,
  confusionCounts,
  evaluateJudge,
  jointCodes,
  pairedBootstrap,
} from '../src/index.ts';
import { judgeInputs, N, RESAMPLES } from './inputs.ts';

const outDir = process.argv[process.argv.length - 1]!;
const { labels, preds, predsB } = judgeInputs(N);
const seconds: Record<string, number> = {};
const threads: Record<string, number> = {};
const joint = jointCodes(labels, preds);
let point = classificationFromCounts(confusionCounts(joint));
seconds.point_joint = medianSeconds(() => {
  point = classificationFromCounts(confusionCounts(joint));
}, 20);
seconds.point_codes = medianSeconds(() => evaluateJudge({ predictions: preds, labels }), 20);
const bootstrap = { resamples: RESAMPLES, seed: 1 };
let report = evaluateJudge({ predictions: preds, labels, bootstrap });
seconds.bootstrap = medianSeconds(() => {
  report = evaluateJudge({ predictions: preds, labels, bootstrap });
});
let paired = pairedBootstrap({ predictionsA: preds, predictionsB: predsB, labels, bootstrap });
seconds.paired_bootstrap = medianSeconds(() => {
  paired = pairedBootstrap({ predictionsA: preds, predictionsB: predsB, labels, bootstrap });
});
// the pre-0.2 index resampling, for reference
seconds['bootstrap@resample'] = medianSeconds(
  () => evaluateJudge({ predictions: preds, labels, bootstrap: { ...bootstrap, method: 'resample' } }),
  3,
);
for (const k of Object.keys(seconds)) threads[k] = 1;
if (outDir !== '-') {
  mkdirSync(outDir, { recursive: true });
  const ci = report.ci!;
  const d = paired.difference;
  writeF64(
    `${outDir}/point.f64`,
    Float64Array.of(point.accuracy, point.macro.f1, report.accuracy, report.macro.f1),
  );
  writeF64(
    `${outDir}/ci.f64`,
    Float64Array.of(ci.accuracy.lower, ci.accuracy.upper, ci.macroF1.lower, ci.macroF1.upper),
  );
  writeF64(`${outDir}/paired_ci.f64`, Float64Array.of(d.accuracy.lower, d.accuracy.upper));
}
console.log(JSON.stringify({ seconds, threads, version: 'judgekit (sync, calling thread)' }));
