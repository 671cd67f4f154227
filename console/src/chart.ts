/**
 * Geometry of the funnel chart (pure: numbers in, rectangles and labels out; the view draws them as SVG).
 * One horizontal bar per stage, as long as the applications that ever reached it, with the conversion to the
 * next stage written between two bars; then bars for the interviews and offers of the same applications.
 */
import { formatCount, formatPercent } from './format.js';
import type { Funnel } from './types.js';

export interface ChartBar {
  label: string;
  value: number;
  /** The number as written at the bar's end. */
  valueText: string;
  kind: 'stage' | 'record';
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ChartNote {
  text: string;
  x: number;
  y: number;
}

export interface FunnelChart {
  width: number;
  height: number;
  bars: ChartBar[];
  /** Conversion from each stage to the next, between their bars. */
  conversions: ChartNote[];
  /** A line naming the record rows, above them. */
  sectionTitles: ChartNote[];
}

export const CHART = {
  labelWidth: 170,
  valueWidth: 70,
  barHeight: 26,
  /** Room between two stage bars for the conversion text. */
  gap: 22,
  padding: 8,
} as const;

interface Row {
  label: string;
  value: number;
  valueText?: string;
  kind: ChartBar['kind'];
}

function rowsOf(funnel: Funnel): Row[] {
  const stages: Row[] = funnel.stages.map((s) => ({ label: s.name, value: s.reached, kind: 'stage' }));
  const offerRate = funnel.offers.acceptanceRate;
  const record: Row[] = [
    { label: 'Interviews scheduled', value: funnel.interviews.scheduled, kind: 'record' },
    { label: 'Applications interviewed', value: funnel.interviews.applicationsInterviewed, kind: 'record' },
    { label: 'Offers sent', value: funnel.offers.sent, kind: 'record' },
    {
      label: 'Offers accepted',
      value: funnel.offers.accepted,
      valueText: `${formatCount(funnel.offers.accepted)} (${formatPercent(offerRate)})`,
      kind: 'record',
    },
  ];
  return [...stages, ...record];
}

/** Bars scaled to the largest value; a non-zero value is never drawn thinner than 2 px. */
export function funnelChart(funnel: Funnel, width: number): FunnelChart {
  const rows = rowsOf(funnel);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const barArea = Math.max(40, width - CHART.labelWidth - CHART.valueWidth - 2 * CHART.padding);
  const bars: ChartBar[] = [];
  const conversions: ChartNote[] = [];
  const sectionTitles: ChartNote[] = [];
  let y = CHART.padding;
  rows.forEach((row, i) => {
    if (row.kind === 'record' && rows[i - 1]?.kind !== 'record') {
      y += CHART.gap;
      sectionTitles.push({ text: 'Interviews and offers', x: CHART.padding, y: y - 6 });
    }
    const scaled = (row.value / max) * barArea;
    bars.push({
      label: row.label,
      value: row.value,
      valueText: row.valueText ?? formatCount(row.value),
      kind: row.kind,
      x: CHART.padding + CHART.labelWidth,
      y,
      width: row.value > 0 ? Math.max(2, Math.round(scaled * 10) / 10) : 0,
      height: CHART.barHeight,
    });
    y += CHART.barHeight;
    const stage = funnel.stages[i];
    if (row.kind === 'stage' && i < funnel.stages.length - 1 && stage) {
      conversions.push({
        text: `↓ ${formatPercent(stage.conversionToNext)} reach ${funnel.stages[i + 1]!.name}`,
        x: CHART.padding + CHART.labelWidth + 4,
        y: y + CHART.gap / 2 + 4,
      });
      y += CHART.gap;
    } else {
      y += 6;
    }
  });
  return { width, height: y + CHART.padding, bars, conversions, sectionTitles };
}
