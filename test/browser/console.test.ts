/**
 * The operator console in a real browser (Debian's Chromium through playwright-core) against the local runtime,
 * as a new user would meet it: paste the admin key, see the connected provider healthy, start a sync against
 * the fake Greenhouse, watch its progress reach done, read its import log, and open the funnel chart. Screenshots
 * of each step go to test-output/screenshots (kept by CI as artifacts).
 */
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createControllableClock } from '../fakes/common/controllable-clock.js';
import { type GreenhouseFake, startGreenhouseFake } from '../fakes/greenhouse/index.js';
import { chromiumPath, describeInBrowser, screenshot } from '../support/browser.js';
import { apiClient, startTestRuntime, type TestRuntime } from '../support/local-runtime.js';
import { signDelivery } from '../support/webhook-signing.js';

let t: TestRuntime;
let fake: GreenhouseFake;
let browser: Browser;
let page: Page;
let adminKey: string;
let integration: { id: string; webhookSecret: string };
/** Content Security Policy violations and uncaught errors the page reported. */
const pageProblems: string[] = [];

const shot = (name: string) => screenshot(page, `console-${name}`);

describeInBrowser('the operator console', () => {
  beforeAll(async () => {
    t = await startTestRuntime();
    fake = await startGreenhouseFake({ jobs: 2, candidates: 12, clock: createControllableClock(Date.now()) });
    adminKey = t.runtime.credentials.organizations[0]!.keys.admin;
    const connected = await apiClient(t.runtime.baseUrl, adminKey)('POST', '/integrations', {
      provider: 'greenhouse',
      credentials: { clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret },
      settings: { baseUrl: fake.url, authUrl: fake.authUrl },
    });
    expect(connected.status).toBe(201);
    integration = connected.body;
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      headless: true,
      args: ['--no-sandbox'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('console', (m) => {
      // an API answer of 4xx is logged by Chromium as a failed resource: expected in the wrong-key step
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        pageProblems.push(m.text());
    });
    page.on('pageerror', (e) => pageProblems.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await fake?.stop();
    await t?.stop();
  });

  it('refuses a key that is not an admin key, and says why', async () => {
    await page.goto(`${t.runtime.baseUrl}/console`);
    await page.getByLabel('Admin key').fill(t.runtime.credentials.organizations[0]!.keys.ats);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not an admin key');
  });

  it('takes the admin key and shows the connected provider healthy', async () => {
    await page.getByLabel('Admin key').fill(adminKey);
    await page.getByRole('button', { name: 'Open the console' }).click();
    const card = page.getByRole('list', { name: 'Integrations' }).getByRole('listitem');
    await card.getByText('Healthy').waitFor();
    await shot('integrations');
    expect(await card.getByRole('heading').allTextContents()).toEqual(['Greenhouse']);
  });

  it('starts a full sync and follows its progress until it is done', async () => {
    await page.getByRole('button', { name: 'Start a full sync of Greenhouse' }).click();
    await page.waitForURL(/#runs\/[0-9a-f-]{36}$/);
    await page.getByText('succeeded', { exact: true }).first().waitFor({ timeout: 90_000 });
    await shot('run');
    const pages = await page.locator('dt:text-is("Pages fetched") + dd').textContent();
    expect(Number(pages)).toBeGreaterThan(0);
  });

  it('lists the run among all runs, reachable with the keyboard', async () => {
    const link = page.getByRole('link', { name: 'Sync runs' });
    await link.focus();
    await page.keyboard.press('Enter');
    const rows = page.getByRole('table', { name: 'Sync runs, newest first' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
  });

  it('draws the funnel of a synced job as a chart with its conversions', async () => {
    await page.getByRole('link', { name: 'Funnel' }).click();
    const select = page.getByLabel('Job', { exact: true });
    await page.getByRole('img', { name: 'Funnel of All jobs', exact: true }).waitFor();
    const synced = fake.state.jobs.find((j) => j.status === 'open')!.name;
    await select.selectOption({ label: synced });
    const chart = page.getByRole('img', { name: `Funnel of ${synced}`, exact: true });
    await chart.waitFor();
    await shot('funnel');
    expect(await chart.locator('rect.bar-stage').count()).toBeGreaterThan(1);
  });

  it('shows a received provider webhook as verified, with the change it asks for', async () => {
    const delivery = signDelivery('greenhouse', {
      secret: integration.webhookSecret,
      deliveryId: 'console-1',
    });
    const sent = await fetch(`${t.runtime.baseUrl}/webhooks/greenhouse/${integration.id}`, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(sent.status).toBe(200);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    const row = page
      .getByRole('table', { name: /Provider webhooks received/ })
      .locator('tbody tr')
      .first();
    await row.waitFor();
    await shot('webhooks');
    expect(await row.textContent()).toMatch(/verified.*application\.stage_changed/);
  });

  it('shows where the keyboard focus is', async () => {
    await page.getByRole('link', { name: 'Integrations' }).focus();
    await page.keyboard.press('Tab');
    // a string: the test's TypeScript has no DOM library
    const focus = await page.evaluate(
      '(() => { const el = document.activeElement; const s = getComputedStyle(el); return [el.textContent, s.outlineStyle, s.outlineWidth]; })()',
    );
    expect(focus).toEqual(['Sync runs', 'solid', '3px']);
  });

  it('runs under its Content Security Policy without a violation or an uncaught error', () => {
    expect(pageProblems).toEqual([]);
  });
});
