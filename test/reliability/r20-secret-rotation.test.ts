/**
 * R20 Secret rotation. The webhook secret is rotated through the integrations-admin route in one execution
 * environment (A) while webhook-intake runs in another (B) whose secrets store still caches the old value
 * (SECRETS_CACHE_SECONDS = 900). Deliveries signed with the old and with the new secret are sent inside the
 * grace window and past it (hub clock moved). Twice: over the local file store (two FileSecretStore instances
 * on one file) and over SecretsManagerStore, i.e. Powertools Parameters' cache, against a fake Secrets Manager.
 * Pass: old secret during grace 100 % accepted; old secret after grace 0 %; new secret 100 % (also before B's
 * cache expires: B re-reads the secret once, rate-limited, when verification with the cached one fails).
 */
import '../support/quiet-logs.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { IntegrationRouteCache, receiveWebhook } from '../../functions/webhook-intake/use-case.js';
import { FileSecretStore } from '../../infra/local/file-secrets.js';
import { SecretsManagerStore } from '../../shared/aws/secrets-manager-store.js';
import { webhookSecretName } from '../../shared/integrations/secret-names.js';
import type { SecretStore } from '../../shared/ports/secrets.js';
import { findProvider } from '../../shared/providers/registry.js';
import { overrideAdapters } from '../../shared/runtime/adapters.js';
import {
  type FakeAwsEndpoint,
  sdkClientConfig,
  startFakeSecretsManager,
} from '../integration/aws/fake-aws-endpoint.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { routeEvent } from '../support/factories.js';
import { seedTenantGraph, type TenantGraph } from '../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../support/handler-harness.js';
import { MemoryQueue } from '../support/memory-queue.js';
import { describeOnPostgres, figures } from '../support/reliability.js';
import { signDelivery, webhookEvent } from '../support/webhook-signing.js';

const GRACE_SECONDS = 3600;
const PER_PHASE = 20;
let db: TestDatabase;
let graph: TenantGraph;
let dir: string;
let endpoint: FakeAwsEndpoint;
let now = Date.now();
const clock = { now: () => new Date(now) };
const queues = { sync: new MemoryQueue(), notify: new MemoryQueue() };
const stored = new Map<string, string>();

interface Environments {
  kind: string;
  a: SecretStore;
  b: SecretStore;
  /** Reads of the backing store made by B. */
  bReads: () => number;
}

