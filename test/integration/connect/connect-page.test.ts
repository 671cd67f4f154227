/** The hosted connect page: provider forms checked with the provider, single use, expiry, security headers. */
import '../../support/quiet-logs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConnectWorld, connectWorld, PUBLIC_BASE_URL } from './connect-world.js';

let world: ConnectWorld;

beforeAll(async () => {
  world = await connectWorld();
});

afterAll(async () => {
  await world?.close();
});

const greenhouseForm = (secret = world.greenhouse.credentials.clientSecret) => ({
  provider: 'greenhouse',
  clientId: world.greenhouse.credentials.clientId,
  clientSecret: secret,
});

const connectedCount = async () => (await world.integrations()).length;

describe('GET /connect/{token}', () => {
  it('lists the providers to pick from when the link names none', async () => {
    const token = await world.newLink();

    const page = await world.open(token);

    expect([
      page.status,
      ...['greenhouse', 'lever', 'ashby', 'bamboohr', 'workday'].map((p) =>
        page.html.includes(`?provider=${p}`),
      ),
    ]).toEqual([200, true, true, true, true, true]);
  });

  it('shows the preselected provider’s form with a label for every field', async () => {
    const token = await world.newLink({ provider: 'bamboohr' });

    const page = await world.open(token);

    expect([
      page.html.includes('<label for="f-apiKey">'),
      page.html.includes('<label for="f-companyDomain">'),
    ]).toEqual([true, true]);
  });

  it('sends a strict CSP without scripts and no referrer', async () => {
    const token = await world.newLink();

    const { headers } = await world.open(token);

    expect([
      headers['content-security-policy'],
      headers['referrer-policy'],
      headers['cache-control'],
    ]).toEqual([
      expect.stringMatching(
        /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'/,
      ),
      'no-referrer',
      'no-store',
    ]);
  });

  it('answers 404 for a token it never issued', async () => {
    const page = await world.open('not-a-real-token');

    expect(page.status).toBe(404);
  });

  it('answers 410 once the link is older than 30 minutes', async () => {
    const token = await world.newLink();
    world.clock.advance(30 * 60_000 + 1);

    const page = await world.open(token);

    expect([page.status, page.html.includes('expired')]).toEqual([410, true]);
  });
});

describe('POST /connect/{token}', () => {
  it('connects Greenhouse with working credentials and shows the webhook URL and secret', async () => {
    const token = await world.newLink();

    const page = await world.submit(token, greenhouseForm());

    const [created] = (await world.integrations()).slice(-1);
    expect([
      page.status,
      created?.provider,
      page.html.includes(`${PUBLIC_BASE_URL}/webhooks/greenhouse/`),
      page.html.includes('id="webhook-secret"'),
    ]).toEqual([201, 'greenhouse', true, true]);
  });

  it('stores the credentials in the secrets store, as POST /integrations does', async () => {
    const token = await world.newLink();
    await world.submit(token, greenhouseForm());

    const [created] = (await world.integrations()).slice(-1);

    expect(await world.secrets.get(created!.secret_ref)).toMatchObject({
      clientId: world.greenhouse.credentials.clientId,
    });
  });

  it('shows the provider’s refusal of a wrong secret and saves nothing', async () => {
    const token = await world.newLink();
    const before = await connectedCount();

    const page = await world.submit(token, greenhouseForm('wrong-secret'));

    expect([page.status, page.html.includes('role="alert"'), await connectedCount()]).toEqual([
      422,
      true,
      before,
    ]);
  });

  it('keeps the link usable after a refusal', async () => {
    const token = await world.newLink();
    await world.submit(token, greenhouseForm('wrong-secret'));

    const page = await world.submit(token, greenhouseForm());

    expect(page.status).toBe(201);
  });

  it('names a missing field and never echoes a secret back', async () => {
    const token = await world.newLink();

    const page = await world.submit(token, {
      provider: 'greenhouse',
      clientId: 'gh-client',
      clientSecret: '',
    });

    expect([
      page.status,
      page.html.includes('aria-invalid="true"'),
      page.html.includes('id="f-clientSecret-error"'),
    ]).toEqual([422, true, true]);
  });

  it('answers 410 to a link used once already and saves nothing more', async () => {
    const token = await world.newLink();
    await world.submit(token, greenhouseForm());
    const before = await connectedCount();

    const replay = await world.submit(token, greenhouseForm());

    expect([replay.status, replay.html.includes('already used'), await connectedCount()]).toEqual([
      410,
      true,
      before,
    ]);
  });

  it('answers 410 to a form posted after the link expired and saves nothing', async () => {
    const token = await world.newLink();
    const before = await connectedCount();
    world.clock.advance(31 * 60_000);

    const page = await world.submit(token, greenhouseForm());

    expect([page.status, await connectedCount()]).toEqual([410, before]);
  });

  it('refuses another provider than the one the link names', async () => {
    const token = await world.newLink({ provider: 'ashby' });

    const page = await world.submit(token, greenhouseForm());

    expect(page.status).toBe(400);
  });
});
