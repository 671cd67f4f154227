/**
 * document-scan reads the version GuardDuty scanned (the event's `versionId`), not whatever is latest under the
 * key, and a file deleted before its scan result arrives is recorded (failed, reason `deleted`) and succeeds:
 * S3 answers a missing key or version with 404, or with 403 when the reader may not list the bucket.
 */
import '../../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { recordScanResult } from '../../../functions/document-scan/use-case.js';
import { S3ObjectStore } from '../../../shared/aws/s3-object-store.js';
import { scanResultEvent } from '../../../shared/documents/scan-result-event.js';
import { ObjectAccessDeniedError } from '../../../shared/ports/object-store.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { seededDatabase } from '../../support/seeded-database.js';

const BUCKET = 'hub-scan-versions';
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(600, 0x20), Buffer.from('\n%%EOF\n')]);
const exe = Buffer.concat([Buffer.from('MZ\u0090\u0000\u0003', 'latin1'), Buffer.alloc(200, 0x41)]);
const silent = { info: () => {}, warn: () => {} };

const seeded = seededDatabase();

async function declaredResume(): Promise<string> {
  const key = `resumes/${seeded.graph.organizationId}/${seeded.graph.applicationId}/${randomUUID()}`;
  await seeded.db
    .owner`insert into candidate_documents (organization_id, candidate_id, application_id, s3_key, file_name, content_type, size_bytes)
    values (${seeded.graph.organizationId}, ${seeded.graph.candidateId}, ${seeded.graph.applicationId}, ${key}, 'cv.pdf', 'application/pdf', 10000)`;
  return key;
}

function cleanResult(key: string, versionId: string | undefined) {
  const detail = scanResultEvent({ bucket: BUCKET, key, result: 'NO_THREATS_FOUND' }).detail;
  return { ...detail, s3ObjectDetails: { ...detail.s3ObjectDetails, ...(versionId ? { versionId } : {}) } };
}

const scan = (store: MemoryObjectStore, key: string, versionId: string | undefined) =>
  recordScanResult(
    { sql: seeded.db.app, objectStore: store, bucketName: BUCKET, log: silent },
    cleanResult(key, versionId),
  );

async function statusOf(key: string): Promise<string | undefined> {
  const [row] = await seeded.db.owner<{ scan_status: string }[]>`
    select scan_status from candidate_documents where s3_key = ${key}`;
  return row?.scan_status;
}

describe('document-scan reads the scanned version', () => {
  it('judges the bytes GuardDuty scanned, not a later upload under the same key', async () => {
    const store = new MemoryObjectStore();
    const key = await declaredResume();
    await store.put(key, pdf, { contentType: 'application/pdf' });
    const scanned = store.versionIdOf(key);
    await store.put(key, exe, { contentType: 'application/pdf' });

    const outcome = await scan(store, key, scanned);

    expect(outcome).toMatchObject({ outcome: 'recorded', verdict: 'clean' });
    expect(await statusOf(key)).toBe('clean');
  });
});

/** A resume uploaded, scanned (its version id), then deleted before the result arrives. */
async function deletedAfterScan(store: MemoryObjectStore) {
  const key = await declaredResume();
  await store.put(key, pdf, { contentType: 'application/pdf' });
  const scanned = store.versionIdOf(key);
  await store.delete(key);
  return { key, scanned };
}

describe('document-scan of a file deleted before its result', () => {
  it('records failed (deleted) when the version is gone (404)', async () => {
    const store = new MemoryObjectStore();
    const { key, scanned } = await deletedAfterScan(store);

    const outcome = await scan(store, key, scanned);

    expect(outcome).toMatchObject({ outcome: 'recorded', verdict: 'failed', status: 'failed' });
    expect(await statusOf(key)).toBe('failed');
  });

  it('records failed (deleted) and succeeds when S3 refuses the read of the missing version (403)', async () => {
    const store = new MemoryObjectStore();
    store.denyMissing = true;
    const { key, scanned } = await deletedAfterScan(store);

    const outcome = await scan(store, key, scanned);

    expect(outcome).toMatchObject({ outcome: 'recorded', verdict: 'failed' });
    expect(await statusOf(key)).toBe('failed');
  });
});

describe('S3 object store reads', () => {
  /** An S3 client answering every command with `answer`, recording the commands' input. */
  function s3Answering(answer: () => unknown) {
    const inputs: Record<string, unknown>[] = [];
    const client = {
      send: async (command: { input: Record<string, unknown> }) => {
        inputs.push(command.input);
        return answer();
      },
    } as unknown as S3Client;
    return { store: new S3ObjectStore({ bucket: BUCKET, client }), inputs };
  }

  it('asks for the version it is given', async () => {
    const { store, inputs } = s3Answering(() => ({
      Body: { transformToByteArray: async () => new Uint8Array([1]) },
    }));

    await store.get('resumes/x', { versionId: 'v1' });

    expect(inputs[0]).toMatchObject({ Key: 'resumes/x', VersionId: 'v1' });
  });

  it('answers a missing version as undefined', async () => {
    const { store } = s3Answering(() => {
      throw Object.assign(new Error('gone'), { name: 'NoSuchVersion', $metadata: { httpStatusCode: 404 } });
    });

    await expect(store.get('resumes/x', { versionId: 'v1' })).resolves.toBeUndefined();
  });

  it('throws ObjectAccessDeniedError on 403', async () => {
    const { store } = s3Answering(() => {
      throw Object.assign(new Error('Access Denied'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      });
    });

    await expect(store.get('resumes/x', { versionId: 'v1' })).rejects.toBeInstanceOf(ObjectAccessDeniedError);
  });
});
