import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, DataFormatError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { finiteDiff } from '../test/golden.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  loadCheckpoint,
  pairwiseAccuracy,
  RewardHead,
  saveCheckpoint,
  trainRewardHead,
} from './index.js';

function separablePairs(n: number, d: number, seed: number) {
  const w = createRng('hidden direction').fillNormal(new Float64Array(d));
  const rng = createRng(seed);
  const chosen = new Float64Array(n * d);
  const rejected = new Float64Array(n * d);
  const a = new Float64Array(d);
  const b = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    rng.fillNormal(a);
    rng.fillNormal(b);
    let sa = 0;
    let sb = 0;
    for (let k = 0; k < d; k++) {
      sa += w[k]! * a[k]!;
      sb += w[k]! * b[k]!;
    }
    const [c, r] = sa >= sb ? [a, b] : [b, a];
    chosen.set(c, i * d);
    rejected.set(r, i * d);
  }
  return { chosen, rejected };
}

describe('RewardHead forward/backward', () => {
  for (const hiddenDim of [0, 5]) {
    it(`gradient matches finite differences (hidden ${hiddenDim})`, () => {
      const head = RewardHead.create({ inputDim: 4, hiddenDim }, 1);
      const x = createRng(2).fillNormal(new Float64Array(3 * 4));
      const gOut = Float64Array.from([0.5, -1, 2]);
      const loss = () => {
        const r = head.forward(x, 3);
        return r[0]! * gOut[0]! + r[1]! * gOut[1]! + r[2]! * gOut[2]!;
      };
      head.zeroGrad();
      head.forward(x, 3);
      head.backward(x, 3, gOut);
      const fd = finiteDiff(() => loss(), head.params);
      for (let i = 0; i < fd.length; i++) expect(Math.abs(fd[i]! - head.grads[i]!)).toBeLessThan(1e-7);
    });
  }
  it('initialises like nn.Linear: U(−1/√fan_in, 1/√fan_in)', () => {
    const head = RewardHead.create({ inputDim: 16, hiddenDim: 4 }, 9);
    const t = head.tensors();
    expect(t['0.weight']!.data.every((v) => Math.abs(v) <= 0.25)).toBe(true);
    expect(t['3.weight']!.data.every((v) => Math.abs(v) <= 0.5)).toBe(true);
    expect(Array.from(head.decayMask()).filter((m) => m === 0).length).toBe(5);
  });
});

describe('trainRewardHead', () => {
  const d = 16;
  const train = separablePairs(2000, d, 123);
  const test = separablePairs(1000, d, 456);
  const opts = {
    seed: 42,
    epochs: 10,
    batchSize: 32,
    learningRate: 0.05,
    warmupRatio: 0.05,
    weightDecay: 0.01,
  };
  it('linear Bradley–Terry head reaches ≥ 99 % pairwise accuracy', () => {
    const { head, losses } = trainRewardHead({ kind: 'pairs', ...train }, { ...opts, head: { inputDim: d } });
    expect(pairwiseAccuracy(head, train.chosen, train.rejected)).toBeGreaterThanOrEqual(0.99);
    expect(pairwiseAccuracy(head, test.chosen, test.rejected)).toBeGreaterThanOrEqual(0.98);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
  });
  it('MLP head also separates, and training is bit-identical for the same seed', () => {
    const run = (seed: number) =>
      trainRewardHead(
        { kind: 'pairs', ...train },
        { ...opts, seed, epochs: 3, head: { inputDim: d, hiddenDim: 8 } },
      );
    const a = run(7);
    const b = run(7);
    const c = run(8);
    expect(pairwiseAccuracy(a.head, train.chosen, train.rejected)).toBeGreaterThanOrEqual(0.97);
    expect(Buffer.from(a.head.params.buffer).equals(Buffer.from(b.head.params.buffer))).toBe(true);
    expect(Buffer.from(a.losses.buffer).equals(Buffer.from(b.losses.buffer))).toBe(true);
    expect(Buffer.from(a.head.params.buffer).equals(Buffer.from(c.head.params.buffer))).toBe(false);
  });
  it('cross-encoder BCE objective learns labels', () => {
    const n = 1000;
    const features = new Float64Array(2 * n * d);
    features.set(train.chosen.subarray(0, n * d));
    features.set(train.rejected.subarray(0, n * d), n * d);
    // label 1 for rows whose feature difference points along the hidden direction: use pair order
    const labels = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) {
        const diff = train.chosen[i * d + k]! - train.rejected[i * d + k]!;
        features[i * d + k] = diff;
        features[(n + i) * d + k] = -diff;
      }
      labels[i] = 1;
      labels[n + i] = 0;
    }
    const { head } = trainRewardHead(
      { kind: 'labels', features, labels },
      { ...opts, head: { inputDim: d } },
    );
    const r = head.forward(features, 2 * n);
    let correct = 0;
    for (let i = 0; i < 2 * n; i++) if (r[i]! > 0 === labels[i]! > 0.5) correct++;
    expect(correct / (2 * n)).toBeGreaterThanOrEqual(0.97);
  });
  it('rejects mismatched data', () => {
    expect(() =>
      trainRewardHead(
        { kind: 'pairs', chosen: new Float64Array(8), rejected: new Float64Array(4) },
        { head: { inputDim: 4 } },
      ),
    ).toThrow(/Shape/);
  });
});

