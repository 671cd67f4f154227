/** Object storage (S3 in AWS, the local S3-compatible store locally). */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

export interface StoredObject {
  body: Buffer;
  contentType: string | undefined;
  metadata: Record<string, string>;
}

export interface ObjectStore {
  put(
    key: string,
    body: Buffer | string,
    options?: { contentType?: string; metadata?: Record<string, string> },
  ): Promise<void>;
  /** The object, or one version of it; undefined when it (or that version) does not exist. */
  get(key: string, options?: { versionId?: string }): Promise<StoredObject | undefined>;
  delete(key: string): Promise<void>;
  /**
   * Erasure (docs/privacy.md): removes every version of the key, not just the current one (on a versioned bucket a
   * plain delete only writes a delete marker); with `keepCurrent`, only the older versions. Answers how many versions
   * (and delete markers) went; a missing key is 0.
   */
  deleteAllVersions(key: string, options?: { keepCurrent?: boolean }): Promise<number>;
  list(prefix: string): Promise<string[]>;
  getTags(key: string): Promise<Record<string, string>>;
  putTags(key: string, tags: Record<string, string>): Promise<void>;
  /** A browser/server upload limited to one key, one content type and a byte range. */
  presignPost(input: PresignPostInput): Promise<PresignedPost>;
  /** A GET of one existing key, valid for expiresSeconds (signed locally, no request is made). */
  presignGet(key: string, expiresSeconds: number): Promise<PresignedGet>;
}

export interface PresignedGet {
  url: string;
  expiresAt: string;
}

/** One literal key, one content type, 1..maxBytes bytes, valid for expiresSeconds. */
export interface PresignPostInput {
  key: string;
  contentType: string;
  maxBytes: number;
  expiresSeconds: number;
}

/**
 * The store refused a read (S3 403 AccessDenied). S3 answers so for a missing key too when the caller may not
 * list the bucket, so the caller decides what a refusal means where it reads.
 */
export class ObjectAccessDeniedError extends Error {
  constructor(readonly key: string) {
    super('object read denied');
    this.name = 'ObjectAccessDeniedError';
  }
}
