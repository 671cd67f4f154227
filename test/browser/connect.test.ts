/**
 * The hosted connect page in a real Chromium against the local runtime (as `npm start` runs it), with a fake
 * Lever and a fake Greenhouse reached through the local-only endpoints file: a customer opens the link, connects
 * Greenhouse by client credentials and Lever by OAuth consent; a wrong key, an expired link and a mismatched
 * state each end on a clear page with nothing saved. Screenshots go to test-output/screenshots/.
 */
import '../support/quiet-logs.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sql } from '../../shared/db/client.js';
import type { GreenhouseFake } from '../fakes/greenhouse/index.js';
import { describeInBrowser, screenshot, useBrowser } from '../support/browser.js';
import { type ConnectFakes, connectProvidersFile, startConnectFakes } from '../support/connect-fakes.js';
import { apiClient, fileRuntime, type TestRuntime } from '../support/local-runtime.js';

const providersFile = connectProvidersFile();

describeInBrowser('connect page in a browser', () => {
  const browser = useBrowser();
  let hub: TestRuntime;
  let owner: Sql;
  let fakes: ConnectFakes;
  let greenhouse: GreenhouseFake;

  beforeAll(async () => {
    fakes = await startConnectFakes(providersFile);
    greenhouse = fakes.greenhouse;
  });

  fileRuntime(
    (runtime, sql) => {
      hub = runtime;
      owner = sql;
    },
    { env: { CONNECT_PROVIDERS_FILE: providersFile } },
  );

  afterAll(async () => {
    await fakes?.stop();
  });

  const admin = () => apiClient(hub.runtime.baseUrl, hub.runtime.credentials.organizations[0]!.keys.admin);

  async function connectLink(body: Record<string, unknown> = {}): Promise<string> {
    const created = await admin()('POST', '/connect-sessions', body);
    if (created.status !== 201) throw new Error(`POST /connect-sessions answered ${created.status}`);
    return created.body.url as string;
  }

  const providersConnected = async () =>
    ((await admin()('GET', '/integrations')).body.items as { provider: string }[]).map((i) => i.provider);

  const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

  async function fillGreenhouse(page: Page, secret: string) {
    await page.getByLabel('Harvest client ID').fill(greenhouse.credentials.clientId);
    await page.getByLabel('Harvest client secret').fill(secret);
    await page.getByRole('button', { name: 'Connect Greenhouse' }).click();
  }

  it('connects Greenhouse by client credentials, shows the webhook to register, then goes on', async () => {
    const page = await browser.newPage();
    await page.goto(await connectLink());
    await screenshot(page, 'connect-1-pick-provider');
    await page.getByRole('link', { name: 'Connect Greenhouse' }).click();
    await fillGreenhouse(page, greenhouse.credentials.clientSecret);

    const connected = await heading(page);
    const webhookUrl = await page.locator('#webhook-url').textContent();
    await screenshot(page, 'connect-2-greenhouse-connected');
    await page.getByRole('link', { name: 'Continue' }).click();

    expect([connected, webhookUrl, new URL(page.url()).pathname, await providersConnected()]).toEqual([
      'Greenhouse is connected',
      expect.stringContaining(`${hub.runtime.baseUrl}/webhooks/greenhouse/`),
      '/console',
      expect.arrayContaining(['greenhouse']),
    ]);
  });

  it('connects Lever through its OAuth consent page', async () => {
    const page = await browser.newPage();
    await page.goto(await connectLink({ provider: 'lever' }));
    await page.getByRole('button', { name: 'Continue to Lever' }).click();
    await page.getByRole('button', { name: 'Accept' }).waitFor();
    await screenshot(page, 'connect-3-lever-consent');
    await page.getByRole('button', { name: 'Accept' }).click();

    const connected = await heading(page);
    await screenshot(page, 'connect-4-lever-connected');

    expect([connected, await providersConnected()]).toEqual([
      'Lever is connected',
      expect.arrayContaining(['lever']),
    ]);
  });

  it('can be filled and sent with the keyboard alone', async () => {
    const page = await browser.newPage();
    await page.goto(await connectLink({ provider: 'greenhouse' }));
    await page.keyboard.press('Tab');
    await page.keyboard.type(greenhouse.credentials.clientId);
    await page.keyboard.press('Tab');
    await page.keyboard.type(greenhouse.credentials.clientSecret);

    await page.keyboard.press('Enter');

    expect(await heading(page)).toBe('Greenhouse is connected');
  });

  it('shows Greenhouse’s refusal of a wrong secret and saves nothing', async () => {
    const before = (await providersConnected()).length;
    const page = await browser.newPage();
    await page.goto(await connectLink({ provider: 'greenhouse' }));

    await fillGreenhouse(page, 'not-the-secret');

    const alert = await page.getByRole('alert').textContent();
    await screenshot(page, 'connect-5-wrong-key');
    expect([alert, (await providersConnected()).length]).toEqual([
      expect.stringContaining('Greenhouse refused these credentials'),
      before,
    ]);
  });

  it('shows a clear page for an expired link', async () => {
    const url = await connectLink({ provider: 'greenhouse' });
    await owner`update connect_sessions set expires_at = now() - interval '1 second' where used_at is null`;
    const page = await browser.newPage();

    const response = await page.goto(url);

    const title = await heading(page);
    await screenshot(page, 'connect-6-expired-link');
    expect([response?.status(), title]).toEqual([410, 'This link has expired']);
  });

  it('refuses an OAuth answer whose state does not match and saves nothing', async () => {
    const before = (await providersConnected()).length;
    const page = await browser.newPage();
    await page.goto(await connectLink({ provider: 'lever' }));
    await page.getByRole('button', { name: 'Continue to Lever' }).click();
    await page.getByRole('button', { name: 'Accept' }).waitFor();
    // an answer forged for another state arrives at the callback in this browser
    const authorize = new URL(page.url());
    const forged = new URL(authorize.searchParams.get('redirect_uri')!);
    forged.searchParams.set('code', 'stolen-code');
    forged.searchParams.set('state', 'another-state');

    const response = await page.goto(forged.toString());

    const title = await heading(page);
    await screenshot(page, 'connect-7-state-mismatch');
    expect([response?.status(), title, (await providersConnected()).length]).toEqual([
      400,
      'This authorization does not match',
      before,
    ]);
  });
});
