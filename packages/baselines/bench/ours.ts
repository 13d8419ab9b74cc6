/** judgekit side of the baselines bench (one process per round, started by run.ts). */
import { mkdirSync } from 'node:fs';
import { medianSeconds, medianSecondsAsync, writeF64 } from '../../../scripts/bench-kit.ts';
import { shareArray } from '@judgekit/core';
import {
  AdamW,
  bradleyTerryLoss,
  bradleyTerryLossAsync,
  closeBaselinesWorkers,
  dpoLossWithGrad,
  dpoLossWithGradAsync,
} from '../src/index.ts';
import { adamwInputs, btInputs, dpoInputs, PAIRS, PARAMS } from './inputs.ts';

const threadsN = Number(process.argv[process.argv.length - 2]);
const outDir = process.argv[process.argv.length - 1]!;
const seconds: Record<string, number> = {};
const threads: Record<string, number> = {};
const outputs: Record<string, Float64Array> = {};
const buf = (n: number) => shareArray(new Float64Array(n));

function sameBits(a: Float64Array, b: Float64Array, what: string): void {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  if (x.length !== y.length || x.some((v, i) => v !== y[i])) {
    throw new Error(`${what}: ${threadsN}-thread result differs from the 1-thread result`);
  }
}
const shareAll = <T extends Record<string, Float64Array>>(o: T): T =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, shareArray(v)])) as T;

for (const n of PAIRS) {
  const inputs = shareAll(dpoInputs(n));
  const out = {
    losses: buf(n),
    chosenRewards: buf(n),
    rejectedRewards: buf(n),
    grads: { chosenLogps: buf(n), rejectedLogps: buf(n), refChosenLogps: buf(n), refRejectedLogps: buf(n) },
  };
  let loss = 0;
  seconds[`dpo_${n}`] = await medianSecondsAsync(async () => {
    loss = (await dpoLossWithGradAsync(inputs, { lossType: 'sigmoid', beta: 0.1, threads: threadsN }, out))
      .loss;
  });
  threads[`dpo_${n}`] = threadsN;
  let loss1 = 0;
  const one = { losses: new Float64Array(n), grads: { chosenLogps: new Float64Array(n) } };
  seconds[`dpo_${n}@1t`] = medianSeconds(() => {
    loss1 = dpoLossWithGrad(inputs, { lossType: 'sigmoid', beta: 0.1 }, one).loss;
  });
  threads[`dpo_${n}@1t`] = 1;
  sameBits(Float64Array.of(loss), Float64Array.of(loss1), 'dpo loss');
  sameBits(out.losses, one.losses, 'dpo losses');
  sameBits(out.grads.chosenLogps, one.grads.chosenLogps, 'dpo grad');
  Object.assign(outputs, {
    [`dpo_${n}_loss`]: Float64Array.of(loss),
    [`dpo_${n}_losses`]: out.losses,
    [`dpo_${n}_gc`]: out.grads.chosenLogps,
    [`dpo_${n}_gr`]: out.grads.rejectedLogps,
    [`dpo_${n}_grc`]: out.grads.refChosenLogps,
    [`dpo_${n}_grr`]: out.grads.refRejectedLogps,
    [`dpo_${n}_cr`]: out.chosenRewards,
    [`dpo_${n}_rr`]: out.rejectedRewards,
  });

  const bt = shareAll(btInputs(n));
  const btOut = { rewardsChosen: buf(n), rewardsRejected: buf(n) };
  let res = bradleyTerryLoss(bt, {}, btOut);
  seconds[`bt_${n}`] = await medianSecondsAsync(async () => {
    res = await bradleyTerryLossAsync(bt, { threads: threadsN }, btOut);
  });
  threads[`bt_${n}`] = threadsN;
  const btOne = { rewardsChosen: new Float64Array(n), rewardsRejected: new Float64Array(n) };
  let res1 = res;
  seconds[`bt_${n}@1t`] = medianSeconds(() => {
    res1 = bradleyTerryLoss(bt, {}, btOne);
  });
  threads[`bt_${n}@1t`] = 1;
  sameBits(Float64Array.of(res.loss, res.accuracy), Float64Array.of(res1.loss, res1.accuracy), 'bt stats');
  sameBits(btOut.rewardsChosen, btOne.rewardsChosen, 'bt grad');
  Object.assign(outputs, {
    [`bt_${n}_stats`]: Float64Array.of(res.loss, res.accuracy, res.meanRewardMargin),
    [`bt_${n}_gc`]: btOut.rewardsChosen,
    [`bt_${n}_gr`]: btOut.rewardsRejected,
  });
}

{
  const { params, grads } = adamwInputs(PARAMS);
  const opt = new AdamW(params, { lr: 1e-3, weightDecay: 0.01 });
  seconds[`adamw_${PARAMS}`] = medianSeconds(() => opt.step(grads)); // 6 steps in all, as the peers
  threads[`adamw_${PARAMS}`] = 1;
  outputs.adamw_params = params;
}

await closeBaselinesWorkers();

if (outDir !== '-') {
  mkdirSync(outDir, { recursive: true });
  for (const [k, v] of Object.entries(outputs)) writeF64(`${outDir}/${k}.f64`, v);
}
console.log(
  JSON.stringify({
    seconds,
    threads,
    version: `judgekit (${threadsN} threads; @1t: sync on the calling thread; AdamW sync)`,
  }),
);
