import { beforeAll, describe, expect, it } from 'vitest';
import { type HttpHandler, invoke, loadEvent, loadHandler } from '../../support/handler-harness.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemoryQueue } from '../../support/memory-queue.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();
let handler: HttpHandler;
let tokens: Record<string, string>;

beforeAll(async () => {
  handler = await loadHandler('portal-submission', {
    sql: seeded.db.app,
    objectStore: new MemoryObjectStore(),
    queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
  });
  tokens = { jobId: seeded.graph.jobId, portalKey: seeded.graph.keys.portal, atsKey: seeded.graph.keys.ats };
});

describe('portal-submission handler with sample events', () => {
  it('creates an application and a presigned resume upload', async () => {
    const res = await invoke(handler, loadEvent('portal-submission/submit-created', tokens));
    expect(res.status).toBe(201);
    expect(res.body.application).toMatchObject({
      stage: 'Screening',
      status: 'active',
      source: 'portal',
      version: 1,
    });
    expect(res.body.resumeUpload.fields).toMatchObject({ key: expect.stringMatching(/^resumes\//) });
  });

  it('writes the candidate, application, history, document and outbox rows together', async () => {
    const res = await invoke(handler, loadEvent('portal-submission/submit-idempotent', tokens));
    const id = res.body.application.id;
    const [row] = await seeded.db.owner`select
      (select count(*)::int from application_stage_history where application_id = ${id}) as history,
      (select count(*)::int from candidate_documents where application_id = ${id} and scan_status = 'pending_upload') as documents,
      (select count(*)::int from outbox where aggregate_id = ${id} and event_type = 'application.created') as events,
      (select count(*)::int from idempotency_keys where idempotency_key = 'portal-req-0001') as keys`;
    expect(row).toEqual({ history: 1, documents: 1, events: 1, keys: 1 });
  });

  it('answers malformed JSON with MALFORMED_JSON', async () => {
    const res = await invoke(handler, loadEvent('portal-submission/submit-malformed-json', tokens));
    expect([res.status, res.body.error.code]).toEqual([400, 'MALFORMED_JSON']);
  });

  it('answers invalid UTF-8 with MALFORMED_JSON', async () => {
    const res = await invoke(handler, loadEvent('portal-submission/submit-base64-invalid-utf8', tokens));
    expect([res.status, res.body.error.code]).toEqual([400, 'MALFORMED_JSON']);
  });

  it('answers a wrong content type with 415', async () => {
    const res = await invoke(handler, loadEvent('portal-submission/submit-wrong-content-type', tokens));
    expect([res.status, res.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });

  it('answers an invalid body with every issue', async () => {
    const res = await invoke(handler, loadEvent('portal-submission/submit-invalid', tokens));
    expect(res.status).toBe(400);
    expect(res.body.error.details.issues.length).toBeGreaterThanOrEqual(3);
  });

  it('answers an Idempotency-Key with a control character with 400, as the route contract declares', async () => {
    // prepare
    const event = loadEvent('portal-submission/submit-idempotent', tokens);
    event.headers = { ...event.headers, 'idempotency-key': 'portal-req-\u0000' };

    // act
    const res = await invoke(handler, event);

    // assess
    expect([res.status, res.body.error.details.issues]).toEqual([
      400,
      [
        {
          path: 'header.idempotency-key',
          message: 'must be 1 to 200 characters, without control characters',
        },
      ],
    ]);
  });

  it('answers a missing key with 401', async () => {
    const res = await invoke(handler, loadEvent('portal-submission/submit-unauthenticated', tokens));
    expect([res.status, res.body.error.code]).toEqual([401, 'UNAUTHORIZED']);
  });

  it('answers the ATS role with 403', async () => {
    const res = await invoke(handler, loadEvent('portal-submission/submit-as-ats', tokens));
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('portal-submission handler when the database fails', () => {
  it('answers 500 INTERNAL without internals', async () => {
    const broken = await loadHandler('portal-submission', {
      sql: (() => {
        throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432 password=secret'), {
          code: 'ECONNREFUSED',
        });
      }) as never,
      objectStore: new MemoryObjectStore(),
    });
    // the key lookup is the first database call
    const res = await invoke(
      broken,
      loadEvent('portal-submission/submit-created', {
        ...tokens,
        portalKey: 'hub_portal_brokenbrokenbrokenbroken',
      }),
    );
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({ code: 'INTERNAL', message: 'internal error', details: {} });
    expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
  });
});
