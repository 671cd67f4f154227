/**
 * The privacy functions' handlers with their sample events (events/candidate-privacy, events/erasure-worker,
 * events/retention-sweep): the request is accepted, the queued message runs the erasure, the schedule sweeps.
 */
import { describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../../infra/local/lambda-context.js';
import { invoke, loadEvent, loadHandler } from '../../support/handler-harness.js';
import { privacyWorld } from '../../support/privacy-world.js';
import { loadSqsHandler } from '../../support/sqs-handler.js';

const { w, seedPerson } = privacyWorld();
const context = () => createLambdaContext({ functionName: 'test', timeoutSeconds: 30 });
const adapters = () => ({
  sql: w.db.app,
  objectStore: w.store,
  queues: { privacy: w.queue },
  secrets: w.secrets,
  clock: w.clock,
});

describe('privacy handlers with their sample events', () => {
  it('accept an erasure and run it from the queued message', async () => {
    const person = await seedPerson();
    // the sample propagates: a disabled integration is recorded as such, no provider is called
    await w.db.owner`update integrations set enabled = false where id = ${w.graph.integrationId}`;
    const http = await loadHandler('candidate-privacy', adapters());
    const accepted = await invoke(
      http,
      loadEvent('candidate-privacy/erase', { candidateId: person.candidateId, adminKey: w.graph.keys.admin }),
    );
    const worker = await loadSqsHandler('erasure-worker', adapters());

    const result = await worker(
      loadEvent('erasure-worker/erasure', {
        organizationId: w.graph.organizationId,
        erasureId: accepted.body.erasureId,
      }) as never,
      context(),
    );

    expect(accepted.status).toBe(202);
    expect(result?.batchItemFailures).toEqual([]);
    const [row] = await w.db.owner`select state from erasures where id = ${accepted.body.erasureId}`;
    expect(row?.state).toBe('done');
  });

  it('sweep on the schedule and report counts', async () => {
    const url = new URL('../../../functions/retention-sweep/handler.ts', import.meta.url).href;
    await loadHandler('candidate-privacy', adapters());
    const { handler } = (await import(url)) as { handler: (e: unknown, c: unknown) => Promise<unknown> };

    const report = await handler(loadEvent('retention-sweep/sweep'), context());

    expect(report).toMatchObject({ organizations: expect.any(Number), rawPages: 0, more: false });
  });
});
