/**
 * The resume scan gate (docs/reliability.md §8, R19). Takes the malware scan result GuardDuty Malware Protection
 * for S3 reports for an uploaded object (`GuardDutyMalwareScanStatus`: NO_THREATS_FOUND, THREATS_FOUND,
 * UNSUPPORTED, ACCESS_DENIED, FAILED) plus the object's bytes, sniffs the real type, and sets
 * `candidate_documents.scan_status`:
 *
 * | scan result        | sniffed type allowed and as declared, size within the declared size | otherwise  |
 * |--------------------|----------------------------------------------------------------------|------------|
 * | NO_THREATS_FOUND   | clean                                                                | rejected   |
 * | THREATS_FOUND      | infected                                                             | infected   |
 * | UNSUPPORTED        | rejected (GuardDuty could not look inside: never clean)              | rejected   |
 * | ACCESS_DENIED, FAILED, anything else (also: object deleted) | failed (may be rescanned)   | failed     |
 *
 * Transitions are monotonic, so duplicate or late scan events (EventBridge delivers at least once) cannot
 * undo a verdict: `infected` and `rejected` are final (a later THREATS_FOUND still marks `infected`);
 * `clean` changes only to `infected`; `failed` may become anything but is never written over a verdict.
 * A document is readable (`readableDocument`) only when its status is `clean`.
 */
import type { Sql } from 'postgres';
import { bucketLayout } from '../config/resources.js';
import { withTenant } from '../db/tenant.js';
import { ObjectAccessDeniedError, type ObjectStore } from '../ports/object-store.js';
import {
  matchesDeclared,
  SNIFF_HEAD_BYTES,
  SNIFF_TAIL_BYTES,
  type SniffedType,
  sniffDocument,
} from './sniff.js';

export const GUARDDUTY_SCAN_STATUSES = [
  'NO_THREATS_FOUND',
  'THREATS_FOUND',
  'UNSUPPORTED',
  'ACCESS_DENIED',
  'FAILED',
] as const;
export type GuardDutyScanStatus = (typeof GUARDDUTY_SCAN_STATUSES)[number];

export type DocumentScanStatus = 'pending_upload' | 'uploaded' | 'clean' | 'infected' | 'failed' | 'rejected';
export type ScanVerdict = 'clean' | 'infected' | 'failed' | 'rejected';

/** Largest resume (docs/api.md: 1 byte to 10 MiB). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface DocumentScanInput {
  /** Object key as uploaded: `resumes/{organizationId}/{applicationId}/{uuid}`. */
  s3Key: string;
  /** GuardDuty's `GuardDutyMalwareScanStatus` (any other value counts as FAILED). */
  scanResult: string;
  /** First bytes of the object: at least SNIFF_HEAD_BYTES, or the whole object. */
  head: Buffer;
  /** Last SNIFF_TAIL_BYTES of the object; omit when `head` is the whole object. */
  tail?: Buffer;
  /** Actual size of the stored object. */
  sizeBytes: number;
  /** The scanned object (version) was deleted before its bytes could be read. */
  deleted?: boolean;
}

export interface ScanDecision {
  verdict: ScanVerdict;
  sniffed: SniffedType;
  reason: string;
}

