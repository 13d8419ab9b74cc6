/**
 * Render evaluation results as one self-contained HTML page (`report.html`): inline CSS and SVG,
 * no script, no external resource (a Content-Security-Policy forbids any fetch), so it opens from
 * disk, from a CI artifact or an e-mail attachment the same way.
 *
 * Sections: headline metrics with bootstrap intervals and counts, a chart of them, a confusion
 * matrix heatmap per judge with parse failures and errors as their own columns, per-category
 * results (when categories are given), swap consistency and position bias, score histograms (when
 * the run's records carry scores), parse-failure reasons with example raw texts, a paired
 * bootstrap, and the run's configuration.
 */

import { type HeadlineMetric, type JudgeReport, evaluateJudge } from '@judgekit/metrics';
import {
  type EvaluationReportOptions,
  esc,
  f4,
  headline,
  type NamedEvaluation,
  renderMetricsSvg,
} from './evaluation-report.js';
import type { EvaluationResult, JudgeResultRecord } from './judge-records.js';
import { type OutcomeConfusion, errorIndices, outcomeConfusion } from './report-outcomes.js';

/** Options of {@link renderEvaluationHtml}: those of the Markdown report, plus what only HTML shows. */
export interface EvaluationHtmlOptions extends Omit<EvaluationReportOptions, 'svgFile' | 'extraJson'> {
  /**
   * Category of each sample, aligned with the dataset (the result's `predictions`); `null` or
   * `undefined` for none. With at least one category, a per-category table is drawn.
   */
  categories?: readonly (string | null | undefined)[];
  /** The run's configuration (e.g. the contents of `run.json`), shown as a table. */
  config?: Readonly<Record<string, unknown>>;
  /** Example raw texts shown per parse-failure reason. Default 3. */
  examplesPerReason?: number;
}

const METRICS: readonly [HeadlineMetric, string][] = [
  ['accuracy', 'accuracy'],
  ['macroPrecision', 'macro precision'],
  ['macroRecall', 'macro recall'],
  ['macroF1', 'macro F1'],
  ['cohenKappa', "Cohen's kappa"],
];

const STYLE = `
:root{color-scheme:light;--fg:#1d2330;--muted:#5b6478;--line:#d9dde5;--bg:#fff;--accent:#4c78a8}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
p{margin:6px 0}.muted{color:var(--muted)}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:right;vertical-align:top}
th{background:#f4f6f9;font-weight:600}td.l,th.l{text-align:left}
.ci{display:block;color:var(--muted);font-size:12px;white-space:nowrap}
.hm td{min-width:74px;text-align:center}
.hm td.fail{outline:1px dashed #b55}
.hm td.err{outline:1px dashed #777}
pre{background:#f7f7f9;border:1px solid var(--line);padding:8px;white-space:pre-wrap;word-break:break-word;max-height:240px;overflow:auto;margin:4px 0 10px;font-size:12px}
code{background:#f1f3f6;padding:0 3px;border-radius:3px}
details{margin:4px 0}summary{cursor:pointer}
.charts{display:flex;flex-wrap:wrap;gap:16px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;

/** Escaped text with Markdown-style `code` spans turned into <code> (the intro lines use them). */
function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function metricCell(report: JudgeReport, metric: HeadlineMetric): string {
  const c = report.ci?.[metric];
  if (!c) return `<td>${f4(headline(report, metric))}</td>`;
  return `<td>${f4(c.estimate)}<span class="ci">[${f4(c.lower)}, ${f4(c.upper)}]</span></td>`;
}

/** Background of a heatmap cell: `share` in [0, 1] of its row, in the hue of its kind. */
function heat(share: number, kind: 'hit' | 'miss' | 'fail' | 'err'): string {
  const s = Number.isFinite(share) ? Math.max(0, Math.min(1, share)) : 0;
  const hue = { hit: 145, miss: 212, fail: 5, err: 0 }[kind];
  const sat = kind === 'err' ? 0 : 55;
  const light = Math.round(97 - s * 50);
  const fg = light < 62 ? '#fff' : '#1d2330';
  return `background:hsl(${hue} ${sat}% ${light}%);color:${fg}`;
}

function confusionTable(c: OutcomeConfusion): string {
  const head = ['', ...c.classes, 'parse failure', 'error', 'total']
    .map((h, i) => `<th${i === 0 ? ' class="l"' : ''}>${esc(h)}</th>`)
    .join('');
  const rows = c.classes.map((cls, t) => {
    const v = c.verdicts[t]!;
    const rowTotal = v.reduce((a, b) => a + b, 0) + c.parseFailures[t]! + c.errors[t]!;
    const share = (x: number) => (rowTotal > 0 ? x / rowTotal : 0);
    const cells = v.map(
      (x, p) =>
        `<td style="${heat(share(x), p === t ? 'hit' : 'miss')}" title="${x} of ${rowTotal}">${x}</td>`,
    );
    cells.push(
      `<td class="fail" style="${heat(share(c.parseFailures[t]!), 'fail')}" title="parse failures">${c.parseFailures[t]}</td>`,
      `<td class="err" style="${heat(share(c.errors[t]!), 'err')}" title="errors (no usable response)">${c.errors[t]}</td>`,
      `<td>${rowTotal}</td>`,
    );
    return `<tr><th class="l">${esc(cls)}</th>${cells.join('')}</tr>`;
  });
  return `<table class="hm"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Bins of a histogram: one per distinct value when there are few, else equal-width bins. */
