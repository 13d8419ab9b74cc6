import { evaluateJudge } from '@judgekit/metrics';
import { describe, expect, it, vi } from 'vitest';
import { renderEvaluationReport } from './evaluation-report.js';
import { createProgressBar } from './progress-bar.js';
import { scoreJudgeOutputs } from './score-judge-outputs.js';

const outputs = ['1\n\n### Reason: a', '2\n\n### Reason: b', 'Tie\n\n### Reason: c', 'garbage', '1', '2'];
const labels = ['answer1', 'answer1', 'tie', 'answer2', 'answer1', null] as const;

describe('scoreJudgeOutputs', () => {
  it('parses with the format parser and scores like evaluateJudge', () => {
    const { result, records } = scoreJudgeOutputs({
      outputs,
      labels,
      outputFormat: 'pandalm',
      failurePolicy: 'as-tie',
      bootstrap: { resamples: 100, seed: 3 },
    });
    const preds = ['answer1', 'answer2', 'tie', null, 'answer1', 'answer2'] as const;
    expect(result.predictions).toEqual(preds);
    expect(result.parseFailures.total).toBe(1);
    expect(result.parseFailures.examples[0]).toMatchObject({ id: '3', raw: 'garbage' });
    expect(result.metrics).toEqual(
      evaluateJudge({
        predictions: preds,
        labels,
        failurePolicy: 'as-tie',
        bootstrap: { resamples: 100, seed: 3 },
      }),
    );
    expect(result.metrics!.droppedLabelFailures).toBe(1);
    expect(result.metricsCountSeparately!.predictionFailures).toBe(1);
    expect(records).toHaveLength(6);
  });

  it('reports swap consistency from swapped outputs', () => {
    const { result } = scoreJudgeOutputs({
      outputs: ['1', '2', '1'],
      swappedOutputs: ['2', '1', '1'],
      outputFormat: 'pandalm',
      bootstrap: false,
    });
    expect(result.metrics).toBeUndefined();
    expect(result.swap!.consistency).toBeCloseTo(2 / 3, 12);
    expect(result.swap!.preferFirstRate).toBeCloseTo(1 / 3, 12);
  });

  it('rejects misaligned labels', () => {
    expect(() => scoreJudgeOutputs({ outputs, labels: ['tie'], outputFormat: 'pandalm' })).toThrow(/labels/);
  });
});

describe('renderEvaluationReport', () => {
  const { result } = scoreJudgeOutputs({
    outputs,
    labels,
    outputFormat: 'pandalm',
    bootstrap: { resamples: 50 },
  });

  it('renders a metrics table, failures by reason, a confusion matrix and a chart', () => {
    const rep = renderEvaluationReport(result, { title: 'Tiny <test>' });
    expect(rep.markdown).toMatch(/^# Tiny <test>/);
    expect(rep.markdown).toContain('| judge | accuracy |');
    expect(rep.markdown).toContain(`${result.metrics!.ci!.accuracy.estimate.toFixed(4)} [`);
    expect(rep.markdown).toMatch(/parse failures: 1 in the original order \(`[a-z-]+` 1\)/);
    expect(rep.markdown).toContain('| answer2 | 0 | 0 | 0 | 1 | 0 |');
    expect(rep.markdown).toContain('](report.svg)');
    expect(rep.svg).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>\n$/);
    expect(rep.svg).toContain('Tiny &lt;test&gt;');
    expect(rep.svg.match(/<rect /g)!.length).toBe(1 + 2 + 2); // background, 2 bars, 2 legend keys
    const json = JSON.parse(rep.json);
    expect(json.judges[0].metrics.accuracy).toBe(result.metrics!.accuracy);
    expect(json.judges[0].predictions).toBeUndefined();
  });

  it('compares several named judges side by side', () => {
    const rep = renderEvaluationReport(
      [
        { name: 'A', result, published: [0.5, 0.5, 0.5, 0.5] },
        { name: 'B', result },
      ],
      { title: 'Two', extraJson: { dataset: 'tiny' } },
    );
    expect(rep.markdown).toContain('| A |');
    expect(rep.markdown).toContain('0.5000 / 0.5000');
    expect(rep.svg.match(/<rect /g)!.length).toBe(1 + 4 + 2);
    expect(JSON.parse(rep.json).dataset).toBe('tiny');
  });
});

describe('createProgressBar', () => {
  function stream(isTTY: boolean) {
    const chunks: string[] = [];
    return { chunks, s: { isTTY, columns: 100, write: (c: string) => chunks.push(c) } };
  }

  it('redraws one line on a TTY with rate and ETA', () => {
    let t = 0;
    const { chunks, s } = stream(true);
    const bar = createProgressBar(10, { stream: s, now: () => t, label: 'eval' });
    bar.update(0);
    t = 2000;
    bar.update(4, '1 failure');
    const esc = String.fromCharCode(27);
    expect(chunks.at(-1)!.startsWith('\r')).toBe(true);
    expect(chunks.at(-1)!.endsWith(`${esc}[K`)).toBe(true);
    expect(chunks.at(-1)).toMatch(/^\seval \[#+-+\] 4\/10 {2}40% 2\.0\/s ETA 0:03 1 failure/);
    t = 5000;
    bar.update(10);
    bar.finish();
    bar.finish();
    expect(chunks.at(-1)).toMatch(/10\/10 100%.*\n$/);
    expect(chunks.filter((c) => c.endsWith('\n'))).toHaveLength(1);
  });

  it('writes plain periodic lines when not a TTY', () => {
    let t = 0;
    const { chunks, s } = stream(false);
    const bar = createProgressBar(100, { stream: s, now: () => t, lineIntervalMs: 1000 });
    for (let i = 0; i <= 50; i++) {
      t = i * 100;
      bar.update(i);
    }
    bar.finish();
    expect(chunks.every((c) => !c.includes('\r') && c.endsWith('\n'))).toBe(true);
    expect(chunks.length).toBe(6 + 1);
    expect(chunks.at(-1)).toMatch(/^50\/100 {2}50% 10\.0\/s ETA 0:05\n$/);
  });

  it('prints the real count on a timer when not a TTY, even with no update for a long time', () => {
    vi.useFakeTimers();
    try {
      const { chunks, s } = stream(false);
      const bar = createProgressBar(40, { stream: s, now: () => Date.now(), lineIntervalMs: 10_000 });
      bar.update(0);
      for (let i = 1; i <= 38; i++) bar.update(i);
      expect(chunks).toEqual(['0/40   0% 0.0/s ETA --:--\n']);
      vi.advanceTimersByTime(110_000);
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks.slice(1).every((c) => c.startsWith('38/40 '))).toBe(true);
      bar.finish();
      const n = chunks.length;
      vi.advanceTimersByTime(60_000);
      expect(chunks.length).toBe(n);
    } finally {
      vi.useRealTimers();
    }
  });
});
