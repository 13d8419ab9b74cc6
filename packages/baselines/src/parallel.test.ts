import { createRng, sharedFloat64Array } from '@judgekit/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  bradleyTerryLoss,
  bradleyTerryLossAsync,
  closeBaselinesWorkers,
  dpoLossWithGrad,
  dpoLossWithGradAsync,
  MIN_PARALLEL_PAIRS,
} from './index.js';

afterAll(() => closeBaselinesWorkers());

function expectBitIdentical(a: Float64Array, b: Float64Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const i = ua.findIndex((v, k) => v !== ub[k]);
  expect(i, i < 0 ? what : `${what}[${i >> 3}]: ${a[i >> 3]} vs ${b[i >> 3]}`).toBe(-1);
}

const rng = createRng(8);
const N = MIN_PARALLEL_PAIRS * 2 + 12_345; // odd split, a partial last block
const normal = (mean: number, sd: number) => rng.fillNormal(new Float64Array(N), mean, sd);

describe('pair-parallel DPO and Bradley–Terry on worker threads', () => {
  const dpo = {
    chosenLogps: normal(-50, 10),
    rejectedLogps: normal(-50, 10),
    refChosenLogps: normal(-50, 10),
    refRejectedLogps: normal(-50, 10),
  };
  dpo.chosenLogps[17] = Number.NaN; // special values go through unchanged

  it('dpoLossWithGradAsync equals dpoLossWithGrad bit for bit on 2 and 3 threads', async () => {
    const want = dpoLossWithGrad(dpo, { beta: 0.2 });
    for (const threads of [2, 3]) {
      const got = await dpoLossWithGradAsync(dpo, { beta: 0.2, threads });
      expect(Object.is(got.loss, want.loss)).toBe(true);
      for (const k of ['losses', 'chosenRewards', 'rejectedRewards'] as const)
        expectBitIdentical(got[k], want[k], k);
      for (const k of ['chosenLogps', 'rejectedLogps', 'refChosenLogps', 'refRejectedLogps'] as const) {
        expectBitIdentical(got.grads[k], want.grads[k], `grad ${k}`);
      }
    }
  });

  it('DPO fills shared and plain out buffers; other loss types run on the calling thread', async () => {
    const losses = sharedFloat64Array(N);
    const chosenLogps = new Float64Array(N);
    const got = await dpoLossWithGradAsync(dpo, { threads: 2 }, { losses, grads: { chosenLogps } });
    expect(got.losses).toBe(losses);
    expect(got.grads.chosenLogps).toBe(chosenLogps);
    const want = dpoLossWithGrad(dpo);
    expectBitIdentical(losses, want.losses, 'losses');
    expectBitIdentical(chosenLogps, want.grads.chosenLogps, 'grad');
    const ipo = await dpoLossWithGradAsync(dpo, { lossType: 'ipo', threads: 2 });
    expect(Object.is(ipo.loss, dpoLossWithGrad(dpo, { lossType: 'ipo' }).loss)).toBe(true);
  });

  it('bradleyTerryLossAsync equals bradleyTerryLoss bit for bit (margin, centring)', async () => {
    const inputs = { rewardsChosen: normal(0, 1), rewardsRejected: normal(0, 1), margin: normal(0, 0.1) };
    for (const c of [0, 0.01]) {
      const want = bradleyTerryLoss(inputs, { centerRewardsCoefficient: c });
      for (const threads of [2, 3]) {
        const got = await bradleyTerryLossAsync(inputs, { centerRewardsCoefficient: c, threads });
        for (const k of ['loss', 'accuracy', 'meanRewardMargin'] as const)
          expect(Object.is(got[k], want[k]), k).toBe(true);
        expectBitIdentical(got.grads.rewardsChosen, want.grads.rewardsChosen, 'gc');
        expectBitIdentical(got.grads.rewardsRejected, want.grads.rewardsRejected, 'gr');
      }
    }
    await expect(bradleyTerryLossAsync(inputs, { threads: 1.5 })).rejects.toThrow(/threads/);
  });
});
