import { idempotencyKeyHeader } from '../../shared/api/applications.js';
import * as api from '../../shared/api/contract.js';
import { s3PostPresigner } from '../../shared/aws/s3-post-presigner.js';
import { DomainError } from '../../shared/domain/errors.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { usePostPresigner } from '../../shared/runtime/aws-adapters.js';
import { submitApplication } from './use-case.js';

usePostPresigner(s3PostPresigner);
const deps = adapters();
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

export const routes = [
  implement(api.submitApplication, async (request) => {
    const key = request.headers['idempotency-key'];
    // PostgreSQL text cannot hold NUL; no client has a reason to send other control characters (R11)
    if (key !== undefined && (!idempotencyKeyHeader.safeParse(key).success || CONTROL.test(key))) {
      throw new DomainError('VALIDATION_FAILED', 'invalid Idempotency-Key', {
        issues: [
          {
            path: 'header.idempotency-key',
            message: 'must be 1 to 200 characters, without control characters',
          },
        ],
      });
    }
    const result = await submitApplication(
      {
        sql: deps.sql(),
        objectStore: deps.objectStore(),
        clock: deps.clock,
        uploadTtlSeconds: deps.env.UPLOAD_URL_TTL_SECONDS,
      },
      request.principal!,
      request.body,
      key,
    );
    const headers: Record<string, string> = result.replayed ? { 'idempotent-replayed': 'true' } : {};
    return { status: result.status, body: result.body, headers };
  }),
];

export const handler = httpHandler(routes, deps);
