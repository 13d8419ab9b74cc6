/**
 * Probability-weighted judgments through the pipelines: `evaluateJudgeOnDataset`, `judge()` and
 * `grade()` ask for top log-probs and store what the parsers' own functions compute from them.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type PairwiseSample, swapVerdict, type Verdict } from '@judgekit/core';
import { createFakeJudgeModel, type GenerateRequest, type TokenLogprob } from '@judgekit/models';
import {
  expectedScoreFromLogprobs,
  LOGPROB_ANSWER_TOKENS,
  verdictDistributionFromLogprobs,
} from '@judgekit/parsers';
import { describe, expect, it } from 'vitest';
import { evaluateJudgeOnDataset } from './evaluate-judge-on-dataset.js';
import { renderEvaluationReport } from './evaluation-report.js';
import { renderEvaluationHtml } from './evaluation-report-html.js';
import { grade } from './grade.js';
import { judge } from './judge.js';
import type { JudgeResultRecord } from './judge-records.js';

const N = 12;
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
const LETTER: Record<Verdict, string> = { answer1: 'A', answer2: 'B', tie: 'C' };

/**
 * MT-Bench pairwise reply of a judge that prefers the label of sample i (as shown), with token
 * log-probs: the sampled letter, and candidates whose argmax is the sampled letter except for
 * every fourth sample (where sampling picked the second most likely letter).
 */
function reply(req: GenerateRequest): { text: string; logprobs: TokenLogprob[] } {
  const prompt = req.messages.map((m) => m.content).join('\n');
  const m = /Assistant A's Answer\]\n(first|second)-(\d+)/.exec(prompt)!;
  const i = Number(m[2]);
  const v = m[1] === 'second' ? swapVerdict(LABELS[i]!) : LABELS[i]!;
  const sampled = LETTER[v];
  const other = sampled === 'A' ? 'B' : 'A';
  const top =
    i % 4 === 3
      ? [
          { token: other, logprob: Math.log(0.6) },
          { token: sampled, logprob: Math.log(0.3) },
          { token: ' C', logprob: Math.log(0.05) },
          { token: 'The', logprob: Math.log(0.05) },
        ]
      : [
          { token: sampled, logprob: Math.log(0.7 - i / 100) },
          { token: other, logprob: Math.log(0.2) },
          { token: 'C', logprob: Math.log(0.05) },
        ];
  const logprobs: TokenLogprob[] = [
    { token: 'Both', logprob: -0.5, top_logprobs: [{ token: 'Both', logprob: -0.5 }] },
    { token: ' are fine. [[', logprob: -0.1, top_logprobs: [{ token: ' are fine. [[', logprob: -0.1 }] },
    { token: sampled, logprob: top.find((t) => t.token.trim() === sampled)!.logprob, top_logprobs: top },
    { token: ']]', logprob: 0, top_logprobs: [{ token: ']]', logprob: 0 }] },
  ];
  return { text: `Both are fine. [[${sampled}]]`, logprobs };
}

const tmp = () => join(mkdtempSync(join(tmpdir(), 'jk-prob-')), 'results.jsonl');
const PAIR = LOGPROB_ANSWER_TOKENS['mtbench-pair'];

/** A request showing sample i in the given order (to recompute the fake's reply directly). */
function shown(i: number, swapped: boolean): GenerateRequest {
  const a = swapped ? `second-${i}` : `first-${i}`;
  return { messages: [{ role: 'user', content: `[The Start of Assistant A's Answer]\n${a}\n` }] };
}

const readRecords = (file: string): JudgeResultRecord[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JudgeResultRecord);

