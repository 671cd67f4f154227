/**
 * document-scan driven by GuardDuty's "Object Scan Result" samples (events/document-scan/), through its real
 * handler (event stack + use case) against a migrated database as hub_app, with an in-memory object store
 * that counts reads: a clean scan sniffs the object and promotes it, every other result decides without
 * reading it, results for other buckets or prefixes are ignored, duplicates change nothing, and a malformed
 * event or a failed read is thrown (so Lambda retries it) without recording a verdict.
 */
import '../../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { resetEnvCache } from '../../../shared/config/env.js';
import type { StoredObject } from '../../../shared/ports/object-store.js';
import { overrideAdapters } from '../../../shared/runtime/adapters.js';
import type { EventInputError } from '../../../shared/triggers/event-stack.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { loadEvent } from '../../support/handler-harness.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';

const BUCKET = 'hub-scan-test';
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(600, 0x20), Buffer.from('\n%%EOF\n')]);
const exe = Buffer.concat([Buffer.from('MZ\u0090\u0000\u0003', 'latin1'), Buffer.alloc(200, 0x41)]);

/** The memory store, counting reads per key; `failGet` makes a read fail (S3 throttling: retried). */
class CountingObjectStore extends MemoryObjectStore {
  readonly reads: string[] = [];
  failGet: ((key: string) => boolean) | undefined;

  override async get(key: string): Promise<StoredObject | undefined> {
    this.reads.push(key);
    if (this.failGet?.(key)) throw Object.assign(new Error('Slow Down'), { name: 'SlowDown' });
    return super.get(key);
  }
}

type EventLambda = (event: unknown, context: Context) => Promise<unknown>;

let db: TestDatabase;
let graph: TenantGraph;
let store: CountingObjectStore;
let handler: EventLambda;
const previousBucket = process.env.BUCKET_NAME;

const context = () => createLambdaContext({ functionName: 'document-scan', timeoutSeconds: 30 });

function sample(name: string, tokens: { bucket?: string; key: string }): unknown {
  return loadEvent(`document-scan/${name}`, { bucket: tokens.bucket ?? BUCKET, key: tokens.key });
}

/** A declared resume (pending upload), as portal-submission writes it; optionally its uploaded bytes. */
async function document(body?: Buffer, declared = { contentType: 'application/pdf', sizeBytes: 10_000 }) {
  const key = `resumes/${graph.organizationId}/${graph.applicationId}/${randomUUID()}`;
  await db.owner`insert into candidate_documents (organization_id, candidate_id, application_id, s3_key, file_name, content_type, size_bytes)
    values (${graph.organizationId}, ${graph.candidateId}, ${graph.applicationId}, ${key}, 'cv.pdf', ${declared.contentType}, ${declared.sizeBytes})`;
  if (body) await store.put(key, body, { contentType: declared.contentType });
  return key;
}

async function statusOf(key: string): Promise<string | undefined> {
  const [row] = await db.owner<
    { scan_status: string }[]
  >`select scan_status from candidate_documents where s3_key = ${key}`;
  return row?.scan_status;
}

beforeAll(async () => {
  db = await createTestDatabase();
  graph = await seedTenantGraph(db.owner);
  store = new CountingObjectStore();
  // the function compares the event's bucket with its own BUCKET_NAME
  process.env.BUCKET_NAME = BUCKET;
  resetEnvCache();
  overrideAdapters({ sql: db.app, objectStore: store });
  const url = pathToFileURL(resolve('functions/document-scan/handler.ts')).href;
  handler = ((await import(/* @vite-ignore */ url)) as { handler: EventLambda }).handler;
});

beforeEach(() => {
  store.reads.length = 0;
  store.failGet = undefined;
});

afterAll(async () => {
  if (previousBucket === undefined) delete process.env.BUCKET_NAME;
  else process.env.BUCKET_NAME = previousBucket;
  resetEnvCache();
  await db?.close();
});

