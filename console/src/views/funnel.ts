/** The funnel of a job: an SVG bar chart of the stages with their conversions, interviews and offers, and the same numbers as a table. */
import { api, query } from '../api.js';
import { funnelChart } from '../chart.js';
import { h, svg } from '../dom.js';
import { formatCount, formatPercent } from '../format.js';
import type { Funnel, Job } from '../types.js';
import { errorText, type View } from './common.js';

const WIDTH = 720;

function chart(funnel: Funnel, title: string): SVGElement {
  const geometry = funnelChart(funnel, WIDTH);
  return svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${geometry.width} ${geometry.height}`,
      width: geometry.width,
      height: geometry.height,
      role: 'img',
      'aria-labelledby': 'funnel-title',
      'aria-describedby': 'funnel-desc',
    },
    svg('title', { id: 'funnel-title' }, title),
    svg(
      'desc',
      { id: 'funnel-desc' },
      funnel.stages.map((s) => `${s.name}: ${s.reached}`).join(', ') +
        `. Interviews ${funnel.interviews.scheduled}, offers sent ${funnel.offers.sent}, accepted ${funnel.offers.accepted}.`,
    ),
    ...geometry.sectionTitles.map((t) => svg('text', { x: t.x, y: t.y, class: 'chart-section' }, t.text)),
    ...geometry.bars.flatMap((b) => [
      svg(
        'text',
        { x: b.x - 8, y: b.y + b.height / 2 + 5, 'text-anchor': 'end', class: 'chart-label' },
        b.label,
      ),
      svg('rect', { x: b.x, y: b.y, width: b.width, height: b.height, rx: 3, class: `bar bar-${b.kind}` }),
      svg('text', { x: b.x + b.width + 6, y: b.y + b.height / 2 + 5, class: 'chart-value' }, b.valueText),
    ]),
    ...geometry.conversions.map((c) => svg('text', { x: c.x, y: c.y, class: 'chart-conversion' }, c.text)),
  );
}

function table(funnel: Funnel): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, 'Stages of the funnel'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['Stage', 'Reached', 'In stage now', 'Conversion to next', 'Median hours in stage'].map((c) =>
          h('th', { scope: 'col' }, c),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      ...funnel.stages.map((s) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, s.name),
          h('td', {}, formatCount(s.reached)),
          h('td', {}, formatCount(s.current)),
          h('td', {}, formatPercent(s.conversionToNext)),
          h('td', {}, s.medianHoursInStage === null ? '—' : String(s.medianHoursInStage)),
        ),
      ),
    ),
  );
}

export const funnelView: View = async (root, ctx, jobId) => {
  const select = h('select', { id: 'funnel-job' });
  const output = h('div', { 'aria-live': 'polite' });
  const status = h('p', { class: 'muted', role: 'status' });
  root.append(
    h('h2', {}, 'Funnel'),
    h('div', { class: 'filters' }, h('label', { for: 'funnel-job' }, 'Job'), select),
    status,
    output,
  );
  const show = async (id: string) => {
    const job = [...select.options].find((o) => o.value === id)?.textContent ?? 'All jobs';
    try {
      const funnel = await api<Funnel>('GET', `/analytics/funnel${query({ jobId: id })}`);
      const t = funnel.totals;
      output.replaceChildren(
        chart(funnel, `Funnel of ${job}`),
        h(
          'p',
          {},
          `${formatCount(t.applications)} applications: ${formatCount(t.active)} active, ${formatCount(t.hired)} hired, ` +
            `${formatCount(t.rejected)} rejected, ${formatCount(t.withdrawn)} withdrawn. ` +
            `Offer acceptance ${formatPercent(funnel.offers.acceptanceRate)}.`,
        ),
        table(funnel),
      );
      ctx.announce(`Funnel of ${job} shown`);
    } catch (error) {
      status.textContent = errorText(error);
    }
  };
  try {
    const { items } = await api<{ items: Job[] }>('GET', '/jobs');
    select.append(
      h('option', { value: '' }, 'All jobs'),
      ...items.map((j) => h('option', { value: j.id }, j.title)),
    );
    select.value = jobId && items.some((j) => j.id === jobId) ? jobId : '';
  } catch (error) {
    status.textContent = errorText(error);
  }
  select.addEventListener('change', () => {
    // a link to this job's funnel, without a hashchange that would redraw the view under the keyboard focus
    history.replaceState(null, '', select.value ? `#funnel/${select.value}` : '#funnel');
    void show(select.value);
  });
  await show(select.value);
};
