/** judgekit side of the baselines bench (one process per round, started by run.ts). */
import { mkdirSync } from 'node:fs';
import { medianSeconds, writeF64 } from '../../../scripts/bench-kit.ts';
import { AdamW, bradleyTerryLoss, dpoLossWithGrad } from '../src/index.ts';
import { adamwInputs, btInputs, dpoInputs, PAIRS, PARAMS } from './inputs.ts';

const outDir = process.argv[process.argv.length - 1]!;
const seconds: Record<string, number> = {};
const threads: Record<string, number> = {};
const outputs: Record<string, Float64Array> = {};
const buf = (n: number) => new Float64Array(n);

for (const n of PAIRS) {
  const inputs = dpoInputs(n);
  const out = {
    losses: buf(n),
    chosenRewards: buf(n),
    rejectedRewards: buf(n),
    grads: { chosenLogps: buf(n), rejectedLogps: buf(n), refChosenLogps: buf(n), refRejectedLogps: buf(n) },
  };
  let loss = 0;
  seconds[`dpo_${n}`] = medianSeconds(() => {
    loss = dpoLossWithGrad(inputs, { lossType: 'sigmoid', beta: 0.1 }, out).loss;
  });
  threads[`dpo_${n}`] = 1;
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

  const bt = btInputs(n);
  const btOut = { rewardsChosen: buf(n), rewardsRejected: buf(n) };
  let res = bradleyTerryLoss(bt, {}, btOut);
  seconds[`bt_${n}`] = medianSeconds(() => {
    res = bradleyTerryLoss(bt, {}, btOut);
  });
  threads[`bt_${n}`] = 1;
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

if (outDir !== '-') {
  mkdirSync(outDir, { recursive: true });
  for (const [k, v] of Object.entries(outputs)) writeF64(`${outDir}/${k}.f64`, v);
}
console.log(JSON.stringify({ seconds, threads, version: 'judgekit (sync, calling thread)' }));
