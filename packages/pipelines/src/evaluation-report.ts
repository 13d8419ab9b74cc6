/**
 * Render one or more evaluation results as Markdown, JSON and an SVG bar chart of the headline
 * metrics with their bootstrap intervals (the layout of the PandaLM demo, examples/pandalm-judges.mjs).
 */

import type {
  ConfidenceInterval,
  HeadlineMetric,
  JudgeReport,
  PairedBootstrapReport,
} from '@judgekit/metrics';
import type { ProbabilitySummary } from './judge-probabilities.js';
import type { EvaluationResult, JudgeResultRecord } from './judge-records.js';
import { outcomeConfusion } from './report-outcomes.js';

/** A result with the judge's display name and, optionally, published reference figures. */
export interface NamedEvaluation {
  name: string;
  result: EvaluationResult;
  /** Published accuracy / macro precision / macro recall / macro F1, shown beside ours. */
  published?: readonly [number, number, number, number];
  /** The run's result records, when at hand: they tell failed calls from parse failures exactly. */
  records?: readonly JudgeResultRecord[];
}

/** Options of {@link renderEvaluationReport}. */
export interface EvaluationReportOptions {
  /** Heading of the Markdown and the chart. */
  title: string;
  /** Paragraphs printed under the heading (Markdown). */
  intro?: readonly string[];
  /** A paired bootstrap of the first two judges (`pairedBootstrap` of `@judgekit/metrics`). */
  paired?: { a: string; b: string; report: PairedBootstrapReport };
  /** File name the Markdown links the chart as. Default `'report.svg'`. */
  svgFile?: string;
  /** Metrics drawn in the chart. Default accuracy and macro F1. */
  chartMetrics?: readonly HeadlineMetric[];
  /** Extra top-level fields of the JSON report (dataset description, annotator agreement, …). */
  extraJson?: Readonly<Record<string, unknown>>;
  /** The result records of a single (unnamed) result; see {@link NamedEvaluation.records}. */
  records?: readonly JudgeResultRecord[];
}

/** The rendered report: Markdown text, JSON text (pretty, trailing newline) and SVG text. */
export interface RenderedEvaluationReport {
  markdown: string;
  json: string;
  svg: string;
}

const METRIC_LABEL: Record<HeadlineMetric, string> = {
  accuracy: 'accuracy',
  macroPrecision: 'macro precision',
  macroRecall: 'macro recall',
  macroF1: 'macro F1',
  cohenKappa: "Cohen's kappa",
};

/** A figure to 4 decimals, `n/a` when missing or not finite (package-internal). */
export const f4 = (x: number | null | undefined): string =>
  typeof x === 'number' && Number.isFinite(x) ? x.toFixed(4) : 'n/a';
const ci = (c: ConfidenceInterval): string => `${f4(c.estimate)} [${f4(c.lower)}, ${f4(c.upper)}]`;

/** The point value of a headline metric in a report (package-internal). */
export function headline(report: JudgeReport, metric: HeadlineMetric): number {
  switch (metric) {
    case 'accuracy':
      return report.accuracy;
    case 'macroPrecision':
      return report.macro.precision;
    case 'macroRecall':
      return report.macro.recall;
    case 'macroF1':
      return report.macro.f1;
    case 'cohenKappa':
      return report.cohenKappa;
  }
}

function cell(report: JudgeReport, metric: HeadlineMetric): string {
  const c = report.ci?.[metric];
  return c ? ci(c) : f4(headline(report, metric));
}

/** Strip the per-sample arrays from a result for the JSON report. */
function compact(result: EvaluationResult): Omit<EvaluationResult, 'predictions' | 'labels'> {
  const { predictions: _p, labels: _l, ...rest } = result;
  return rest;
}

/**
 * Render evaluation results. `input` is one result or several named ones (compared side by side,
 * e.g. two judges on the same set). The Markdown has a metrics table (95% bootstrap intervals when
 * the result has them), parse failures by reason, swap consistency, usage, an optional paired
 * bootstrap line, a confusion matrix per judge (with a failure column) and a link to the chart.
 */