async function scenario(env: Environments, admin: HttpHandler, webhook: HttpHandler) {
  const use = (store: SecretStore) => overrideAdapters({ sql: db.app, secrets: store, queues, clock });
  // a Greenhouse integration created in A (the hub generates its secret)
  use(env.a);
  const created = await invoke(
    admin,
    routeEvent('POST /integrations', {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${graph.keys.admin}` },
      body: {
        provider: 'greenhouse',
        credentials: { clientId: 'c', clientSecret: 's' },
        settings: {},
      },
    }),
  );
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const oldSecret = created.body.webhookSecret as string;
  let seq = 0;
  const deliver = async (secret: string) => {
    use(env.b);
    const res = await invoke(
      webhook,
      webhookEvent(
        'greenhouse',
        id,
        signDelivery('greenhouse', { secret, deliveryId: `r20-${env.kind}-${seq++}` }),
      ),
    );
    return res.status;
  };
  const rate = async (secret: string) => {
    let ok = 0;
    for (let i = 0; i < PER_PHASE; i++) if ((await deliver(secret)) === 200) ok++;
    return ok / PER_PHASE;
  };

  const before = await rate(oldSecret); // B now caches the old state
  // rotation in A
  use(env.a);
  const rotated = await invoke(
    admin,
    routeEvent('POST /integrations/{id}/webhook-secret', {
      params: { id },
      headers: { 'content-type': 'application/json', authorization: `Bearer ${graph.keys.admin}` },
      body: { graceSeconds: GRACE_SECONDS },
    }),
  );
  expect(rotated.status).toBe(200);
  const newSecret = rotated.body.webhookSecret as string;

  // without the re-read, B (old state cached) would refuse the new secret until its cache expires
  const withoutRefresh = await receiveWebhook(
    {
      sql: db.app,
      secrets: env.b,
      syncQueue: undefined,
      providers: findProvider,
      clock,
      routes: new IntegrationRouteCache(),
    },
    {
      provider: 'greenhouse',
      integrationId: id,
      rawBody: Buffer.from(signDelivery('greenhouse', { secret: newSecret, deliveryId: 'r20-probe' }).body),
      headers: signDelivery('greenhouse', { secret: newSecret, deliveryId: 'r20-probe' }).headers,
    },
  ).then(
    () => 'accepted',
    (e: { code?: string }) => e.code ?? 'error',
  );

  now += 60_000;
  const readsBefore = env.bReads();
  const graceNew = await rate(newSecret);
  const graceOld = await rate(oldSecret);
  const readsForRotation = env.bReads() - readsBefore;
  // a flood of bad signatures inside the refresh interval costs no further reads
  const floodReadsBefore = env.bReads();
  let floodRefused = 0;
  for (let i = 0; i < 50; i++) if ((await deliver('not-the-secret')) === 401) floodRefused++;
  const floodReads = env.bReads() - floodReadsBefore;

  now += GRACE_SECONDS * 1000;
  const afterOld = await rate(oldSecret);
  const afterNew = await rate(newSecret);
  return {
    kind: env.kind,
    oldBefore: before,
    newWithoutRefresh: withoutRefresh,
    graceNew,
    graceOld,
    afterGraceOld: afterOld,
    afterGraceNew: afterNew,
    bReadsForRotation: readsForRotation,
    floodRefused,
    floodReads,
  };
}

describeOnPostgres('R20', 'secret rotation', () => {
  beforeAll(async () => {
    db = await createTestDatabase({ appMax: 2 });
    graph = await seedTenantGraph(db.owner);
    dir = await mkdtemp(join(tmpdir(), 'hub-r20-'));
    endpoint = await startFakeSecretsManager(stored);
  });

  afterAll(async () => {
    await endpoint?.stop();
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('accepts the old secret only inside the grace window and the new one at once, in every environment', async () => {
    const admin = await loadHandler('integrations-admin', { sql: db.app, queues, clock });
    const webhook = await loadHandler('webhook-intake', { sql: db.app, queues, clock });

    const fileA = new FileSecretStore({ path: join(dir, 'secrets.json'), maxAgeSeconds: 900, prefix: 'hub' });
    const fileB = new FileSecretStore({ path: join(dir, 'secrets.json'), maxAgeSeconds: 900, prefix: 'hub' });
    const file = await scenario(
      { kind: 'file', a: fileA, b: fileB, bReads: () => fileB.fetchCount },
      admin,
      webhook,
    );

    const client = () => new SecretsManagerClient(sdkClientConfig(endpoint));
    const smA = new SecretsManagerStore({ client: client(), maxAgeSeconds: 900, prefix: 'hub' });
    const smBClient = client();
    let smBReads = 0;
    smBClient.middlewareStack.add(
      (next) => async (args) => {
        smBReads++;
        return next(args);
      },
      { step: 'initialize' },
    );
    const smB = new SecretsManagerStore({ client: smBClient, maxAgeSeconds: 900, prefix: 'hub' });
    const parameters = await scenario(
      { kind: 'powertools', a: smA, b: smB, bReads: () => smBReads },
      admin,
      webhook,
    );

    figures('R20', 'secret rotation', {
      graceSeconds: GRACE_SECONDS,
      perPhase: PER_PHASE,
      file,
      powertoolsParameters: parameters,
      secretName: webhookSecretName('<integrationId>'),
    });
    for (const r of [file, parameters]) {
      expect({
        kind: r.kind,
        before: r.oldBefore,
        graceOld: r.graceOld,
        afterOld: r.afterGraceOld,
        graceNew: r.graceNew,
        afterNew: r.afterGraceNew,
      }).toEqual({
        kind: r.kind,
        before: 1,
        graceOld: 1,
        afterOld: 0,
        graceNew: 1,
        afterNew: 1,
      });
      expect(r.floodRefused).toBe(50);
      expect(r.floodReads).toBe(0);
      expect(r.bReadsForRotation).toBe(1);
    }
  });
});
