import type { CredentialLookup } from './post-policy.js';
import type { FsObjectStorage } from './storage.js';

export interface ObjectCreatedInfo {
  bucket: string;
  size: number;
  contentType: string;
  source: 'put' | 'post';
}

/** What every operation of the local object store works with; built once when the server starts. */
export interface StoreContext {
  storage: FsObjectStorage;
  /** The region POST policies must be signed for. */
  region: string;
  /** The secret of a configured access key. */
  secretOf: CredentialLookup;
  /** Milliseconds since the epoch, for policy and presigned URL expiry. */
  now: () => number;
  maxObjectBytes: number;
  maxPutBytes: number;
  /** `http://host:port` once listening; object locations in POST answers start with it. */
  baseUrl: () => string;
  /** Announces a stored object (after the answer is sent). */
  notifyCreated: (key: string, info: ObjectCreatedInfo) => void;
}
