/**
 * The portal and the one-active-application rule: a second submission of an email to a job is refused while its
 * application is active (409 DUPLICATE_APPLICATION), and is a new application once that one was rejected or
 * withdrawn.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { submitApplication } from '../../../functions/portal-submission/use-case.js';
import { DomainError } from '../../../shared/domain/errors.js';
import { systemClock } from '../../../shared/ports/clock.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();

function submit(email: string) {
  const deps = {
    sql: seeded.db.app,
    objectStore: new MemoryObjectStore(),
    clock: systemClock,
    uploadTtlSeconds: 900,
  };
  const principal = {
    organizationId: seeded.graph.organizationId,
    role: 'portal' as const,
    keyId: '00000000-0000-4000-8000-000000000004',
  };
  const body = { jobId: seeded.graph.jobId, candidate: { firstName: 'Mary', lastName: 'Jackson', email } };
  return submitApplication(deps, principal, body, undefined);
}

const applicationIdOf = (result: Awaited<ReturnType<typeof submit>>) =>
  (result.body.application as { id: string }).id;

async function close(applicationId: string, status: 'rejected' | 'withdrawn') {
  await seeded.db.owner`update applications set status = ${status} where id = ${applicationId}`;
}

async function applicationsOf(email: string) {
  return seeded.db.owner<{ id: string; status: string }[]>`
    select a.id, a.status from applications a join candidates c on c.id = a.candidate_id
    where lower(c.email) = lower(${email}) and a.job_id = ${seeded.graph.jobId} order by a.created_at, a.id`;
}

describe('portal re-application', () => {
  it('answers 409 DUPLICATE_APPLICATION with the active application while it is active', async () => {
    // prepare
    const email = `mary.${randomUUID()}@example.com`;
    const first = await submit(email);

    // act
    const second = submit(email.toUpperCase());

    // assess
    await expect(second).rejects.toMatchObject({
      code: 'DUPLICATE_APPLICATION',
      details: { applicationId: applicationIdOf(first) },
    });
    await expect(second).rejects.toBeInstanceOf(DomainError);
    expect(await applicationsOf(email)).toHaveLength(1);
  });

  it('creates a new application after a rejection, keeping the rejected one', async () => {
    // prepare
    const email = `mary.${randomUUID()}@example.com`;
    const first = applicationIdOf(await submit(email));
    await close(first, 'rejected');

    // act
    const second = await submit(email);

    // assess
    expect(second.status).toBe(201);
    expect(await applicationsOf(email)).toEqual([
      { id: first, status: 'rejected' },
      { id: applicationIdOf(second), status: 'active' },
    ]);
  });

  it('creates a new application after a withdrawal', async () => {
    // prepare
    const email = `mary.${randomUUID()}@example.com`;
    const first = applicationIdOf(await submit(email));
    await close(first, 'withdrawn');

    // act
    const second = await submit(email);

    // assess
    expect(second.status).toBe(201);
    expect((await applicationsOf(email)).map((a) => a.status)).toEqual(['withdrawn', 'active']);
  });

  it('refuses a third submission while the re-application is active, naming the re-application', async () => {
    // prepare
    const email = `mary.${randomUUID()}@example.com`;
    await close(applicationIdOf(await submit(email)), 'rejected');
    const reapplied = applicationIdOf(await submit(email));

    // act
    const third = submit(email);

    // assess
    await expect(third).rejects.toMatchObject({
      code: 'DUPLICATE_APPLICATION',
      details: { applicationId: reapplied },
    });
  });
});
