import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ModelCallError, type PairwiseSample } from '@judgekit/core';
import { createFakeJudgeModel } from '@judgekit/models';
import { describe, expect, it } from 'vitest';
import { evaluateJudgeOnDataset } from './evaluate-judge-on-dataset.js';
import { summarizeJudgeRecords } from './judge-records.js';
import { checkParseFailureRate } from './parse-failure-check.js';
import { openResultsFileWriter } from './results-file-writer.js';
import { checkRunFingerprint, datasetContentHash, type RunFingerprint, redactUrl } from './run-identity.js';
import { scoreJudgeOutputs } from './score-judge-outputs.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'judgekit-outcomes-'));
const SAMPLES: PairwiseSample[] = Array.from({ length: 10 }, (_, i) => ({
  id: `s${i}`,
  question: `q${i}`,
  answer1: `a${i}`,
  answer2: `b${i}`,
  label: 'answer1',
}));
const PANDA = '1\n\n### Reason: r\n\n### Reference: x\n';

describe('three outcomes', () => {
  it('never scores an error, under any failure policy (a tie under as-tie only for parse failures)', async () => {
    for (const failurePolicy of ['count-separately', 'as-tie', 'drop'] as const) {
      const model = createFakeJudgeModel((req) => {
        if (req.sampleId === 's0' || req.sampleId === 's1')
          throw new ModelCallError('HTTP 500 (gave up)', { status: 500 });
        return req.sampleId === 's2' ? 'garbage' : PANDA;
      });
      const r = await evaluateJudgeOnDataset({
        samples: SAMPLES,
        template: 'pandalm/pair',
        model,
        outFile: join(tmp(), 'r.jsonl'),
        failurePolicy,
        bootstrap: false,
      });
      expect(r.counts).toMatchObject({ samples: 10, judged: 8, errors: 2, pending: 0 });
      expect(r.errors.byCode).toEqual({ 'model_call 500': 2 });
      expect(r.parseFailures.total).toBe(1);
      const expectedN = failurePolicy === 'drop' ? 7 : 8;
      expect(r.metrics!.n).toBe(expectedN);
      expect(r.metrics!.accuracy).toBeCloseTo(failurePolicy === 'drop' ? 1 : 7 / 8, 12);
    }
  });

  it('reads records written before `outcome` existed', () => {
    const { records } = scoreJudgeOutputs({
      outputs: [PANDA, 'x'],
      labels: ['answer1', 'answer1'],
      outputFormat: 'pandalm',
      bootstrap: false,
    });
    const legacy = records.map(({ outcome: _o, ...r }) => r);
    legacy[1] = {
      ...legacy[1]!,
      text: null,
      error: 'boom',
      parse: { ok: false, reason: 'model-error', message: 'boom' },
    };
    const r = summarizeJudgeRecords(legacy, { bootstrap: false });
    expect(r.counts).toMatchObject({ judged: 1, errors: 1 });
    expect(r.parseFailures.total).toBe(0);
  });

  it('retryErrors re-runs this session’s errors once at the end of the pass', async () => {
    const seen = new Map<string, number>();
    const model = createFakeJudgeModel((req) => {
      const n = (seen.get(req.sampleId!) ?? 0) + 1;
      seen.set(req.sampleId!, n);
      if (req.sampleId === 's3' && n === 1) throw new ModelCallError('flaky', { status: 502 });
      return PANDA;
    });
    const r = await evaluateJudgeOnDataset({
      samples: SAMPLES,
      template: 'pandalm/pair',
      model,
      outFile: join(tmp(), 'r.jsonl'),
      retryErrors: true,
      bootstrap: false,
    });
    expect(seen.get('s3')).toBe(2);
    expect(r.counts).toMatchObject({ judged: 10, errors: 0 });
    expect(r.complete).toBe(true);
  });

  it('calls onValidated after checking the existing results and before writing anything', async () => {
    const dir = tmp();
    const outFile = join(dir, 'r.jsonl');
    const model = createFakeJudgeModel(() => PANDA);
    await evaluateJudgeOnDataset({
      samples: SAMPLES.slice(0, 3),
      template: 'pandalm/pair',
      model,
      outFile,
      bootstrap: false,
    });
    const before = readFileSync(outFile, 'utf8');
    let called = false;
    const other = SAMPLES.slice(0, 3).map((s) => ({ ...s, question: 'changed' }));
    await expect(
      evaluateJudgeOnDataset({
        samples: other,
        template: 'pandalm/pair',
        model,
        outFile,
        onValidated: () => {
          called = true;
        },
      }),
    ).rejects.toBeInstanceOf(ConfigError);
    expect(called).toBe(false);
    expect(readFileSync(outFile, 'utf8')).toBe(before);
  });
});

