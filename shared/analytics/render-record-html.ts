/**
 * The report's recruiting-record part: interviews, offers, time to first interview and the rejection-reason
 * breakdown with its SVG bar chart. Same conventions as render-html.ts (escaped text, XML-well-formed markup,
 * charts with <title>/<desc>). Pure.
 */
import type { FunnelResponse } from './funnel-schema.js';
import { CHART, chartSvg, formatCount, formatHours, formatPercent, leftBarRow } from './html-format.js';

function reasonsChart(reasons: FunnelResponse['rejectionReasons']): string {
  const max = Math.max(0, ...reasons.map((r) => r.count));
  const rows = reasons.map((r, index) =>
    leftBarRow({
      index,
      label: r.name,
      barClass: 'reason',
      data: ['reason', r.name],
      width: max === 0 ? 0 : (r.count / max) * CHART.barWidth,
      text: `${formatCount(r.count)} rejected`,
    }),
  );
  return chartSvg({
    chart: 'rejection-reasons',
    id: 'reasons',
    title: 'Rejected applications by reason',
    summary: reasons.map((r) => `${r.name}: ${formatCount(r.count)}`).join('; ') || 'No rejection reasons.',
    rows,
  });
}

function recordTable(funnel: FunnelResponse): string {
  const rows: [string, string][] = [
    ['Interviews scheduled', formatCount(funnel.interviews.scheduled)],
    ['Interviews completed', formatCount(funnel.interviews.completed)],
    ['Applications interviewed', formatCount(funnel.interviews.applicationsInterviewed)],
    ['Median time to first interview', formatHours(funnel.medianHoursToFirstInterview)],
    ['Offers sent', formatCount(funnel.offers.sent)],
    ['Offers accepted', formatCount(funnel.offers.accepted)],
    ['Offer acceptance rate', formatPercent(funnel.offers.acceptanceRate)],
  ];
  return `<table>
<caption class="meta">Interviews and offers of these applications</caption>
<thead><tr><th scope="col">Measure</th><th scope="col">Value</th></tr></thead>
<tbody>
${rows.map(([label, value]) => `<tr><th scope="row">${label}</th><td>${value}</td></tr>`).join('\n')}
</tbody>
</table>`;
}

export function recordSections(funnel: FunnelResponse): string {
  const reasons =
    funnel.rejectionReasons.length === 0
      ? '<p class="empty">No rejection with a reason in this scope.</p>'
      : `<figure>
${reasonsChart(funnel.rejectionReasons)}
<figcaption>Bar length: rejected applications with the reason, relative to the most common one.</figcaption>
</figure>`;
  return `<section aria-labelledby="record-heading">
<h2 id="record-heading">Interviews and offers</h2>
${recordTable(funnel)}
</section>
<section aria-labelledby="reasons-heading">
<h2 id="reasons-heading">Rejection reasons</h2>
${reasons}
</section>`;
}
