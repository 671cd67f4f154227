/**
 * The funnel cut by submitting organization (docs/parties.md): per agency, how many it submitted, how far they
 * got and the hires, in the employer's funnel and in its CSV.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderFunnelCsv } from '../../../shared/analytics/render-csv.js';
import { partiesApi } from '../../support/parties-api.js';

const { w, call, submit } = partiesApi();
let funnel: any;

beforeAll(async () => {
  const [agency1, agency2] = w.world.agencies;
  const first = await submit(agency1.keys.portal, w.world.jobId, `f.${randomUUID()}@example.com`);
  await submit(agency1.keys.portal, w.world.jobId, `f.${randomUUID()}@example.com`);
  await submit(agency2.keys.portal, w.world.jobId, `f.${randomUUID()}@example.com`);
  await call('POST /applications/{id}/stage', agency1.keys.portal, {
    params: { id: first.body.application.id },
    body: { toStage: 'Shortlist' },
  });
  funnel = (
    await call('GET /analytics/funnel', w.world.employer.keys.ats, { query: { jobId: w.world.jobId } })
  ).body;
});

const reachedOf = (entry: any) => Object.fromEntries(entry.stages.map((s: any) => [s.name, s.reached]));

describe('the funnel by submitting organization', () => {
  it('counts each agency’s submissions and how far they got', () => {
    const byOrg = Object.fromEntries(funnel.submitters.map((s: any) => [s.organizationId, s]));

    const first = byOrg[w.world.agencies[0].id];
    const second = byOrg[w.world.agencies[1].id];

    expect(first).toMatchObject({
      applicationType: 'agency_submission',
      applications: 2,
      active: 2,
      hired: 0,
    });
    expect(reachedOf(first)).toMatchObject({ Screening: 2, Shortlist: 1, 'Client Endorsement': 0 });
    expect(second).toMatchObject({ applications: 1 });
    expect(reachedOf(second)).toMatchObject({ Screening: 1, Shortlist: 0 });
  });

  it('writes a submitter row and its stage rows to the CSV', () => {
    const csv = renderFunnelCsv(funnel);

    const rows = csv.split('\r\n').filter((line) => line.includes(w.world.agencies[0].id));

    expect(rows[0]).toMatch(/^submitter,agency_submission,/);
    expect(rows.slice(1).every((r) => r.startsWith('submitter_stage,'))).toBe(true);
    expect(rows).toHaveLength(1 + funnel.stages.length);
  });
});
