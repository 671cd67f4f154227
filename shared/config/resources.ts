/**
 * Names of the cloud resources the runtime code addresses: queues, bucket prefixes, secret scopes and the
 * malware scan tag. They live here, not in infra/topology.ts, so that functions/ and shared/ never import
 * the infrastructure description; the topology builds on these names.
 */

export type QueueName = 'sync' | 'notify' | 'privacy';
export type BucketPrefix = 'resumes' | 'raw' | 'exports';
export type SecretScope = 'providers' | 'webhooks';

/** Object key prefixes in the one bucket; resumes are readable only once their scan says clean. */
export const bucketLayout: Readonly<Record<BucketPrefix, string>> = {
  resumes: 'resumes/',
  raw: 'raw/',
  exports: 'exports/',
};

/**
 * Tag GuardDuty Malware Protection for S3 writes on every scanned object (`NO_THREATS_FOUND`, `THREATS_FOUND`,
 * `UNSUPPORTED`, `ACCESS_DENIED`, `FAILED`); the bucket policy lets resumes be read only with the first.
 */
export const SCAN_STATUS_TAG = 'GuardDutyMalwareScanStatus';
