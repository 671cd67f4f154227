/**
 * What B1, B6 and B8 share to drive the portal-submission function: its production environment against a
 * database and a local AWS endpoint, distinct valid submissions, and warmed environments of the bundle.
 */

import { httpEvent } from '../support/factories.js';
import { bundle, importFresh } from './bundles.js';
import { type HttpHandler, lambdaContext } from './events.js';
import { lambdaEnvironment } from './lambda-env.js';
import type { SeededTenant } from './seed.js';

export const FN = 'portal-submission';
const CLIENTS = 4;

/**
 * The function's production environment against `dbUrl`, its queues at a local SQS endpoint that accepts every
 * message (`aws-stub.ts`): the immediate outbox publish after each submission is then one successful
 * SendMessageBatch, as in AWS. An unreachable endpoint would make every publish fail after the SDK's retries
 * with backoff (tens of milliseconds of waiting and CPU per submission).
 */
export function submissionEnvironment(dbUrl: string, awsUrl: string): Record<string, string> {
  return lambdaEnvironment(FN, {
    DATABASE_APP_URL: dbUrl,
    AWS_ENDPOINT_URL: awsUrl,
    SYNC_QUEUE_URL: `${awsUrl}/000000000000/hub-prod-sync`,
    NOTIFY_QUEUE_URL: `${awsUrl}/000000000000/hub-prod-notify`,
  });
}

/** What submission `tag` says besides its job (B8's naive path inserts the same). */
export const submissionFields = (tag: string) => ({
  candidate: { firstName: 'Grace', lastName: 'Hopper', email: `${tag}@bench.example`, phone: '+1 555 0100' },
  externalPortalId: `portal-${tag}`,
  submittedBy: 'portal-user-456',
  resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: 183_000 },
});

/** A distinct, valid submission (with resume: the portal's usual request). */
export function submissionEvent(tenant: SeededTenant, tag: string, jobIndex: number) {
  const jobId = tenant.jobIds[jobIndex % tenant.jobIds.length]!;
  const body = JSON.stringify({ jobId, ...submissionFields(tag) });
  return httpEvent({
    routeKey: 'POST /applications',
    path: '/applications',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${tenant.portalKey}`,
      'idempotency-key': `idem-${tag}`,
    },
    body,
  });
}

/** Four fresh bundle instances (environments), warmed with one submission each (connect, key lookup). */
export async function hubEnvironments(
  tenant: SeededTenant,
  nonce: string,
  count = CLIENTS,
): Promise<HttpHandler[]> {
  const b = await bundle(FN);
  const handlers: HttpHandler[] = [];
  for (let i = 0; i < count; i++) {
    const { handler } = await importFresh<{ handler: HttpHandler }>(b);
    const res = await handler(submissionEvent(tenant, `warm-${nonce}-${i}`, i), lambdaContext(FN));
    if (res.statusCode !== 201) throw new Error(`warm-up submission answered ${res.statusCode}: ${res.body}`);
    handlers.push(handler);
  }
  return handlers;
}
