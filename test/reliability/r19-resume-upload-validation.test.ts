// Over 400 lines: R19 lists every upload refusal with its expected answer.
/**
 * R19 Resume upload validation, end to end against the local S3-compatible store that enforces presigned POST
 * policies (infra/local/object-store-server.ts) through the hub's S3 adapter: a portal submission declares the
 * resume, the browser-style upload goes to the presigned POST, and the store's onObjectCreated hook plays
 * GuardDuty Malware Protection (tags the object, then calls the hub's document-scan use case,
 * shared/documents/document-scan.ts). Files: the allowed types (PDF, DOCX, DOC, plain text), `.pdf`-named EXE,
 * ZIP and HTML, a DOCX declared as PDF, a PDF+ZIP polyglot, a DOCX that is also a PDF, markup and binary
 * declared as text; 0 bytes, over the declared size, over 10 MiB, a wrong Content-Type; scan results
 * NO_THREATS_FOUND, THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED and FAILED, plus late and duplicate results.
 * Pass: disallowed types promoted to clean = 0; objects readable before NO_THREATS_FOUND = 0 (the read gate
 * `readableDocument` answers only for clean documents); out-of-range sizes refused by the POST policy (400/403).
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type LocalObjectStoreServer,
  startObjectStoreServer,
} from '../../infra/local/object-store-server.js';
import { SCAN_STATUS_TAG } from '../../infra/stacks/stateful-stack.js';
import { S3ObjectStore, s3ClientConfig } from '../../shared/aws/s3-object-store.js';
import { s3PostPresigner } from '../../shared/aws/s3-post-presigner.js';
import { readableDocument, scanStoredDocument } from '../../shared/documents/document-scan.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { routeEvent } from '../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../support/handler-harness.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { describeOnPostgres, figures, histogram } from '../support/reliability.js';
import { minimalDocx, zipArchive } from '../support/zip.js';
import { portalSubmission } from './support/suite.js';

const CREDENTIALS = { accessKeyId: 'R19ACCESSKEY', secretAccessKey: 'r19-secret-access-key' };
const BUCKET = 'hub-r19';
const PDF_MIME = 'application/pdf';
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
let db: TestDatabase;
let graph: TenantGraph;
let dir: string;
let server: LocalObjectStoreServer;
let store: S3ObjectStore;
let portal: HttpHandler;
let pipeline: HttpHandler;
/** What the simulated GuardDuty answers per key (default NO_THREATS_FOUND), and what the hook saw. */
const scanResults = new Map<string, string[]>();
const readableBeforeScan: string[] = [];
const hookErrors: unknown[] = [];

