import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type LocalObjectStoreServer,
  startObjectStoreServer,
} from '../../../infra/local/object-store-server.js';
import { S3ObjectStore, s3ClientConfig } from '../../../shared/aws/s3-object-store.js';

const REGION = 'us-east-1';
const BUCKET = 'hub-presign';
const CREDENTIALS = { accessKeyId: 'LOCALTESTKEY', secretAccessKey: 'local-test-secret' };

let dir: string;
let server: LocalObjectStoreServer;
let store: S3ObjectStore;
let clockOffsetMs = 0;
let seq = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hub-presign-'));
  server = await startObjectStoreServer({
    dir,
    region: REGION,
    credentials: CREDENTIALS,
    buckets: [BUCKET],
    now: () => Date.now() + clockOffsetMs,
  });
  const client = new S3Client({
    ...s3ClientConfig({ region: REGION, endpoint: server.url }),
    credentials: CREDENTIALS,
  });
  store = new S3ObjectStore({ bucket: BUCKET, client });
});

afterAll(async () => {
  store?.client.destroy();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  clockOffsetMs = 0;
});

async function storedResume(body = 'resume bytes'): Promise<string> {
  const key = `resumes/org-1/app-${++seq}/file name (${seq}).pdf`;
  await store.put(key, body, { contentType: 'application/pdf' });
  return key;
}

describe('S3ObjectStore.presignGet against the local object store', () => {
  it('hands out a link that serves the object without credentials', async () => {
    const key = await storedResume('%PDF- the resume');
    const link = await store.presignGet(key, 300);
    const res = await fetch(link.url);
    expect([res.status, await res.text()]).toEqual([200, '%PDF- the resume']);
  });

  it('states when the link expires', async () => {
    const before = Date.now();
    const link = await store.presignGet(await storedResume(), 300);
    const expiresIn = Date.parse(link.expiresAt) - before;
    expect(expiresIn > 299_000 && expiresIn <= 301_000).toBe(true);
  });

  it('refuses the link once it has expired', async () => {
    const link = await store.presignGet(await storedResume(), 60);
    clockOffsetMs = 61_000;
    const res = await fetch(link.url);
    expect([res.status, (await res.text()).includes('Request has expired')]).toEqual([403, true]);
  });

  it('refuses a link whose key was changed (the signature is checked)', async () => {
    const key = await storedResume();
    await storedResume('another candidate');
    const link = await store.presignGet(key, 300);
    const res = await fetch(link.url.replace(`app-${seq - 1}`, `app-${seq}`));
    expect([res.status, (await res.text()).includes('SignatureDoesNotMatch')]).toEqual([403, true]);
  });

  it('refuses a link whose expiry was stretched', async () => {
    const link = await store.presignGet(await storedResume(), 60);
    const res = await fetch(link.url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600'));
    expect(res.status).toBe(403);
  });

  it('will not sign a link for longer than S3 accepts (7 days)', async () => {
    await expect(store.presignGet('resumes/x.pdf', 7 * 24 * 3600 + 1)).rejects.toThrow(/expiresSeconds/);
  });
});
