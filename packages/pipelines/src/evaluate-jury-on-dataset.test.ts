import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, type PairwiseSample, type Verdict } from '@judgekit/core';
import { evaluateJudge, fleissKappa } from '@judgekit/metrics';
import { createOpenAICompatibleModel } from '@judgekit/models';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatServer, startChatServer, userText } from '../test/chat-server.js';
import {
  evaluateJuryOnDataset,
  jurorResultsFile,
  writeJuryEvaluationReport,
} from './evaluate-jury-on-dataset.js';
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
const TEXT: Record<Verdict, string> = { answer1: '1', answer2: '2', tie: 'Tie' };
const pandalm = (v: Verdict) => `${TEXT[v]}\n\n### Reason: because.\n\n### Reference: ref.\n`;
const FLIP: Record<Verdict, Verdict> = { answer1: 'answer2', answer2: 'answer1', tie: 'tie' };

/** Sample index and whether the answers are swapped, read from a PandaLM prompt. */
function shown(body: Record<string, unknown>): { i: number; swapped: boolean } {
  const m = /### Response 1:\n(first|second)-(\d+)/.exec(userText(body))!;
  return { i: Number(m[2]), swapped: m[1] === 'second' };
}

/** good: always the label; first: always "Response 1"; flaky: HTTP 500 on i % 4 === 1, else "Response 2". */
const behaviours = {
  good: (body: Record<string, unknown>) => {
    const { i, swapped } = shown(body);
    return pandalm(swapped ? FLIP[LABELS[i]!] : LABELS[i]!);
  },
  first: () => pandalm('answer1'),
  flaky: (body: Record<string, unknown>) =>
    shown(body).i % 4 === 1 ? { status: 500, message: 'boom' } : pandalm('answer2'),
};

let servers: ChatServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function panel() {
  servers = await Promise.all(Object.values(behaviours).map((b) => startChatServer(b)));
  return Object.keys(behaviours).map((id, k) => ({
    id,
    model: createOpenAICompatibleModel({
      baseURL: servers[k]!.baseURL,
      model: id,
      apiKey: '',
      maxRetries: 0,
    }),
  }));
}

const dir = () => mkdtempSync(join(tmpdir(), 'jk-jury-'));
const lines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());

/** What each juror said about sample i (original order), null = no verdict (error). */
function said(i: number): (Verdict | null)[] {
  return [LABELS[i]!, 'answer1', i % 4 === 1 ? null : 'answer2'];
}

/** Majority of the votes, a split between the most-voted is a tie (counted here independently). */
function majority(votes: (Verdict | null)[]): Verdict {
  const c = { answer1: 0, answer2: 0, tie: 0 };
  for (const v of votes) if (v) c[v]++;
  const best = Math.max(c.answer1, c.answer2, c.tie);
  const top = (['answer1', 'answer2', 'tie'] as const).filter((v) => c[v] === best);
  return top.length === 1 ? top[0] : 'tie';
}