describe('evaluateJudgeOnDataset with probabilities', () => {
  it('asks for top log-probs and stores the parsers’ verdict distribution per judgment, in the original frame', async () => {
    const model = createFakeJudgeModel((r) => reply(r));
    const outFile = tmp();
    const result = await evaluateJudgeOnDataset({
      samples: SAMPLES,
      template: 'mtbench/pair-v2',
      model,
      swap: true,
      outFile,
      bootstrap: false,
      probabilities: { topLogprobs: 5 },
      concurrency: 3,
    });
    expect(model.calls).toHaveLength(2 * N);
    for (const c of model.calls) expect(c.topLogprobs).toBe(5);
    // The sampled verdicts stay the verdicts: the judge always said the label.
    expect(result.metrics!.accuracy).toBe(1);
    const records = readRecords(outFile);
    expect(records).toHaveLength(2 * N);
    let massSum = 0;
    for (const r of records) {
      const swapped = r.order === 'swapped';
      const direct = verdictDistributionFromLogprobs(
        reply(shown(r.index, swapped)).logprobs,
        PAIR.labels,
        PAIR.options,
      );
      if (!direct.ok) throw new Error('expected a distribution');
      const d = direct.value.distribution;
      expect(r.verdict).toBe(LABELS[r.index]);
      expect(r.probabilities).toEqual({
        ok: true,
        kind: 'verdict',
        distribution: swapped ? { answer1: d.answer2, answer2: d.answer1, tie: d.tie } : d,
        distributionAsJudged: d,
        verdict: swapped ? swapVerdict(direct.value.verdict) : direct.value.verdict,
        verdictAsJudged: direct.value.verdict,
        mass: direct.value.mass,
        position: 2,
      });
      if (!swapped) massSum += direct.value.mass;
    }
    const p = result.probabilities!;
    expect(p.judged).toBe(N);
    expect(p.read).toBe(N);
    expect(p.meanMass).toBeCloseTo(massSum / N, 12);
    // The argmax differs from the sampled verdict for i % 4 === 3 (3 of 12), so its accuracy is 9/12.
    expect(p.argmax).toEqual({
      agreesWithSampled: 9,
      comparedWithSampled: 12,
      agreementRate: 0.75,
      correct: 9,
      labelled: 12,
      accuracy: 0.75,
    });
    const report = renderEvaluationReport(result, { title: 't' });
    expect(report.markdown).toContain(
      'argmax of the distribution equals the sampled verdict in 9 of 12 (0.7500)',
    );
    expect(report.markdown).toContain(
      "accuracy of the argmax verdict (the distribution's most likely verdict, not the sampled verdict scored above): 0.7500 (9/12",
    );
    expect(JSON.parse(report.json).judges[0].probabilities.argmax.accuracy).toBe(0.75);
    const html = renderEvaluationHtml(result, { title: 't' });
    expect(html).toContain('<h2 id="probabilities">');
    expect(html).toContain('<td>0.7500 (9/12)</td><td>0.7500 (9/12)</td>');
  });

  it('a model that returns no log-probs gives a named failure per judgment; the verdicts are untouched', async () => {
    const model = createFakeJudgeModel((r) => reply(r).text);
    const outFile = tmp();
    const result = await evaluateJudgeOnDataset({
      samples: SAMPLES.slice(0, 4),
      template: 'mtbench/pair-v2',
      model,
      outFile,
      bootstrap: false,
      probabilities: { topLogprobs: 3 },
    });
    expect(result.metrics!.accuracy).toBe(1);
    expect(result.probabilities).toEqual({
      judged: 4,
      read: 0,
      unreadable: { 'no-logprobs': 4 },
      meanMass: null,
    });
    expect(readRecords(outFile)[0]!.probabilities).toMatchObject({ ok: false, reason: 'no-logprobs' });
  });

  it('rejects a format without a score or letter answer token up front, naming the supported ones', async () => {
    const model = createFakeJudgeModel(() => '8 3');
    const err = await evaluateJudgeOnDataset({
      samples: SAMPLES,
      template: 'judgelm/pair',
      model,
      outFile: tmp(),
      probabilities: { topLogprobs: 5 },
    }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain('"judgelm-scores"');
    expect((err as Error).message).toContain(
      'mtbench-pair, prometheus-absolute, prometheus-relative, llmbar, pandalm',
    );
    expect(model.calls).toHaveLength(0);
    await expect(
      evaluateJudgeOnDataset({
        samples: SAMPLES,
        template: 'mtbench/pair-v2',
        model,
        outFile: tmp(),
        probabilities: { topLogprobs: 0 },
      }),
    ).rejects.toThrow(/topLogprobs must be an integer >= 1/);
  });

  it('never mixes results made with and without probabilities in one file', async () => {
    const model = createFakeJudgeModel((r) => reply(r));
    const outFile = tmp();
    const base = {
      samples: SAMPLES.slice(0, 3),
      template: 'mtbench/pair-v2',
      model,
      outFile,
      bootstrap: false as const,
    };
    await evaluateJudgeOnDataset(base);
    await expect(evaluateJudgeOnDataset({ ...base, probabilities: { topLogprobs: 5 } })).rejects.toThrow(
      /judged without probabilities, this run asks for topLogprobs 5/,
    );
    const other = tmp();
    await evaluateJudgeOnDataset({ ...base, outFile: other, probabilities: { topLogprobs: 5 } });
    await expect(evaluateJudgeOnDataset({ ...base, outFile: other })).rejects.toThrow(
      /judged with probabilities \(topLogprobs 5\), this run asks for none/,
    );
    await expect(
      evaluateJudgeOnDataset({ ...base, outFile: other, probabilities: { topLogprobs: 2 } }),
    ).rejects.toThrow(/topLogprobs 5\), this run asks for topLogprobs 2/);
    // The same settings resume (nothing left to do).
    const calls = model.calls.length;
    await evaluateJudgeOnDataset({ ...base, outFile: other, probabilities: { topLogprobs: 5 } });
    expect(model.calls.length).toBe(calls);
  });
});

