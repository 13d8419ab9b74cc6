/**
 * judgekit side of the GRPO bench (one process per round, started by run.ts): times each work item
 * on the calling thread (sync API) and prints one JSON line; with an out dir, writes the outputs.
 */
import { mkdirSync } from 'node:fs';
import { medianSeconds, writeF64 } from '../../../scripts/bench-kit.ts';
import { logProbsAndEntropy, verlActorLossFused } from '../src/index.ts';
import { actorInputs, logitsInputs, SHAPES, TEMPERATURE } from './inputs.ts';

const outDir = process.argv[process.argv.length - 1]!;
const seconds: Record<string, number> = {};
const threads: Record<string, number> = {};
const outputs: Record<string, Float64Array> = {};

for (const [key, [rows, cols]] of [
  ['clip_k3_64x2048', SHAPES.small],
  ['clip_k3_512x2048', SHAPES.large],
] as const) {
  const inputs = actorInputs(rows, cols);
  const n = rows * cols;
  const out = { gradLogProb: new Float64Array(n), gradRefLogProb: new Float64Array(n) };
  let loss = 0;
  seconds[key] = medianSeconds(() => {
    loss = verlActorLossFused(inputs, { klLossCoef: 1e-3, out }).loss;
  });
  threads[key] = 1;
  outputs[`${key}_loss`] = Float64Array.of(loss);
  outputs[`${key}_grad`] = out.gradLogProb;
  outputs[`${key}_gref`] = out.gradRefLogProb;
}

{
  const [rows, vocab] = SHAPES.logits;
  const { logits, labels } = logitsInputs(rows, vocab, false);
  const outLogProbs = new Float64Array(rows);
  const outEntropy = new Float64Array(rows);
  seconds.logp_entropy_4096x32000 = medianSeconds(
    () =>
      logProbsAndEntropy(logits, labels, rows, vocab, { temperature: TEMPERATURE, outLogProbs, outEntropy }),
    3,
  );
  threads.logp_entropy_4096x32000 = 1;
  outputs.logp = outLogProbs;
  outputs.entropy = outEntropy;
}

if (outDir !== '-') {
  mkdirSync(outDir, { recursive: true });
  for (const [k, v] of Object.entries(outputs)) writeF64(`${outDir}/${k}.f64`, v);
}
console.log(JSON.stringify({ seconds, threads, version: 'judgekit (sync, calling thread)' }));
