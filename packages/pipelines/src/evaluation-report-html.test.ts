import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEvaluationReport } from './evaluation-report.js';
import { renderEvaluationHtml } from './evaluation-report-html.js';
import { writeEvaluationReport } from './evaluation-run-files.js';
import { summarizeJudgeRecords } from './judge-records.js';
import { outcomeConfusion } from './report-outcomes.js';
import { scoreJudgeOutputs } from './score-judge-outputs.js';

const outputs = ['1\n\n### Reason: a', '2', 'Tie', '<script>alert("x")</script> & more', '1', '2'];
const labels = ['answer1', 'answer1', 'tie', 'answer2', 'answer2', 'tie'] as const;

describe('outcomeConfusion and the Markdown confusion matrix', () => {
  it('shows a parse failure scored as tie in the failure column, not as a tie', () => {
    const { result, records } = scoreJudgeOutputs({
      outputs,
      labels,
      outputFormat: 'pandalm',
      failurePolicy: 'as-tie',
      bootstrap: false,
    });
    // The metrics fold the failure into tie…
    expect(result.metrics!.confusion.failures).toEqual([0, 0, 0]);
    // …the report does not.
    const c = outcomeConfusion(result, records);
    expect(c.verdicts).toEqual([
      [1, 1, 0],
      [1, 0, 0],
      [0, 1, 1],
    ]);
    expect(c.parseFailures).toEqual([0, 1, 0]);
    expect(c.errors).toEqual([0, 0, 0]);
    expect(c.total).toBe(6);
    const md = renderEvaluationReport(result, { title: 't', records }).markdown;
    expect(md).toContain('| answer2 | 1 | 0 | 0 | 1 | 0 |');
    expect(md).toContain("scored them as tie (`failurePolicy: 'as-tie'`)");
  });

  it('tells a failed model call (error) from a parse failure', () => {
    const { records } = scoreJudgeOutputs({ outputs, labels, outputFormat: 'pandalm', bootstrap: false });
    const failed = {
      ...records[4]!,
      text: null,
      parse: { ok: false as const, reason: 'model-error', message: 'HTTP 500' },
      verdict: null,
      verdictAsJudged: null,
      outcome: 'error' as const,
      error: 'HTTP 500',
    };
    const all = [...records.slice(0, 4), failed, records[5]!];
    const result = summarizeJudgeRecords(all, { samples: 6, bootstrap: false });
    const c = outcomeConfusion(result, all);
    expect(c.parseFailures).toEqual([0, 1, 0]);
    expect(c.errors).toEqual([0, 1, 0]);
    const html = renderEvaluationHtml(result, { title: 'errors', records: all });
    expect(html).toMatch(/title="errors \(no usable response\)">1</);
  });

  it('prints the interval note once', () => {
    const { result } = scoreJudgeOutputs({
      outputs,
      labels,
      outputFormat: 'pandalm',
      bootstrap: { resamples: 20 },
    });
    const md = renderEvaluationReport(result, { title: 't' }).markdown;
    expect(md.match(/percentile bootstrap intervals/g)).toHaveLength(1);
  });
});

describe('renderEvaluationHtml', () => {
  const { result, records } = scoreJudgeOutputs({
    outputs,
    swappedOutputs: ['2', '1', 'Tie', '1', '1', '1'],
    labels,
    outputFormat: 'pandalm',
    judge: 'judge <b>A</b>',
    bootstrap: { resamples: 50, seed: 1 },
  });
  const html = renderEvaluationHtml(result, {
    title: 'Report <title>',
    intro: ['Parsed with `parsePandaLm`.'],
    records,
    categories: ['math', 'math', 'code', 'code', null, 'code'],
    config: { template: 'pandalm/pair', swap: true, note: '<i>x</i>' },
  });

  it('is one self-contained page with no script and no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\ssrc=|\shref=|@import|url\(/i);
    expect(html.match(/https?:\/\/[^"]*/g)!.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('escapes every string from the data', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    expect(html).toContain('judge &lt;b&gt;A&lt;/b&gt;');
    expect(html).toContain('<title>Report &lt;title&gt;</title>');
    expect(html).toContain('&lt;i&gt;x&lt;/i&gt;');
    expect(html).toContain('<code>parsePandaLm</code>');
    expect(html).not.toContain('<b>A</b>');
  });

  it('has the headline with intervals, the heatmap, categories, swap, failures and config', () => {
    const ci = result.metrics!.ci!.accuracy;
    expect(html).toContain(
      `${ci.estimate.toFixed(4)}<span class="ci">[${ci.lower.toFixed(4)}, ${ci.upper.toFixed(4)}]</span>`,
    );
    expect(html).toContain('50 resamples');
    expect(html).toContain('<th>parse failure</th><th>error</th>');
    expect(html).toMatch(/title="parse failures">1</);
    // Categories: code has samples 2, 3, 5 labelled; sample 4 has none.
    expect(html).toMatch(/<td class="l">code<\/td><td>3<\/td>/);
    expect(html).toMatch(/<td class="l">math<\/td><td>2<\/td><td>0\.5000<\/td>/);
    expect(html).toContain(`<td>${result.swap!.consistency.toFixed(4)}</td>`);
    expect(html).toContain('aria-label="swap consistency"');
    expect(html).toMatch(/<code>[a-z-]+<\/code><\/td><td>1<\/td>/);
    expect(html).toContain('<th class="l">swap</th><td class="l"><code>true</code></td>');
    expect(html).not.toContain('Score histograms'); // PandaLM verdicts carry no scores
  });

  it('draws score histograms when the judgments carry scores', () => {
    const s = scoreJudgeOutputs({
      outputs: ['8 7\nok', '3 9\nok', '5 5\nok', 'nonsense'],
      labels: ['answer1', 'answer2', 'tie', 'tie'],
      outputFormat: 'judgelm-scores',
      bootstrap: false,
    });
    const h = renderEvaluationHtml(s.result, { title: 'scores', records: s.records });
    expect(h).toContain('Score histograms');
    expect(h).toContain('score of answer 1 (n = 3)');
    expect(h).toContain('score difference (answer 1 − answer 2) (n = 3)');
    expect(h).toContain('<title>-6: 1</title>');
  });

  it('says so when there are no labels', () => {
    const s = scoreJudgeOutputs({ outputs: ['1', '2'], outputFormat: 'pandalm', bootstrap: false });
    const h = renderEvaluationHtml(s.result, { title: 'no labels' });
    expect(h).toContain('No reference labels');
    expect(h).toContain('Not measured');
  });
});

describe('writeEvaluationReport', () => {
  it('writes report.html beside report.md with the run settings of run.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'judgekit-html-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'run.json'), JSON.stringify({ template: 'pandalm/pair', samples: 6 }));
      const { result } = scoreJudgeOutputs({ outputs, labels, outputFormat: 'pandalm', bootstrap: false });
      const written = await writeEvaluationReport(dir, result, { title: 'w' });
      expect(written.html).toBe(join(dir, 'report.html'));
      const html = await readFile(written.html, 'utf8');
      expect(html).toContain('<th class="l">template</th><td class="l">pandalm/pair</td>');
      expect(await readFile(written.markdown, 'utf8')).toContain('| parse failure | error |');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
