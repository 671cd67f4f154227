import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type LocalObjectStoreServer,
  startObjectStoreServer,
} from '../../../infra/local/object-store-server.js';
import { S3ObjectStore, s3ClientConfig } from '../../../shared/aws/s3-object-store.js';
import { s3PostPresigner } from '../../../shared/aws/s3-post-presigner.js';
import type { PresignedPost } from '../../../shared/ports/object-store.js';

const REGION = 'us-east-1';
const BUCKET = 'hub-test';
const CREDENTIALS = { accessKeyId: 'LOCALTESTKEY', secretAccessKey: 'local-test-secret' };
const MAX_BYTES = 64;
const xml = new XMLParser({ parseTagValue: false });

let dir: string;
let server: LocalObjectStoreServer;
let store: S3ObjectStore;
let clockOffsetMs = 0;
const created: string[] = [];
let keySeq = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hub-s3-'));
  server = await startObjectStoreServer({
    dir,
    region: REGION,
    credentials: CREDENTIALS,
    buckets: [BUCKET],
    now: () => Date.now() + clockOffsetMs,
    onObjectCreated: (key) => {
      created.push(key);
    },
  });
  const client = new S3Client({
    ...s3ClientConfig({ region: REGION, endpoint: server.url }),
    credentials: CREDENTIALS,
  });
  store = new S3ObjectStore({ bucket: BUCKET, client, listPageSize: 2, presigner: s3PostPresigner });
});

afterAll(async () => {
  store?.client.destroy();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  clockOffsetMs = 0;
  created.length = 0;
});

const freshKey = (prefix = 'resumes/org-1') => `${prefix}/${++keySeq}-${Date.now()}.pdf`;
const pdf = (size: number) =>
  Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(Math.max(0, size - 5), 0x41)]).subarray(0, size);

async function presign(key: string, expiresSeconds = 300): Promise<PresignedPost> {
  return store.presignPost({ key, contentType: 'application/pdf', maxBytes: MAX_BYTES, expiresSeconds });
}

async function upload(
  post: PresignedPost,
  file: Buffer,
  changes: { set?: Record<string, string>; add?: Record<string, string> } = {},
): Promise<{ status: number; code: string | undefined; message: string | undefined }> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...post.fields, ...changes.set })) form.append(name, value);
  for (const [name, value] of Object.entries(changes.add ?? {})) form.append(name, value);
  form.append('file', new Blob([file], { type: 'application/pdf' }), 'resume.pdf');
  const response = await fetch(post.url, { method: 'POST', body: form });
  const text = await response.text();
  const error = text ? (xml.parse(text) as { Error?: { Code?: string; Message?: string } }).Error : undefined;
  return { status: response.status, code: error?.Code, message: error?.Message };
}

function decodePolicy(post: PresignedPost): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(post.fields.Policy ?? '', 'base64').toString('utf8'));
}

async function expectNothingStored(key: string): Promise<void> {
  expect(await store.get(key)).toBeUndefined();
  expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  await server.idle();
  expect(created).toEqual([]);
}

