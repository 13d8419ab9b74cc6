import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, ModelCallError } from '@judgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOnnxTextEncoder, type OnnxTextEncoder } from './onnx-text-encoder.js';

// tiny-distilbert-sst2 with its last hidden state as a graph output (see the folder's SOURCE.md)
const encoderPath = fileURLToPath(
  new URL('../../../fixtures/models/tiny-distilbert-encoder', import.meta.url),
);
const classifierPath = fileURLToPath(
  new URL('../../../fixtures/models/tiny-distilbert-sst2', import.meta.url),
);

describe('createOnnxTextEncoder (tiny-distilbert-encoder fixture, random weights)', () => {
  let enc: OnnxTextEncoder;
  beforeAll(async () => {
    enc = await createOnnxTextEncoder({ modelPath: encoderPath, batchSize: 2 });
  });

  it('mean-pools the last hidden state over the attention mask: finite float64 rows, deterministic, padding-independent', async () => {
    const texts = ['a fine answer', 'bad', 'a much longer answer with many more words in it', 'x y z'];
    const a = await enc.embed(texts);
    const b = await enc.embed(texts);
    expect(enc.id).toBe('tiny-distilbert-encoder');
    expect(a.data).toBeInstanceOf(Float64Array);
    expect([a.rows, a.cols]).toEqual([4, 2]);
    for (const v of a.data) expect(Number.isFinite(v)).toBe(true);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    // rows differ between texts (the features carry information)
    expect(new Set(Array.from(a.data).map((v) => v.toFixed(6))).size).toBeGreaterThan(2);
    // 'bad' is padded to the longest text in its batch of 2; alone it is not: same row (mask-aware pooling)
    const alone = await enc.embed(['bad']);
    expect(alone.data[0]).toBeCloseTo(a.data[2]!, 5);
    expect(alone.data[1]).toBeCloseTo(a.data[3]!, 5);
    expect((await enc.embed([])).rows).toBe(0);
  });

  it('cls pooling takes the first token; it differs from the mean', async () => {
    const cls = await createOnnxTextEncoder({ modelPath: encoderPath, pooling: 'cls' });
    const texts = ['a much longer answer with many more words in it'];
    const c = await cls.embed(texts);
    const m = await enc.embed(texts);
    expect(cls.pooling).toBe('cls');
    for (const v of c.data) expect(Number.isFinite(v)).toBe(true);
    expect(Array.from(c.data)).not.toEqual(Array.from(m.data));
  });

  it('a graph without the hidden-state output is a ModelCallError naming the outputs it has', async () => {
    const clf = await createOnnxTextEncoder({ modelPath: classifierPath });
    const e = await clf.embed(['x']).catch((x: unknown) => x);
    expect(ModelCallError.isInstance(e)).toBe(true);
    expect((e as Error).message).toMatch(/no output "last_hidden_state" \(its outputs: logits\)/);
  });

  it('rejects bad options', async () => {
    await expect(createOnnxTextEncoder({ modelPath: encoderPath, batchSize: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(createOnnxTextEncoder({ modelPath: encoderPath, pooling: 'max' as 'mean' })).rejects.toThrow(
      /pooling/,
    );
  });
});
