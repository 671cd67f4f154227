/**
 * The EventBridge event GuardDuty Malware Protection for S3 publishes to the default bus for every scanned
 * object ("GuardDuty Malware Protection Object Scan Result", source `aws.guardduty`,
 * https://docs.aws.amazon.com/guardduty/latest/ug/monitor-with-eventbridge-s3-malware-protection.html):
 * its `detail` schema (only the fields the hub reads are required), and a builder for the same event, which the
 * local runtime publishes when it simulates the scan.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { GUARDDUTY_SCAN_STATUSES, type GuardDutyScanStatus } from './document-scan.js';

export const SCAN_RESULT_SOURCE = 'aws.guardduty';
export const SCAN_RESULT_DETAIL_TYPE = 'GuardDuty Malware Protection Object Scan Result';

export const scanResultDetail = z.object({
  schemaVersion: z.string().optional(),
  /** COMPLETED, SKIPPED or FAILED; the verdict follows scanResultStatus alone. */
  scanStatus: z.string().optional(),
  resourceType: z.literal('S3_OBJECT'),
  s3ObjectDetails: z.object({
    bucketName: z.string().min(1),
    objectKey: z.string().min(1),
    eTag: z.string().optional(),
    versionId: z.string().optional(),
    s3Throttled: z.boolean().optional(),
  }),
  scanResultDetails: z.object({
    scanResultStatus: z.enum(GUARDDUTY_SCAN_STATUSES),
    threats: z
      .array(z.object({ name: z.string() }))
      .nullable()
      .optional(),
  }),
});

export type ScanResultDetail = z.output<typeof scanResultDetail>;

export interface ScanResultEvent {
  version: '0';
  id: string;
  'detail-type': typeof SCAN_RESULT_DETAIL_TYPE;
  source: typeof SCAN_RESULT_SOURCE;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: ScanResultDetail;
}

/** The event GuardDuty would publish for one object (the local runtime's simulated scan). */
export function scanResultEvent(input: {
  bucket: string;
  key: string;
  result: GuardDutyScanStatus;
  account?: string;
  region?: string;
  time?: Date;
}): ScanResultEvent {
  const result = input.result;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': SCAN_RESULT_DETAIL_TYPE,
    source: SCAN_RESULT_SOURCE,
    account: input.account ?? '000000000000',
    time: (input.time ?? new Date()).toISOString(),
    region: input.region ?? 'us-east-1',
    resources: [],
    detail: {
      schemaVersion: '1.0',
      scanStatus:
        result === 'NO_THREATS_FOUND' || result === 'THREATS_FOUND'
          ? 'COMPLETED'
          : result === 'FAILED'
            ? 'FAILED'
            : 'SKIPPED',
      resourceType: 'S3_OBJECT',
      s3ObjectDetails: { bucketName: input.bucket, objectKey: input.key, s3Throttled: false },
      scanResultDetails: {
        scanResultStatus: result,
        threats: result === 'THREATS_FOUND' ? [{ name: 'EICAR-Test-File (simulated)' }] : null,
      },
    },
  };
}
