// Over 400 lines: the delivery engine's states (signing, retry schedule, dead letters, replays) share one world.
/**
 * The notifier against a real database and a local HTTP receiver on 127.0.0.1 (loopback allowed as in
 * local development): Standard Webhooks signatures, retries with the same webhook-id, Retry-After, 410,
 * timeouts, redirects, SSRF refusal, exactly-once fan-out, Slack messages, the sweep.
 * Time is a TestClock: a retry "5 minutes later" is the clock advanced, never a sleep.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleNotifyMessage, type NotifierDependencies } from '../../../functions/notifier/use-case.js';
import { moveStage } from '../../../functions/stage-advance/use-case.js';
import { createSubscription } from '../../../functions/subscriptions-admin/use-case.js';
import { withTenant } from '../../../shared/db/tenant.js';
import type { Principal } from '../../../shared/http/types.js';
import type { OutboxMessage } from '../../../shared/messages/queue-messages.js';
import type { Resolver } from '../../../shared/notifications/http-client.js';
import { sweepNotificationDeliveries } from '../../../shared/notifications/sweep.js';
import { isWakeMessage } from '../../../shared/notifications/wake.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { StandardWebhooksConsumer, verifyStandardWebhook } from '../../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import {
  type ScriptedAnswer,
  startTestReceiver,
  type TestReceiver,
} from '../../support/standard-webhooks-receiver.js';
import { CaptureQueue, insertHandoffEvent, runQueue, TestClock } from './support.js';

let db: TestDatabase;
let graph: TenantGraph;
let receiver: TestReceiver;
let clock: TestClock;
let queue: CaptureQueue;
let secrets: MemorySecretStore;
let admin: Principal;

const deps = (overrides: Partial<NotifierDependencies> = {}): NotifierDependencies => ({
  sql: db.app,
  secrets,
  queue,
  clock,
  config: { allowLoopback: true, requestTimeoutMs: 300 },
  random: () => 0,
  ...overrides,
});

beforeAll(async () => {
  db = await createTestDatabase();
  receiver = await startTestReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await db?.close();
});

beforeEach(async () => {
  // a fresh tenant per test: its own subscriptions, application and outbox rows
  graph = await seedTenantGraph(db.owner, 'Notify');
  // the fixture's (disabled) subscription and its log are not part of these scenarios
  await db.owner`delete from subscriptions where organization_id = ${graph.organizationId}`;
  admin = {
    organizationId: graph.organizationId,
    role: 'admin',
    keyId: '00000000-0000-4000-8000-000000000005',
  };
  clock = new TestClock();
  queue = new CaptureQueue();
  secrets = new MemorySecretStore();
  receiver.requests.length = 0;
  receiver.answer(() => ({ status: 204 }));
});

afterEach(() => {
  receiver.answer(() => ({ status: 204 }));
});

async function subscribe(
  kind: 'webhook' | 'slack' | 'teams' = 'webhook',
  extra: { includeCandidateNames?: boolean; url?: string } = {},
) {
  return createSubscription({ sql: db.app, secrets, queue, clock, config: { allowLoopback: true } }, admin, {
    kind,
    url: extra.url ?? receiver.url(),
    eventTypes: ['application.handoff'],
    includeCandidateNames: extra.includeCandidateNames ?? false,
  });
}

async function deliveryRows() {
  return withTenant(
    db.app,
    graph.organizationId,
    'admin',
    (tx) =>
      tx<
        {
          id: string;
          status: string;
          attempts: number;
          message_id: string;
          last_status_code: number | null;
          last_error: string | null;
          next_attempt_at: Date | null;
          wake_at: Date | null;
        }[]
      >`select id, status, attempts, message_id, last_status_code, last_error, next_attempt_at, wake_at
      from notification_deliveries order by created_at, id`,
  );
}

/** Feeds queued wake-up messages whose delay has passed on the test clock. */
async function deliverDue(
  sentAt: number,
  items: { message: OutboxMessage; delaySeconds: number }[],
  d = deps(),
) {
  const due = items.filter((i) => sentAt + i.delaySeconds * 1000 <= clock.now().getTime());
  for (const i of due) await handleNotifyMessage(d, i.message);
  return due.length;
}