export interface DocumentScanResult extends ScanDecision {
  /** Whether a document row has that key. */
  found: boolean;
  documentId?: string;
  /** Status before and after; equal when the transition was not allowed (duplicate or late event). */
  previousStatus?: DocumentScanStatus;
  status?: DocumentScanStatus;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const RESUME_KEY = new RegExp(`^${bucketLayout.resumes}(${UUID})/(${UUID})/(${UUID})$`, 'i');

/** The organization a resume key belongs to, or undefined for any other key. */
export function organizationOfResumeKey(key: string): string | undefined {
  return RESUME_KEY.exec(key)?.[1]?.toLowerCase();
}

/** The verdict for one object, given what the upload declared. Pure. */
export function decideScan(
  input: Omit<DocumentScanInput, 's3Key'>,
  declared: { contentType: string; sizeBytes: number },
): ScanDecision {
  const sniffed = sniffDocument({
    head: input.head,
    sizeBytes: input.sizeBytes,
    ...(input.tail ? { tail: input.tail } : {}),
  });
  const decide = (verdict: ScanVerdict, reason: string): ScanDecision => ({
    verdict,
    sniffed: sniffed.type,
    reason,
  });
  if (input.scanResult === 'THREATS_FOUND') return decide('infected', 'malware scan found threats');
  // gone before its result arrived: nothing to read, nothing to retry (a rescan of a new upload may follow)
  if (input.deleted) return decide('failed', 'deleted');
  // the scan did not complete (or the object could not be read): nothing is decided yet, a rescan may follow
  if (input.scanResult !== 'NO_THREATS_FOUND' && input.scanResult !== 'UNSUPPORTED') {
    return decide('failed', `malware scan ended ${input.scanResult}`);
  }
  // GuardDuty could not look inside: never clean, whatever the bytes are (so they need not be read)
  if (input.scanResult === 'UNSUPPORTED')
    return decide('rejected', 'malware scan could not inspect the object');
  if (!matchesDeclared(sniffed.type, declared.contentType)) {
    return decide('rejected', `${sniffed.reason}; declared ${declared.contentType}`);
  }
  if (input.sizeBytes < 1 || input.sizeBytes > MAX_DOCUMENT_BYTES || input.sizeBytes > declared.sizeBytes) {
    return decide('rejected', `size ${input.sizeBytes} outside 1..${declared.sizeBytes}`);
  }
  return decide('clean', sniffed.reason);
}

/** Statuses a verdict may replace (monotonic, see the module comment). */
const REPLACES: Record<ScanVerdict, DocumentScanStatus[]> = {
  infected: ['pending_upload', 'uploaded', 'failed', 'clean', 'rejected'],
  rejected: ['pending_upload', 'uploaded', 'failed'],
  clean: ['pending_upload', 'uploaded', 'failed'],
  failed: ['pending_upload', 'uploaded'],
};

/** Records the scan of one object in its organization's transaction; unknown keys change nothing. */
export async function recordDocumentScan(sql: Sql, input: DocumentScanInput): Promise<DocumentScanResult> {
  const organizationId = organizationOfResumeKey(input.s3Key);
  if (!organizationId) return { ...decideScan(input, { contentType: '', sizeBytes: 0 }), found: false };
  return withTenant(sql, organizationId, 'worker', async (tx) => {
    const [doc] = await tx<
      {
        id: string;
        application_id: string | null;
        content_type: string;
        size_bytes: string;
        scan_status: DocumentScanStatus;
      }[]
    >`
      select id, application_id, content_type, size_bytes::text, scan_status from candidate_documents
      where s3_key = ${input.s3Key} for update`;
    if (!doc) {
      const decision = decideScan(input, { contentType: '', sizeBytes: 0 });
      return { ...decision, found: false };
    }
    const decision = decideScan(input, { contentType: doc.content_type, sizeBytes: Number(doc.size_bytes) });
    const allowed = REPLACES[decision.verdict].includes(doc.scan_status);
    if (allowed && doc.scan_status !== decision.verdict) {
      await tx`update candidate_documents set scan_status = ${decision.verdict}, updated_at = now() where id = ${doc.id}`;
      // the write-back waits for the verdict (docs/write-back.md): the event wakes the application's push
      if (doc.application_id) {
        await tx`
          insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
          values (app_org(), 'application', ${doc.application_id}, 'document.scanned',
            ${tx.json({ applicationId: doc.application_id, documentId: doc.id, status: decision.verdict })})`;
      }
    }
    return {
      ...decision,
      found: true,
      documentId: doc.id,
      previousStatus: doc.scan_status,
      status: allowed ? decision.verdict : doc.scan_status,
    };
  });
}

/**
 * Only a clean scan's verdict depends on the bytes (type sniffing, actual size); THREATS_FOUND, UNSUPPORTED,
 * ACCESS_DENIED and FAILED decide it alone.
 */
export function scanNeedsBytes(scanResult: string): boolean {
  return scanResult === 'NO_THREATS_FOUND';
}

/**
 * Records the scan of a stored object: for the GuardDuty "S3 object scan result" EventBridge event in AWS
 * (functions/document-scan) and locally for the object store's `onObjectCreated` hook (which simulates the
 * scan). The object is read only when the verdict depends on its bytes (`scanNeedsBytes`), i.e. after GuardDuty
 * tagged it NO_THREATS_FOUND, which is exactly when the bucket policy lets anyone but the scanner read it; and
 * the version read is the one scanned (`versionId` of the event), never a later upload under the same key.
 * An object deleted before its result arrived is recorded as a failed scan with reason `deleted`, not retried:
 * a missing key or version, or S3's 403 for it (the function may not list the bucket, and the scanned version
 * carries the clean tag, so the bucket policy refuses it only once it is gone).
 */
export async function scanStoredDocument(
  deps: { sql: Sql; objectStore: ObjectStore },
  s3Key: string,
  scanResult: string,
  versionId?: string,
): Promise<DocumentScanResult> {
  const object = scanNeedsBytes(scanResult)
    ? await readScanned(deps.objectStore, s3Key, versionId)
    : undefined;
  const body = object?.body ?? Buffer.alloc(0);
  return recordDocumentScan(deps.sql, {
    s3Key,
    scanResult,
    head: body.subarray(0, SNIFF_HEAD_BYTES),
    ...(body.length > SNIFF_HEAD_BYTES
      ? { tail: body.subarray(Math.max(0, body.length - SNIFF_TAIL_BYTES)) }
      : {}),
    sizeBytes: body.length,
    ...(object === null ? { deleted: true } : {}),
  });
}

/** The scanned version's bytes; null when it is gone. */
async function readScanned(objectStore: ObjectStore, s3Key: string, versionId: string | undefined) {
  try {
    return (await objectStore.get(s3Key, versionId ? { versionId } : {})) ?? null;
  } catch (error) {
    if (error instanceof ObjectAccessDeniedError) return null;
    throw error;
  }
}

export interface ReadableDocument {
  id: string;
  s3Key: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * The one way to a document's object: only a `clean` document of the caller's organization is returned (a
 * download route presigns a GET for its key). Anything pending, failed, infected or rejected stays unreadable.
 */
export async function readableDocument(
  sql: Sql,
  organizationId: string,
  documentId: string,
): Promise<ReadableDocument | undefined> {
  if (!new RegExp(`^${UUID}$`, 'i').test(documentId)) return undefined;
  const [row] = await withTenant(
    sql,
    organizationId,
    'worker',
    (tx) =>
      tx<{ id: string; s3_key: string; file_name: string; content_type: string; size_bytes: string }[]>`
      select id, s3_key, file_name, content_type, size_bytes::text from candidate_documents
      where id = ${documentId} and scan_status = 'clean'`,
  );
  return row
    ? {
        id: row.id,
        s3Key: row.s3_key,
        fileName: row.file_name,
        contentType: row.content_type,
        sizeBytes: Number(row.size_bytes),
      }
    : undefined;
}