describe('judge() and grade() with probabilities', () => {
  it('judge(): each call carries its distribution (swapped call mapped to the original frame); the result the original one', async () => {
    const model = createFakeJudgeModel((r) => reply(r));
    const sample = SAMPLES[3]!;
    const r = await judge({
      model,
      question: sample.question,
      answers: [sample.answer1, sample.answer2],
      swap: true,
      probabilities: { topLogprobs: 4 },
    });
    expect(r.status).toBe('verdict');
    expect(r.verdict).toBe('answer1');
    expect(model.calls.map((c) => c.topLogprobs)).toEqual([4, 4]);
    const direct = verdictDistributionFromLogprobs(
      reply(shown(3, false)).logprobs,
      PAIR.labels,
      PAIR.options,
    );
    const directSwapped = verdictDistributionFromLogprobs(
      reply(shown(3, true)).logprobs,
      PAIR.labels,
      PAIR.options,
    );
    if (!direct.ok || !directSwapped.ok) throw new Error('expected distributions');
    expect(r.probabilities).toMatchObject({
      kind: 'verdict',
      distribution: direct.value.distribution,
      verdict: 'answer2',
    });
    const d = directSwapped.value.distribution;
    expect(r.calls[1]!.probabilities).toMatchObject({
      distribution: { answer1: d.answer2, answer2: d.answer1, tie: d.tie },
      distributionAsJudged: d,
      verdict: 'answer2',
      verdictAsJudged: 'answer1',
    });
  });

  it('judge(): an unsupported format or structuredOutput with probabilities is a ConfigError before any call', async () => {
    const model = createFakeJudgeModel(() => '8 3');
    const opts = { model, question: 'q', answers: ['a', 'b'] as const, probabilities: { topLogprobs: 5 } };
    const e1 = await judge({ ...opts, format: 'judgelm/pair' }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(e1)).toBe(true);
    expect((e1 as Error).message).toMatch(/Supported: mtbench-single, mtbench-pair/);
    const e2 = await judge({ ...opts, structuredOutput: true }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(e2)).toBe(true);
    expect(model.calls).toHaveLength(0);
  });

  it('grade(): the G-Eval expected score equals expectedScoreFromLogprobs on the same tokens', async () => {
    const logprobs: TokenLogprob[] = [
      {
        token: 'Fine. Rating: [[',
        logprob: -0.2,
        top_logprobs: [{ token: 'Fine. Rating: [[', logprob: -0.2 }],
      },
      {
        token: '8',
        logprob: Math.log(0.5),
        top_logprobs: [
          { token: '8', logprob: Math.log(0.5) },
          { token: '7', logprob: Math.log(0.3) },
          { token: ' 9', logprob: Math.log(0.1) },
          { token: 'eight', logprob: Math.log(0.05) },
        ],
      },
      { token: ']]', logprob: 0, top_logprobs: [{ token: ']]', logprob: 0 }] },
    ];
    const model = createFakeJudgeModel(() => ({ text: 'Fine. Rating: [[8]]', logprobs }));
    const r = await grade({ model, question: 'q', answer: 'a', probabilities: { topLogprobs: 5 } });
    expect(r.status).toBe('score');
    const entry = LOGPROB_ANSWER_TOKENS['mtbench-single'];
    const direct = expectedScoreFromLogprobs(logprobs, entry.values, entry.options);
    if (!direct.ok) throw new Error('expected a score');
    expect(r.call.probabilities).toEqual({ ok: true, kind: 'score', ...direct.value });
    expect(direct.value.expected).toBeCloseTo((8 * 0.5 + 7 * 0.3 + 9 * 0.1) / 0.9, 12);
  });
});
