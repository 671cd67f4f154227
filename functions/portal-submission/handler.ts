import * as api from '../../shared/api/application-routes.js';
import { httpHandler } from '../../shared/http/stack.js';
import { implement } from '../../shared/http/types.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { lazily, usePostPresigner } from '../../shared/runtime/aws-adapters.js';
import { submitApplication } from './use-case.js';

// loaded with the S3 client on the first upload form, not at init (B3); imported once, not per form: even a
// cached module's import() resolves its specifier again on every call
const presignerModule = lazily(() => import('../../shared/aws/s3-post-presigner.js'));
usePostPresigner(async (...args) => (await presignerModule()).s3PostPresigner(...args));
const deps = adapters();

export const routes = [
  implement(api.submitApplication, async (request) => {
    const result = await submitApplication(
      {
        sql: deps.sql(),
        objectStore: deps.objectStore(),
        clock: deps.clock,
        uploadTtlSeconds: deps.env.UPLOAD_URL_TTL_SECONDS,
        queues: deps.queues(),
      },
      request.principal,
      request.body,
      request.headers['idempotency-key'],
    );
    const headers: Record<string, string> = result.replayed ? { 'idempotent-replayed': 'true' } : {};
    return { status: result.status, body: result.body, headers };
  }),
];

export const handler = httpHandler(routes, deps);
