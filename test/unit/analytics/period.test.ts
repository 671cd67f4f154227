import { describe, expect, it } from 'vitest';
import {
  exportPrefix,
  parseIsoDate,
  periodLabel,
  resolveExportPeriod,
} from '../../../shared/analytics/period.js';

const ORG = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';

describe('resolveExportPeriod', () => {
  it('defaults to the 30 days ending yesterday (UTC)', () => {
    const p = resolveExportPeriod({}, new Date('2024-04-01T02:15:00Z'));
    expect(p).toEqual({
      from: '2024-03-02',
      to: '2024-03-31',
      start: new Date('2024-03-02T00:00:00Z'),
      endExclusive: new Date('2024-04-01T00:00:00Z'),
    });
  });

  it('uses the UTC date, not the local one, right after midnight', () => {
    expect(resolveExportPeriod({}, new Date('2024-03-01T00:00:00Z')).to).toBe('2024-02-29');
    expect(resolveExportPeriod({}, new Date('2024-02-29T23:59:59Z')).to).toBe('2024-02-28');
  });

  it('takes the window length and explicit bounds', () => {
    expect(resolveExportPeriod({}, new Date('2024-04-01T02:15:00Z'), 1)).toMatchObject({
      from: '2024-03-31',
      to: '2024-03-31',
    });
    expect(resolveExportPeriod({ to: '2024-01-31' }, new Date())).toMatchObject({
      from: '2024-01-02',
      to: '2024-01-31',
    });
    expect(resolveExportPeriod({ from: '2024-03-10' }, new Date('2024-04-01T02:15:00Z'))).toMatchObject({
      from: '2024-03-10',
      to: '2024-03-31',
    });
    const one = resolveExportPeriod({ from: '2024-03-10', to: '2024-03-10' }, new Date());
    expect(one.endExclusive.getTime() - one.start.getTime()).toBe(86_400_000);
  });

  it('rejects impossible dates and reversed periods', () => {
    expect(() => parseIsoDate('2024-02-30')).toThrow(RangeError);
    expect(() => parseIsoDate('2024-2-3')).toThrow(RangeError);
    expect(() => resolveExportPeriod({ from: '2024-03-10', to: '2024-03-09' }, new Date())).toThrow(
      RangeError,
    );
    expect(() => resolveExportPeriod({}, new Date(), 0)).toThrow(RangeError);
  });
});

describe('exportPrefix', () => {
  it('puts the standard window straight under the end date', () => {
    const p = resolveExportPeriod({}, new Date('2024-04-01T02:15:00Z'));
    expect(exportPrefix(ORG, p)).toBe(`exports/${ORG}/2024-03-31/`);
  });

  it('gives any other window its own sub-folder, so periods never share keys', () => {
    const p = resolveExportPeriod({ from: '2024-03-01', to: '2024-03-31' }, new Date());
    expect(exportPrefix(ORG, p)).toBe(`exports/${ORG}/2024-03-31/from-2024-03-01/`);
    expect(exportPrefix(ORG, p, 31)).toBe(`exports/${ORG}/2024-03-31/`);
  });
});

describe('periodLabel', () => {
  it('reads as calendar days', () => {
    expect(periodLabel({ from: '2024-03-02', to: '2024-03-31' })).toBe(
      'Applications created 2 Mar 2024 \u2013 31 Mar 2024 (UTC, both days included)',
    );
  });
});