const pdf = Buffer.from(
  '%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);
const ole = Buffer.concat([
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  Buffer.alloc(504, 0),
]);
const exe = Buffer.concat([Buffer.from('MZ\u0090\u0000\u0003', 'latin1'), Buffer.alloc(200, 0x41)]);
const html = Buffer.from(
  '<!DOCTYPE html><html><body><script>fetch("/steal?c="+document.cookie)</script></body></html>',
);
const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');

interface Sample {
  name: string;
  fileName: string;
  contentType: string;
  body: Buffer;
  allowed: boolean;
  /** GuardDuty results delivered for the object, in order (late and duplicate ones included). */
  scans?: string[];
  expectStatus: string;
}

const samples: Sample[] = [
  { name: 'PDF', fileName: 'cv.pdf', contentType: PDF_MIME, body: pdf, allowed: true, expectStatus: 'clean' },
  {
    name: 'DOCX',
    fileName: 'cv.docx',
    contentType: DOCX_MIME,
    body: minimalDocx(),
    allowed: true,
    expectStatus: 'clean',
  },
  {
    name: 'DOC',
    fileName: 'cv.doc',
    contentType: 'application/msword',
    body: ole,
    allowed: true,
    expectStatus: 'clean',
  },
  {
    name: 'plain text',
    fileName: 'cv.txt',
    contentType: 'text/plain',
    body: Buffer.from('Ada Lovelace\nAnalyst, 1843 – notes on the engine\n'),
    allowed: true,
    expectStatus: 'clean',
  },
  {
    name: '.pdf-named EXE',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: exe,
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: '.pdf-named ZIP',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: zipArchive([{ name: 'payload.js', data: 'alert(1)' }]),
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: '.pdf-named HTML',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: html,
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: 'DOCX declared as PDF',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: minimalDocx(),
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: 'PDF+ZIP polyglot',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: Buffer.concat([pdf, zipArchive([{ name: 'x.exe', data: exe }])]),
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: 'DOCX+PDF polyglot',
    fileName: 'cv.docx',
    contentType: DOCX_MIME,
    body: zipArchive([
      { name: 'a.txt', data: '%PDF-1.4 hidden' },
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]),
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: 'HTML declared as text',
    fileName: 'cv.txt',
    contentType: 'text/plain',
    body: html,
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: 'SVG declared as text',
    fileName: 'cv.txt',
    contentType: 'text/plain',
    body: svg,
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: 'binary declared as text',
    fileName: 'cv.txt',
    contentType: 'text/plain',
    body: Buffer.from([0x41, 0x00, 0x42, 0xff, 0x10]),
    allowed: false,
    expectStatus: 'rejected',
  },
  {
    name: 'EXE declared as DOC',
    fileName: 'cv.doc',
    contentType: 'application/msword',
    body: exe,
    allowed: false,
    expectStatus: 'rejected',
  },
  // scan results on an allowed file
  {
    name: 'PDF, THREATS_FOUND',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: pdf,
    allowed: true,
    scans: ['THREATS_FOUND'],
    expectStatus: 'infected',
  },
  {
    name: 'PDF, FAILED',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: pdf,
    allowed: true,
    scans: ['FAILED'],
    expectStatus: 'failed',
  },
  {
    name: 'PDF, ACCESS_DENIED',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: pdf,
    allowed: true,
    scans: ['ACCESS_DENIED'],
    expectStatus: 'failed',
  },
  {
    name: 'PDF, UNSUPPORTED',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: pdf,
    allowed: true,
    scans: ['UNSUPPORTED'],
    expectStatus: 'rejected',
  },
  {
    name: 'PDF, FAILED then rescan clean',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: pdf,
    allowed: true,
    scans: ['FAILED', 'NO_THREATS_FOUND'],
    expectStatus: 'clean',
  },
  {
    name: 'PDF, THREATS_FOUND then late NO_THREATS_FOUND',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: pdf,
    allowed: true,
    scans: ['THREATS_FOUND', 'NO_THREATS_FOUND'],
    expectStatus: 'infected',
  },
  {
    name: 'PDF, clean then late FAILED',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: pdf,
    allowed: true,
    scans: ['NO_THREATS_FOUND', 'FAILED'],
    expectStatus: 'clean',
  },
  {
    name: 'EXE, duplicate NO_THREATS_FOUND',
    fileName: 'cv.pdf',
    contentType: PDF_MIME,
    body: exe,
    allowed: false,
    scans: ['NO_THREATS_FOUND', 'NO_THREATS_FOUND'],
    expectStatus: 'rejected',
  },
];

async function submit(resume: { fileName: string; contentType: string; sizeBytes: number }) {
  const res = await invoke(
    portal,
    portalSubmission(
      graph,
      JSON.stringify({
        jobId: graph.jobId,
        candidate: { firstName: 'Ada', lastName: 'Lovelace', email: `r19-${randomUUID()}@example.com` },
        resume,
      }),
    ),
  );
  return res;
}

async function upload(
  resumeUpload: { url: string; fields: Record<string, string> },
  body: Buffer,
  contentType?: string,
) {
  const form = new FormData();
  for (const [k, v] of Object.entries(resumeUpload.fields))
    form.append(k, k === 'Content-Type' && contentType ? contentType : v);
  form.append('file', new Blob([new Uint8Array(body)]), 'upload.bin');
  const res = await fetch(resumeUpload.url, { method: 'POST', body: form });
  const text = await res.text();
  return { status: res.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] };
}

async function statusOf(key: string): Promise<string | undefined> {
  const [row] = await db.owner<
    { scan_status: string }[]
  >`select scan_status from candidate_documents where s3_key = ${key}`;
  return row?.scan_status;
}