export function renderEvaluationReport(
  input: EvaluationResult | readonly NamedEvaluation[],
  options: EvaluationReportOptions,
): RenderedEvaluationReport {
  const judges: readonly NamedEvaluation[] = Array.isArray(input)
    ? (input as readonly NamedEvaluation[])
    : [
        {
          name: (input as EvaluationResult).model || 'judge',
          result: input as EvaluationResult,
          ...(options.records ? { records: options.records } : {}),
        },
      ];
  const svgFile = options.svgFile ?? 'report.svg';
  const lines: string[] = [`# ${options.title}`, ''];
  for (const p of options.intro ?? []) lines.push(p, '');
  for (const { name, result: r } of judges) {
    const errors = r.counts.errors ?? 0;
    const status = r.complete
      ? ''
      : ` — incomplete: ${r.counts.pending} samples pending${errors > 0 ? `, ${errors} errors` : ''}, re-run to resume`;
    lines.push(
      `${name}: template \`${r.templateId}\` (output format \`${r.outputFormat}\`, ${r.parseMode} parsing), ` +
        `judged ${r.counts.judged}/${r.counts.samples}${errors > 0 ? `, ${errors} errors (no usable response: not scored)` : ''}, ${r.counts.labelled} with a reference label; ` +
        `parse failures scored with \`failurePolicy: '${r.failurePolicy}'\`${status}.`,
      '',
    );
  }
  const withMetrics = judges.filter((j) => j.result.metrics !== undefined);
  const anyCi = withMetrics.some((j) => j.result.metrics!.ci !== undefined);
  if (withMetrics.length > 0) {
    if (anyCi) {
      const c = withMetrics.find((j) => j.result.metrics!.ci)!.result.metrics!.ci!.accuracy;
      lines.push(
        `${Math.round(c.confidence * 100)}% percentile bootstrap intervals, ${c.resamples} resamples.`,
        '',
      );
    }
    const published = judges.some((j) => j.published !== undefined);
    lines.push(
      `| judge | accuracy | macro precision | macro recall | macro F1 | Cohen's kappa | n | parse failures |${published ? ' published (acc / P / R / F1) |' : ''}`,
      `| --- | --- | --- | --- | --- | --- | --- | --- |${published ? ' --- |' : ''}`,
    );
    for (const j of withMetrics) {
      const m = j.result.metrics!;
      const pub = published ? ` ${j.published ? j.published.map(f4).join(' / ') : ''} |` : '';
      lines.push(
        `| ${j.name} | ${cell(m, 'accuracy')} | ${cell(m, 'macroPrecision')} | ${cell(m, 'macroRecall')} | ${cell(m, 'macroF1')} | ${cell(m, 'cohenKappa')} | ${m.n} | ${m.predictionFailures} |${pub}`,
      );
    }
    lines.push('');
    for (const j of withMetrics) {
      const s = j.result.metricsCountSeparately;
      if (s)
        lines.push(
          `${j.name} with parse failures counted as wrong instead (\`failurePolicy: 'count-separately'\`): accuracy ${f4(s.accuracy)}, macro F1 ${f4(s.macro.f1)}.`,
        );
    }
    if (withMetrics.some((j) => j.result.metricsCountSeparately)) lines.push('');
  } else {
    lines.push('No reference labels: agreement metrics not computed.', '');
  }
  for (const { name, result: r } of judges) {
    const pf = r.parseFailures;
    const reasons = Object.entries(pf.byReason)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `\`${k}\` ${v}`)
      .join(', ');
    lines.push(
      `${name} parse failures: ${pf.total} in the original order${r.counts.judgedSwapped > 0 ? `, ${pf.swappedTotal} swapped` : ''}${reasons ? ` (${reasons})` : ''}.` +
        (r.counts.modelErrors > 0
          ? ` Errors (no usable response, not scored, retried on resume): ${r.counts.modelErrors}${
              r.errors
                ? ` (${Object.entries(r.errors.byCode)
                    .map(([k, v]) => `\`${k}\` ${v}`)
                    .join(', ')})`
                : ''
            }.`
          : ''),
    );
    if (r.swap) {
      const s = r.swap;
      lines.push(
        `${name} swap consistency over ${s.n} pairs judged in both orders: consistency ${f4(s.consistency)}, ` +
          `prefers first slot ${f4(s.preferFirstRate)}, second slot ${f4(s.preferSecondRate)}, delta bias ${f4(s.deltaBias)}, flip rate ${f4(s.flipRate)}.`,
      );
    }
    if (r.combined) {
      const c = r.combined;
      lines.push(
        `${name} two orders combined with the \`${c.rule.name}\` rule (${c.rule.kind}): accuracy ${c.ci ? ci(c.ci) : f4(c.accuracy)}, ` +
          `${c.correct} of ${c.outOf} correct over ${c.n} pairs (original order alone ${f4(c.perOrder.original.accuracy)}, swapped alone ${f4(c.perOrder.swapped.accuracy)}). ` +
          `Rule: ${c.rule.description} Source: ${c.rule.reference}.`,
      );
    }
    const groups = r.combined?.groups ?? r.metrics?.groups;
    if (groups && Object.keys(groups).length > 0)
      lines.push(
        `${name} by group${r.combined?.groups ? ` (\`${r.combined.rule.name}\` rule)` : ''}: ` +
          Object.entries(groups)
            .map(([g, m]) => `${g} ${f4(m.accuracy)} (${m.correct}/${'outOf' in m ? m.outOf : m.n})`)
            .join(', ') +
          '.',
      );
    if (r.probabilities) lines.push(...probabilityLines(name, r.probabilities));
    if (r.usage.totalTokens > 0 || r.counts.cachedCalls > 0)
      lines.push(
        `${name} usage: ${r.usage.promptTokens} prompt + ${r.usage.completionTokens} completion = ${r.usage.totalTokens} tokens; ${r.counts.cachedCalls} cached calls.`,
      );
  }
  lines.push('');
  if (options.paired) {
    const d = options.paired.report.difference;
    lines.push(
      `Paired bootstrap, ${options.paired.a} − ${options.paired.b}: accuracy ${ci(d.accuracy)} (p = ${d.accuracy.pValue.toFixed(3)}), ` +
        `macro F1 ${ci(d.macroF1)} (p = ${d.macroF1.pValue.toFixed(3)}).`,
      '',
    );
  }
  for (const j of withMetrics) {
    const m = outcomeConfusion(j.result, j.records);
    lines.push(`Confusion matrix of ${j.name} (rows: reference label, columns: judge):`, '');
    lines.push(
      '| | answer1 | answer2 | tie | parse failure | error |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const [t, cls] of m.classes.entries())
      lines.push(`| ${cls} | ${m.verdicts[t]!.join(' | ')} | ${m.parseFailures[t]} | ${m.errors[t]} |`);
    lines.push('');
    const policy = j.result.failurePolicy;
    if (policy !== 'count-separately' && m.parseFailures.some((x) => x > 0))
      lines.push(
        `Parse failures are counted in their own column here; the metrics above scored them ${policy === 'as-tie' ? 'as tie' : 'by dropping them'} (\`failurePolicy: '${policy}'\`).`,
        '',
      );
  }
  const chart = options.chartMetrics ?? ['accuracy', 'macroF1'];
  if (withMetrics.length > 0)
    lines.push(`![${chart.map((k) => METRIC_LABEL[k]).join(' and ')} with intervals](${svgFile})`, '');

  const json = {
    title: options.title,
    ...options.extraJson,
    judges: judges.map((j) => ({
      name: j.name,
      ...(j.published ? { published: j.published } : {}),
      ...compact(j.result),
    })),
    ...(options.paired
      ? { pairedDifference: { a: options.paired.a, b: options.paired.b, ...options.paired.report } }
      : {}),
  };
  return {
    markdown: lines.join('\n'),
    json: `${JSON.stringify(json, null, 2)}\n`,
    svg: renderMetricsSvg(withMetrics, options.title, chart),
  };
}

