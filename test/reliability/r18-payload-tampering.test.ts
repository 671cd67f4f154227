/**
 * R18 Payload tampering under one key. The hub's idempotency guard is the portal's `Idempotency-Key`, stored
 * with the request hash and the response in the submission's own transaction (docs/reliability.md §3.2); Powertools
 * idempotency is not used (so `payloadValidationJmesPath` has no counterpart: the whole validated body is the
 * payload that must match). For every field of the body: the same key with that field changed, sequentially
 * after the first request and concurrently with it. Requests that differ only in key order or surrounding
 * whitespace are the same validated request and replay. Keys are per organization.
 * Pass: every tampered request → 422 IDEMPOTENCY_KEY_REUSED (100 %); business executions per key = 1.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { httpEvent } from '../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../support/handler-harness.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { describeOnPostgres, figures, histogram } from '../support/reliability.js';

let db: TestDatabase;
let graph: TenantGraph;
let otherOrg: TenantGraph;
let secondJob: string;
let handler: HttpHandler;

const submit = (key: string, body: unknown, portalKey = graph.keys.portal, raw?: string) =>
  invoke(
    handler,
    httpEvent({
      routeKey: 'POST /applications',
      path: '/applications',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${portalKey}`,
        'idempotency-key': key,
      },
      body: raw ?? JSON.stringify(body),
    }),
  );

function baseBody(email: string) {
  return {
    jobId: graph.jobId,
    candidate: { firstName: 'Ada', lastName: 'Lovelace', email, phone: '+1 555 0100' },
    externalPortalId: 'portal-cand-123',
    submittedBy: 'portal-user-456',
    resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: 183000 },
  };
}

type Body = ReturnType<typeof baseBody>;
const tampers: [string, (b: Body) => unknown][] = [
  ['jobId', (b) => ({ ...b, jobId: secondJob })],
  ['candidate.firstName', (b) => ({ ...b, candidate: { ...b.candidate, firstName: 'Eve' } })],
  ['candidate.lastName', (b) => ({ ...b, candidate: { ...b.candidate, lastName: 'Mallory' } })],
  ['candidate.email', (b) => ({ ...b, candidate: { ...b.candidate, email: `x${b.candidate.email}` } })],
  [
    'candidate.email case',
    (b) => ({ ...b, candidate: { ...b.candidate, email: b.candidate.email.toUpperCase() } }),
  ],
  ['candidate.phone', (b) => ({ ...b, candidate: { ...b.candidate, phone: '+1 555 0199' } })],
  [
    'candidate.phone removed',
    (b) => ({ ...b, candidate: { firstName: 'Ada', lastName: 'Lovelace', email: b.candidate.email } }),
  ],
  ['externalPortalId', (b) => ({ ...b, externalPortalId: 'portal-cand-999' })],
  ['submittedBy', (b) => ({ ...b, submittedBy: 'portal-user-999' })],
  ['resume.fileName', (b) => ({ ...b, resume: { ...b.resume, fileName: 'other.pdf' } })],
  ['resume.contentType', (b) => ({ ...b, resume: { ...b.resume, contentType: 'text/plain' } })],
  ['resume.sizeBytes', (b) => ({ ...b, resume: { ...b.resume, sizeBytes: 183001 } })],
  ['resume removed', (b) => ({ ...b, resume: undefined })],
];

describeOnPostgres('R18', 'payload tampering under one key', () => {
  beforeAll(async () => {
    db = await createTestDatabase({ appMax: 4 });
    graph = await seedTenantGraph(db.owner, 'A');
    otherOrg = await seedTenantGraph(db.owner, 'B');
    secondJob = randomUUID();
    await db.owner`insert into jobs (id, organization_id, title, employment_type) values (${secondJob}, ${graph.organizationId}, 'Second', 'full_time')`;
    await db.owner`insert into job_stages (organization_id, job_id, name, position, kind, owner, fixed)
      values (${graph.organizationId}, ${secondJob}, 'Screening', 0, 'screening', 'portal', true)`;
    handler = await loadHandler('portal-submission', {
      sql: db.app,
      objectStore: new MemoryObjectStore(),
      queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
    });
  });

  afterAll(async () => {
    await db?.close();
  });

  it('refuses every tampered body under a used key with 422 and runs the submission once', async () => {
    const tamperStatuses: string[] = [];
    const replayStatuses: string[] = [];
    const keys: string[] = [];
    let concurrentWinners = 0;
    let concurrentRounds = 0;
    for (const [field, tamper] of tampers) {
      // sequential: first request, then the tampered one
      const key = `r18-seq-${randomUUID()}`;
      keys.push(key);
      const body = baseBody(`r18-${randomUUID()}@example.com`);
      const first = await submit(key, body);
      expect(first.status).toBe(201);
      const res = await submit(key, tamper(body));
      tamperStatuses.push(`${res.status} ${res.body?.error?.code ?? ''}`);
      if (res.status !== 422) console.log(`R18 ${field}: ${res.status}`);

      // concurrent: the original and the tampered body race under one fresh key
      concurrentRounds++;
      const ckey = `r18-con-${randomUUID()}`;
      keys.push(ckey);
      const cbody = baseBody(`r18-${randomUUID()}@example.com`);
      const results = await Promise.all([
        submit(ckey, cbody),
        submit(ckey, tamper(cbody)),
        submit(ckey, cbody),
      ]);
      const fresh = results.filter(
        (r) => r.status === 201 && r.headers['idempotent-replayed'] !== 'true',
      ).length;
      if (fresh === 1) concurrentWinners++;
      for (const r of results) {
        if (r.status !== 201) tamperStatuses.push(`${r.status} ${r.body?.error?.code ?? ''}`);
      }
    }
    // the same validated request (key order, surrounding whitespace) replays
    const key = `r18-same-${randomUUID()}`;
    keys.push(key);
    const body = baseBody(`r18-${randomUUID()}@example.com`);
    const first = await submit(key, body);
    const reordered = JSON.stringify({
      resume: body.resume,
      candidate: body.candidate,
      jobId: body.jobId,
      submittedBy: body.submittedBy,
      externalPortalId: body.externalPortalId,
    });
    for (const raw of [
      reordered,
      JSON.stringify(body, null, 2),
      JSON.stringify({ ...body, candidate: { ...body.candidate, firstName: ' Ada ' } }),
    ]) {
      const res = await submit(key, undefined, graph.keys.portal, raw);
      replayStatuses.push(`${res.status} ${res.headers['idempotent-replayed'] ?? ''}`);
      expect(res.body.application.id).toBe(first.body.application.id);
    }
    // another organization may use the same key for its own request
    const foreign = await submit(key, { ...body, jobId: otherOrg.jobId }, otherOrg.keys.portal);

    const executions = await db.owner<{ key: string; n: number }[]>`
      select k.idempotency_key as key,
        (select count(*)::int from applications a where a.id = (k.response -> 'application' ->> 'id')::uuid) as n
      from idempotency_keys k where k.idempotency_key = any(${keys}::text[]) and k.organization_id = ${graph.organizationId}`;
    const [apps] = await db.owner<{ n: number }[]>`
      select count(*)::int as n from applications a join candidates c on c.id = a.candidate_id
      where a.organization_id = ${graph.organizationId}
        and (c.email like 'r18-%' or c.email like 'xr18-%' or c.email like 'R18-%')`;
    const tampered = tamperStatuses.length;
    const refused422 = tamperStatuses.filter((s) => s === '422 IDEMPOTENCY_KEY_REUSED').length;
    figures('R18', 'payload tampering under one key', {
      fields: tampers.length,
      tamperedRequests: tampered,
      rejected422: `${refused422}/${tampered}`,
      rejectionStatuses: histogram(tamperStatuses),
      concurrentRoundsWithOneExecution: `${concurrentWinners}/${concurrentRounds}`,
      keys: keys.length,
      executionsPerKey: [...new Set(executions.map((e) => e.n))].join(','),
      applicationsCreated: apps!.n,
      sameRequestReplays: histogram(replayStatuses),
      otherOrganizationSameKey: foreign.status,
      powertoolsIdempotency: 'not used (Postgres Idempotency-Key is the guard)',
    });
    expect(refused422).toBe(tampered);
    expect(concurrentWinners).toBe(concurrentRounds);
    expect(executions).toHaveLength(keys.length);
    expect(executions.every((e) => e.n === 1)).toBe(true);
    // one application per key of this organization, none for the tampered bodies
    expect(apps!.n).toBe(keys.length);
    expect(replayStatuses).toEqual(['201 true', '201 true', '201 true']);
    expect(foreign.status).toBe(201);
  });
});
