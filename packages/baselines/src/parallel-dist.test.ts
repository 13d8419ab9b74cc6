/**
 * The built package (dist/, ESM and CJS) finds its worker entry and gives bit-identical results
 * from both module systems. Runs after `pnpm build` (CI builds before testing); without dist/ it
 * is skipped with that reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (f: string) => fileURLToPath(new URL(`../dist/${f}`, import.meta.url));
const built =
  existsSync(dist('index.js')) && existsSync(dist('index.cjs')) && existsSync(dist('pool-worker.cjs'));

const body = (lib: string) => `
const n = 150000;
const f = (s) => Float64Array.from({ length: n }, (_, i) => ((Math.imul(i + s * 1048576, 2654435761) >>> 0) / 4294967296 - 0.5) * 40 - 50);
const inputs = { chosenLogps: f(1), rejectedLogps: f(2), refChosenLogps: f(3), refRejectedLogps: f(4) };
const same = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const a = ${lib}.dpoLossWithGrad(inputs);
const b = await ${lib}.dpoLossWithGradAsync(inputs, { threads: 2 });
const bt = { rewardsChosen: f(5), rewardsRejected: f(6) };
const c = ${lib}.bradleyTerryLoss(bt);
const d = await ${lib}.bradleyTerryLossAsync(bt, { threads: 2 });
console.log(JSON.stringify({ dpo: Object.is(a.loss, b.loss) && same(a.grads.chosenLogps, b.grads.chosenLogps), bt: Object.is(c.loss, d.loss) && same(c.grads.rewardsChosen, d.grads.rewardsChosen) }));
await ${lib}.closeBaselinesWorkers();
`;

describe.skipIf(!built)('built package: worker pool from ESM and CJS (needs pnpm build)', () => {
  it('ESM build', () => {
    const code = `import * as g from ${JSON.stringify(dist('index.js'))};\n${body('g')}`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({ dpo: true, bt: true });
  });
  it('CJS build', () => {
    const code = `const g = require(${JSON.stringify(dist('index.cjs'))});\n(async () => {${body('g')}})().catch((e) => { console.error(e); process.exit(1); });`;
    const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({ dpo: true, bt: true });
  });
});