/** The probability section of one judge: coverage and mass, argmax vs sampled, argmax accuracy apart. */
function probabilityLines(name: string, p: ProbabilitySummary): string[] {
  const unread = Object.entries(p.unreadable)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `\`${k}\` ${v}`)
    .join(', ');
  const out = [
    `${name} probabilities (top log-probs of the answer token, original order): read for ${p.read} of ${p.judged} judgments${unread ? ` (not read: ${unread})` : ''}, mean mass ${f4(p.meanMass)}` +
      (p.meanExpectedScore === undefined ? '' : `, mean expected score ${f4(p.meanExpectedScore)}`) +
      (p.argmax
        ? `; argmax of the distribution equals the sampled verdict in ${p.argmax.agreesWithSampled} of ${p.argmax.comparedWithSampled} (${f4(p.argmax.agreementRate)})`
        : '') +
      '.',
  ];
  if (p.argmax)
    out.push(
      `${name} accuracy of the argmax verdict (the distribution's most likely verdict, not the sampled verdict scored above): ${f4(p.argmax.accuracy)} (${p.argmax.correct}/${p.argmax.labelled} labelled judgments with a distribution).`,
    );
  return out;
}

/** Escape text for HTML / SVG content and attribute values (package-internal). */
export function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const COLORS = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2'];

