import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RewardHead } from '@judgekit/baselines';
import { createRng, type PairwiseSample, type Verdict } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import {
  createHashingFeaturizer,
  loadEmbeddingFeaturizer,
  trainJudgeHead,
  writeJudgeHead,
} from './train-head.js';

const GOOD = ['accurate', 'detailed', 'correct', 'clear', 'helpful', 'precise'];
const BAD = ['wrong', 'vague', 'rude', 'incorrect', 'confusing', 'sloppy'];
const FILLER = ['the', 'answer', 'is', 'about', 'topic', 'we', 'see', 'that', 'it', 'has', 'some', 'words'];

/** Separable data: the better answer carries "good" words, the worse one "bad" words, in noise. */
function separable(n: number, seed: number): { samples: PairwiseSample[]; labels: Verdict[] } {
  const rng = createRng(seed);
  const pick = (xs: string[]) => xs[rng.nextInt(xs.length)]!;
  const text = (marker: string[]) =>
    Array.from({ length: 12 }, (_, k) => (k % 4 === 0 ? pick(marker) : pick(FILLER))).join(' ');
  const samples: PairwiseSample[] = [];
  const labels: Verdict[] = [];
  for (let i = 0; i < n; i++) {
    const firstWins = rng.nextFloat() < 0.5;
    samples.push({
      id: String(i),
      question: `question ${i % 7}`,
      answer1: text(firstWins ? GOOD : BAD),
      answer2: text(firstWins ? BAD : GOOD),
    });
    labels.push(firstWins ? 'answer1' : 'answer2');
  }
  return { samples, labels };
}

describe('trainJudgeHead', () => {
  const { samples, labels } = separable(300, 1);

  it('Bradley–Terry head on separable data reaches validation accuracy >= 0.95 and is reported as a judge', () => {
    const t = trainJudgeHead(samples, labels, {
      objective: 'bradley-terry',
      seed: 5,
      featurizer: createHashingFeaturizer(256),
      bootstrap: false,
    });
    expect(t.bestValAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(t.split.val).toHaveLength(60);
    expect(t.split.train).toHaveLength(240);
    expect(new Set([...t.split.train, ...t.split.val]).size).toBe(300);
    // the judge's report: same metrics as a generative judge, from JudgeLM-format score text
    expect(t.evaluation.metrics!.accuracy).toBe(t.bestValAccuracy);
    expect(t.evaluation.parseFailures.total).toBe(0);
    expect(t.evaluation.outputFormat).toBe('judgelm-scores');
  });

  it('cross-encoder head learns too', () => {
    const t = trainJudgeHead(samples, labels, {
      objective: 'cross-encoder',
      seed: 5,
      featurizer: createHashingFeaturizer(256),
      bootstrap: false,
    });
    expect(t.bestValAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('is deterministic for a seed, stops early, and keeps the best epoch', () => {
    const opts = {
      objective: 'bradley-terry' as const,
      seed: 2,
      featurizer: createHashingFeaturizer(128),
      patience: 2,
      maxEpochs: 40,
      bootstrap: false as const,
    };
    const a = trainJudgeHead(samples, labels, opts);
    const b = trainJudgeHead(samples, labels, opts);
    expect(Array.from(b.head.params)).toEqual(Array.from(a.head.params));
    expect(b.history).toEqual(a.history);
    expect(a.stoppedEarly).toBe(true);
    expect(a.history.length).toBeLessThan(40);
    expect(a.history.at(-1)!.epoch - a.bestEpoch).toBe(2);
    expect(Math.max(...a.history.map((h) => h.valAccuracy))).toBe(a.bestValAccuracy);
    const c = trainJudgeHead(samples, labels, { ...opts, seed: 3 });
    expect(Array.from(c.head.params)).not.toEqual(Array.from(a.head.params));
  });

  it('writes a safetensors checkpoint that reloads bit-identically; embeddings file featurizer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jk-head-'));
    try {
      const texts = samples
        .slice(0, 40)
        .flatMap((s) => [`${s.question}\n\n${s.answer1}`, `${s.question}\n\n${s.answer2}`]);
      const hash = createHashingFeaturizer(32);
      const f = hash.featurize(texts);
      await writeFile(
        join(dir, 'emb.jsonl'),
        texts
          .map((text, i) => JSON.stringify({ text, embedding: Array.from(f.subarray(i * 32, (i + 1) * 32)) }))
          .join('\n'),
      );
      const emb = await loadEmbeddingFeaturizer(join(dir, 'emb.jsonl'));
      expect(emb.dim).toBe(32);
      const t = trainJudgeHead(samples.slice(0, 40), labels.slice(0, 40), {
        objective: 'bradley-terry',
        featurizer: emb,
        maxEpochs: 3,
        bootstrap: false,
      });
      const files = await writeJudgeHead(dir, t);
      const back = RewardHead.fromSafetensors(new Uint8Array(await readFile(files.checkpoint)));
      expect(Array.from(back.params)).toEqual(Array.from(t.head.params));
      expect(() => emb.featurize(['not in the file'])).toThrow(/no embedding for "not in the file"/);
      await writeFile(join(dir, 'bad.jsonl'), '{"text": "a", "embedding": [1, "x"]}\n');
      await expect(loadEmbeddingFeaturizer(join(dir, 'bad.jsonl'))).rejects.toThrow(
        /bad\.jsonl:1 field `embedding\[1\]`/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