describe('checkpoints', () => {
  const head = RewardHead.create({ inputDim: 6, hiddenDim: 3 }, 5);
  it('safetensors round trip is bit-identical and the layout follows the format', () => {
    const bytes = head.toSafetensors();
    const hlen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(hlen % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen)));
    expect(header['reward_head.0.weight']).toEqual({
      dtype: 'F64',
      shape: [3, 6],
      data_offsets: expect.any(Array),
    });
    expect(header.__metadata__.format).toBe('judgekit-reward-head');
    const back = RewardHead.fromSafetensors(bytes);
    expect(Buffer.from(back.params.buffer).equals(Buffer.from(head.params.buffer))).toBe(true);
  });
  it('F32 checkpoints load with float32 precision; foreign files need config + prefix', () => {
    const back = RewardHead.fromSafetensors(head.toSafetensors({ dtype: 'F32' }));
    for (let i = 0; i < head.params.length; i++) expect(back.params[i]).toBe(Math.fround(head.params[i]!));
    const t = head.tensors();
    const foreign = encodeSafetensors({
      'head.0.weight': { ...t['0.weight']!, dtype: 'F32' },
      'head.0.bias': { ...t['0.bias']!, dtype: 'F32' },
      'head.3.weight': { ...t['3.weight']!, dtype: 'F32' },
      'head.3.bias': { ...t['3.bias']!, dtype: 'F32' },
    });
    expect(() => RewardHead.fromSafetensors(foreign, { file: 'x.safetensors' })).toThrow(
      /x.safetensors.*config/,
    );
    const h2 = RewardHead.fromSafetensors(foreign, { prefix: 'head', config: { inputDim: 6, hiddenDim: 3 } });
    expect(h2.params[0]).toBe(Math.fround(head.params[0]!));
  });
  it('JSON round trip', () => {
    const back = RewardHead.fromJSON(JSON.parse(JSON.stringify(head.toJSON())));
    expect(Array.from(back.params)).toEqual(Array.from(head.params));
    expect(() =>
      RewardHead.fromJSON(
        { format: 'judgekit-reward-head', inputDim: 6, hiddenDim: 3, params: [1] },
        'h.json',
      ),
    ).toThrow(/h.json.*expected 25/);
  });
  it('save/load through the file system; malformed files raise DataFormatError naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jk-baselines-'));
    for (const name of ['head.safetensors', 'head.json']) {
      const p = join(dir, name);
      await saveCheckpoint(p, head);
      const back = await loadCheckpoint(p);
      expect(Array.from(back.params)).toEqual(Array.from(head.params));
    }
    const bad = join(dir, 'bad.safetensors');
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(3), /shorter than/],
      [
        (() => {
          const b = new Uint8Array(16);
          new DataView(b.buffer).setBigUint64(0, 1000n, true);
          return b;
        })(),
        /exceeds/,
      ],
      [
        (() => {
          const b = head.toSafetensors();
          return b.subarray(0, b.length - 8);
        })(),
        /past the|trailing|needs/,
      ],
      [
        (() => {
          const b = head.toSafetensors();
          const c = new Uint8Array(b.length + 8);
          c.set(b);
          return c;
        })(),
        /trailing bytes/,
      ],
      [
        (() => {
          const b = head.toSafetensors();
          b[9] = 0x7b;
          b[10] = 0x7b;
          return b;
        })(),
        /JSON/,
      ],
    ];
    for (const [bytes, msg] of cases) {
      writeFileSync(bad, bytes);
      const err = await loadCheckpoint(bad).catch((e: unknown) => e);
      expect(DataFormatError.isInstance(err)).toBe(true);
      expect((err as Error).message).toContain('bad.safetensors');
      expect((err as Error).message).toMatch(msg);
    }
    writeFileSync(join(dir, 'bad.json'), '{oops');
    await expect(loadCheckpoint(join(dir, 'bad.json'))).rejects.toThrow(/bad.json.*not valid JSON/);
  });
  it('decodes BF16 / F16 and detects overlapping ranges and bad dtypes', () => {
    const mk = (header: object, data: number[]) => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const b = new Uint8Array(8 + h.length + data.length);
      new DataView(b.buffer).setBigUint64(0, BigInt(h.length), true);
      b.set(h, 8);
      b.set(data, 8 + h.length);
      return b;
    };
    const bf = mk(
      {
        a: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] },
        b: { dtype: 'F16', shape: [1], data_offsets: [2, 4] },
      },
      [0x80, 0x3f, 0x00, 0x3c],
    );
    const f = decodeSafetensors(bf);
    expect(f.tensors.a!.data[0]).toBe(1);
    expect(f.tensors.b!.data[0]).toBe(1);
    expect(() =>
      decodeSafetensors(mk({ a: { dtype: 'I8', shape: [1], data_offsets: [0, 1] } }, [1]), 'z.st'),
    ).toThrow(/z.st field `a.dtype`: unsupported dtype/);
    expect(() =>
      decodeSafetensors(
        mk(
          {
            a: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
            b: { dtype: 'F16', shape: [1], data_offsets: [0, 2] },
          },
          [0, 0],
        ),
      ),
    ).toThrow(/overlap/);
  });
});