/** A bar chart of `metrics` per judge with bootstrap whiskers (the PandaLM demo's chart; package-internal). */
export function renderMetricsSvg(
  judges: readonly NamedEvaluation[],
  title: string,
  metrics: readonly HeadlineMetric[],
): string {
  const W = Math.max(520, 70 + judges.length * (metrics.length + 1) * 60);
  const H = 300;
  const left = 50;
  const bottom = 250;
  const top = 30;
  const y = (v: number) => bottom - (bottom - top) * Math.max(0, Math.min(1, Number.isFinite(v) ? v : 0));
  const groupW = (W - left - 20) / Math.max(1, judges.length);
  const barW = groupW / (metrics.length + 1);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12" role="img" aria-label="${esc(title)}">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>`,
  ];
  for (let t = 0; t <= 10; t += 2) {
    const v = t / 10;
    parts.push(`<line x1="${left}" x2="${W - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`);
  }
  if (judges.length === 0)
    parts.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no labelled samples</text>`);
  judges.forEach((j, g) => {
    const x0 = left + g * groupW + barW / 2;
    const report = j.result.metrics!;
    metrics.forEach((key, m) => {
      const c = report.ci?.[key];
      const est = c ? c.estimate : headline(report, key);
      const x = x0 + m * barW;
      parts.push(
        `<rect x="${x}" y="${y(est)}" width="${barW - 6}" height="${bottom - y(est)}" fill="${COLORS[m % COLORS.length]}"/>`,
      );
      const cx = x + (barW - 6) / 2;
      const labelY = c ? y(c.upper) - 4 : y(est) - 4;
      if (c) parts.push(`<line x1="${cx}" x2="${cx}" y1="${y(c.lower)}" y2="${y(c.upper)}" stroke="black"/>`);
      parts.push(
        `<text x="${cx}" y="${labelY}" text-anchor="middle">${Number.isFinite(est) ? est.toFixed(3) : 'n/a'}</text>`,
      );
    });
    parts.push(`<text x="${x0 + barW - 3}" y="${bottom + 18}" text-anchor="middle">${esc(j.name)}</text>`);
  });
  metrics.forEach((key, m) => {
    parts.push(
      `<rect x="${left + 10 + m * 110}" y="${H - 22}" width="12" height="12" fill="${COLORS[m % COLORS.length]}"/>`,
    );
    parts.push(`<text x="${left + 28 + m * 110}" y="${H - 12}">${METRIC_LABEL[key]}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
