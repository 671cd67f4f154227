/**
 * The portal submission as one call (migration 0020, `insertSubmission`) and the inlined jsonb document it is sent
 * as (shared/db/single-call.ts): the document reaches the database exactly, the call writes every row of a
 * submission under the job's organization or none, and its settings end with it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDbClient } from '../../../shared/db/client.js';
import { insertSubmission, type SubmissionInput } from '../../../shared/db/repositories/submissions.js';
import { jsonbConstant } from '../../../shared/db/single-call.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();

const caller = () => ({
  organizationId: seeded.graph.organizationId,
  role: 'portal' as const,
  keyId: randomUUID(),
});

function submission(overrides: Partial<SubmissionInput> = {}): SubmissionInput {
  return {
    jobId: seeded.graph.jobId,
    candidateId: randomUUID(),
    applicationId: randomUUID(),
    candidate: {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: `ada-${randomUUID()}@example.com`,
      phone: null,
    },
    externalPortalId: null,
    submittedBy: null,
    actor: 'portal-user',
    document: null,
    idempotency: { key: `k-${randomUUID()}`, requestHash: 'h' },
    responseExtra: {},
    ...overrides,
  };
}

const rowsOf = async (applicationId: string) => {
  const [row] = await seeded.db.owner<{ apps: number; history: number; events: number; keys: number }[]>`
    select (select count(*)::int from applications where id = ${applicationId}) as apps,
      (select count(*)::int from application_stage_history where application_id = ${applicationId}) as history,
      (select count(*)::int from outbox where aggregate_id = ${applicationId}) as events,
      (select count(*)::int from idempotency_keys where (response -> 'application' ->> 'id') = ${applicationId}::text)
        as keys`;
  return row!;
};

describe('an inlined jsonb document', () => {
  it('reaches the database exactly, quotes, backslashes and dollar quotes included', async () => {
    const doc = {
      quote: "O'Brien '' \\' E'x'",
      backslash: 'C:\\temp\\n \\\\ \\x41',
      dollar: '$$ $tag$ ; drop table candidates; --',
      unicode: 'Zoë ✓ 𝔘 \u2028',
      control: 'line\nbreak\ttab',
    };

    const [row] = await seeded.db.app.unsafe<{ r: unknown }[]>(`select ${jsonbConstant(doc)} as r`);

    expect(row!.r).toEqual(doc);
  });
});

describe('the submission call', () => {
  it('writes the application with its history, outbox event and stored response', async () => {
    const input = submission();

    const outcome = await insertSubmission(seeded.db.app, caller(), input);

    expect(outcome.kind).toBe('created');
    expect(await rowsOf(input.applicationId)).toEqual({ apps: 1, history: 1, events: 1, keys: 1 });
  });

  it('writes nothing for a second active application of the same email to the job', async () => {
    const first = submission();
    await insertSubmission(seeded.db.app, caller(), first);
    const second = submission({
      candidate: { ...first.candidate, email: first.candidate.email.toUpperCase() },
    });

    const refused = insertSubmission(seeded.db.app, caller(), second);

    await expect(refused).rejects.toMatchObject({ code: '23505' });
    expect(await rowsOf(second.applicationId)).toEqual({ apps: 0, history: 0, events: 0, keys: 0 });
  });

  it('answers a replay with the stored response under the same key', async () => {
    const input = submission();
    const created = await insertSubmission(seeded.db.app, caller(), input);

    const again = await insertSubmission(seeded.db.app, caller(), { ...input, applicationId: randomUUID() });

    expect(again).toMatchObject({ kind: 'replay', statusCode: 201 });
    expect(again.kind === 'replay' && again.response).toEqual(created.kind === 'created' && created.response);
  });

  it('answers job_not_found for a job the caller cannot see', async () => {
    const unknown = await insertSubmission(seeded.db.app, caller(), submission({ jobId: randomUUID() }));

    expect(unknown.kind).toBe('job_not_found');
  });

  it('leaves no tenant setting on the connection after the call', async () => {
    const sql = createDbClient({ url: seeded.db.appUrl, max: 1, prepare: false });
    try {
      await insertSubmission(sql, caller(), submission());

      const [row] = await sql<{ org: string | null }[]>`select app_org()::text as org`;

      expect(row!.org).toBeNull();
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
