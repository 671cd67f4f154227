/**
 * The subscription routes through the real handler (shared middy stack, API keys, schemas, RLS), driven by
 * the sample events of events/subscriptions-admin with their {{placeholders}} filled in.
 */
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { subscriptionSecretName } from '../../../shared/notifications/secrets.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';
import { allPages } from '../../support/pages.js';
import { handlerWorld, lambdaHandler } from './support.js';

let a: TenantGraph;
let b: TenantGraph;
const world = handlerWorld();
const handle = lambdaHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>(
  'subscriptions-admin',
  10,
);
const { clock, queue, secrets } = world;

beforeAll(async () => {
  a = await seedTenantGraph(world.db.owner, 'A');
  b = await seedTenantGraph(world.db.owner, 'B');
});

function sample(name: string, values: Record<string, string> = {}): APIGatewayProxyEventV2 {
  let text = readFileSync(new URL(`../../../events/subscriptions-admin/${name}`, import.meta.url), 'utf8');
  const all = {
    adminKey: a.keys.admin,
    atsKey: a.keys.ats,
    receiverUrl: 'http://127.0.0.1:9/hooks/hub',
    ...values,
  };
  for (const [key, value] of Object.entries(all)) text = text.replaceAll(`{{${key}}}`, value);
  return JSON.parse(text) as APIGatewayProxyEventV2;
}