describe('S3ObjectStore against the local object store', () => {
  it('reads back what it put, with content type and metadata', async () => {
    const key = freshKey('raw/greenhouse');
    await store.put(key, '{"id":1}', { contentType: 'application/json', metadata: { source: 'greenhouse' } });

    const object = await store.get(key);

    expect(object?.body.toString('utf8')).toBe('{"id":1}');
    expect(object?.contentType).toBe('application/json');
    expect(object?.metadata).toEqual({ source: 'greenhouse' });
  });

  it('serves an SDK client left at default checksums (CRC32 header, aws-chunked stream)', async () => {
    const defaults = new S3Client({
      region: REGION,
      endpoint: server.url,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    });
    const key = freshKey('raw/default checksums+');
    try {
      await defaults.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: Readable.from([Buffer.from('stream'), Buffer.from('ed')]),
          ContentLength: 8,
        }),
      );
      const out = await defaults.send(
        new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }),
      );

      expect(await out.Body?.transformToString()).toBe('streamed');
    } finally {
      defaults.destroy();
    }
  });

  it('answers undefined for a key that does not exist', async () => {
    expect(await store.get('raw/nothing-here.json')).toBeUndefined();
  });

  it('lists every key under a prefix across continuation pages, and nothing outside it', async () => {
    const prefix = `exports/list-${Date.now()}`;
    const keys = ['a', 'b', 'c', 'd', 'e'].map((k) => `${prefix}/${k}.csv`);
    for (const key of keys) await store.put(key, 'x');
    await store.put(`${prefix}-other/z.csv`, 'x');

    const listed = await store.list(`${prefix}/`);

    expect(listed).toEqual(keys);
  });

  it('deletes an object, and deleting a missing key succeeds', async () => {
    const key = freshKey('raw/delete');
    await store.put(key, 'bye');

    await store.delete(key);
    await store.delete(key);

    expect(await store.get(key)).toBeUndefined();
  });

  it('replaces and reads back the tag set of an object', async () => {
    const key = freshKey();
    await store.put(key, pdf(10), { contentType: 'application/pdf' });
    await store.putTags(key, { GuardDutyMalwareScanStatus: 'THREATS_FOUND', stage: 'quarantine' });

    await store.putTags(key, { GuardDutyMalwareScanStatus: 'NO_THREATS_FOUND' });

    expect(await store.getTags(key)).toEqual({ GuardDutyMalwareScanStatus: 'NO_THREATS_FOUND' });
  });

  it('refuses to read the tags of a missing object with NoSuchKey', async () => {
    await expect(store.getTags('resumes/missing.pdf')).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('presigns a POST limited to the key, the content type and 1..maxBytes, expiring when asked', async () => {
    const key = freshKey();
    const before = Date.now();

    const post = await presign(key, 120);

    const policy = decodePolicy(post);
    expect(post.url).toBe(`${server.url}/${BUCKET}`);
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { key },
        { bucket: BUCKET },
        ['eq', '$Content-Type', 'application/pdf'],
        ['content-length-range', 1, MAX_BYTES],
      ]),
    );
    expect(Date.parse(post.expiresAt)).toBe(Date.parse(policy.expiration));
    expect(Date.parse(post.expiresAt) - before).toBeGreaterThanOrEqual(119_000);
    expect(Date.parse(post.expiresAt) - before).toBeLessThanOrEqual(121_000);
  });

  it.each([1, MAX_BYTES])(
    'accepts a browser upload of %i bytes and stores the form content type',
    async (size) => {
      const key = freshKey();
      const post = await presign(key);

      const result = await upload(post, pdf(size));

      expect(result.status).toBe(204);
      const object = await store.get(key);
      expect(object?.body.equals(pdf(size))).toBe(true);
      expect(object?.contentType).toBe('application/pdf');
    },
  );

  it('reports each accepted upload to onObjectCreated with its key', async () => {
    const key = freshKey();
    const post = await presign(key);

    await upload(post, pdf(20));
    await server.idle();

    expect(created).toEqual([key]);
  });

  it('refuses an upload one byte over maxBytes with EntityTooLarge and stores nothing', async () => {
    const key = freshKey();
    const post = await presign(key);

    const result = await upload(post, pdf(MAX_BYTES + 1));

    expect(result).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    await expectNothingStored(key);
  });

  it('refuses an upload far over maxBytes (streamed) with EntityTooLarge and stores nothing', async () => {
    const key = freshKey();
    const post = await presign(key);

    const result = await upload(post, pdf(11 * 1024 * 1024));

    expect(result).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    await expectNothingStored(key);
  });

  it('refuses an empty upload with EntityTooSmall and stores nothing', async () => {
    const key = freshKey();
    const post = await presign(key);

    const result = await upload(post, Buffer.alloc(0));

    expect(result).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    await expectNothingStored(key);
  });

  it('refuses another content type than the presigned one and stores nothing', async () => {
    const key = freshKey();
    const post = await presign(key);

    const result = await upload(post, pdf(10), { set: { 'Content-Type': 'text/html' } });

    expect(result.status).toBe(403);
    expect(result.code).toBe('AccessDenied');
    expect(result.message).toContain('Invalid according to Policy: Policy Condition failed');
    await expectNothingStored(key);
  });

  it('refuses a tampered policy (a larger size limit) with SignatureDoesNotMatch and stores nothing', async () => {
    const key = freshKey();
    const post = await presign(key);
    const policy = decodePolicy(post);
    const widened = {
      ...policy,
      conditions: policy.conditions.map((c) =>
        Array.isArray(c) && c[0] === 'content-length-range' ? ['content-length-range', 1, 10_000_000] : c,
      ),
    };
    const tampered = Buffer.from(JSON.stringify(widened)).toString('base64');

    const result = await upload(post, pdf(MAX_BYTES + 10), { set: { Policy: tampered } });

    expect(result).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    await expectNothingStored(key);
  });

  it('refuses a tampered signature with SignatureDoesNotMatch and stores nothing', async () => {
    const key = freshKey();
    const post = await presign(key);
    const signature = post.fields['X-Amz-Signature'] ?? '';
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`;

    const result = await upload(post, pdf(10), { set: { 'X-Amz-Signature': flipped } });

    expect(result).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    await expectNothingStored(key);
  });

  it('refuses an upload after the policy expired and stores nothing', async () => {
    const key = freshKey();
    const post = await presign(key, 60);
    clockOffsetMs = 61_000;

    const result = await upload(post, pdf(10));

    expect(result).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy expired.',
    });
    await expectNothingStored(key);
  });

  it('refuses an upload to another key than the presigned one and stores nothing', async () => {
    const key = freshKey();
    const other = freshKey('resumes/org-2');
    const post = await presign(key);

    const result = await upload(post, pdf(10), { set: { key: other } });

    expect(result.status).toBe(403);
    expect(result.message).toContain(`["eq", "$key", "${key}"]`);
    await expectNothingStored(other);
    await expectNothingStored(key);
  });

  it('refuses a form field that no policy condition covers and stores nothing', async () => {
    const key = freshKey();
    const post = await presign(key);

    const result = await upload(post, pdf(10), { add: { 'x-amz-meta-owner': 'someone' } });

    expect(result).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Extra input fields: x-amz-meta-owner',
    });
    await expectNothingStored(key);
  });
});

async function storedResume(body = 'resume bytes'): Promise<string> {
  const key = `resumes/org-1/app-${++keySeq}/file name (${keySeq}).pdf`;
  await store.put(key, body, { contentType: 'application/pdf' });
  return key;
}

describe('S3ObjectStore.presignGet against the local object store (the resume download link)', () => {
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
    const res = await fetch(link.url.replace(`app-${keySeq - 1}`, `app-${keySeq}`));
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
