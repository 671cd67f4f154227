import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import { startAshbyFake } from '../fakes/ashby/index.js';
import { startBamboohrFake } from '../fakes/bamboohr/index.js';
import { createControllableClock } from '../fakes/common/controllable-clock.js';
import { startGreenhouseFake } from '../fakes/greenhouse/index.js';
import { startLeverFake } from '../fakes/lever/index.js';
import { startWorkdayFake } from '../fakes/workday/index.js';
import { apiClient, startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/**
 * An admin connects providers through the local runtime, pointing baseUrl at each provider's fake; the fake
 * sends webhooks signed exactly as the real system does. Valid ones are recorded exactly once, forged ones
 * refused with 401.
 */
let t: TestRuntime;
let admin: ReturnType<typeof apiClient>;
let owner: Sql;

beforeAll(async () => {
  t = await startTestRuntime();
  admin = apiClient(t.runtime.baseUrl, t.runtime.credentials.organizations[0]!.keys.admin);
  owner = createDbClient({ url: t.ownerUrl, max: 1 });
});

afterAll(async () => {
  await owner?.end();
  await t?.stop();
});

async function deliveries(integrationId: string): Promise<number> {
  const [row] = await owner<{ n: number }[]>`
    select count(*)::int as n from webhook_deliveries where integration_id = ${integrationId}`;
  return row!.n;
}

async function connect(body: Record<string, unknown>) {
  const res = await admin('POST', '/integrations', body);
  expect(res.status).toBe(201);
  return res.body as { id: string; webhookUrl: string; webhookSecret?: string };
}

describe('Greenhouse webhooks', () => {
  let fake: Awaited<ReturnType<typeof startGreenhouseFake>>;
  let integration: { id: string; webhookUrl: string; webhookSecret?: string };

  beforeAll(async () => {
    fake = await startGreenhouseFake({ candidates: 5 });
    integration = await connect({
      provider: 'greenhouse',
      credentials: { clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret },
      settings: { baseUrl: fake.url, authUrl: fake.authUrl },
    });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  it('shows the generated secret once and answers the creation ping with 200', async () => {
    expect(integration.webhookSecret).toEqual(expect.any(String));
    const registration = await fake.createWebhook(integration.webhookUrl, integration.webhookSecret!);
    expect(registration.enabled).toBe(true);
  });

  it('records a signed delivery once however often it arrives', async () => {
    const event = fake.events.stageChange(fake.state.applications[0]!.id);
    const first = await fake.sendWebhook(integration.webhookUrl, event, {
      secret: integration.webhookSecret!,
      eventId: 'gh-evt-1',
    });
    const again = await fake.sendWebhook(integration.webhookUrl, event, {
      secret: integration.webhookSecret!,
      eventId: 'gh-evt-1',
    });
    expect([first.attempts[0]!.status, again.attempts[0]!.status]).toEqual([200, 200]);
    expect(await deliveries(integration.id)).toBe(1);
  });

  it('refuses a delivery signed with another secret with 401', async () => {
    const event = fake.events.stageChange(fake.state.applications[1]!.id);
    const forged = await fake.sendWebhook(integration.webhookUrl, event, {
      secret: 'not-the-secret',
      eventId: 'gh-evt-2',
    });
    expect(forged.attempts[0]!.status).toBe(401);
  });
});

describe('Lever webhooks', () => {
  const signingToken = 'lever-signing-token-0123456789';
  let fake: Awaited<ReturnType<typeof startLeverFake>>;
  let integration: { id: string; webhookUrl: string };

  beforeAll(async () => {
    // Lever signs triggeredAt; the fake's clock runs at real time so the hub's replay window applies
    fake = await startLeverFake({
      clock: createControllableClock(Date.now()),
      signingTokens: { candidateStageChange: signingToken },
    });
    integration = await connect({
      provider: 'lever',
      credentials: { apiKey: fake.apiKey, webhookSecret: signingToken },
      settings: { baseUrl: fake.url },
    });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  it('records a signed delivery once and treats the replayed token as a duplicate', async () => {
    const opportunity = fake.state.opportunities[0]!;
    const target = fake.state.opportunities.find((o) => o.stageId !== opportunity.stageId)!.stageId;
    const event = fake.changeStage(opportunity.id, target);
    const first = await fake.sendWebhook(integration.webhookUrl, event, { token: 'a'.repeat(48) });
    const replay = await fake.sendWebhook(integration.webhookUrl, event, { token: 'a'.repeat(48) });
    expect([first.attempts[0]!.status, replay.attempts[0]!.status]).toEqual([200, 200]);
    expect(await deliveries(integration.id)).toBe(1);
  });

  it('refuses a delivery signed with another token with 401', async () => {
    const event = fake.events.stageChange(fake.state.opportunities[1]!, 'x');
    const forged = await fake.sendWebhook(integration.webhookUrl, event, {
      signingToken: 'forged-token-forged-token',
    });
    expect(forged.attempts[0]!.status).toBe(401);
  });
});

describe('Ashby webhooks', () => {
  let fake: Awaited<ReturnType<typeof startAshbyFake>>;
  let integration: { id: string; webhookUrl: string; webhookSecret?: string };

  beforeAll(async () => {
    fake = await startAshbyFake();
    integration = await connect({
      provider: 'ashby',
      credentials: { apiKey: fake.apiKey },
      settings: { baseUrl: fake.url },
    });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  it('records a signed delivery once however often it arrives', async () => {
    const event = fake.events.stageChange(fake.state.applications[0]!.id);
    const first = await fake.sendWebhook(integration.webhookUrl, event, {
      secret: integration.webhookSecret!,
    });
    const again = await fake.sendWebhook(integration.webhookUrl, event, {
      secret: integration.webhookSecret!,
    });
    expect([first.attempts[0]!.status, again.attempts[0]!.status]).toEqual([200, 200]);
    expect(await deliveries(integration.id)).toBe(1);
  });

  it('refuses an unsigned delivery with 401', async () => {
    const event = fake.events.stageChange(fake.state.applications[1]!.id);
    const unsigned = await fake.sendWebhook(integration.webhookUrl, event, { secret: null });
    expect(unsigned.attempts[0]!.status).toBe(401);
  });
});

describe('BambooHR webhooks', () => {
  let fake: Awaited<ReturnType<typeof startBamboohrFake>>;
  let integration: { id: string; webhookUrl: string };

  beforeAll(async () => {
    // BambooHR signs a timestamp checked against a 300 s window, so the fake's clock runs at real time
    fake = await startBamboohrFake({ clock: createControllableClock(Date.now()) });
    integration = await connect({
      provider: 'bamboohr',
      credentials: {
        apiKey: fake.apiKey,
        companyDomain: fake.companyDomain,
        webhookSecret: fake.webhookPrivateKey,
      },
      settings: { baseUrl: fake.url },
    });
  });

  afterAll(async () => {
    await fake?.stop();
  });

  it('records a signed delivery once however often it arrives', async () => {
    const payload = { employees: [{ id: '42', action: 'Updated', changedFields: ['status'] }] };
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await fake.sendWebhook(integration.webhookUrl, payload, { timestamp });
    const again = await fake.sendWebhook(integration.webhookUrl, payload, { timestamp });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(await deliveries(integration.id)).toBe(1);
  });

  it('refuses a delivery signed with another key with 401', async () => {
    const forged = await fake.sendWebhook(
      integration.webhookUrl,
      { employees: [] },
      { privateKey: 'forged-private-key' },
    );
    expect(forged.status).toBe(401);
  });
});

describe('Workday', () => {
  it('connects with its SOAP endpoint and has no webhook URL', async () => {
    const fake = await startWorkdayFake();
    try {
      const integration = await connect({
        provider: 'workday',
        credentials: { username: fake.username, password: fake.password, tenant: fake.tenant },
        settings: { baseUrl: fake.url },
      });
      expect(integration.webhookUrl).toBeNull();
    } finally {
      await fake.stop();
    }
  });
});

describe('webhook route', () => {
  it('answers an unknown integration with 404', async () => {
    const res = await fetch(`${t.runtime.baseUrl}/webhooks/greenhouse/00000000-0000-4000-8000-000000000000`, {
      method: 'POST',
      body: '{}',
    });
    expect(res.status).toBe(404);
  });

  it('answers a body over 1 MiB with 413 before verifying', async () => {
    const res = await fetch(`${t.runtime.baseUrl}/webhooks/greenhouse/00000000-0000-4000-8000-000000000000`, {
      method: 'POST',
      body: 'x'.repeat(1024 * 1024 + 1),
    });
    expect(res.status).toBe(413);
  });
});