describe('signed webhooks', () => {
  it('signs per Standard Webhooks and keeps the webhook-id across retries: 500, then 200, delivered once', async () => {
    const created = await subscribe();
    expect(created.secret).toMatch(/^whsec_/);
    const consumer = new StandardWebhooksConsumer(created.secret!, () => clock.seconds());
    receiver.answer((req, i) => {
      if (i === 0) return { status: 500 };
      consumer.accept(req.body, req.headers);
      return { status: 200 };
    });
    const event = await insertHandoffEvent(db.owner, graph, clock);

    const first = await handleNotifyMessage(deps(), event);
    expect(first).toMatchObject({ created: 1, duplicate: false, steps: ['retry_scheduled'] });
    const [pending] = await deliveryRows();
    expect(pending).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: 500,
      last_error: 'HTTP 500',
    });
    expect(pending!.next_attempt_at!.getTime() - clock.now().getTime()).toBe(5000);

    const wake = queue.drain();
    expect(wake).toHaveLength(1);
    expect(wake[0]!.delaySeconds).toBe(5);
    expect(isWakeMessage(wake[0]!.message)).toBe(true);
    const sentAt = clock.now().getTime();
    clock.advance(5000);
    expect(await deliverDue(sentAt, wake)).toBe(1);

    expect(receiver.requests).toHaveLength(2);
    const [a, b] = receiver.requests;
    expect(a!.headers['webhook-id']).toBe(b!.headers['webhook-id']);
    expect(a!.headers['webhook-id']).toBe(pending!.message_id);
    expect(Number(b!.headers['webhook-timestamp']) - Number(a!.headers['webhook-timestamp'])).toBe(5);
    expect(a!.body).toBe(b!.body);
    expect(a!.headers['content-type']).toBe('application/json');
    // both attempts verify on their own timestamp; the body is the §7 envelope of the event
    const verified = verifyStandardWebhook({
      secret: created.secret!,
      body: a!.body,
      headers: a!.headers,
      nowSeconds: clock.seconds() - 5,
    });
    expect(JSON.parse(verified.body)).toEqual({
      type: 'application.handoff',
      timestamp: event.createdAt,
      data: expect.objectContaining({ applicationId: graph.applicationId, toStage: 'Client Endorsement' }),
    });
    expect(a!.body).not.toContain('@');
    expect(consumer.applied).toHaveLength(1);

    const [done] = await deliveryRows();
    expect(done).toMatchObject({
      status: 'delivered',
      attempts: 2,
      last_status_code: 200,
      last_error: null,
      next_attempt_at: null,
    });
    expect(queue.drain()).toEqual([]);
  });

  it('honours Retry-After on 429 (next_attempt_at) and ignores a wake-up that comes early', async () => {
    await subscribe();
    receiver.answer((_, i) =>
      i === 0 ? { status: 429, headers: { 'retry-after': '120' } } : { status: 200 },
    );
    const event = await insertHandoffEvent(db.owner, graph, clock);
    await handleNotifyMessage(deps(), event);
    const [row] = await deliveryRows();
    expect(row).toMatchObject({ status: 'pending', last_status_code: 429 });
    expect(row!.next_attempt_at!.getTime() - clock.now().getTime()).toBe(120_000);
    const [wake] = queue.drain();
    expect(wake!.delaySeconds).toBe(120);

    // the same relay message consumed again 5 s later: nothing is due, a wake-up is already on its way
    clock.advance(5000);
    expect((await handleNotifyMessage(deps(), event)).steps).toEqual(['waiting']);
    expect(receiver.requests).toHaveLength(1);
    expect(queue.drain()).toEqual([]);

    clock.advance(115_000);
    expect((await handleNotifyMessage(deps(), wake!.message)).steps).toEqual(['delivered']);
    expect(receiver.requests).toHaveLength(2);
  });

  it('disables the subscription on 410 and sends nothing more to it', async () => {
    const created = await subscribe();
    receiver.answer(() => ({ status: 410 }));
    await handleNotifyMessage(deps(), await insertHandoffEvent(db.owner, graph, clock));
    const [row] = await deliveryRows();
    expect(row).toMatchObject({ status: 'failed', last_status_code: 410, next_attempt_at: null });
    expect(queue.drain()).toEqual([]);
    const [subscription] = await withTenant(
      db.app,
      graph.organizationId,
      'admin',
      (tx) => tx`select enabled, disabled_reason from subscriptions where id = ${created.id}`,
    );
    expect(subscription).toEqual({ enabled: false, disabled_reason: 'endpoint_gone' });

    const next = await handleNotifyMessage(deps(), await insertHandoffEvent(db.owner, graph, clock));
    expect(next.created).toBe(0);
    expect(receiver.requests).toHaveLength(1);
  });

  it('counts a timeout as a failed attempt and retries it', async () => {
    await subscribe();
    receiver.answer((_, i) => (i === 0 ? 'hang' : { status: 200 }));
    await handleNotifyMessage(deps(), await insertHandoffEvent(db.owner, graph, clock));
    const [row] = await deliveryRows();
    expect(row).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_status_code: null,
      last_error: 'timed out after 300 ms',
    });
    const wake = queue.drain();
    clock.advance(5000);
    await deliverDue(clock.now().getTime() - 5000, wake);
    expect((await deliveryRows())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('does not follow a redirect: 3xx is a failure', async () => {
    await subscribe();
    receiver.answer((req) =>
      req.path === '/hooks/hub'
        ? { status: 302, headers: { location: receiver.url('/elsewhere') } }
        : { status: 200 },
    );
    await handleNotifyMessage(deps(), await insertHandoffEvent(db.owner, graph, clock));
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hooks/hub']);
    expect((await deliveryRows())[0]).toMatchObject({
      status: 'pending',
      last_status_code: 302,
      last_error: 'HTTP 302: redirect not followed',
    });
  });

  it('follows the schedule over 75 hours, bridging long waits with ≤ 900 s hops, then gives up', async () => {
    await subscribe();
    receiver.answer(() => ({ status: 503 }));
    const started = clock.now().getTime();
    await handleNotifyMessage(deps(), await insertHandoffEvent(db.owner, graph, clock));
    const attemptTimes: number[] = [clock.seconds()];
    receiver.answer(() => {
      attemptTimes.push(clock.seconds());
      return { status: 503 };
    });
    const handled = await runQueue(queue, clock, (m) => handleNotifyMessage(deps(), m));
    const [row] = await deliveryRows();
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 10,
      last_error: 'HTTP 503; retries exhausted',
      next_attempt_at: null,
    });
    expect(receiver.requests).toHaveLength(10);
    const gaps = attemptTimes.slice(1).map((t, i) => t - attemptTimes[i]!);
    expect(gaps).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400]);
    expect(clock.now().getTime() - started).toBe(272_105_000);
    // every queue message carried a delay SQS accepts; long waits took several hops
    expect(handled).toBeGreaterThan(300);
  });
});

