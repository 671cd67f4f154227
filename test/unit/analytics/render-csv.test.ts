import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, neutralizeFormula, renderFunnelCsv } from '../../../shared/analytics/render-csv.js';
import { emptied, marchFunnel } from './funnel-builders.js';
import { parseCsv } from './parse-csv.js';

const funnel = marchFunnel({
  totals: { applications: 12, active: 5, hired: 2, rejected: 4, withdrawn: 1 },
  stages: [
    { name: 'Screening', order: 0, current: 3, reached: 12, conversionToNext: 0.5, medianHoursInStage: 9.5 },
    {
      name: 'Tech, "live" interview',
      order: 1,
      current: 2,
      reached: 6,
      conversionToNext: 0.3333,
      medianHoursInStage: 48,
    },
    {
      name: '=HYPERLINK("http://x.example","click")',
      order: 2,
      current: 0,
      reached: 2,
      conversionToNext: null,
      medianHoursInStage: null,
    },
  ],
  sources: [
    { source: 'portal', applications: 10, hired: 2 },
    { source: 'greenhouse', applications: 2, hired: 0 },
  ],
});

/** A row with the trailing cells that do not apply left empty. */
const row = (...cells: string[]) => [...cells, ...Array(CSV_COLUMNS.length - cells.length).fill('')];

describe('renderFunnelCsv', () => {
  it('is one rectangular table: header, stages, totals, sources', () => {
    const rows = parseCsv(renderFunnelCsv(funnel));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    expect(rows.slice(1)).toEqual([
      row('stage', 'Screening', '0', '3', '12', '0.5', '9.5'),
      row('stage', 'Tech, "live" interview', '1', '2', '6', '0.3333', '48'),
      row('stage', `'=HYPERLINK("http://x.example","click")`, '2', '0', '2', '', ''),
      row('totals', 'all', '', '', '', '', '', '12', '5', '2', '4', '1'),
      row('source', 'portal', '', '', '', '', '', '10', '', '2'),
      row('source', 'greenhouse', '', '', '', '', '', '2', '', '0'),
      row('interviews', 'all', ...Array(10).fill(''), '6', '4', '3', '36.5'),
      row('offers', 'all', ...Array(14).fill(''), '2', '1', '0.5'),
      row('rejection_reason', 'Not a fit', ...Array(17).fill(''), '2'),
      row('rejection_reason', 'Salary expectations', ...Array(17).fill(''), '1'),
    ]);
  });

  it('quotes fields with commas and quotes, ends records with CRLF', () => {
    const csv = renderFunnelCsv(funnel);
    expect(csv).toContain('"Tech, ""live"" interview"');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(1 + 3 + 1 + 2 + 2 + 2 + 1);
  });

  it('renders null conversions and medians as empty cells', () => {
    const rows = parseCsv(renderFunnelCsv(funnel));
    const last = rows.find((r) => r[0] === 'stage' && r[2] === '2')!;
    expect(last[5]).toBe('');
    expect(last[6]).toBe('');
  });

  it('zero-data: stage rows with zeros, a totals row, no source rows', () => {
    const empty = emptied(funnel);
    const rows = parseCsv(renderFunnelCsv(empty));
    expect(rows.filter((r) => r[0] === 'stage')).toHaveLength(3);
    expect(rows.filter((r) => r[0] === 'source')).toHaveLength(0);
    expect(rows.find((r) => r[0] === 'totals')).toEqual(
      row('totals', 'all', '', '', '', '', '', '0', '0', '0', '0', '0'),
    );
    expect(rows.filter((r) => r[0] === 'rejection_reason')).toHaveLength(0);
  });

  it('neutralizes spreadsheet formulas', () => {
    expect(neutralizeFormula('=1+1')).toBe("'=1+1");
    expect(neutralizeFormula('+1')).toBe("'+1");
    expect(neutralizeFormula('-1')).toBe("'-1");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeFormula('\t=1')).toBe("'\t=1");
    expect(neutralizeFormula('Offer')).toBe('Offer');
  });
});
