import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type PairwiseSample, type Verdict } from '@judgekit/core';
import { evaluateJudge, swapConsistency } from '@judgekit/metrics';
import { describe, expect, it } from 'vitest';
import { evaluateJudgeOnDataset } from './evaluate-judge-on-dataset.js';
import type { JudgeModel, JudgeRequest } from './judge-model.js';
import type { JudgeResultRecord } from './judge-records.js';

const N = 20;
const LABELS: Verdict[] = Array.from(
  { length: N },
  (_, i) => (['answer1', 'answer2', 'tie'] as const)[i % 3],
);
const SAMPLES: PairwiseSample[] = LABELS.map((label, i) => ({
  id: `s${i}`,
  question: `Question ${i}?`,
  answer1: `first-${i}`,
  answer2: `second-${i}`,
  label,
}));

/** What the fake judge says about sample i in the original order (null = garbage). */
function intended(i: number): Verdict | null {
  if (i % 5 === 4) return null;
  if (i % 7 === 0) return LABELS[(i + 1) % N]!; // sometimes wrong
  return LABELS[i]!;
}

const TEXT: Record<Verdict, string> = { answer1: '1', answer2: '2', tie: 'Tie' };

/**
 * A deterministic PandaLM-format judge: it finds the sample from the prompt, answers its
 * intended verdict relative to the order shown (so it is position-consistent), or garbage.
 */
function fakeModel(calls: { n: number }, opts: { failIds?: Set<string> } = {}): JudgeModel {
  return {
    id: 'fake-judge',
    async generate(req: JudgeRequest) {
      calls.n++;
      const prompt = req.messages.map((m) => m.content).join('\n');
      const m = /### Response 1:\n(first|second)-(\d+)/.exec(prompt)!;
      const i = Number(m[2]);
      const swapped = m[1] === 'second';
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      if (opts.failIds?.has(`s${i}`)) throw new Error('HTTP 503 from fake server');
      const v = intended(i);
      const shown =
        v === null
          ? null
          : swapped
            ? ({ answer1: 'answer2', answer2: 'answer1', tie: 'tie' } as const)[v]
            : v;
      const text =
        shown === null
          ? 'I cannot decide, sorry.'
          : `${TEXT[shown]}\n\n### Reason: because.\n\n### Reference: ref.\n`;
      return {
        text,
        usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
        cached: false,
        model: 'fake-judge',
        latencyMs: 1,
        finishReason: 'stop',
      };
    },
  };
}

function tmp(): string {
  return join(mkdtempSync(join(tmpdir(), 'jk-pipe-')), 'results.jsonl');
}

function readRecords(file: string): JudgeResultRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as JudgeResultRecord);
}

const base = {
  samples: SAMPLES,
  template: 'pandalm/pair',
  concurrency: 3,
  bootstrap: { resamples: 200, seed: 1 },
};

