import { idempotencyKeyHeader } from '../../shared/api/applications.js';
import * as api from '../../shared/api/contract.js';
import { DomainError } from '../../shared/domain/errors.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { submitApplication } from './use-case.js';

const deps = adapters();

export const routes = [
  implement(api.submitApplication, async (request) => {
    const key = request.headers['idempotency-key'];
    if (key !== undefined && !idempotencyKeyHeader.safeParse(key).success) {
      throw new DomainError('VALIDATION_FAILED', 'invalid Idempotency-Key', {
        issues: [{ path: 'header.idempotency-key', message: 'must be 1 to 200 characters' }],
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