describeOnPostgres('R19', 'resume upload validation', () => {
  beforeAll(async () => {
    db = await createTestDatabase({ appMax: 2 });
    graph = await seedTenantGraph(db.owner);
    dir = await mkdtemp(join(tmpdir(), 'hub-r19-'));
    server = await startObjectStoreServer({
      dir,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      buckets: [BUCKET],
      onError: (error) => hookErrors.push(error),
      // GuardDuty Malware Protection for S3, simulated: tag the object, then the hub's scan-result handling
      onObjectCreated: async (key) => {
        const document = await db.owner<
          { id: string }[]
        >`select id from candidate_documents where s3_key = ${key}`;
        const id = document[0]?.id;
        if (id && (await readableDocument(db.app, graph.organizationId, id))) readableBeforeScan.push(key);
        for (const result of scanResults.get(key) ?? ['NO_THREATS_FOUND']) {
          await server.putTags(BUCKET, key, { [SCAN_STATUS_TAG]: result });
          await scanStoredDocument({ sql: db.app, objectStore: store }, key, result);
        }
      },
    });
    store = new S3ObjectStore({
      bucket: BUCKET,
      presigner: s3PostPresigner,
      clientConfig: {
        ...s3ClientConfig({ region: 'us-east-1', endpoint: server.url }),
        credentials: CREDENTIALS,
      },
    });
    const overrides = {
      sql: db.app,
      objectStore: store,
      queues: { sync: new MemoryQueue(), notify: new MemoryQueue() },
    };
    portal = await loadHandler('portal-submission', overrides);
    pipeline = await loadHandler('pipeline-read', overrides);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('promotes only allowed, clean files and keeps everything else unreadable', async () => {
    const outcomes: {
      name: string;
      allowed: boolean;
      status: string | undefined;
      expected: string;
      readable: boolean;
    }[] = [];
    for (const sample of samples) {
      const res = await submit({
        fileName: sample.fileName,
        contentType: sample.contentType,
        sizeBytes: sample.body.length,
      });
      expect(res.status).toBe(201);
      const key = res.body.resumeUpload.fields.key as string;
      if (sample.scans) scanResults.set(key, sample.scans);
      const up = await upload(res.body.resumeUpload, sample.body);
      expect(up.status).toBe(204);
      await server.idle();
      const status = await statusOf(key);
      const [doc] = await db.owner<
        { id: string }[]
      >`select id from candidate_documents where s3_key = ${key}`;
      const readable = Boolean(await readableDocument(db.app, graph.organizationId, doc!.id));
      outcomes.push({
        name: sample.name,
        allowed: sample.allowed,
        status,
        expected: sample.expectStatus,
        readable,
      });
    }

    // sizes the presigned POST must refuse, and a declaration the API refuses before presigning
    const sizeCases: Record<string, string> = {};
    const declared = await submit({ fileName: 'cv.pdf', contentType: PDF_MIME, sizeBytes: 1000 });
    const post = declared.body.resumeUpload;
    for (const [label, body, contentType] of [
      ['0 bytes', Buffer.alloc(0), undefined],
      ['declared + 1 bytes', Buffer.concat([pdf, Buffer.alloc(1001 - pdf.length, 0x20)]), undefined],
      ['11 MiB', Buffer.concat([pdf, Buffer.alloc(11 * 1024 * 1024, 0x20)]), undefined],
      ['wrong Content-Type', pdf, 'text/html'],
    ] as const) {
      const r = await upload(post, body, contentType);
      sizeCases[label] = `${r.status} ${r.code ?? ''}`.trim();
    }
    const refusedKey = post.fields.key as string;
    const storedAfterRefusals = (await store.get(refusedKey)) !== undefined;
    const over10MiB = await submit({
      fileName: 'cv.pdf',
      contentType: PDF_MIME,
      sizeBytes: 10 * 1024 * 1024 + 1,
    });
    const zeroDeclared = await submit({ fileName: 'cv.pdf', contentType: PDF_MIME, sizeBytes: 0 });
    sizeCases['declared 10 MiB + 1'] = `${over10MiB.status} ${over10MiB.body.error.code}`;
    sizeCases['declared 0'] = `${zeroDeclared.status} ${zeroDeclared.body.error.code}`;

    // what the API shows of a pending document: metadata and status, never a location
    const detail = await invoke(
      pipeline,
      routeEvent('GET /applications/{id}', {
        params: { id: declared.body.application.id },
        headers: { authorization: `Bearer ${graph.keys.ats}` },
      }),
    );
    const pendingDoc = detail.body.documents[0];

    const disallowedClean = outcomes.filter((o) => !o.allowed && o.status === 'clean');
    const readableNotClean = outcomes.filter((o) => o.readable && o.status !== 'clean');
    const wrong = outcomes.filter((o) => o.status !== o.expected);
    figures('R19', 'resume upload validation', {
      files: outcomes.length,
      statuses: histogram(outcomes.map((o) => o.status ?? 'none')),
      disallowedPromotedToClean: disallowedClean.length,
      readableBeforeNoThreatsFound: readableBeforeScan.length + readableNotClean.length,
      unexpectedStatus: wrong.length,
      presignedPostRefusals: sizeCases,
      refusedUploadStored: storedAfterRefusals,
      pendingDocumentExposes: Object.keys(pendingDoc ?? {}).join('/'),
      hookErrors: hookErrors.length,
    });
    expect(wrong.map((o) => `${o.name}: ${o.status} ≠ ${o.expected}`)).toEqual([]);
    expect(disallowedClean).toEqual([]);
    expect(readableBeforeScan).toEqual([]);
    expect(readableNotClean).toEqual([]);
    expect(hookErrors).toEqual([]);
    expect(sizeCases).toMatchObject({
      '0 bytes': '400 EntityTooSmall',
      'declared + 1 bytes': '400 EntityTooLarge',
      '11 MiB': '400 EntityTooLarge',
      'wrong Content-Type': '403 AccessDenied',
      'declared 10 MiB + 1': '400 VALIDATION_FAILED',
      'declared 0': '400 VALIDATION_FAILED',
    });
    expect(storedAfterRefusals).toBe(false);
    expect(pendingDoc).toMatchObject({ scanStatus: 'pending_upload' });
    expect(JSON.stringify(detail.body)).not.toContain(refusedKey);
  });
});
