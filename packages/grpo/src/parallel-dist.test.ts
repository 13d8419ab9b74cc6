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

// Builds inputs above the parallel threshold, runs the async (2 threads) and sync versions, prints
// whether every output is bit-identical.
const body = (lib: string) => `
const rows = 33, vocab = 5003, n = rows * vocab;
const logits = new Float32Array(n);
for (let i = 0; i < n; i++) logits[i] = ((Math.imul(i, 2654435761) >>> 0) / 4294967296 - 0.5) * 12;
const labels = Array.from({ length: rows }, (_, r) => (r * 7919) % vocab);
const same = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
const want = ${lib}.logProbsAndEntropy(logits, labels, rows, vocab);
const got = await ${lib}.logProbsAndEntropyAsync(logits, labels, rows, vocab, { threads: 2 });
const old = Float64Array.from(logits, (v) => -Math.abs(v) / 4);
const inputs = { oldLogProb: old, logProb: old.map((v, i) => v + (i % 13) / 40 - 0.15), advantages: old.map((_, i) => Math.sin(Math.floor(i / vocab))), responseMask: old.map((_, i) => (i % 9 ? 1 : 0)), refLogProb: old.map((v) => v * 1.01), rows, cols: vocab };
const a = ${lib}.verlActorLossFused(inputs);
const b = await ${lib}.verlActorLossFusedAsync(inputs, { threads: 2 });
console.log(JSON.stringify({ lp: same(want.logProbs, got.logProbs), ent: same(want.entropy, got.entropy), loss: Object.is(a.loss, b.loss), grad: same(a.gradLogProb, b.gradLogProb) }));
await ${lib}.closeGrpoWorkers();
`;

describe.skipIf(!built)('built package: worker pool from ESM and CJS (needs pnpm build)', () => {
  it('ESM build', () => {
    const code = `import * as g from ${JSON.stringify(dist('index.js'))};\n${body('g')}`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({ lp: true, ent: true, loss: true, grad: true });
  });
  it('CJS build', () => {
    const code = `const g = require(${JSON.stringify(dist('index.cjs'))});\n(async () => {${body('g')}})().catch((e) => { console.error(e); process.exit(1); });`;
    const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toEqual({ lp: true, ent: true, loss: true, grad: true });
  });
});
