/**
 * R1 Duplicate webhook storm: one signed event (same provider event id) sent N = 50 times concurrently, then 50
 * sequential replays after it completed, for every provider with signed webhooks. The inbox
 * (`webhook_deliveries`, unique per integration × delivery id and per body hash) must hold it once and the
 * sync queue must receive it once; every answer is 200 (docs/api.md: "valid and already seen: 200").
 */
import '../support/quiet-logs.js';
import { expect, it } from 'vitest';
import type { TestDatabase } from '../support/db.js';
import { type HttpHandler, invoke } from '../support/handler-harness.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { describeOnPostgres, figures, histogram, percentile } from '../support/reliability.js';
import {
  SIGNED_PROVIDERS,
  type SignedProvider,
  signDelivery,
  type WebhookIntegration,
  webhookEvent,
} from '../support/webhook-signing.js';
import { webhookIntakeSuite } from './support/suite.js';

const N = 50;
let db: TestDatabase;
let handler: HttpHandler;
const queue = new MemoryQueue();
let integrations: Record<SignedProvider, WebhookIntegration>;

describeOnPostgres('R1', 'duplicate webhook storm', () => {
  webhookIntakeSuite(4, { queues: { sync: queue } }, (state) => {
    ({ db, handler, integrations } = state);
  });

  it('applies each event once however often and however concurrently it arrives', async () => {
    const statuses: number[] = [];
    const latencies: number[] = [];
    const perProvider: Record<string, { effects: number; inbox: number }> = {};
    for (const provider of SIGNED_PROVIDERS) {
      const { integrationId, secret } = integrations[provider];
      const delivery = signDelivery(provider, { secret, deliveryId: `storm-${provider}-1` });
      const send = async () => {
        const started = performance.now();
        const res = await invoke(handler, webhookEvent(provider, integrationId, delivery));
        latencies.push(performance.now() - started);
        statuses.push(res.status);
        return res;
      };
      const sentBefore = queue.sent.length;
      await Promise.all(Array.from({ length: N }, send));
      for (let i = 0; i < N; i++) await send();
      const [row] = await db.owner<{ n: number }[]>`
        select count(*)::int as n from webhook_deliveries where integration_id = ${integrationId}`;
      perProvider[provider] = { effects: queue.sent.length - sentBefore, inbox: row!.n };
    }
    const accepted = statuses.filter((s) => s === 200).length;
    const effects = Object.values(perProvider).reduce((n, p) => n + p.effects, 0);
    figures('R1', 'duplicate webhook storm', {
      providers: SIGNED_PROVIDERS.length,
      requests: statuses.length,
      effects,
      inboxRows: Object.values(perProvider).reduce((n, p) => n + p.inbox, 0),
      perProvider,
      statuses: histogram(statuses),
      idempotencyHits: accepted - effects,
      p50ms: percentile(latencies, 50),
      p95ms: percentile(latencies, 95),
    });
    for (const provider of SIGNED_PROVIDERS)
      expect({ provider, ...perProvider[provider] }).toEqual({ provider, effects: 1, inbox: 1 });
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
  });
});
