/**
 * judgekit side of the GRPO bench (one process per round, started by run.ts): times each work item
 * on `threads` threads (the `…Async` functions, inputs on a SharedArrayBuffer as the docs advise)
 * and on the calling thread alone (the sync API, key suffix `@1t`), checks the two bit-identical,
 * and prints one JSON line; with an out dir, writes the outputs.
 */
import { mkdirSync } from 'node:fs';
import { shareArray } from '@judgekit/core';
import { medianSeconds, medianSecondsAsync, writeF64 } from '../../../scripts/bench-kit.ts';
import {
  closeGrpoWorkers,
  logProbsAndEntropy,
  logProbsAndEntropyAsync,
  verlActorLossFused,
  verlActorLossFusedAsync,
} from '../src/index.ts';
import { actorInputs, logitsInputs, SHAPES, TEMPERATURE } from './inputs.ts';

const threadsN = Number(process.argv[process.argv.length - 2]);
const outDir = process.argv[process.argv.length - 1]!;
const seconds: Record<string, number> = {};
const threads: Record<string, number> = {};
const outputs: Record<string, Float64Array> = {};

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length || x.some((v, i) => v !== y[i])) {
    throw new Error(`${what}: ${threadsN}-thread result differs from the 1-thread result`);
  }
}

for (const [key, [rows, cols]] of [
  ['clip_k3_64x2048', SHAPES.small],
  ['clip_k3_512x2048', SHAPES.large],
] as const) {
  const plain = actorInputs(rows, cols);
  const inputs = {
    ...plain,
    oldLogProb: shareArray(plain.oldLogProb),
    logProb: shareArray(plain.logProb),
    refLogProb: shareArray(plain.refLogProb),
    advantages: shareArray(plain.advantages),
    responseMask: shareArray(plain.responseMask),
  };
  const n = rows * cols;
  const out = {
    gradLogProb: shareArray(new Float64Array(n)),
    gradRefLogProb: shareArray(new Float64Array(n)),
  };
  const one = { gradLogProb: new Float64Array(n), gradRefLogProb: new Float64Array(n) };
  let loss = 0;
  let loss1 = 0;
  seconds[key] = await medianSecondsAsync(async () => {
    loss = (await verlActorLossFusedAsync(inputs, { klLossCoef: 1e-3, out, threads: threadsN })).loss;
  });
  threads[key] = threadsN;
  const fast = {
    gradLogProb: shareArray(new Float64Array(n)),
    gradRefLogProb: shareArray(new Float64Array(n)),
  };
  seconds[`${key}@fastExp`] = await medianSecondsAsync(async () => {
    await verlActorLossFusedAsync(inputs, { klLossCoef: 1e-3, out: fast, threads: threadsN, fastExp: true });
  });
  threads[`${key}@fastExp`] = threadsN;
  seconds[`${key}@1t`] = medianSeconds(() => {
    loss1 = verlActorLossFused(inputs, { klLossCoef: 1e-3, out: one }).loss;
  });
  threads[`${key}@1t`] = 1;
  sameBits(Float64Array.of(loss), Float64Array.of(loss1), `${key} loss`);
  sameBits(out.gradLogProb, one.gradLogProb, `${key} grad`);
  sameBits(out.gradRefLogProb, one.gradRefLogProb, `${key} gradRef`);
  outputs[`${key}_loss`] = Float64Array.of(loss);
  outputs[`${key}_grad`] = out.gradLogProb;
  outputs[`${key}_gref`] = out.gradRefLogProb;
}

{
  const [rows, vocab] = SHAPES.logits;
  const { logits, labels } = logitsInputs(rows, vocab, true);
  const outLogProbs = new Float64Array(rows);
  const outEntropy = new Float64Array(rows);
  const key = 'logp_entropy_4096x32000';
  seconds[key] = await medianSecondsAsync(
    () =>
      logProbsAndEntropyAsync(logits, labels, rows, vocab, {
        temperature: TEMPERATURE,
        outLogProbs,
        outEntropy,
        threads: threadsN,
      }),
    3,
  );
  threads[key] = threadsN;
  const one = { outLogProbs: new Float64Array(rows), outEntropy: new Float64Array(rows) };
  seconds[`${key}@1t`] = medianSeconds(
    () => logProbsAndEntropy(logits, labels, rows, vocab, { temperature: TEMPERATURE, ...one }),
    3,
  );
  threads[`${key}@1t`] = 1;
  sameBits(outLogProbs, one.outLogProbs, 'logp');
  sameBits(outEntropy, one.outEntropy, 'entropy');
  outputs.logp = outLogProbs;
  outputs.entropy = outEntropy;
}
await closeGrpoWorkers();

if (outDir !== '-') {
  mkdirSync(outDir, { recursive: true });
  for (const [k, v] of Object.entries(outputs)) writeF64(`${outDir}/${k}.f64`, v);
}
console.log(
  JSON.stringify({
    seconds,
    threads,
    version: `judgekit (${threadsN} threads; @1t: sync on the calling thread)`,
  }),
);
