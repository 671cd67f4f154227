/**
 * document-scan: records GuardDuty's malware scan result for one uploaded resume (docs/reliability.md §8). The
 * EventBridge rule already matches the hub bucket and `resumes/`; an event for another bucket or key is still
 * ignored here (logged, not thrown: retrying it could never help). Duplicate and late results are safe, the
 * transitions of `recordDocumentScan` are monotonic.
 *
 * The object is read (to sniff its type) only for a NO_THREATS_FOUND result, when GuardDuty has tagged it clean
 * and the bucket policy lets this function read it; `scanStoredDocument` decides every other result without
 * the bytes. It reads the scanned version (`versionId`); a file deleted before its result is recorded
 * (`failed`, reason `deleted`) and the invocation succeeds. Any other failed read throws, so it is retried.
 */
import type { Sql } from 'postgres';
import { bucketLayout, type QueueName } from '../../shared/config/resources.js';
import {
  type DocumentScanStatus,
  organizationOfResumeKey,
  type ScanVerdict,
  scanStoredDocument,
} from '../../shared/documents/document-scan.js';
import type { ScanResultDetail } from '../../shared/documents/scan-result-event.js';
import { publishSoon } from '../../shared/outbox/publisher.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { Queue } from '../../shared/ports/queue.js';

/** Structured log sink (the Powertools logger fits). Callers pass ids, statuses and codes only. */
export interface DocumentScanLog {
  info(message: string, fields: Record<string, unknown>): void;
  warn(message: string, fields: Record<string, unknown>): void;
}

export interface DocumentScanDependencies {
  sql: Sql;
  objectStore: ObjectStore;
  /** The hub bucket (BUCKET_NAME): results for any other bucket are ignored. */
  bucketName: string;
  /** Publishes the verdict's outbox row at once, so the application's write-back need not wait for the tick. */
  queues?: Readonly<Partial<Record<QueueName, Queue>>>;
  log: DocumentScanLog;
}

export type DocumentScanOutcome =
  | { outcome: 'ignored'; reason: 'other_bucket' | 'outside_resumes' | 'not_a_resume_key' }
  | { outcome: 'unknown_document'; verdict: ScanVerdict }
  | {
      outcome: 'recorded';
      documentId: string;
      verdict: ScanVerdict;
      previousStatus: DocumentScanStatus;
      status: DocumentScanStatus;
      /** False for a duplicate or a late result that the monotonic transitions refused. */
      changed: boolean;
    };

export async function recordScanResult(
  deps: DocumentScanDependencies,
  detail: ScanResultDetail,
): Promise<DocumentScanOutcome> {
  const { bucketName, objectKey, s3Throttled } = detail.s3ObjectDetails;
  const scanResult = detail.scanResultDetails.scanResultStatus;
  if (bucketName !== deps.bucketName) {
    // another bucket's name is not personal data, its keys might be: they stay out of the log
    deps.log.info('scan result ignored: other bucket', { bucketName, scanResult });
    return { outcome: 'ignored', reason: 'other_bucket' };
  }
  if (!objectKey.startsWith(bucketLayout.resumes)) {
    deps.log.info('scan result ignored: key outside resumes/', { scanResult });
    return { outcome: 'ignored', reason: 'outside_resumes' };
  }
  if (!organizationOfResumeKey(objectKey)) {
    deps.log.warn('scan result ignored: not a resume key the hub hands out', { scanResult });
    return { outcome: 'ignored', reason: 'not_a_resume_key' };
  }

  // resume keys are `resumes/{organizationId}/{applicationId}/{uuid}`: ids only, safe to log
  const result = await scanStoredDocument(deps, objectKey, scanResult, detail.s3ObjectDetails.versionId);
  const fields = {
    s3Key: objectKey,
    scanResult,
    verdict: result.verdict,
    sniffed: result.sniffed,
    threats: detail.scanResultDetails.threats?.length ?? 0,
    ...(s3Throttled ? { s3Throttled } : {}),
  };
  if (!result.found || !result.documentId || !result.previousStatus || !result.status) {
    deps.log.warn('scan result for a key no document has', fields);
    return { outcome: 'unknown_document', verdict: result.verdict };
  }
  const changed = result.status !== result.previousStatus;
  const organizationId = organizationOfResumeKey(objectKey);
  if (changed && organizationId) await publishSoon(deps.sql, deps.queues, { organizationId });
  deps.log.info(changed ? 'scan result recorded' : 'scan result did not change the document', {
    ...fields,
    documentId: result.documentId,
    previousStatus: result.previousStatus,
    status: result.status,
  });
  return {
    outcome: 'recorded',
    documentId: result.documentId,
    verdict: result.verdict,
    previousStatus: result.previousStatus,
    status: result.status,
    changed,
  };
}