function histogramBins(values: readonly number[]): { label: string; count: number }[] {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  if (distinct.length <= 21) {
    const counts = new Map<number, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return distinct.map((v) => ({ label: String(Number(v.toFixed(3))), count: counts.get(v)! }));
  }
  const lo = distinct[0]!;
  const hi = distinct.at(-1)!;
  const k = 20;
  const w = (hi - lo) / k;
  const edge = (i: number) => {
    const x = lo + i * w;
    return Math.abs(x) < w * 1e-6 ? '0' : Number(x.toPrecision(3)).toString();
  };
  const bins = Array.from({ length: k }, (_, i) => ({ label: edge(i), count: 0 }));
  for (const v of values) bins[Math.min(k - 1, Math.floor((v - lo) / w))]!.count++;
  return bins;
}

function histogramSvg(title: string, values: readonly number[]): string {
  const bins = histogramBins(values);
  const W = 340;
  const H = 190;
  const left = 36;
  const bottom = 150;
  const top = 26;
  const max = Math.max(1, ...bins.map((b) => b.count));
  const bw = (W - left - 10) / Math.max(1, bins.length);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<text x="${W / 2}" y="14" text-anchor="middle" font-size="12">${esc(title)} (n = ${values.length})</text>`,
    `<line x1="${left}" x2="${W - 10}" y1="${bottom}" y2="${bottom}" stroke="#999"/>`,
    `<text x="${left - 4}" y="${top + 4}" text-anchor="end">${max}</text>`,
    `<text x="${left - 4}" y="${bottom}" text-anchor="end">0</text>`,
  ];
  const every = Math.ceil(bins.length / 10);
  bins.forEach((b, i) => {
    const h = ((bottom - top) * b.count) / max;
    const x = left + i * bw;
    parts.push(
      `<rect x="${x + 1}" y="${bottom - h}" width="${Math.max(1, bw - 2)}" height="${h}" fill="#4c78a8"><title>${esc(b.label)}: ${b.count}</title></rect>`,
    );
    if (i % every === 0)
      parts.push(`<text x="${x + bw / 2}" y="${bottom + 14}" text-anchor="middle">${esc(b.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Scores the judge gave in the original order, by series (answer 1, answer 2, difference, rating). */
function scoreSeries(records: readonly JudgeResultRecord[]): [string, number[]][] {
  const a: number[] = [];
  const b: number[] = [];
  const d: number[] = [];
  const rating: number[] = [];
  const latest = new Map<number, JudgeResultRecord>();
  for (const r of records) if (r.order === 'original') latest.set(r.index, r);
  for (const r of latest.values()) {
    if (!r.parse.ok) continue;
    const j = r.parse.judgment;
    if (j.kind === 'pairwise' && j.scores) {
      const [s1, s2] = j.scores;
      if (Number.isFinite(s1) && Number.isFinite(s2)) {
        a.push(s1);
        b.push(s2);
        d.push(s1 - s2);
      }
    } else if (j.kind === 'rating' && Number.isFinite(j.score)) rating.push(j.score);
    else if (j.kind === 'multi-scores' && j.scores.length >= 2) {
      a.push(j.scores[0]!);
      b.push(j.scores[1]!);
      d.push(j.scores[0]! - j.scores[1]!);
    }
  }
  const out: [string, number[]][] = [];
  if (a.length > 0)
    out.push(
      ['score of answer 1', a],
      ['score of answer 2', b],
      ['score difference (answer 1 − answer 2)', d],
    );
  if (rating.length > 0) out.push(['rating', rating]);
  return out;
}

function categoryTable(
  result: EvaluationResult,
  categories: readonly (string | null | undefined)[],
  records: readonly JudgeResultRecord[] | undefined,
): string {
  const errors = errorIndices(result, records);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < result.labels.length; i++) {
    const cat = categories[i];
    if (cat === null || cat === undefined || result.labels[i] === null) continue;
    const g = groups.get(cat) ?? [];
    g.push(i);
    groups.set(cat, g);
  }
  if (groups.size === 0) return '<p class="muted">No labelled sample has a category.</p>';
  const rows = [...groups.entries()]
    .sort((x, y) => x[0].localeCompare(y[0]))
    .map(([cat, idx]) => {
      const m = evaluateJudge({
        predictions: idx.map((i) => result.predictions[i]!),
        labels: idx.map((i) => result.labels[i]!),
        failurePolicy: result.failurePolicy,
      });
      const err = idx.filter((i) => errors.has(i)).length;
      const pf = idx.filter((i) => result.predictions[i] === null).length - err;
      return `<tr><td class="l">${esc(cat)}</td><td>${idx.length}</td><td>${f4(m.accuracy)}</td><td>${f4(m.macro.f1)}</td><td>${pf}</td><td>${err}</td></tr>`;
    });
  return (
    '<table><thead><tr><th class="l">category</th><th>labelled</th><th>accuracy</th><th>macro F1</th><th>parse failures</th><th>errors</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function swapBar(s: NonNullable<EvaluationResult['swap']>): string {
  const parts: [string, number, string][] = [
    ['consistent', s.consistency, '#54a24b'],
    ['prefers first slot', s.preferFirstRate, '#f58518'],
    ['prefers second slot', s.preferSecondRate, '#4c78a8'],
  ];
  const rest = Math.max(0, 1 - parts.reduce((a, p) => a + (Number.isFinite(p[1]) ? p[1] : 0), 0));
  parts.push(['other', rest, '#bbb']);
  const W = 640;
  let x = 0;
  const rects = parts.map(([label, v, color]) => {
    const w = (Number.isFinite(v) ? v : 0) * W;
    const r = `<rect x="${x}" y="0" width="${w}" height="18" fill="${color}"><title>${esc(label)}: ${f4(v)}</title></rect>`;
    x += w;
    return r;
  });
  const legend = parts
    .map(
      ([label, v, color], i) =>
        `<rect x="${i * 160}" y="26" width="10" height="10" fill="${color}"/><text x="${i * 160 + 14}" y="35">${esc(label)} ${f4(v)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="42" font-family="sans-serif" font-size="11" role="img" aria-label="swap consistency">${rects.join('')}${legend}</svg>`;
}

function configValue(v: unknown): string {
  if (typeof v === 'string') return esc(v);
  return `<code>${esc(JSON.stringify(v))}</code>`;
}

/**
 * Render one result, or several named ones side by side, as a self-contained HTML page. Every
 * string from the data (judge names, raw judge texts, categories, configuration) is escaped.
 * Pass each judge's `records` (the run's results file) for score histograms and for telling
 * failed calls from parse failures exactly.
 */
export function renderEvaluationHtml(
  input: EvaluationResult | readonly NamedEvaluation[],
  options: EvaluationHtmlOptions,
): string {
  const judges: readonly NamedEvaluation[] = Array.isArray(input)
    ? (input as readonly NamedEvaluation[])
    : [
        {
          name: (input as EvaluationResult).model || 'judge',
          result: input as EvaluationResult,
          ...(options.records ? { records: options.records } : {}),
        },
      ];
  const perReason = options.examplesPerReason ?? 3;
  const withMetrics = judges.filter((j) => j.result.metrics !== undefined);
  const published = judges.some((j) => j.published !== undefined);
  const out: string[] = [];
  out.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(options.title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${esc(options.title)}</h1>`,
  );
  for (const p of options.intro ?? []) out.push(`<p>${inline(p)}</p>`);

  // Headline.
  out.push('<h2 id="headline">Headline metrics</h2>');
  if (withMetrics.length === 0) {
    out.push('<p>No reference labels: agreement metrics not computed.</p>');
  } else {
    const c = withMetrics.find((j) => j.result.metrics?.ci)?.result.metrics?.ci?.accuracy;
    if (c)
      out.push(
        `<p class="muted">Intervals: ${Math.round(c.confidence * 100)}% percentile bootstrap, ${c.resamples} resamples.</p>`,
      );
    out.push(
      '<table><thead><tr><th class="l">judge</th>' +
        METRICS.map(([, label]) => `<th>${esc(label)}</th>`).join('') +
        '<th>n scored</th><th>parse failures</th><th>errors</th><th>failure policy</th>' +
        (published ? '<th>published (acc / P / R / F1)</th>' : '') +
        '</tr></thead><tbody>',
    );
    for (const j of withMetrics) {
      const m = j.result.metrics!;
      const oc = outcomeConfusion(j.result, j.records);
      const errs = oc.errors.reduce((a, b) => a + b, 0);
      const fails = oc.parseFailures.reduce((a, b) => a + b, 0);
      out.push(
        `<tr><td class="l">${esc(j.name)}</td>${METRICS.map(([k]) => metricCell(m, k)).join('')}` +
          `<td>${m.n}</td><td>${fails}</td><td>${errs}</td><td><code>${esc(m.failurePolicy)}</code></td>` +
          (published ? `<td>${j.published ? j.published.map(f4).join(' / ') : ''}</td>` : '') +
          '</tr>',
      );
    }
    out.push('</tbody></table>');
    for (const j of withMetrics) {
      const s = j.result.metricsCountSeparately;
      if (s)
        out.push(
          `<p>${esc(j.name)} with parse failures counted as wrong instead (<code>failurePolicy: 'count-separately'</code>): accuracy ${f4(s.accuracy)}, macro F1 ${f4(s.macro.f1)}.</p>`,
        );
    }
    out.push(
      `<div>${renderMetricsSvg(withMetrics, options.title, options.chartMetrics ?? ['accuracy', 'macroF1'])}</div>`,
    );
  }
  out.push(
    '<h3>Counts</h3><table><thead><tr><th class="l">judge</th><th>samples</th><th>judged</th><th>judged swapped</th><th>pending</th><th>labelled</th><th>failed calls</th><th>cached calls</th><th>tokens</th></tr></thead><tbody>',
  );
  for (const { name, result: r } of judges) {
    const k = r.counts;
    out.push(
      `<tr><td class="l">${esc(name)}${r.complete ? '' : ' <strong>(incomplete)</strong>'}</td><td>${k.samples}</td><td>${k.judged}</td><td>${k.judgedSwapped}</td><td>${k.pending}</td><td>${k.labelled}</td><td>${k.modelErrors}</td><td>${k.cachedCalls}</td><td>${r.usage.totalTokens}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  if (options.paired) {
    const d = options.paired.report.difference;
    out.push(
      `<p>Paired bootstrap, ${esc(options.paired.a)} − ${esc(options.paired.b)}: accuracy ${f4(d.accuracy.estimate)} [${f4(d.accuracy.lower)}, ${f4(d.accuracy.upper)}] (p = ${d.accuracy.pValue.toFixed(3)}), ` +
        `macro F1 ${f4(d.macroF1.estimate)} [${f4(d.macroF1.lower)}, ${f4(d.macroF1.upper)}] (p = ${d.macroF1.pValue.toFixed(3)}).</p>`,
    );
  }

  // Confusion.
  if (withMetrics.length > 0) {
    out.push(
      '<h2 id="confusion">Confusion matrices</h2>',
      '<p class="muted">Rows: reference label; columns: the judge. Shading is the share of the row. Parse failures and errors (no usable response) have their own columns, whatever the failure policy scored them as.</p>',
    );
    for (const j of withMetrics)
      out.push(`<h3>${esc(j.name)}</h3>`, confusionTable(outcomeConfusion(j.result, j.records)));
  }

  // Categories.
  if (options.categories?.some((c) => c !== null && c !== undefined)) {
    out.push('<h2 id="categories">By category</h2>');
    for (const j of withMetrics)
      out.push(`<h3>${esc(j.name)}</h3>`, categoryTable(j.result, options.categories, j.records));
  }

  // Swap.
  const swapped = judges.filter((j) => j.result.swap !== undefined);
  out.push('<h2 id="swap">Swap consistency and position bias</h2>');
  if (swapped.length === 0) {
    out.push(
      '<p class="muted">Not measured: the run did not judge the samples with the answers swapped.</p>',
    );
  } else {
    out.push(
      '<table><thead><tr><th class="l">judge</th><th>pairs</th><th>failures</th><th>consistency</th><th>prefers first slot</th><th>prefers second slot</th><th>delta bias</th><th>total bias</th><th>flip rate</th></tr></thead><tbody>',
    );
    for (const { name, result } of swapped) {
      const s = result.swap!;
      out.push(
        `<tr><td class="l">${esc(name)}</td><td>${s.n}</td><td>${s.failures}</td><td>${f4(s.consistency)}</td><td>${f4(s.preferFirstRate)}</td><td>${f4(s.preferSecondRate)}</td><td>${f4(s.deltaBias)}</td><td>${f4(s.totalBias)}</td><td>${f4(s.flipRate)}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
    for (const { name, result } of swapped) out.push(`<h3>${esc(name)}</h3>`, swapBar(result.swap!));
  }

  // Probabilities (with `probabilities` / `--top-logprobs`): an extra view beside the sampled verdicts.
  const withProbabilities = judges.filter((j) => j.result.probabilities !== undefined);
  if (withProbabilities.length > 0) {
    out.push(
      '<h2 id="probabilities">Probabilities from top log-probs</h2>',
      '<p class="muted">Read from the answer token\'s top log-probabilities (original order). The verdicts scored above are the sampled ones; the argmax accuracy is a separate figure.</p>',
      '<table><thead><tr><th class="l">judge</th><th>read</th><th>judged</th><th>not read</th><th>mean mass</th><th>mean expected score</th><th>argmax = sampled</th><th>argmax accuracy</th></tr></thead><tbody>',
    );
    for (const { name, result } of withProbabilities) {
      const p = result.probabilities!;
      const unread = Object.entries(p.unreadable)
        .sort((x, y) => y[1] - x[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      const agree = p.argmax
        ? `${f4(p.argmax.agreementRate)} (${p.argmax.agreesWithSampled}/${p.argmax.comparedWithSampled})`
        : '';
      const acc = p.argmax ? `${f4(p.argmax.accuracy)} (${p.argmax.correct}/${p.argmax.labelled})` : '';
      out.push(
        `<tr><td class="l">${esc(name)}</td><td>${p.read}</td><td>${p.judged}</td><td class="l">${esc(unread)}</td><td>${f4(p.meanMass)}</td><td>${p.meanExpectedScore === undefined ? '' : f4(p.meanExpectedScore)}</td><td>${agree}</td><td>${acc}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }

  // Scores.
  const series = judges.map((j) => ({ name: j.name, series: j.records ? scoreSeries(j.records) : [] }));
  if (series.some((s) => s.series.length > 0)) {
    out.push('<h2 id="scores">Score histograms</h2>');
    for (const s of series) {
      if (s.series.length === 0) continue;
      out.push(
        `<h3>${esc(s.name)}</h3><div class="charts">`,
        ...s.series.map(([t, v]) => histogramSvg(t, v)),
        '</div>',
      );
    }
  }

  // Parse failures.
  out.push('<h2 id="failures">Parse failures and errors</h2>');
  for (const { name, result: r } of judges) {
    const pf = r.parseFailures;
    const reasons = Object.entries(pf.byReason).sort((a, b) => b[1] - a[1]);
    out.push(`<h3>${esc(name)}</h3>`);
    if (reasons.length === 0) {
      out.push('<p>None: every response parsed.</p>');
      continue;
    }
    out.push(
      `<p>${pf.total} in the original order${r.counts.judgedSwapped > 0 ? `, ${pf.swappedTotal} swapped` : ''}.</p>`,
      '<table><thead><tr><th class="l">reason</th><th>count</th></tr></thead><tbody>',
      ...reasons.map(([k, v]) => `<tr><td class="l"><code>${esc(k)}</code></td><td>${v}</td></tr>`),
      '</tbody></table>',
    );
    for (const [reason, count] of reasons) {
      const ex = pf.examples.filter((e) => e.reason === reason).slice(0, perReason);
      if (ex.length === 0) continue;
      out.push(
        `<details${reason === reasons[0]![0] ? ' open' : ''}><summary><code>${esc(reason)}</code>: ${ex.length} of ${count} example${count === 1 ? '' : 's'}</summary>`,
        ...ex.map(
          (e) =>
            `<p class="muted">sample <code>${esc(e.id)}</code>, ${esc(e.order)} order</p><pre>${esc(e.raw) || '<em>(empty text)</em>'}</pre>`,
        ),
        '</details>',
      );
    }
  }

  // Configuration.
  out.push('<h2 id="config">Run configuration</h2>');
  for (const { name, result: r } of judges) {
    const rows: [string, unknown][] = [
      ['model', r.model],
      ['template', r.templateId],
      ['output format', r.outputFormat],
      ['parse mode', r.parseMode],
      ['failure policy', r.failurePolicy],
      ['usage', r.usage],
    ];
    out.push(
      `<h3>${esc(name)}</h3><table><tbody>`,
      ...rows.map(([k, v]) => `<tr><th class="l">${esc(k)}</th><td class="l">${configValue(v)}</td></tr>`),
      '</tbody></table>',
    );
  }
  if (options.config) {
    out.push(
      '<h3>Run settings</h3><table><tbody>',
      ...Object.entries(options.config).map(
        ([k, v]) => `<tr><th class="l">${esc(k)}</th><td class="l">${configValue(v)}</td></tr>`,
      ),
      '</tbody></table>',
    );
  }
  out.push(
    '<footer>Written by <code>@judgekit/pipelines</code> <code>renderEvaluationHtml</code>. Self-contained: no scripts, no network.</footer>',
    '</body></html>',
    '',
  );
  return out.join('\n');
}