describe('evaluateJuryOnDataset against three local servers', () => {
  it('scores each juror and the panel, abstains on errors, and reports Fleiss kappa of the juror verdicts', async () => {
    const jurors = await panel();
    const out = dir();
    const r = await evaluateJuryOnDataset({
      samples: SAMPLES,
      template: 'pandalm/pair',
      jurors,
      outDir: out,
      bootstrap: false,
    });
    // Per-juror accuracy: good 1, first = share of answer1 labels, flaky = answer2 among its non-errors.
    const byId = Object.fromEntries(r.jurors.map((j) => [j.id, j.result]));
    expect(byId.good!.metrics!.accuracy).toBe(1);
    expect(byId.first!.metrics!.accuracy).toBeCloseTo(4 / 12, 12);
    const flakyJudged = SAMPLES.filter((_, i) => i % 4 !== 1).length;
    expect(byId.flaky!.counts.errors).toBe(N - flakyJudged);
    expect(byId.flaky!.metrics!.accuracy).toBeCloseTo(
      LABELS.filter((l, i) => i % 4 !== 1 && l === 'answer2').length / flakyJudged,
      12,
    );
    // Panel: the flaky juror abstains on its errors, never votes.
    const expected = SAMPLES.map((_, i) => majority(said(i)));
    expect(r.items.map((it) => it.verdict)).toEqual(expected);
    for (const [i, it] of r.items.entries()) {
      expect(it.abstained).toBe(i % 4 === 1 ? 1 : 0);
      expect(it.votes.answer1 + it.votes.answer2 + it.votes.tie).toBe(i % 4 === 1 ? 2 : 3);
    }
    const m = evaluateJudge({ predictions: expected, labels: LABELS, bootstrap: false });
    expect(r.panel.metrics!.accuracy).toBeCloseTo(m.accuracy, 12);
    expect(r.panel.metrics!.macro.f1).toBeCloseTo(m.macro.f1, 12);
    expect(r.panel.counts.errors).toBe(0);
    // Kappa = metrics' fleissKappa over the items where every juror voted.
    const full = SAMPLES.map((_, i) => i).filter((i) => i % 4 !== 1);
    const raters = [0, 1, 2].map((k) => full.map((i) => said(i)[k]!));
    expect(r.agreement.items).toBe(full.length);
    expect(r.agreement.skipped).toBe(N - full.length);
    expect(r.agreement.fleissKappa).toBeCloseTo(fleissKappa(raters), 12);
    expect(r.complete).toBe(false); // the flaky juror's errors are left to retry
    // Each juror's calls are in its own results file.
    expect(lines(jurorResultsFile(out, 'good'))).toHaveLength(N);
    for (const id of ['good', 'first', 'flaky'])
      expect(
        lines(jurorResultsFile(out, id)).every((l) => (JSON.parse(l) as JudgeResultRecord).juror === id),
      ).toBe(true);
    expect(servers.map((s) => s.bodies.length)).toEqual([N, N, N]);
    // Reports: panel and jurors in the markdown and JSON, kappa in the JSON.
    const written = await writeJuryEvaluationReport(out, r, { title: 'jury' });
    const json = JSON.parse(readFileSync(written.json, 'utf8'));
    expect(json.jury.agreement.fleissKappa).toBeCloseTo(fleissKappa(raters), 12);
    expect(json.jury.jurors.map((j: { id: string }) => j.id)).toEqual(['good', 'first', 'flaky']);
    const md = readFileSync(written.markdown, 'utf8');
    for (const name of ['panel (majority)', 'good', 'first', 'flaky', "Fleiss' kappa"])
      expect(md).toContain(name);
    expect(readFileSync(written.html, 'utf8')).toContain('panel (majority)');
    expect(lines(written.panel)).toHaveLength(N);
  });

  it('all jurors erroring is a panel error (never scored); weighted and mean-score rules', async () => {
    const jurors = await panel();
    const r = await evaluateJuryOnDataset({
      samples: SAMPLES.slice(0, 4),
      template: 'pandalm/pair',
      jurors: [jurors[2]!, { ...jurors[0]!, weight: 3 }, jurors[1]!],
      rule: 'weighted',
      outDir: dir(),
      bootstrap: false,
    });
    // weighted: good (3) beats first (1) and flaky (1) → the label every time.
    expect(r.items.map((it) => it.verdict)).toEqual(LABELS.slice(0, 4));
    const onlyFlaky = await evaluateJuryOnDataset({
      samples: SAMPLES.slice(0, 4),
      template: 'pandalm/pair',
      jurors: [jurors[2]!],
      outDir: dir(),
      bootstrap: false,
    });
    expect(onlyFlaky.items[1]!.status).toBe('error');
    expect(onlyFlaky.panel.counts.errors).toBe(1);
    expect(onlyFlaky.panel.counts.judged).toBe(3);
    expect(Number.isNaN(onlyFlaky.agreement.fleissKappa)).toBe(true);
    // mean-score with a format that gives no scores: no panel verdict (a failure, never a tie).
    const mean = await evaluateJuryOnDataset({
      samples: SAMPLES.slice(0, 2),
      template: 'pandalm/pair',
      jurors: jurors.slice(0, 2),
      rule: 'mean-score',
      outDir: dir(),
      bootstrap: false,
    });
    expect(mean.items.map((it) => it.failure?.reason)).toEqual(['no-juror-scores', 'no-juror-scores']);
    expect(mean.panel.parseFailures.byReason).toEqual({ 'no-juror-scores': 2 });
  });

  it('a resume after an interruption calls only what is missing (and the errors)', async () => {
    const jurors = await panel();
    const out = dir();
    const controller = new AbortController();
    let seen = 0;
    const first = await evaluateJuryOnDataset({
      samples: SAMPLES,
      template: 'pandalm/pair',
      jurors,
      outDir: out,
      concurrency: 1,
      bootstrap: false,
      signal: controller.signal,
      onProgress: () => {
        if (++seen === 10) controller.abort();
      },
    });
    expect(first.complete).toBe(false);
    const done = jurors.map((j) =>
      lines(jurorResultsFile(out, j.id)).map((l) => JSON.parse(l) as JudgeResultRecord),
    );
    expect(done.reduce((a, recs) => a + recs.length, 0)).toBeLessThan(3 * N);
    const before = servers.map((s) => s.bodies.length);
    const again = await evaluateJuryOnDataset({
      samples: SAMPLES,
      template: 'pandalm/pair',
      jurors,
      outDir: out,
      bootstrap: false,
    });
    const calls = servers.map((s, k) => s.bodies.length - before[k]!);
    const retried = done.map((recs) => recs.filter((r) => r.outcome === 'error').length);
    expect(calls).toEqual(done.map((recs, k) => N - recs.length + retried[k]!));
    expect(again.items).toHaveLength(N);
    // Every sample judged exactly once by the steady jurors over both sessions.
    expect(servers[0]!.bodies.length).toBe(N);
    expect(servers[1]!.bodies.length).toBe(N);
  });

  it('refuses a resume with another prompt before any juror writes', async () => {
    const jurors = await panel();
    const out = dir();
    await evaluateJuryOnDataset({
      samples: SAMPLES.slice(0, 3),
      template: 'pandalm/pair',
      jurors,
      outDir: out,
      bootstrap: false,
    });
    const file = jurorResultsFile(out, 'first');
    const snapshot = jurors.map((j) => readFileSync(jurorResultsFile(out, j.id), 'utf8'));
    const changed = SAMPLES.slice(0, 3).map((s) => ({ ...s }));
    changed[0]!.question = 'Another question?';
    await expect(
      evaluateJuryOnDataset({
        samples: changed,
        template: 'pandalm/pair',
        jurors,
        outDir: out,
        bootstrap: false,
      }),
    ).rejects.toThrow(ConfigError);
    expect(jurors.map((j) => readFileSync(jurorResultsFile(out, j.id), 'utf8'))).toEqual(snapshot);
    writeFileSync(file, readFileSync(file, 'utf8'));
    await expect(
      evaluateJuryOnDataset({
        samples: SAMPLES,
        template: 'pandalm/pair',
        jurors: [jurors[0]!, jurors[0]!],
        outDir: out,
      }),
    ).rejects.toThrow(/used twice/);
  });
});