describe('evaluateJudgeOnDataset', () => {
  it('scores verdicts, keeps parse failures as failures, writes one record per call', async () => {
    const outFile = tmp();
    const calls = { n: 0 };
    const r = await evaluateJudgeOnDataset({ ...base, model: fakeModel(calls), outFile });
    const expected = SAMPLES.map((_, i) => intended(i));
    expect(calls.n).toBe(N);
    expect(r.complete).toBe(true);
    expect(r.predictions).toEqual(expected);
    expect(r.counts).toMatchObject({ samples: N, judged: N, pending: 0, labelled: N, modelErrors: 0 });
    expect(r.parseFailures.total).toBe(4);
    expect(Object.values(r.parseFailures.byReason).reduce((a, b) => a + b, 0)).toBe(4);
    expect(r.parseFailures.examples.map((e) => e.id)).toEqual(['s4', 's9', 's14', 's19']);
    const ref = evaluateJudge({
      predictions: expected,
      labels: LABELS,
      bootstrap: { resamples: 200, seed: 1 },
    });
    expect(r.metrics).toEqual(ref);
    expect(r.metrics!.predictionFailures).toBe(4);
    // Failures are wrong under the default policy, never ties.
    expect(r.metrics!.accuracy).toBeCloseTo(expected.filter((v, i) => v === LABELS[i]).length / N, 12);
    expect(r.usage).toEqual({ promptTokens: 10 * N, completionTokens: 5 * N, totalTokens: 15 * N });
    const recs = readRecords(outFile);
    expect(recs).toHaveLength(N);
    const rec4 = recs.find((x) => x.id === 's4')!;
    expect(rec4.parse.ok).toBe(false);
    expect(rec4.verdict).toBeNull();
    expect(rec4.text).toBe('I cannot decide, sorry.');
    expect(rec4.promptHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it("failurePolicy 'as-tie' is applied only when asked, and the strict figures are kept", async () => {
    const r = await evaluateJudgeOnDataset({
      ...base,
      model: fakeModel({ n: 0 }),
      outFile: tmp(),
      failurePolicy: 'as-tie',
    });
    const expected = SAMPLES.map((_, i) => intended(i));
    expect(r.metrics).toEqual(
      evaluateJudge({
        predictions: expected,
        labels: LABELS,
        failurePolicy: 'as-tie',
        bootstrap: { resamples: 200, seed: 1 },
      }),
    );
    expect(r.metricsCountSeparately!.accuracy).toBeLessThanOrEqual(r.metrics!.accuracy);
  });

  it('with swap, judges both orders and reports consistency in the original frame', async () => {
    const calls = { n: 0 };
    const outFile = tmp();
    const r = await evaluateJudgeOnDataset({ ...base, model: fakeModel(calls), outFile, swap: true });
    expect(calls.n).toBe(2 * N);
    expect(r.counts.judgedSwapped).toBe(N);
    const expected = SAMPLES.map((_, i) => intended(i));
    expect(r.swap).toEqual(swapConsistency(expected, expected, { reversedFrame: 'original' }));
    expect(r.swap!.n).toBe(N);
    const swappedRec = readRecords(outFile).find((x) => x.id === 's1' && x.order === 'swapped')!;
    expect(swappedRec.verdictAsJudged).toBe('answer1');
    expect(swappedRec.verdict).toBe('answer2');
    expect(r.parseFailures.swappedTotal).toBe(4);
  });

  it('resumes after an abort: finished samples are skipped and the result equals an uninterrupted run', async () => {
    const full = await evaluateJudgeOnDataset({
      ...base,
      model: fakeModel({ n: 0 }),
      outFile: tmp(),
      swap: true,
    });
    const outFile = tmp();
    const ac = new AbortController();
    const first = { n: 0 };
    const partial = await evaluateJudgeOnDataset({
      ...base,
      model: fakeModel(first),
      outFile,
      swap: true,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.done >= 9) ac.abort();
      },
    });
    expect(partial.complete).toBe(false);
    const written = readRecords(outFile).length;
    expect(written).toBe(first.n); // every call that started was finished and written
    expect(written).toBeGreaterThanOrEqual(9);
    expect(written).toBeLessThan(2 * N);
    const second = { n: 0 };
    let resumed = -1;
    const r = await evaluateJudgeOnDataset({
      ...base,
      model: fakeModel(second),
      outFile,
      swap: true,
      onProgress: (p) => {
        resumed = p.resumed;
      },
    });
    expect(resumed).toBe(written);
    expect(second.n).toBe(2 * N - written);
    expect(r).toEqual(full);
    expect(readRecords(outFile)).toHaveLength(2 * N);
  });

  it('repairs a truncated last line and re-judges only that sample', async () => {
    const outFile = tmp();
    const full = await evaluateJudgeOnDataset({ ...base, model: fakeModel({ n: 0 }), outFile });
    const text = readFileSync(outFile, 'utf8');
    const lines = text.trimEnd().split('\n');
    const last = lines.pop()!;
    writeFileSync(outFile, `${lines.join('\n')}\n${last.slice(0, 40)}`);
    const calls = { n: 0 };
    const r = await evaluateJudgeOnDataset({ ...base, model: fakeModel(calls), outFile });
    expect(calls.n).toBe(1);
    expect(r).toEqual(full);
    const after = readRecords(outFile);
    expect(after).toHaveLength(N);
    expect(new Set(after.map((x) => x.id)).size).toBe(N);
  });

  it('records failed model calls and retries them on resume', async () => {
    const outFile = tmp();
    const r1 = await evaluateJudgeOnDataset({
      ...base,
      model: fakeModel({ n: 0 }, { failIds: new Set(['s2', 's3']) }),
      outFile,
    });
    expect(r1.counts.modelErrors).toBe(2);
    // An error is its own outcome: not a parse failure, not judged, not in the metrics.
    expect(r1.counts).toMatchObject({ judged: N - 2, errors: 2, pending: 0 });
    expect(r1.complete).toBe(false);
    expect(r1.parseFailures.byReason['model-error']).toBeUndefined();
    expect(r1.errors).toMatchObject({ total: 2, byCode: { error: 2 } });
    expect(r1.metrics!.n).toBe(N - 2);
    expect(r1.predictions[2]).toBeNull();
    const kept = SAMPLES.map((_, i) => i).filter((i) => i !== 2 && i !== 3);
    const expected = evaluateJudge({
      predictions: kept.map((i) => intended(i)),
      labels: kept.map((i) => LABELS[i]!),
      failurePolicy: 'count-separately',
    });
    expect(r1.metrics!.accuracy).toBeCloseTo(expected.accuracy, 12);
    const lines = readRecords(outFile);
    expect(
      lines
        .filter((x) => x.outcome === 'error')
        .map((x) => x.id)
        .sort(),
    ).toEqual(['s2', 's3']);
    const calls = { n: 0 };
    const r2 = await evaluateJudgeOnDataset({ ...base, model: fakeModel(calls), outFile });
    expect(calls.n).toBe(2);
    expect(r2.counts.modelErrors).toBe(0);
    expect(r2.predictions).toEqual(SAMPLES.map((_, i) => intended(i)));
  });

  it('refuses to resume a results file written with a different prompt', async () => {
    const outFile = tmp();
    await evaluateJudgeOnDataset({
      ...base,
      samples: SAMPLES.slice(0, 3),
      model: fakeModel({ n: 0 }),
      outFile,
    });
    const changed = SAMPLES.slice(0, 3).map((s) => ({ ...s, question: `${s.question} (edited)` }));
    await expect(
      evaluateJudgeOnDataset({ ...base, samples: changed, model: fakeModel({ n: 0 }), outFile }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
