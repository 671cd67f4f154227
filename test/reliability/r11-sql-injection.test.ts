// Over 400 lines: R11 is one matrix: the same hostile inputs through every input route.
/**
 * R11 SQL injection strings. Every string field, header, path segment and query parameter of the HTTP routes
 * (portal submission, stage move and status change, reads with their query parameters, job creation, webhook
 * intake with its signed body and delivery-id header, integration routes), organization and integration ids
 * included, receives each of: `' OR 1=1--`, `'; DROP TABLE …`, `$$`, `\x00`, Unicode quotes, `%` / `_`
 * wildcards (and a few relatives). Row counts may change only by the intended inserts, accepted values are
 * stored verbatim, no statement fails with a syntax error (42601) or any other database error (no 5xx), `\x00`
 * is refused at validation (PostgreSQL text cannot hold it), and non-UUID tenant ids are refused in 100 %.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { withIntegrationRoute, withTenant } from '../../shared/db/tenant.js';
import { logger } from '../../shared/observability/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { routeEvent } from '../support/factories.js';
import { seedTenantGraph, type TenantGraph, tenantTables } from '../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../support/handler-harness.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { MemorySecretStore } from '../support/memory-secrets.js';
import { describeOnPostgres, figures, histogram } from '../support/reliability.js';
import {
  hmacHex,
  seedWebhookIntegrations,
  type WebhookIntegration,
  webhookEvent,
} from '../support/webhook-signing.js';
import { insertApplication } from './support/suite.js';

const PAYLOADS = [
  "' OR 1=1--",
  "'; DROP TABLE applications; --",
  '"; DROP TABLE candidates; --',
  '$$; DROP TABLE jobs; $$',
  '$1 $$ $tag$',
  'a\u0000b',
  '\u2019 OR \u201c1\u201d=\u201d1 \uff07',
  '%',
  '_',
  '%_%\\%',
  "1' UNION SELECT key_hash FROM api_keys--",
  '\\',
];

let db: TestDatabase;
let graph: TenantGraph;
let other: TenantGraph;
let greenhouse: WebhookIntegration;
let lever: WebhookIntegration;
const handlers: Record<string, HttpHandler> = {};

const auth = (role: 'portal' | 'ats' | 'admin') => ({
  'content-type': 'application/json',
  authorization: `Bearer ${graph.keys[role]}`,
});

async function counts(tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables)
    out[t] = (await db.owner.unsafe(`select count(*)::int as n from ${t}`))[0]!.n as number;
  return out;
}

const screeningApplication = () =>
  insertApplication({ db, graph }, 0, { first: 'In', last: 'Jection', emailPrefix: 'r11' });

interface Attempt {
  target: string;
  payload: string;
  fn: string;
  event: APIGatewayProxyEventV2;
  /** Row-count changes this request makes when it succeeds. */
  effect: Record<string, number>;
  /** After success: reads back the stored value that must equal the payload. */
  stored?: () => Promise<string | undefined>;
  /** Accepted value as stored (zod trims text fields). */
  expected?: string;
}

