import { describe, expect, it } from 'vitest';
import { canTransition, changedJobFields, type JobFields } from '../../../shared/domain/job-lifecycle.js';

const job: JobFields = {
  title: 'Engineer',
  status: 'open',
  description: null,
  department: 'Data',
  office: null,
  remotePolicy: 'remote',
  salaryRange: { min: 1, max: 2, currency: 'EUR' },
};

describe('job lifecycle', () => {
  it('allows staying in any status', () => {
    expect((['draft', 'open', 'paused', 'closed'] as const).every((s) => canTransition(s, s))).toBe(true);
  });

  it('never goes back to draft', () => {
    expect((['open', 'paused', 'closed'] as const).some((s) => canTransition(s, 'draft'))).toBe(false);
  });
});

describe('changed job fields', () => {
  it('names only the fields whose value differs, a salary range compared by value', () => {
    const patch = { title: 'Engineer', office: 'Oslo', salaryRange: { min: 1, max: 2, currency: 'EUR' } };

    expect(changedJobFields(job, patch)).toEqual(['office']);
  });

  it('names a field cleared with null and ignores fields left out', () => {
    expect(changedJobFields(job, { department: null, salaryRange: null })).toEqual([
      'department',
      'salaryRange',
    ]);
  });
});
