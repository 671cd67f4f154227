/**
 * The funnel as a report people can open anywhere: one self-contained HTML file (no external assets, no
 * JavaScript, inline CSS, inline SVG charts with <title>/<desc> and ARIA labels, the same numbers as
 * readable text in tables). Aggregates only: the funnel carries no candidate data, and every piece of
 * text that comes from the database (organization and stage names, sources) is escaped. Pure.
 *
 * The markup is also well-formed XML (void elements self-closed, no named entities beyond the XML five),
 * so tests can check its structure with an XML parser.
 */
import type { FunnelResponse, FunnelStage } from './funnel-schema.js';
import {
  CHART,
  chartSvg,
  clip,
  escapeHtml,
  formatCount,
  formatHours,
  formatPercent,
  leftBarRow,
  num,
} from './html-format.js';
import { recordSections } from './render-record-html.js';

export interface ReportOptions {
  /** Shown under the title (the organization's name; a company, not a person). */
  organizationName?: string;
  /** Human description of the period, e.g. "Applications created 2 Mar 2024 – 31 Mar 2024 (UTC)". */
  periodLabel?: string;
}

export { escapeHtml, formatCount, formatHours, formatPercent } from './html-format.js';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111827; background: #ffffff; }
main { max-width: 1080px; margin: 0 auto; padding: 32px 40px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; border-bottom: 1px solid #e5e7eb; padding-bottom: 6px; }
.org { font-size: 17px; margin: 0; color: #374151; }
.meta { margin: 4px 0 0; color: #4b5563; }
.totals { display: flex; flex-wrap: wrap; gap: 12px; margin: 0; padding: 0; }
.totals div { flex: 1 1 150px; border: 1px solid #d1d5db; border-radius: 8px; padding: 10px 14px; }
.totals dt { color: #4b5563; font-size: 13px; }
.totals dd { margin: 2px 0 0; font-size: 24px; font-weight: 600; }
figure { margin: 0; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; fill: #111827; }
svg .label { font-size: 14px; }
svg .value { font-size: 13px; fill: #1f2937; }
svg .minor { fill: #4b5563; }
svg .funnel { fill: #2563eb; }
svg .time { fill: #0f766e; }
svg .reason { fill: #b45309; }
svg .track { fill: #f3f4f6; }
caption { text-align: left; margin-bottom: 6px; }
figcaption { color: #4b5563; font-size: 13px; margin-top: 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: right; padding: 6px 10px; border-bottom: 1px solid #e5e7eb; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f9fafb; font-weight: 600; }
.empty { padding: 12px 14px; border: 1px dashed #9ca3af; border-radius: 8px; color: #374151; }
footer { margin-top: 36px; color: #4b5563; font-size: 13px; }
footer dt { font-weight: 600; color: #111827; margin-top: 6px; }
footer dd { margin: 0 0 0 0; }
@media print { main { padding: 0; } h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

function funnelChart(stages: FunnelStage[]): string {
  const max = Math.max(0, ...stages.map((s) => s.reached));
  const height = Math.max(1, stages.length) * CHART.row + 10;
  const centre = CHART.barLeft + CHART.barWidth / 2;
  const summary = stages
    .map((s) => `${s.name}: ${formatCount(s.reached)} reached, ${formatCount(s.current)} active now`)
    .join('; ');
  const rows = stages
    .map((s, i) => {
      const y = 5 + i * CHART.row;
      const width = max === 0 ? 0 : (s.reached / max) * CHART.barWidth;
      const counts = `${formatCount(s.reached)} reached \u00b7 ${formatCount(s.current)} active`;
      const onward =
        i < stages.length - 1 ? `${formatPercent(s.conversionToNext)} to next stage` : 'last stage';
      return `<g>
<text class="label" x="${CHART.labelRight}" y="${num(y + CHART.barHeight / 2 + 5)}" text-anchor="end">${escapeHtml(clip(s.name))}</text>
<rect class="track" x="${CHART.barLeft}" y="${y}" width="${CHART.barWidth}" height="${CHART.barHeight}" rx="3" />
<rect class="bar funnel" data-stage="${escapeHtml(s.name)}" x="${num(centre - width / 2)}" y="${y}" width="${num(width)}" height="${CHART.barHeight}" rx="3"><title>${escapeHtml(`${s.name}: ${counts}, ${onward}`)}</title></rect>
<text class="value" x="${CHART.valueLeft}" y="${y + 12}">${escapeHtml(counts)}</text>
<text class="value minor" x="${CHART.valueLeft}" y="${y + 28}">${escapeHtml(onward)}</text>
</g>`;
    })
    .join('\n');
  return `<svg data-chart="funnel" role="img" aria-labelledby="funnel-title funnel-desc" viewBox="0 0 ${CHART.width} ${height}" width="${CHART.width}" height="${height}">
<title id="funnel-title">Hiring funnel: applications that reached each stage</title>
<desc id="funnel-desc">${escapeHtml(summary || 'No stages.')}</desc>
${rows}
</svg>`;
}

function timeChart(stages: FunnelStage[]): string {
  const max = Math.max(0, ...stages.map((s) => s.medianHoursInStage ?? 0));
  const rows = stages.map((s, index) => {
    const hours = s.medianHoursInStage;
    return leftBarRow({
      index,
      label: s.name,
      barClass: 'time',
      data: ['stage', s.name],
      width: hours === null || max === 0 ? 0 : (hours / max) * CHART.barWidth,
      text: hours === null ? 'n/a (no completed stays)' : `median ${formatHours(hours)}`,
    });
  });
  return chartSvg({
    chart: 'time-in-stage',
    id: 'time',
    title: 'Median hours in each stage (completed stays)',
    summary: stages.map((s) => `${s.name}: ${formatHours(s.medianHoursInStage)}`).join('; ') || 'No stages.',
    rows,
  });
}

function stageTable(stages: FunnelStage[]): string {
  const body = stages
    .map(
      (s) =>
        `<tr><th scope="row">${escapeHtml(s.name)}</th><td>${formatCount(s.current)}</td><td>${formatCount(
          s.reached,
        )}</td><td>${formatPercent(s.conversionToNext)}</td><td>${formatHours(s.medianHoursInStage)}</td></tr>`,
    )
    .join('\n');
  return `<table>
<caption class="meta">Stages in funnel order</caption>
<thead><tr><th scope="col">Stage</th><th scope="col">Active now</th><th scope="col">Reached</th><th scope="col">Conversion to next</th><th scope="col">Median time in stage</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

function sourceTable(sources: FunnelResponse['sources']): string {
  if (sources.length === 0) return '<p class="empty">No applications in this scope.</p>';
  const body = sources
    .map(
      (s) =>
        `<tr><th scope="row">${escapeHtml(s.source)}</th><td>${formatCount(s.applications)}</td><td>${formatCount(s.hired)}</td></tr>`,
    )
    .join('\n');
  return `<table>
<caption class="meta">Where applications came from</caption>
<thead><tr><th scope="col">Source</th><th scope="col">Applications</th><th scope="col">Hired</th></tr></thead>
<tbody>
${body}
</tbody>
</table>`;
}

const instant = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function defaultPeriodLabel(scope: FunnelResponse['scope']): string {
  if (scope.from && scope.to)
    return `Applications created from ${instant(scope.from)} until before ${instant(scope.to)}`;
  if (scope.from) return `Applications created from ${instant(scope.from)}`;
  if (scope.to) return `Applications created before ${instant(scope.to)}`;
  return 'All applications';
}

export function renderFunnelHtml(funnel: FunnelResponse, options: ReportOptions = {}): string {
  const { totals, stages } = funnel;
  const period = options.periodLabel ?? defaultPeriodLabel(funnel.scope);
  const generated = instant(funnel.generatedAt);
  const title = `Hiring funnel${options.organizationName ? ` \u2013 ${options.organizationName}` : ''}`;
  const cards: [string, number][] = [
    ['Applications', totals.applications],
    ['Active', totals.active],
    ['Hired', totals.hired],
    ['Rejected', totals.rejected],
    ['Withdrawn', totals.withdrawn],
  ];
  const hireRate = totals.applications === 0 ? null : totals.hired / totals.applications;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="ats-integration-hub analytics export" />
<title>${escapeHtml(`${title} \u2013 ${period}`)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>Hiring funnel</h1>
${options.organizationName ? `<p class="org">${escapeHtml(options.organizationName)}</p>` : ''}
<p class="meta">${escapeHtml(period)} \u00b7 generated ${escapeHtml(generated)}${
    funnel.scope.jobId ? ` \u00b7 job ${escapeHtml(funnel.scope.jobId)}` : ''
  }</p>
</header>
<section aria-labelledby="totals-heading">
<h2 id="totals-heading">Totals</h2>
<dl class="totals">
${cards.map(([label, value]) => `<div><dt>${label}</dt><dd>${formatCount(value)}</dd></div>`).join('\n')}
<div><dt>Hire rate</dt><dd>${formatPercent(hireRate)}</dd></div>
</dl>
${totals.applications === 0 ? '<p class="empty">No applications in this scope: every count is zero and no ratio can be computed.</p>' : ''}
</section>
<section aria-labelledby="funnel-heading">
<h2 id="funnel-heading">Funnel</h2>
<figure>
${funnelChart(stages)}
<figcaption>Bar length: applications that ever reached the stage, relative to the largest stage.</figcaption>
</figure>
</section>
<section aria-labelledby="time-heading">
<h2 id="time-heading">Time in stage</h2>
<figure>
${timeChart(stages)}
<figcaption>Median of completed stays, from entering the stage to the application's next change.</figcaption>
</figure>
</section>
<section aria-labelledby="stages-heading">
<h2 id="stages-heading">Stages</h2>
${stageTable(stages)}
</section>
<section aria-labelledby="sources-heading">
<h2 id="sources-heading">Sources</h2>
${sourceTable(funnel.sources)}
</section>
${recordSections(funnel)}
<footer>
<dl>
<dt>Reached</dt><dd>Applications that ever entered the stage, each counted once even after moving back and forth.</dd>
<dt>Active now</dt><dd>Applications with status active whose current stage is this one.</dd>
<dt>Conversion to next</dt><dd>Reached of the next stage divided by reached of this one; n/a when nobody reached this stage. Across jobs, a stage that only some jobs use can make it exceed 100%.</dd>
<dt>Median time in stage</dt><dd>Completed stays only; n/a when none has completed.</dd>
<dt>Interviews and offers</dt><dd>Interviews that were not cancelled, and offers that reached the candidate; time to first interview runs from the application to its earliest interview.</dd>
<dt>Privacy</dt><dd>This report holds aggregate counts only, no candidate data.</dd>
</dl>
</footer>
</main>
</body>
</html>
`;
}