describe('SSRF protection', () => {
  it('refuses private and loopback destinations when loopback is not allowed, without connecting', async () => {
    await subscribe('webhook', { url: receiver.url() });
    await handleNotifyMessage(
      deps({ config: { allowLoopback: false, requestTimeoutMs: 300 } }),
      await insertHandoffEvent(db.owner, graph, clock),
    );
    expect(receiver.requests).toHaveLength(0);
    expect((await deliveryRows())[0]).toMatchObject({
      status: 'pending',
      last_error: 'refused: only https URLs are allowed',
    });
  });

  it('refuses a name that resolves to a private address', async () => {
    await withTenant(db.app, graph.organizationId, 'admin', (tx) => tx`delete from subscriptions`);
    const created = await createSubscription(
      { sql: db.app, secrets, queue, clock, config: { allowLoopback: false } },
      admin,
      {
        kind: 'webhook',
        url: 'https://hooks.internal.example/x',
        eventTypes: ['application.handoff'],
        includeCandidateNames: false,
      },
    );
    expect(created.id).toBeTruthy();
    const resolve: Resolver = async () => [{ address: '10.0.0.7', family: 4 }];
    await handleNotifyMessage(
      deps({ config: { allowLoopback: false, requestTimeoutMs: 300 }, resolve }),
      await insertHandoffEvent(db.owner, graph, clock),
    );
    expect((await deliveryRows())[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'refused: destination resolves to an address that is not allowed (private)',
    });
  });

  it('refuses https to a loopback literal even with a listening server', async () => {
    await subscribe('webhook', { url: receiver.url() });
    await withTenant(
      db.app,
      graph.organizationId,
      'admin',
      (tx) => tx`update subscriptions set url = ${receiver.url().replace('http://', 'https://')}`,
    );
    await handleNotifyMessage(
      deps({ config: { allowLoopback: false, requestTimeoutMs: 300 } }),
      await insertHandoffEvent(db.owner, graph, clock),
    );
    expect(receiver.requests).toHaveLength(0);
    expect((await deliveryRows())[0]!.last_error).toBe('refused: destination address not allowed (loopback)');
  });
});

