/**
 * A provider's candidate merge moves the merged candidates' applications to the surviving candidate: every closed
 * one (the history stays whole), and an open one only where the survivor would not end with two open applications
 * to the same job (applications_one_active_idx).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { moveApplicationsToCandidate } from '../../../shared/db/repositories/sync-webhooks.js';
import { withTenant } from '../../../shared/db/tenant.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();

async function candidate(): Promise<string> {
  const id = randomUUID();
  await seeded.db.owner`insert into candidates (id, organization_id, first_name, last_name, email)
    values (${id}, ${seeded.graph.organizationId}, 'Dorothy', 'Vaughan', ${`dorothy.${id}@example.com`})`;
  return id;
}

async function application(candidateId: string, status: string, appliedHoursAgo: number): Promise<string> {
  const id = randomUUID();
  await seeded.db
    .owner`insert into applications (id, organization_id, candidate_id, job_id, stage_id, status, source,
      created_at)
    values (${id}, ${seeded.graph.organizationId}, ${candidateId}, ${seeded.graph.jobId}, ${seeded.graph.stageIds[0]!},
      ${status}, 'greenhouse', now() - make_interval(hours => ${appliedHoursAgo}))`;
  return id;
}

function merge(fromCandidateIds: string[], toCandidateId: string) {
  return withTenant(seeded.db.app, seeded.graph.organizationId, 'worker', (tx) =>
    moveApplicationsToCandidate(tx, { fromCandidateIds, toCandidateId, now: new Date() }),
  );
}

async function ownerOf(applicationId: string): Promise<string> {
  const [row] = await seeded.db.owner<{ candidate_id: string }[]>`
    select candidate_id from applications where id = ${applicationId}`;
  return row!.candidate_id;
}

describe('candidate merge', () => {
  it('moves a closed application to a survivor that holds an active one for the same job', async () => {
    // prepare
    const survivor = await candidate();
    const merged = await candidate();
    await application(survivor, 'active', 1);
    const closed = await application(merged, 'rejected', 5);

    // act
    const moved = await merge([merged], survivor);

    // assess
    expect([moved, await ownerOf(closed)]).toEqual([1, survivor]);
  });

  it('leaves an active application with its merged candidate when the survivor holds one for the job', async () => {
    // prepare
    const survivor = await candidate();
    const merged = await candidate();
    await application(survivor, 'active', 1);
    const open = await application(merged, 'active', 5);

    // act
    const moved = await merge([merged], survivor);

    // assess
    expect([moved, await ownerOf(open)]).toEqual([0, merged]);
  });

  it('moves only the latest applied of the active applications several merged candidates hold for one job', async () => {
    // prepare
    const survivor = await candidate();
    const older = await candidate();
    const newer = await candidate();
    const olderOpen = await application(older, 'active', 9);
    const newerOpen = await application(newer, 'active', 2);

    // act
    const moved = await merge([older, newer], survivor);

    // assess
    expect([moved, await ownerOf(newerOpen), await ownerOf(olderOpen)]).toEqual([1, survivor, older]);
  });
});