async function attemptsFor(payload: string): Promise<Attempt[]> {
  // one fresh email per submission, so no attempt collides with another as a duplicate application
  const emails: string[] = [];
  const freshEmail = () => {
    emails.push(`r11-${randomUUID()}@example.com`);
    return emails[emails.length - 1]!;
  };
  const base = () => ({
    jobId: graph.jobId,
    candidate: { firstName: 'Ada', lastName: 'Lovelace', email: freshEmail() },
  });
  const submit = (body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 =>
    routeEvent('POST /applications', { headers: { ...auth('portal'), ...headers }, body });
  const created = { candidates: 1, applications: 1, application_stage_history: 1, outbox: 1 };
  const lastEmail = () => emails[emails.length - 1]!;
  const candidateField = (field: 'first_name' | 'last_name' | 'phone' | 'external_portal_id') => {
    const email = lastEmail();
    return async () => {
      const [row] = await db.owner.unsafe(`select ${field} as v from candidates where email = $1`, [email]);
      return row?.v as string | undefined;
    };
  };
  const byEmail = (query: (email: string) => Promise<string | undefined>) => {
    const email = lastEmail();
    return () => query(email);
  };
  const appId = await screeningApplication();
  const move = (body: unknown, id = appId) =>
    routeEvent('POST /applications/{id}/stage', { params: { id }, headers: auth('portal'), body });
  const list = (query: Record<string, string>, jobId = graph.jobId) =>
    routeEvent('GET /jobs/{jobId}/applications', { params: { jobId }, query, headers: auth('ats') });
  const ghBody = JSON.stringify({
    action: 'candidate_stage_change',
    payload: { note: payload, id: randomUUID() },
  });
  const ghHeaders = (eventId: string) => ({
    'content-type': 'application/json',
    signature: `sha256 ${hmacHex(greenhouse.secret, ghBody)}`,
    'greenhouse-event-id': eventId,
  });
  const leverToken = `${payload}${randomUUID()}`;
  const leverAt = Date.now();
  const leverBody = JSON.stringify({
    event: 'candidateStageChange',
    triggeredAt: leverAt,
    token: leverToken,
    signature: hmacHex(lever.secret, `${leverToken}${leverAt}`),
    data: { opportunityId: payload },
  });
  const delivery = (integrationId: string, deliveryId: string) => async () => {
    const [row] =
      await db.owner`select delivery_id from webhook_deliveries where integration_id = ${integrationId} and delivery_id = ${deliveryId}`;
    return row?.delivery_id as string | undefined;
  };
  const eventId = `evt-${payload}-${randomUUID()}`;
  const jobTitle = async () => {
    const [row] =
      await db.owner`select title from jobs where organization_id = ${graph.organizationId} and title = ${payload.trim()}`;
    return row?.title as string | undefined;
  };
  const a = (
    target: string,
    fn: string,
    event: APIGatewayProxyEventV2,
    effect: Record<string, number> = {},
    stored?: () => Promise<string | undefined>,
  ): Attempt => ({
    target,
    payload,
    fn,
    event,
    effect,
    ...(stored ? { stored, expected: payload.trim() } : {}),
  });
  return [
    a(
      'body.candidate.firstName',
      'portal-submission',
      submit({ ...base(), candidate: { firstName: payload, lastName: 'L', email: lastEmail() } }),
      created,
      candidateField('first_name'),
    ),
    a(
      'body.candidate.lastName',
      'portal-submission',
      submit({ ...base(), candidate: { firstName: 'F', lastName: payload, email: lastEmail() } }),
      created,
      candidateField('last_name'),
    ),
    a(
      'body.candidate.email',
      'portal-submission',
      submit({ ...base(), candidate: { firstName: 'F', lastName: 'L', email: `${payload}@example.com` } }),
      created,
    ),
    a(
      'body.candidate.phone',
      'portal-submission',
      submit({ ...base(), candidate: { firstName: 'F', lastName: 'L', email: lastEmail(), phone: payload } }),
      created,
      candidateField('phone'),
    ),
    a(
      'body.externalPortalId',
      'portal-submission',
      submit({ ...base(), externalPortalId: payload }),
      created,
      candidateField('external_portal_id'),
    ),
    a(
      'body.submittedBy',
      'portal-submission',
      submit({ ...base(), submittedBy: payload }),
      created,
      byEmail(async (email) => {
        const [row] =
          await db.owner`select a.submitted_by as v from applications a join candidates c on c.id = a.candidate_id where c.email = ${email}`;
        return row?.v as string | undefined;
      }),
    ),
    a(
      'body.resume.fileName',
      'portal-submission',
      submit({ ...base(), resume: { fileName: payload, contentType: 'application/pdf', sizeBytes: 10 } }),
      { ...created, candidate_documents: 1 },
      byEmail(async (email) => {
        const [row] =
          await db.owner`select d.file_name as v from candidate_documents d join candidates c on c.id = d.candidate_id where c.email = ${email}`;
        return row?.v as string | undefined;
      }),
    ),
    a('body.jobId', 'portal-submission', submit({ ...base(), jobId: payload })),
    a(
      'header.idempotency-key',
      'portal-submission',
      submit(base(), { 'idempotency-key': payload }),
      { ...created, idempotency_keys: 1 },
      async () => {
        const [row] =
          await db.owner`select idempotency_key as v from idempotency_keys where organization_id = ${graph.organizationId} and idempotency_key = ${payload}`;
        return row?.v as string | undefined;
      },
    ),
    a(
      'header.authorization',
      'portal-submission',
      routeEvent('POST /applications', {
        headers: { 'content-type': 'application/json', authorization: `Bearer ${payload}` },
        body: base(),
      }),
    ),
    a(
      'header.content-type',
      'portal-submission',
      routeEvent('POST /applications', {
        headers: { ...auth('portal'), 'content-type': payload },
        body: base(),
      }),
    ),
    a('body.toStage', 'stage-advance', move({ toStage: payload })),
    a('body.expectedStage', 'stage-advance', move({ toStage: 'Shortlist', expectedStage: payload })),
    a(
      'body.note',
      'stage-advance',
      move({ toStage: 'Shortlist', expectedStage: 'Screening', note: payload }),
      { application_stage_history: 1, outbox: 1 },
      async () => {
        const [row] =
          await db.owner`select note as v from application_stage_history where application_id = ${appId} and note is not null`;
        return row?.v as string | undefined;
      },
    ),
    a('path.id (stage)', 'stage-advance', move({ toStage: 'Shortlist' }, payload)),
    a(
      'body.status.reasonId',
      'stage-advance',
      routeEvent('POST /applications/{id}/status', {
        params: { id: graph.applicationId },
        headers: auth('ats'),
        body: { status: 'rejected', reasonId: payload },
      }),
    ),
    a(
      'path.id (read)',
      'pipeline-read',
      routeEvent('GET /applications/{id}', { params: { id: payload }, headers: auth('ats') }),
    ),
    a('path.jobId', 'pipeline-read', list({}, payload)),
    a('query.stage', 'pipeline-read', list({ stage: payload })),
    a('query.status', 'pipeline-read', list({ status: payload })),
    a('query.cursor', 'pipeline-read', list({ cursor: payload })),
    a(
      'query.cursor (forged JSON)',
      'pipeline-read',
      list({
        cursor: Buffer.from(JSON.stringify({ c: '2026-01-01T00:00:00Z', i: payload })).toString('base64url'),
      }),
    ),
    a('query.limit', 'pipeline-read', list({ limit: payload })),
    a(
      'body.title',
      'job-admin',
      routeEvent('POST /jobs', {
        headers: auth('ats'),
        body: { title: payload, employmentType: 'full_time' },
      }),
      { jobs: 1, job_stages: 5 },
      jobTitle,
    ),
    a(
      'body.customStages',
      'job-admin',
      routeEvent('POST /jobs', {
        headers: auth('ats'),
        body: {
          title: `T ${randomUUID()}`,
          employmentType: 'full_time',
          customStages: [payload],
        },
      }),
      { jobs: 1, job_stages: 6 },
      async () => {
        const [row] =
          await db.owner`select name as v from job_stages where organization_id = ${graph.organizationId} and kind = 'custom' and name = ${payload.trim()}`;
        return row?.v as string | undefined;
      },
    ),
    a(
      'body.employmentType',
      'job-admin',
      routeEvent('POST /jobs', { headers: auth('ats'), body: { title: 'x', employmentType: payload } }),
    ),
    a(
      'path.provider',
      'webhook-intake',
      webhookEvent(payload, greenhouse.integrationId, { body: ghBody, headers: ghHeaders(eventId) }),
    ),
    a(
      'path.integrationId',
      'webhook-intake',
      webhookEvent('greenhouse', payload, { body: ghBody, headers: ghHeaders(eventId) }),
    ),
    a(
      'header.greenhouse-event-id',
      'webhook-intake',
      webhookEvent('greenhouse', greenhouse.integrationId, { body: ghBody, headers: ghHeaders(eventId) }),
      { webhook_deliveries: 1 },
      delivery(greenhouse.integrationId, eventId),
    ),
    a(
      'body.token (Lever, signed)',
      'webhook-intake',
      webhookEvent('lever', lever.integrationId, {
        body: leverBody,
        headers: { 'content-type': 'application/json' },
      }),
      { webhook_deliveries: 1 },
      async () => (await delivery(lever.integrationId, leverToken)()) ?? undefined,
    ),
    a(
      'path.id (integration)',
      'integrations-admin',
      routeEvent('GET /integrations/{id}', { params: { id: payload }, headers: auth('admin') }),
    ),
    a(
      'path.id (sync)',
      'integrations-admin',
      routeEvent('POST /integrations/{id}/sync', {
        params: { id: payload },
        headers: auth('admin'),
        body: { mode: 'full' },
      }),
    ),
    a(
      'body.mode (sync)',
      'integrations-admin',
      routeEvent('POST /integrations/{id}/sync', {
        params: { id: graph.integrationId },
        headers: auth('admin'),
        body: { mode: payload },
      }),
    ),
  ].map((x) =>
    x.target.startsWith('body.token')
      ? { ...x, expected: leverToken }
      : x.target === 'header.greenhouse-event-id'
        ? { ...x, expected: eventId }
        : x,
  );
}

describeOnPostgres('R11', 'SQL injection strings', () => {
  beforeAll(async () => {
    db = await createTestDatabase({ appMax: 4 });
    graph = await seedTenantGraph(db.owner, 'A');
    other = await seedTenantGraph(db.owner, 'B');
    const secrets = new MemorySecretStore();
    const hooks = await seedWebhookIntegrations(db.owner, secrets, graph.organizationId);
    greenhouse = hooks.greenhouse;
    lever = hooks.lever;
    const overrides = {
      sql: db.app,
      secrets,
      objectStore: new MemoryObjectStore(),
      queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
    };
    for (const fn of [
      'portal-submission',
      'stage-advance',
      'pipeline-read',
      'job-admin',
      'webhook-intake',
      'integrations-admin',
    ]) {
      handlers[fn] = await loadHandler(fn, overrides);
    }
  });

  afterAll(async () => {
    await db?.close();
  });

  it('treats every injection string as data: verbatim or refused, never SQL', async () => {
    const errors = vi.spyOn(logger, 'error');
    const tables = await tenantTables(db.owner);
    const before = await counts(tables);
    // one Screening application per payload is seeded as the owner for the stage-move attempts
    const expected: Record<string, number> = { applications: PAYLOADS.length, candidates: PAYLOADS.length };
    const statuses: number[] = [];
    const notVerbatim: string[] = [];
    const serverErrors: string[] = [];
    const nulAccepted: string[] = [];
    let accepted = 0;
    let attempts = 0;
    for (const payload of PAYLOADS) {
      for (const attempt of await attemptsFor(payload)) {
        attempts++;
        const res = await invoke(handlers[attempt.fn]!, attempt.event);
        statuses.push(res.status);
        if (process.env.R11_DEBUG)
          console.log(attempt.target, JSON.stringify(payload), res.status, res.body?.error?.code ?? '');
        if (res.status >= 500)
          serverErrors.push(`${attempt.target} ${JSON.stringify(payload)} → ${res.status}`);
        if (res.status >= 200 && res.status < 300 && attempt.event.requestContext.http.method === 'POST') {
          accepted++;
          if (payload.includes('\u0000')) nulAccepted.push(attempt.target);
          for (const [t, n] of Object.entries(attempt.effect)) expected[t] = (expected[t] ?? 0) + n;
          if (attempt.stored) {
            const value = await attempt.stored();
            if (value !== attempt.expected)
              notVerbatim.push(
                `${attempt.target}: ${JSON.stringify(value)} ≠ ${JSON.stringify(attempt.expected)}`,
              );
          }
        }
      }
    }
    const after = await counts(tables);
    const unexpectedChanges = tables
      .map((t) => ({ t, delta: after[t]! - before[t]! - (expected[t] ?? 0) }))
      .filter((x) => x.delta !== 0)
      .map((x) => `${x.t}:${x.delta}`);
    const dbErrorCodes = errors.mock.calls
      .map((c) => (c[1] as { errorCode?: string } | undefined)?.errorCode)
      .filter((c): c is string => typeof c === 'string');

    // tenant and integration ids that are not UUIDs never reach SQL
    let tenantIdRefusals = 0;
    let tenantIdAttempts = 0;
    for (const payload of [
      ...PAYLOADS,
      `${other.organizationId}' OR '1'='1`,
      `${other.organizationId}--`,
      ` ${other.organizationId}`,
    ]) {
      for (const call of [
        () => withTenant(db.app, payload, 'admin', (tx) => tx`select count(*) from jobs`),
        () => withIntegrationRoute(db.app, payload, (tx) => tx`select count(*) from integrations`),
      ]) {
        tenantIdAttempts++;
        await Promise.resolve()
          .then(call)
          .then(
            () => undefined,
            (e: Error) => {
              if (e instanceof TypeError) tenantIdRefusals++;
            },
          );
      }
    }

    figures('R11', 'SQL injection strings', {
      payloads: PAYLOADS.length,
      requests: attempts,
      accepted,
      statuses: histogram(statuses),
      unexpectedRowChanges: unexpectedChanges.length,
      storedNotVerbatim: notVerbatim.length,
      syntaxErrors42601: dbErrorCodes.filter((c) => c === '42601').length,
      databaseErrors: dbErrorCodes.length,
      serverErrors: serverErrors.length,
      nulAccepted: nulAccepted.length,
      nonUuidTenantIdsRefused: `${tenantIdRefusals}/${tenantIdAttempts}`,
    });
    errors.mockRestore();
    expect(notVerbatim).toEqual([]);
    expect(unexpectedChanges).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(dbErrorCodes).toEqual([]);
    expect(unexpectedChanges).toEqual([]);
    expect(notVerbatim).toEqual([]);
    expect(nulAccepted).toEqual([]);
    expect(tenantIdRefusals).toBe(tenantIdAttempts);
    expect(accepted).toBeGreaterThan(PAYLOADS.length * 5);
  });
});