function withBody(event: APIGatewayProxyEventV2, body: unknown): APIGatewayProxyEventV2 {
  return { ...event, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

async function call(event: APIGatewayProxyEventV2) {
  const response = await handle(event);
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined };
}

async function createWebhook() {
  const res = await call(sample('create-webhook.json'));
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

async function addDeliveries(subscriptionId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const [outbox] = await world.db.owner<
      { id: string }[]
    >`insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      values (${a.organizationId}, 'application', ${a.applicationId}, 'application.handoff', '{}') returning id::text`;
    const [row] = await world.db.owner<
      { id: string }[]
    >`insert into notification_deliveries (organization_id, subscription_id,
        outbox_id, message_id, event_type, event_timestamp, body, status, attempts, last_status_code, last_error, created_at)
      values (${a.organizationId}, ${subscriptionId}, ${outbox!.id}, ${`msg_${outbox!.id}_test`}, 'application.handoff',
        now(), '{}', 'failed', 10, 503, 'HTTP 503; retries exhausted', ${new Date(clock.now().getTime() + i * 1000)})
      returning id`;
    ids.push(row!.id);
  }
  return ids;
}

describe('POST /subscriptions', () => {
  it('201: a webhook gets a whsec_ signing secret once, stored in the secrets store', async () => {
    const res = await call(sample('create-webhook.json'));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      kind: 'webhook',
      url: 'http://127.0.0.1:9/hooks/hub',
      eventTypes: ['application.handoff', 'sync.failed'],
      includeCandidateNames: false,
      enabled: true,
      disabledReason: null,
      createdAt: clock.now().toISOString(),
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
    });
    expect(await secrets.get(subscriptionSecretName(res.body.id))).toEqual({ secret: res.body.secret });
  });

  it('201: Slack and Teams subscriptions have no secret', async () => {
    const res = await call(sample('create-slack.json'));
    expect(res.status).toBe(201);
    expect(res.body.secret).toBeUndefined();
    expect(res.body.kind).toBe('slack');
  });

  it('400: schema failures, internal destinations, names on webhooks, internal event types', async () => {
    const invalid = await call(sample('create-invalid.json'));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.error.details.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body.eventTypes' })]),
    );

    const base = { kind: 'webhook', url: 'https://hooks.example.com/x', eventTypes: ['application.handoff'] };
    const metadata = await call(
      withBody(sample('create-webhook.json'), { ...base, url: 'https://169.254.169.254/latest' }),
    );
    expect(metadata.status).toBe(400);
    expect(metadata.body.error.details.issues).toEqual([
      { path: 'body.url', message: 'destination address not allowed (metadata)' },
    ]);

    for (const body of [
      { ...base, url: 'http://hooks.example.com/x' },
      { ...base, url: 'https://10.0.0.1/x' },
      { ...base, includeCandidateNames: true },
      { ...base, eventTypes: ['sync.requested'] },
      { ...base, eventTypes: ['no.such_event'] },
      { ...base, kind: 'email' },
      { ...base, extra: 1 },
    ]) {
      const res = await call(withBody(sample('create-webhook.json'), body));
      expect({ body, status: res.status, code: res.body.error.code }).toEqual({
        body,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    expect((await call(withBody(sample('create-webhook.json'), '{"kind":'))).body.error.code).toBe(
      'MALFORMED_JSON',
    );
  });

  it('415 without a JSON content type', async () => {
    const event = sample('create-webhook.json');
    const res = await call({ ...event, headers: { ...event.headers, 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
  });

  it('401 without or with an unknown key; 403 for the ats role', async () => {
    const event = sample('create-webhook.json');
    const { authorization: _, ...noAuth } = event.headers;
    expect((await call({ ...event, headers: noAuth })).status).toBe(401);
    expect((await call(sample('create-webhook.json', { adminKey: 'x'.repeat(40) }))).status).toBe(401);
    expect((await call(sample('create-by-ats.json'))).status).toBe(403);
    expect((await call(sample('list.json', { adminKey: a.keys.portal }))).status).toBe(403);
  });
});

describe('GET /subscriptions', () => {
  it('200: lists the organization’s subscriptions without secrets; chat URLs masked', async () => {
    await createWebhook();
    await call(sample('create-slack.json'));
    const res = await call(sample('list.json'));
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThanOrEqual(2);
    for (const item of res.body.items) expect(item).not.toHaveProperty('secret');
    const slack = res.body.items.find((i: { kind: string }) => i.kind === 'slack');
    expect(slack.url).toBe('https://hooks.slack.com/…XXXX');
    const other = await call(sample('list.json', { adminKey: b.keys.admin }));
    const ids = new Set(res.body.items.map((i: { id: string }) => i.id));
    expect(other.body.items.some((i: { id: string }) => ids.has(i.id))).toBe(false);
  });
});

describe('GET /subscriptions/{id}/deliveries', () => {
  it('200: newest first, cursor-paginated', async () => {
    const { id } = await createWebhook();
    const deliveryIds = await addDeliveries(id, 3);
    const first = await call(sample('deliveries.json', { subscriptionId: id }));
    expect(first.status).toBe(200);
    const page1 = first.body as { items: { id: string }[]; nextCursor: string | null };
    const event = sample('deliveries.json', { subscriptionId: id });
    const limited = await call({
      ...event,
      rawQueryString: 'limit=2',
      queryStringParameters: { limit: '2' },
    });
    expect(limited.body.items.map((i: { id: string }) => i.id)).toEqual([deliveryIds[2], deliveryIds[1]]);
    expect(limited.body.items[0]).toEqual({
      id: deliveryIds[2],
      messageId: expect.stringMatching(/^msg_\d+_test$/),
      eventType: 'application.handoff',
      status: 'failed',
      attempts: 10,
      lastStatusCode: 503,
      lastError: 'HTTP 503; retries exhausted',
      lastAttemptAt: null,
      nextAttemptAt: null,
      deliveredAt: null,
      createdAt: expect.any(String),
    });
    const next = await call({
      ...event,
      queryStringParameters: { limit: '2', cursor: limited.body.nextCursor },
    });
    expect(next.body).toEqual({ items: [expect.objectContaining({ id: deliveryIds[0] })], nextCursor: null });
    expect(page1.items).toHaveLength(3);
    expect(page1.nextCursor).toBeNull();
  });

  it('pages through deliveries created in the same microsecond without skipping one', async () => {
    const { id } = await createWebhook();
    const deliveryIds = await addDeliveries(id, 3);
    await world.db.owner`update notification_deliveries set created_at = '2026-03-01T10:00:00.123456Z'
      where subscription_id = ${id}`;
    const event = sample('deliveries.json', { subscriptionId: id });

    const seen = await allPages<{ id: string }>(
      async (cursor) =>
        (await call({ ...event, queryStringParameters: { limit: '1', ...(cursor ? { cursor } : {}) } })).body,
    );

    expect(seen.map((d) => d.id).sort()).toEqual([...deliveryIds].sort());
  });

  it('400 for a bad cursor or id; 404 for an unknown or foreign subscription', async () => {
    const { id } = await createWebhook();
    const event = sample('deliveries.json', { subscriptionId: id });
    expect((await call({ ...event, queryStringParameters: { cursor: 'garbage' } })).status).toBe(400);
    expect((await call({ ...event, queryStringParameters: { limit: '0' } })).status).toBe(400);
    expect((await call(sample('deliveries.json', { subscriptionId: 'not-a-uuid' }))).status).toBe(400);
    expect((await call(sample('deliveries.json', { subscriptionId: a.integrationId }))).status).toBe(404);
    const foreign = await call(sample('deliveries.json', { subscriptionId: id, adminKey: b.keys.admin }));
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
  });
});

describe('POST /subscriptions/{id}/deliveries/{deliveryId}/redeliver', () => {
  it('202: pending again, due now, same webhook-id, and the notifier is woken', async () => {
    const { id } = await createWebhook();
    const [deliveryId] = await addDeliveries(id, 1);
    queue.drain();
    const res = await call(sample('redeliver.json', { subscriptionId: id, deliveryId: deliveryId! }));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: deliveryId,
      messageId: expect.stringMatching(/^msg_\d+_test$/),
      status: 'pending',
    });
    const [row] = await world.db
      .owner`select status, next_attempt_at, schedule_offset, attempts from notification_deliveries where id = ${deliveryId!}`;
    expect(row).toEqual({
      status: 'pending',
      next_attempt_at: clock.now(),
      schedule_offset: 10,
      attempts: 10,
    });
    const sent = queue.drain();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toMatchObject({
      type: 'outbox',
      aggregateType: 'notification_delivery',
      aggregateId: deliveryId,
    });
    expect(sent[0]!.delaySeconds).toBe(0);
  });

  it('404 for an unknown delivery or another tenant’s; 422 when the subscription is disabled', async () => {
    const { id } = await createWebhook();
    const [deliveryId] = await addDeliveries(id, 1);
    expect(
      (await call(sample('redeliver.json', { subscriptionId: id, deliveryId: a.applicationId }))).status,
    ).toBe(404);
    expect(
      (
        await call(
          sample('redeliver.json', { subscriptionId: id, deliveryId: deliveryId!, adminKey: b.keys.admin }),
        )
      ).status,
    ).toBe(404);
    await world.db
      .owner`update subscriptions set enabled = false, disabled_reason = 'endpoint_gone' where id = ${id}`;
    const disabled = await call(sample('redeliver.json', { subscriptionId: id, deliveryId: deliveryId! }));
    expect(disabled.status).toBe(422);
    expect(disabled.body.error.code).toBe('INVALID_TRANSITION');
  });
});

describe('DELETE /subscriptions/{id}', () => {
  it('204, then 404; the log goes with it and the signing secret is wiped', async () => {
    const { id } = await createWebhook();
    await addDeliveries(id, 2);
    expect((await call(sample('delete.json', { subscriptionId: id, adminKey: b.keys.admin }))).status).toBe(
      404,
    );
    const res = await call(sample('delete.json', { subscriptionId: id }));
    expect(res.status).toBe(204);
    expect((await call(sample('delete.json', { subscriptionId: id }))).status).toBe(404);
    const [left] = await world.db
      .owner`select count(*)::int as n from notification_deliveries where subscription_id = ${id}`;
    expect(left!.n).toBe(0);
    expect(await secrets.get(subscriptionSecretName(id))).not.toHaveProperty('secret');
  });
});
