import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { loadPairwiseDataset } from './evaluation-run-files.js';
import { createOnnxFeaturizer, judgeHeadTexts } from './onnx-featurizer.js';
import { trainJudgeHead } from './train-head.js';

const modelPath = fileURLToPath(new URL('../../../fixtures/models/tiny-distilbert-encoder', import.meta.url));
const pandalm = fileURLToPath(new URL('../../../fixtures/data/pandalm/data', import.meta.url));

describe('createOnnxFeaturizer (tiny ONNX encoder, PandaLM pairs)', () => {
  it('features are finite and deterministic, and a Bradley–Terry head trains on them', async () => {
    const { samples, labels } = await loadPairwiseDataset(pandalm, 'pandalm', { limit: 40 });
    const texts = judgeHeadTexts(samples);
    expect(texts).toHaveLength(80);
    const progress: number[] = [];
    const f = await createOnnxFeaturizer({ modelPath, texts, onProgress: (done) => progress.push(done) });
    expect(f.dim).toBe(2);
    expect(f.description).toBe('onnx:tiny-distilbert-encoder:mean');
    expect(progress.at(-1)).toBe(new Set(texts).size);
    const a = f.featurize(texts);
    expect(a).toBeInstanceOf(Float64Array);
    expect(a.length).toBe(80 * 2);
    for (const v of a) expect(Number.isFinite(v)).toBe(true);
    // deterministic: a second encoder over the same texts gives the same bits
    const g = await createOnnxFeaturizer({ modelPath, texts: texts.slice(0, 6), batchSize: 4 });
    expect(Array.from(g.featurize(texts.slice(0, 6)))).toEqual(Array.from(a.subarray(0, 12)));
    // answers get different features
    expect(new Set(Array.from(a).map((v) => v.toFixed(6))).size).toBeGreaterThan(10);
    expect(() => f.featurize(['not embedded'])).toThrow(InvalidArgumentError);

    const t = trainJudgeHead(samples, labels, {
      objective: 'bradley-terry',
      featurizer: f,
      seed: 0,
      maxEpochs: 15,
      patience: 15,
      learningRate: 0.1,
      bootstrap: false,
    });
    expect(t.history).toHaveLength(15);
    for (const h of t.history) expect(Number.isFinite(h.trainLoss)).toBe(true);
    // the head trains: the mean training loss falls from the first epoch to the last
    expect(t.history.at(-1)!.trainLoss).toBeLessThan(t.history[0]!.trainLoss);
    expect(t.evaluation.model).toBe('bradley-terry head (onnx:tiny-distilbert-encoder:mean)');
    expect(t.evaluation.parseFailures.total).toBe(0);
  }, 120_000);
});
