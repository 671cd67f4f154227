import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  formatHours,
  formatPercent,
  renderFunnelHtml,
} from '../../../shared/analytics/render-html.js';
import { emptied, marchFunnel } from './funnel-builders.js';
import { reportProblems } from './report-structure.js';

const HOSTILE = `<img src=x onerror=alert(1)> & "quotes" 'apostrophes'`;

const funnel = marchFunnel({
  totals: { applications: 1240, active: 530, hired: 42, rejected: 600, withdrawn: 68 },
  stages: [
    {
      name: 'Screening',
      order: 0,
      current: 210,
      reached: 1240,
      conversionToNext: 0.6667,
      medianHoursInStage: 9,
    },
    {
      name: 'Shortlist',
      order: 1,
      current: 120,
      reached: 827,
      conversionToNext: 0,
      medianHoursInStage: 30.25,
    },
    { name: HOSTILE, order: 2, current: 0, reached: 0, conversionToNext: null, medianHoursInStage: null },
    { name: 'Offer', order: 3, current: 30, reached: 66, conversionToNext: 0.6364, medianHoursInStage: 100 },
    {
      name: 'Offer Accepted',
      order: 4,
      current: 0,
      reached: 42,
      conversionToNext: null,
      medianHoursInStage: null,
    },
  ],
  sources: [
    { source: 'portal', applications: 900, hired: 30 },
    { source: 'greenhouse', applications: 340, hired: 12 },
  ],
});

const zero = emptied(funnel);

describe('renderFunnelHtml', () => {
  it('passes the structural checks (one funnel chart, one bar per stage, labelled, self-contained)', () => {
    const html = renderFunnelHtml(funnel, { organizationName: 'Acme', periodLabel: 'March' });
    expect(reportProblems(html, funnel)).toEqual([]);
  });

  it('escapes stage, organization and period text everywhere', () => {
    const html = renderFunnelHtml(funnel, {
      organizationName: `Acme ${HOSTILE}`,
      periodLabel: `<b>March</b>`,
    });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>March');
    expect(html).toContain(
      '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;apostrophes&#39;',
    );
    expect(html).toContain('Acme &lt;img');
    expect(html).toContain('&lt;b&gt;March&lt;/b&gt;');
    expect(reportProblems(html, funnel)).toEqual([]);
  });

  it('shows null conversions and medians as n/a, and the last stage as last', () => {
    const html = renderFunnelHtml(funnel);
    const hostileRow = `<tr><th scope="row">${escapeHtml(HOSTILE)}</th><td>0</td><td>0</td><td>n/a</td><td>n/a</td></tr>`;
    expect(html).toContain(hostileRow);
    expect(html).toContain('<td>0.0%</td>'); // a real zero is not n/a
    expect(html).toContain('>last stage</text>');
    expect(html).toContain('n/a (no completed stays)');
    expect(html).toContain('<td>100.0 h (4.2 d)</td>');
  });

  it('scales funnel bars to the largest stage', () => {
    const html = renderFunnelHtml(funnel);
    const widths = [...html.matchAll(/<rect class="bar funnel"[^>]*width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths[0]).toBe(480);
    expect(widths[1]).toBeCloseTo((827 / 1240) * 480, 0);
    expect(widths[2]).toBe(0);
  });

  it('zero-data: every stage still has a (zero-width) bar, ratios are n/a, an explanation is shown', () => {
    const html = renderFunnelHtml(zero);
    expect(reportProblems(html, zero)).toEqual([]);
    const widths = [...html.matchAll(/<rect class="bar [a-z]+"[^>]*width="([\d.]+)"/g)].map((m) => m[1]);
    expect(widths).toHaveLength(zero.stages.length * 2);
    expect(html).toContain('No rejection with a reason in this scope.');
    expect(widths.every((w) => w === '0')).toBe(true);
    expect(html).toContain('No applications in this scope');
    expect(html).toContain('<dt>Hire rate</dt><dd>n/a</dd>');
    expect(html).not.toContain('NaN');
    expect(html).not.toContain('Infinity');
  });

  it('charts rejection reasons, one bar per reason scaled to the most common', () => {
    const html = renderFunnelHtml(funnel);
    const chart = html.match(/<svg[^>]*data-chart="rejection-reasons"[\s\S]*?<\/svg>/)?.[0] ?? '';
    const widths = [...chart.matchAll(/<rect class="bar reason"[^>]*width="([\d.]+)"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toEqual([480, 240]);
    expect(chart).toContain('Not a fit: 2 rejected');
  });

  it('lists interview and offer figures in a table', () => {
    const html = renderFunnelHtml(funnel);
    expect(html).toContain('<th scope="row">Interviews scheduled</th><td>6</td>');
    expect(html).toContain('<th scope="row">Offer acceptance rate</th><td>50.0%</td>');
    expect(html).toContain('<th scope="row">Median time to first interview</th><td>36.5 h</td>');
  });

  it('escapes rejection reason names', () => {
    const html = renderFunnelHtml(
      marchFunnel({ ...funnel, rejectionReasons: [{ name: HOSTILE, count: 1 }] }),
    );
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(HOSTILE));
  });

  it('describes the scope when no period label is given', () => {
    expect(renderFunnelHtml(funnel)).toContain(
      'Applications created from 2024-03-02 00:00 UTC until before 2024-04-01 00:00 UTC',
    );
    expect(renderFunnelHtml({ ...funnel, scope: { jobId: null, from: null, to: null } })).toContain(
      'All applications',
    );
  });

  it('the structural check itself catches violations', () => {
    const html = renderFunnelHtml(funnel);
    expect(reportProblems(html.replace('</main>', '<script>alert(1)</script></main>'), funnel)).not.toEqual(
      [],
    );
    expect(
      reportProblems(html.replace('<p class="meta">', '<p class="meta" onclick="x()">'), funnel),
    ).not.toEqual([]);
    expect(
      reportProblems(html.replace('<style>', '<style>@import "https://cdn.example/x.css";'), funnel),
    ).not.toEqual([]);
    expect(
      reportProblems(html.replace('</figure>', '<img src="https://x.example/p.png" /></figure>'), funnel),
    ).not.toEqual([]);
    expect(reportProblems(html, { ...funnel, stages: funnel.stages.slice(1) })).not.toEqual([]);
    expect(reportProblems(html.replace('</section>', '</div>'), funnel)).not.toEqual([]);
  });

  it('an empty stage list still renders well-formed charts', () => {
    const none = { ...zero, stages: [] };
    expect(reportProblems(renderFunnelHtml(none), none)).toEqual([]);
  });
});

describe('formatting helpers', () => {
  it('escapes the five XML-special characters', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
  it('formats percentages and hours', () => {
    expect(formatPercent(null)).toBe('n/a');
    expect(formatPercent(0.6667)).toBe('66.7%');
    expect(formatPercent(3)).toBe('300.0%');
    expect(formatHours(null)).toBe('n/a');
    expect(formatHours(9)).toBe('9.0 h');
    expect(formatHours(72)).toBe('72.0 h (3.0 d)');
  });
});
