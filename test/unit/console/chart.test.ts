import { describe, expect, it } from 'vitest';
import { CHART, funnelChart } from '../../../console/src/chart.js';
import type { Funnel } from '../../../console/src/types.js';

const stage = (name: string, order: number, reached: number, conversionToNext: number | null) => ({
  name,
  order,
  current: 0,
  reached,
  conversionToNext,
  medianHoursInStage: null,
});

const funnel = (over: Partial<Funnel> = {}): Funnel => ({
  totals: { applications: 10, active: 8, hired: 1, rejected: 1, withdrawn: 0 },
  stages: [stage('Screening', 0, 10, 0.5), stage('Interview', 1, 5, 0.2), stage('Offer', 2, 1, null)],
  interviews: { scheduled: 4, completed: 3, applicationsInterviewed: 3 },
  offers: { sent: 2, accepted: 1, acceptanceRate: 0.5 },
  ...over,
});

const barArea = (width: number) => width - CHART.labelWidth - CHART.valueWidth - 2 * CHART.padding;

describe('funnel chart geometry', () => {
  it('scales each bar to the largest value', () => {
    const chart = funnelChart(funnel(), 640);
    const widths = chart.bars.filter((b) => b.kind === 'stage').map((b) => b.width);
    expect(widths).toEqual([barArea(640), barArea(640) / 2, barArea(640) / 10]);
  });

  it('writes the conversion to the next stage between two stage bars', () => {
    const chart = funnelChart(funnel(), 640);
    const [screening, interview] = chart.bars;
    expect(chart.conversions.map((c) => c.text)).toEqual(['↓ 50% reach Interview', '↓ 20% reach Offer']);
    expect(chart.conversions[0]!.y).toBeGreaterThan(screening!.y + screening!.height);
    expect(chart.conversions[0]!.y).toBeLessThan(interview!.y);
  });

  it('adds interviews and offers after the stages, the acceptance rate with the accepted offers', () => {
    const chart = funnelChart(funnel(), 640);
    const record = chart.bars.filter((b) => b.kind === 'record');
    expect(record.map((b) => [b.label, b.valueText])).toEqual([
      ['Interviews scheduled', '4'],
      ['Applications interviewed', '3'],
      ['Offers sent', '2'],
      ['Offers accepted', '1 (50%)'],
    ]);
  });

  it('draws no bar for zero and at least 2 px for a tiny value', () => {
    const chart = funnelChart(
      funnel({ stages: [stage('Screening', 0, 10_000, 0.0001), stage('Offer', 1, 1, null)] }),
      640,
    );
    const offersAccepted = funnelChart(
      funnel({ offers: { sent: 0, accepted: 0, acceptanceRate: null } }),
      640,
    ).bars.at(-1)!;
    expect([chart.bars[1]!.width, offersAccepted.width]).toEqual([2, 0]);
  });

  it('stacks the rows without overlap and fits them in its height', () => {
    const chart = funnelChart(funnel(), 640);
    const overlaps = chart.bars.slice(1).filter((b, i) => b.y < chart.bars[i]!.y + chart.bars[i]!.height);
    const last = chart.bars.at(-1)!;
    expect([overlaps, last.y + last.height <= chart.height]).toEqual([[], true]);
  });
});
