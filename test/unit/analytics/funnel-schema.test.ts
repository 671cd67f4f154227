import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  funnelQuery,
  funnelResponse,
  funnelScopeFromQuery,
} from '../../../shared/analytics/funnel-schema.js';

const JOB = '6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e6f';

describe('funnelQuery', () => {
  it('accepts no parameters, a job, and a period', () => {
    expect(funnelQuery.parse({})).toEqual({});
    expect(
      funnelQuery.parse({ jobId: JOB, from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00+02:00' }),
    ).toEqual({ jobId: JOB, from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00+02:00' });
  });

  it('treats empty query values as absent', () => {
    expect(funnelQuery.parse({ jobId: '', from: '', to: '' })).toEqual({});
  });

  it('rejects a bad job id, a bad datetime and a period that does not move forward', () => {
    expect(funnelQuery.safeParse({ jobId: 'job-1' }).success).toBe(false);
    expect(funnelQuery.safeParse({ from: '2024-03-01' }).success).toBe(false);
    const same = funnelQuery.safeParse({ from: '2024-03-01T00:00:00Z', to: '2024-03-01T00:00:00Z' });
    expect(same.success).toBe(false);
    expect(same.error?.issues[0]?.path).toEqual(['to']);
    // offsets are compared as instants: 02:00+02:00 is midnight UTC
    expect(
      funnelQuery.safeParse({ from: '2024-03-01T00:00:00Z', to: '2024-03-01T02:00:00+02:00' }).success,
    ).toBe(false);
  });

  it('converts into a scope; the portal only sees its own applications', () => {
    const query = funnelQuery.parse({ jobId: JOB, from: '2024-03-01T00:00:00Z' });
    expect(funnelScopeFromQuery(query, { organizationId: 'org', role: 'portal' })).toEqual({
      organizationId: 'org',
      jobId: JOB,
      from: new Date('2024-03-01T00:00:00Z'),
      to: undefined,
      portalOnly: true,
    });
    expect(funnelScopeFromQuery(query, { organizationId: 'org', role: 'ats' }).portalOnly).toBe(false);
  });

  it('is representable in JSON Schema for the OpenAPI document', () => {
    expect(() => z.toJSONSchema(funnelQuery, { io: 'input' })).not.toThrow();
    expect(() => z.toJSONSchema(funnelResponse)).not.toThrow();
  });
});

describe('funnelResponse', () => {
  it('accepts the docs/api.md shape with null ratios', () => {
    const body = {
      generatedAt: '2024-04-01T02:15:00.000Z',
      scope: { jobId: null, from: null, to: null },
      totals: { applications: 0, active: 0, hired: 0, rejected: 0, withdrawn: 0 },
      stages: [
        {
          name: 'Screening',
          order: 0,
          current: 0,
          reached: 0,
          conversionToNext: null,
          medianHoursInStage: null,
        },
      ],
      sources: [],
      interviews: { scheduled: 0, completed: 0, applicationsInterviewed: 0 },
      offers: { sent: 0, accepted: 0, acceptanceRate: null },
      medianHoursToFirstInterview: null,
      rejectionReasons: [],
      submitters: [],
    };
    expect(funnelResponse.parse(body)).toEqual(body);
    expect(funnelResponse.safeParse({ ...body, totals: { ...body.totals, active: -1 } }).success).toBe(false);
  });
});