describe('exactly once', () => {
  async function handoffMessage(): Promise<OutboxMessage> {
    // the real path: the portal endorses the candidate; stage-advance writes and relays the outbox rows
    const portal: Principal = {
      organizationId: graph.organizationId,
      role: 'portal',
      keyId: '00000000-0000-4000-8000-000000000006',
    };
    const stageDeps = { sql: db.app, queues: { sync: undefined, notify: queue } };
    await moveStage(stageDeps, portal, graph.applicationId, { toStage: 'Shortlist' });
    await moveStage(stageDeps, portal, graph.applicationId, { toStage: 'Client Endorsement' });
    const relayed = queue.drain().map((m) => m.message);
    expect(relayed.map((m) => m.eventType)).toEqual(
      expect.arrayContaining(['application.stage_changed', 'application.handoff']),
    );
    const handoffs = relayed.filter((m) => m.eventType === 'application.handoff');
    expect(handoffs).toHaveLength(1);
    return handoffs[0]!;
  }

  it('delivers the handoff once when the same outbox message is consumed twice', async () => {
    await subscribe();
    const handoff = await handoffMessage();
    const first = await handleNotifyMessage(deps(), handoff);
    const second = await handleNotifyMessage(deps(), handoff);
    expect(first).toMatchObject({ created: 1, duplicate: false, steps: ['delivered'] });
    expect(second).toMatchObject({ created: 0, duplicate: true, steps: [] });
    expect(receiver.requests).toHaveLength(1);
    expect(await deliveryRows()).toHaveLength(1);
  });

  it('delivers it once when two consumers get the same message at the same time', async () => {
    await subscribe();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    receiver.answer(() => ({ status: 200 }));
    const handoff = await handoffMessage();
    const slowSecrets = {
      get: async <T extends Record<string, unknown>>(name: string) => {
        await gate;
        return secrets.get<T>(name);
      },
      put: secrets.put.bind(secrets),
    };
    const both = Promise.all([
      handleNotifyMessage(deps({ secrets: slowSecrets }), handoff),
      handleNotifyMessage(deps({ secrets: slowSecrets }), handoff),
    ]);
    setTimeout(release, 50);
    const results = await both;
    expect(results.flatMap((r) => r.steps).filter((s) => s === 'delivered')).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('ignores non-outbox messages and events nobody subscribed to', async () => {
    await subscribe();
    const other = await handleNotifyMessage(deps(), {
      type: 'sync',
      organizationId: graph.organizationId,
      integrationId: graph.integrationId,
      syncRunId: graph.integrationId,
      mode: 'full',
    });
    expect(other.steps).toEqual([]);
    const event = await insertHandoffEvent(db.owner, graph, clock);
    const unsubscribed = await handleNotifyMessage(deps(), {
      ...event,
      eventType: 'sync.completed',
      payload: {},
    });
    expect(unsubscribed.created).toBe(0);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('Slack and Teams', () => {
  const captureJson = () => {
    const bodies: unknown[] = [];
    receiver.answer((req) => {
      bodies.push(JSON.parse(req.body));
      return { status: 200 } satisfies ScriptedAnswer;
    });
    return bodies;
  };

  it('posts a short Slack message without personal data, unsigned', async () => {
    await subscribe('slack');
    const bodies = captureJson();
    await handleNotifyMessage(deps(), await insertHandoffEvent(db.owner, graph, clock));
    expect(receiver.requests[0]!.headers['webhook-signature']).toBeUndefined();
    const text = JSON.stringify(bodies[0]);
    expect(bodies[0]).toMatchObject({ text: expect.stringMatching(/^Handoff to the ATS team/) });
    expect(text).toContain('Job: Engineer');
    expect(text).not.toContain('Lovelace');
    expect(text).not.toContain('@');
  });

  it('names the candidate (first and last name only) when the subscription asks for it', async () => {
    await subscribe('teams', { includeCandidateNames: true });
    const bodies = captureJson();
    await handleNotifyMessage(deps(), await insertHandoffEvent(db.owner, graph, clock));
    const text = JSON.stringify(bodies[0]);
    expect(text).toContain('Ada Lovelace');
    expect(text).not.toContain('@example.com');
    expect(bodies[0]).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive' }],
    });
  });
});

describe('recovery', () => {
  it('the sweep wakes a pending delivery whose wake-up message was lost', async () => {
    await subscribe();
    receiver.answer((_, i) => (i === 0 ? { status: 500 } : { status: 200 }));
    await handleNotifyMessage(deps(), await insertHandoffEvent(db.owner, graph, clock));
    queue.drain(); // the wake-up message is lost
    clock.advance(60_000);
    expect(await sweepNotificationDeliveries({ sql: db.app, queue, clock })).toEqual({
      woken: 0,
      notSent: 0,
    });
    clock.advance(120_000);
    expect(await sweepNotificationDeliveries({ sql: db.app, queue, clock })).toMatchObject({
      woken: expect.any(Number),
      notSent: 0,
    });
    const woken = queue.drain().filter((w) => w.message.organizationId === graph.organizationId);
    expect(woken).toHaveLength(1);
    expect(await sweepNotificationDeliveries({ sql: db.app, queue, clock })).toMatchObject({ notSent: 0 });
    expect(queue.drain().filter((w) => w.message.organizationId === graph.organizationId)).toHaveLength(0);
    await handleNotifyMessage(deps(), woken[0]!.message);
    expect((await deliveryRows())[0]).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('fails the message when its wake-up cannot be queued, and leaves the duty to the next consumer', async () => {
    await subscribe();
    receiver.answer(() => ({ status: 500 }));
    const event = await insertHandoffEvent(db.owner, graph, clock);
    queue.failNext = 1;
    await expect(handleNotifyMessage(deps(), event)).rejects.toThrow(/wake-up/);
    const [row] = await deliveryRows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, wake_at: null });
    // SQS brings the message back after the visibility timeout; now the delivery is due again
    clock.advance(180_000);
    await handleNotifyMessage(deps(), event);
    expect((await deliveryRows())[0]).toMatchObject({ attempts: 2 });
  });
});
