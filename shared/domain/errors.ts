/** Error codes of docs/api.md; the HTTP layer maps each to its status. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  STAGE_NOT_OWNED: 403,
  NOT_FOUND: 404,
  DUPLICATE_APPLICATION: 409,
  SUBMISSION_CONFLICT: 409,
  STAGE_CONFLICT: 409,
  USER_EXISTS: 409,
  DOCUMENT_NOT_READY: 409,
  PUSH_NOT_FAILED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_TRANSITION: 422,
  JOB_NOT_OPEN: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  PUSH_NOT_APPLICABLE: 422,
  DOCUMENT_REJECTED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** A failure the caller is told about: a code from docs/api.md, a safe message, optional safe details. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
