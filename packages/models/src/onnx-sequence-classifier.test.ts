import { fileURLToPath } from 'node:url';
import { ConfigError, InvalidArgumentError } from '@judgekit/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOnnxSequenceClassifier, type OnnxSequenceClassifier } from './onnx-sequence-classifier.js';

const modelPath = fileURLToPath(new URL('../../../fixtures/models/tiny-distilbert-sst2', import.meta.url));

/** Structural copy of `TextScorer` from @judgekit/baselines (models may not import baselines). */
interface TextScorer {
  score(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<ArrayLike<number>>;
}

describe('createOnnxSequenceClassifier (tiny-distilbert-sst2 fixture, random weights)', () => {
  let clf: OnnxSequenceClassifier;
  beforeAll(async () => {
    clf = await createOnnxSequenceClassifier({ modelPath, batchSize: 2 });
  });

  it('reads labels and scores the last label by default', () => {
    expect(clf.labels).toEqual(['NEGATIVE', 'POSITIVE']);
    expect(clf.scoreIndex).toBe(1);
    expect(clf.id).toBe('tiny-distilbert-sst2');
  });

  it('returns one finite float64 score per text, across batches, deterministically', async () => {
    const texts = ['a fine answer', 'bad', 'a much longer answer with many more words in it', '', 'x y z'];
    const s1 = await clf.score(texts);
    const s2 = await clf.score(texts);
    expect(s1).toBeInstanceOf(Float64Array);
    expect(s1.length).toBe(texts.length);
    for (const v of s1) expect(Number.isFinite(v)).toBe(true);
    expect(Array.from(s2)).toEqual(Array.from(s1));
    const l = await clf.logits(texts);
    expect([l.rows, l.cols]).toEqual([5, 2]);
    for (let i = 0; i < 5; i++) expect(s1[i]).toBe(l.data[i * 2 + 1]);
    // batch composition does not change a text's score (padding is masked)
    const alone = await clf.score([texts[2]!]);
    expect(alone[0]).toBeCloseTo(s1[2]!, 5);
    expect((await clf.score([])).length).toBe(0);
  });

  it('scores text pairs (cross-encoder input) and selects labels by name', async () => {
    const neg = await createOnnxSequenceClassifier({ modelPath, scoreLabel: 'NEGATIVE' });
    const pairs = [
      ['question one', 'answer one'],
      ['question two', 'a different answer'],
    ] as const;
    const s = await neg.score(pairs);
    expect(s.length).toBe(2);
    for (const v of s) expect(Number.isFinite(v)).toBe(true);
    const l = await neg.logits(pairs);
    expect(s[1]).toBe(l.data[2]);
  });

  it('is structurally a baselines TextScorer', async () => {
    const scorer: TextScorer = clf;
    const r = await scorer.score(['a', 'b']);
    expect(r.length).toBe(2);
  });

  it('rejects bad options and mixed inputs; missing folder names the path', async () => {
    await expect(createOnnxSequenceClassifier({ modelPath, scoreLabel: 'MAYBE' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(clf.score(['a', ['b', 'c']] as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    const missing = `${modelPath}-missing`;
    const err = await createOnnxSequenceClassifier({ modelPath: missing }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain(missing);
  });
});
