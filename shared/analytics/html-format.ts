/** Text and number formatting shared by the HTML report's parts. Pure. */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? 'n/a' : `${(ratio * 100).toFixed(1)}%`;
}

export function formatHours(hours: number | null): string {
  if (hours === null) return 'n/a';
  return hours >= 48 ? `${hours.toFixed(1)} h (${(hours / 24).toFixed(1)} d)` : `${hours.toFixed(1)} h`;
}

/** SVG labels have a fixed column; the full name stays in the tables and in each bar's <title>. */
export function clip(name: string, max = 26): string {
  return name.length > max ? `${name.slice(0, max - 1)}\u2026` : name;
}

export const num = (n: number) => (Math.round(n * 10) / 10).toString();

/** Geometry shared by the report's horizontal bar charts (viewBox units). */
export const CHART = {
  labelRight: 230,
  barLeft: 250,
  barWidth: 480,
  valueLeft: 750,
  width: 1000,
  row: 46,
  barHeight: 30,
} as const;

/** One labelled bar from the left edge, with its value to the right (time in stage, rejection reasons). */
export function leftBarRow(input: {
  index: number;
  label: string;
  barClass: string;
  data: [name: string, value: string];
  width: number;
  text: string;
}): string {
  const y = 5 + input.index * CHART.row;
  const middle = num(y + CHART.barHeight / 2 + 5);
  return `<g>
<text class="label" x="${CHART.labelRight}" y="${middle}" text-anchor="end">${escapeHtml(clip(input.label))}</text>
<rect class="track" x="${CHART.barLeft}" y="${y}" width="${CHART.barWidth}" height="${CHART.barHeight}" rx="3" />
<rect class="bar ${input.barClass}" data-${input.data[0]}="${escapeHtml(input.data[1])}" x="${CHART.barLeft}" y="${y}" width="${num(input.width)}" height="${CHART.barHeight}" rx="3"><title>${escapeHtml(`${input.label}: ${input.text}`)}</title></rect>
<text class="value" x="${CHART.valueLeft}" y="${middle}">${escapeHtml(input.text)}</text>
</g>`;
}

/** The <svg> of one chart, labelled by its title and described by a text summary. */
export function chartSvg(input: {
  chart: string;
  id: string;
  title: string;
  summary: string;
  rows: string[];
}): string {
  const height = Math.max(1, input.rows.length) * CHART.row + 10;
  return `<svg data-chart="${input.chart}" role="img" aria-labelledby="${input.id}-title ${input.id}-desc" viewBox="0 0 ${CHART.width} ${height}" width="${CHART.width}" height="${height}">
<title id="${input.id}-title">${input.title}</title>
<desc id="${input.id}-desc">${escapeHtml(input.summary)}</desc>
${input.rows.join('\n')}
</svg>`;
}