describe('document-scan handler with GuardDuty scan-result samples', () => {
  it('promotes an uploaded PDF to clean on NO_THREATS_FOUND, reading the object to sniff it', async () => {
    const key = await document(pdf);
    expect(await statusOf(key)).toBe('pending_upload');

    const result = await handler(sample('no-threats-found', { key }), context());

    expect(result).toMatchObject({
      outcome: 'recorded',
      verdict: 'clean',
      previousStatus: 'pending_upload',
      status: 'clean',
      changed: true,
    });
    expect(await statusOf(key)).toBe('clean');
    expect(store.reads).toEqual([key]);
  });

  it('changes nothing on a duplicate of the same result', async () => {
    const key = await document(pdf);
    await handler(sample('no-threats-found', { key }), context());

    const again = await handler(sample('no-threats-found', { key }), context());

    expect(again).toMatchObject({ outcome: 'recorded', status: 'clean', changed: false });
    expect(await statusOf(key)).toBe('clean');
  });

  it('rejects an object whose bytes are not the declared type, even when no threat was found', async () => {
    const key = await document(exe);

    const result = await handler(sample('no-threats-found', { key }), context());

    expect(result).toMatchObject({ outcome: 'recorded', verdict: 'rejected' });
    expect(await statusOf(key)).toBe('rejected');
  });

  it('marks THREATS_FOUND infected without reading the object (the bucket policy would refuse it)', async () => {
    const key = await document(pdf);
    store.failGet = () => true;

    const result = await handler(sample('threats-found', { key }), context());

    expect(result).toMatchObject({ outcome: 'recorded', verdict: 'infected', status: 'infected' });
    expect(await statusOf(key)).toBe('infected');
    expect(store.reads).toEqual([]);
  });

  it('lets a late THREATS_FOUND overturn clean, and a late NO_THREATS_FOUND not overturn infected', async () => {
    const key = await document(pdf);
    await handler(sample('no-threats-found', { key }), context());
    await handler(sample('threats-found', { key }), context());
    expect(await statusOf(key)).toBe('infected');

    const late = await handler(sample('no-threats-found', { key }), context());

    expect(late).toMatchObject({ status: 'infected', changed: false });
    expect(await statusOf(key)).toBe('infected');
  });

  it('rejects UNSUPPORTED without reading the object', async () => {
    const key = await document(pdf);

    const result = await handler(sample('unsupported', { key }), context());

    expect(result).toMatchObject({ outcome: 'recorded', verdict: 'rejected' });
    expect(await statusOf(key)).toBe('rejected');
    expect(store.reads).toEqual([]);
  });

  it('records failed when the object is gone by the time of a clean result', async () => {
    const key = await document();

    await handler(sample('no-threats-found', { key }), context());

    expect(await statusOf(key)).toBe('failed');
  });

  it('throws when the clean object cannot be read, leaving the document unscanned for the retry', async () => {
    const key = await document(pdf);
    store.failGet = () => true;

    await expect(handler(sample('no-threats-found', { key }), context())).rejects.toMatchObject({
      name: 'SlowDown',
    });

    expect(await statusOf(key)).toBe('pending_upload');
  });

  it('ignores a result for another bucket without reading or writing anything', async () => {
    const key = await document(pdf);

    const result = await handler(
      sample('no-threats-found', { bucket: 'someone-elses-bucket', key }),
      context(),
    );

    expect(result).toEqual({ outcome: 'ignored', reason: 'other_bucket' });
    expect(await statusOf(key)).toBe('pending_upload');
    expect(store.reads).toEqual([]);
  });

  it('ignores a result for a key outside resumes/', async () => {
    const result = await handler(
      sample('threats-found', { key: 'exports/2026-11-01/funnel.csv' }),
      context(),
    );

    expect(result).toEqual({ outcome: 'ignored', reason: 'outside_resumes' });
  });

  it('reports a resume key no document has, without failing', async () => {
    const key = `resumes/${graph.organizationId}/${graph.applicationId}/${randomUUID()}`;

    const result = await handler(sample('threats-found', { key }), context());

    expect(result).toEqual({ outcome: 'unknown_document', verdict: 'infected' });
  });

  it('throws on an event without s3ObjectDetails (Lambda retries it, then the DLQ keeps it)', async () => {
    const error = (await handler(sample('invalid-no-object', { key: 'unused' }), context()).then(
      () => undefined,
      (e: unknown) => e,
    )) as EventInputError | undefined;

    expect(error?.name).toBe('EventInputError');
    expect(error?.issues).toContainEqual({ path: 'detail.s3ObjectDetails', code: 'invalid_type' });
  });

  it('throws on an event of another detail type', async () => {
    const key = await document(pdf);
    const event = { ...(sample('no-threats-found', { key }) as object), 'detail-type': 'Object Created' };

    await expect(handler(event, context())).rejects.toMatchObject({
      name: 'EventInputError',
      issues: [{ path: 'detail-type', code: 'unexpected_value' }],
    });
    expect(await statusOf(key)).toBe('pending_upload');
  });
});
