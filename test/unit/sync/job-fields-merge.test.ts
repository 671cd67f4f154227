import { describe, expect, it } from 'vitest';
import { mergeJobFields } from '../../../shared/db/repositories/sync-jobs.js';
import type { CanonicalJob } from '../../../shared/domain/canonical.js';

const job = (fields: Partial<CanonicalJob>): CanonicalJob => ({
  remoteId: 'r1',
  title: 'Engineer',
  status: 'open',
  employmentType: null,
  stages: [],
  remoteUpdatedAt: null,
  ...fields,
});

const stored = {
  description: 'Hub text',
  department: 'Hub',
  office: 'Hub office',
  remote_policy: 'onsite',
  salary_min: '10.00',
  salary_max: '20.00',
  salary_currency: 'EUR',
};

describe('mergeJobFields', () => {
  it('keeps every stored value the provider does not report, numbers as numbers', () => {
    expect(mergeJobFields(job({}), stored)).toEqual({ ...stored, salary_min: 10, salary_max: 20 });
  });

  it('clears a value the provider reports empty', () => {
    expect(mergeJobFields(job({ office: '  ', department: null }), stored)).toMatchObject({
      office: null,
      department: null,
    });
  });

  it('rounds the range to cents and upper-cases its currency', () => {
    const merged = mergeJobFields(
      job({ salaryRange: { min: 1000.004, max: 2000.5, currency: 'usd' } }),
      stored,
    );

    expect([merged.salary_min, merged.salary_max, merged.salary_currency]).toEqual([1000, 2000.5, 'USD']);
  });

  it('stores no range for one the columns would refuse (min above max)', () => {
    const merged = mergeJobFields(job({ salaryRange: { min: 5, max: 1, currency: 'USD' } }), stored);

    expect([merged.salary_min, merged.salary_max, merged.salary_currency]).toEqual([null, null, null]);
  });

  it('cuts a long department to the column limit', () => {
    expect(mergeJobFields(job({ department: 'x'.repeat(300) }), undefined).department).toHaveLength(200);
  });
});