describe('openResultsFileWriter', () => {
  it('batches records queued in one turn into one write, on one handle, and adds a missing newline', async () => {
    const file = join(tmp(), 'w.jsonl');
    writeFileSync(file, '{"a":0}');
    const w = await openResultsFileWriter(file, { fsyncIntervalMs: 10 });
    await Promise.all([1, 2, 3, 4, 5].map((a) => w.append({ a })));
    await w.append({ a: 6 });
    await w.close();
    await w.close();
    expect(w.writes).toBe(2);
    expect(readFileSync(file, 'utf8')).toBe([0, 1, 2, 3, 4, 5, 6].map((a) => `{"a":${a}}`).join('\n') + '\n');
    await expect(w.append({ a: 7 })).rejects.toThrow(/closed/);
  });
});

describe('run identity', () => {
  const fp: RunFingerprint = {
    model: 'm1',
    endpoints: ['http://127.0.0.1:1/v1'],
    template: 'pandalm/pair',
    templateVersion: 1,
    outputFormat: 'pandalm',
    parseMode: 'strict',
    parseOptions: {},
    generation: { temperature: 0 },
    dataHash: datasetContentHash(SAMPLES),
    limit: null,
    swap: false,
    order: 'dataset',
  };
  it('names every differing field with both values and reads only', async () => {
    const file = join(tmp(), 'run.json');
    await checkRunFingerprint(file, fp); // no run.json: fine
    writeFileSync(file, JSON.stringify({ fingerprint: fp }));
    await checkRunFingerprint(file, { ...fp });
    const err = await checkRunFingerprint(file, { ...fp, model: 'm2', parseMode: 'lenient', limit: 5 }).catch(
      (e: unknown) => e,
    );
    expect(ConfigError.isInstance(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /model "m1" → "m2"; parseMode "strict" → "lenient"; limit null → 5/,
    );
    writeFileSync(file, JSON.stringify({ model: 'old' }));
    await expect(checkRunFingerprint(file, fp, { resultsExist: true })).rejects.toThrow(/no run fingerprint/);
  });
  it('hashes content, so an edited dataset differs', () => {
    expect(datasetContentHash(SAMPLES)).not.toBe(
      datasetContentHash([{ ...SAMPLES[0]!, answer1: 'x' }, ...SAMPLES.slice(1)]),
    );
    expect(datasetContentHash(SAMPLES)).toBe(datasetContentHash(SAMPLES.map((s) => ({ ...s }))));
  });
  it('redacts credentials and query strings from URLs', () => {
    expect(redactUrl('http://user:SECRET@host:8000/v1?key=SECRET2')).toBe('http://host:8000/v1?[redacted]');
    expect(redactUrl('not a url user:SECRET@x')).not.toContain('SECRET');
  });
});

describe('checkParseFailureRate', () => {
  it('warns above the threshold with the top reasons and the JudgeLRM post-processed hint', () => {
    const outputs = Array.from({ length: 10 }, (_, i) =>
      i < 8 ? ' ok <answer>8</answer><answer>3</answer>' : '<answer>8</answer><answer>3</answer>',
    );
    const { result } = scoreJudgeOutputs({
      outputs,
      outputFormat: 'judgelrm-answer-tags',
      prefill: '<think>',
      parseOptions: { extraction: 'pandalm-inference' },
      bootstrap: false,
    });
    const c = checkParseFailureRate(result);
    expect(c.exceeded).toBe(true);
    expect(c.rate).toBe(1);
    expect(c.topReasons[0]).toEqual({ reason: 'missing-think-close', count: 10 });
    expect(c.message).toMatch(/WARNING: 10 of 10/);
    expect(c.hint).toMatch(/judgelm-benchmark/);
    const ok = scoreJudgeOutputs({
      outputs,
      outputFormat: 'judgelrm-answer-tags',
      prefill: '<think>',
      parseOptions: { extraction: 'judgelm-benchmark' },
      bootstrap: false,
    });
    expect(checkParseFailureRate(ok.result)).toMatchObject({ exceeded: false, failures: 0 });
    expect(checkParseFailureRate(result, { threshold: 1 }).exceeded).toBe(false);
  });
});
