/**
 * The whole path a new operator takes, in one browser tab against the local runtime: open the console, paste the
 * admin key, press "Connect a provider", connect fake Greenhouse by client credentials and fake Lever by OAuth
 * consent on the hosted page, come back to the console, see both healthy, start a sync, watch it reach done and
 * open the funnel chart. The connect page and the console are each tested in depth in their own files; this one
 * checks that they meet. Screenshots go to test-output/screenshots/.
 */
import '../support/quiet-logs.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GreenhouseFake } from '../fakes/greenhouse/index.js';
import { describeInBrowser, screenshot, useBrowser } from '../support/browser.js';
import { type ConnectFakes, connectProvidersFile, startConnectFakes } from '../support/connect-fakes.js';
import { fileRuntime, type TestRuntime } from '../support/local-runtime.js';

const providersFile = connectProvidersFile();

describeInBrowser('an operator connects providers from the console and watches a sync', () => {
  const browser = useBrowser();
  let hub: TestRuntime;
  let fakes: ConnectFakes;
  let greenhouse: GreenhouseFake;

  beforeAll(async () => {
    fakes = await startConnectFakes(providersFile, { jobs: 2, candidates: 8 });
    greenhouse = fakes.greenhouse;
  });

  fileRuntime(
    (runtime) => {
      hub = runtime;
    },
    { env: { CONNECT_PROVIDERS_FILE: providersFile } },
  );

  afterAll(async () => {
    await fakes?.stop();
  });

  const integrationCards = (page: Page) =>
    page.getByRole('list', { name: 'Integrations' }).getByRole('listitem');

  async function openConsole(page: Page) {
    await page.goto(`${hub.runtime.baseUrl}/console`);
    await page.getByLabel('Admin key').fill(hub.runtime.credentials.organizations[0]!.keys.admin);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await page.getByRole('button', { name: 'Connect a provider' }).waitFor();
  }

  it('connects both providers from the console, syncs Greenhouse to done and shows its funnel', async () => {
    // prepare: the console in a fresh tab, with no integration yet
    const page = await browser.newPage();
    await openConsole(page);

    // act: Greenhouse by client credentials through the console's connect button
    await page.getByRole('button', { name: 'Connect a provider' }).click();
    await page.getByRole('link', { name: 'Connect Greenhouse' }).click();
    await page.getByLabel('Harvest client ID').fill(greenhouse.credentials.clientId);
    await page.getByLabel('Harvest client secret').fill(greenhouse.credentials.clientSecret);
    await page.getByRole('button', { name: 'Connect Greenhouse' }).click();
    await page.getByRole('link', { name: 'Continue' }).click();
    await integrationCards(page).getByText('Healthy').first().waitFor();

    // act: Lever by OAuth consent, from the same button
    await page.getByRole('button', { name: 'Connect a provider' }).click();
    await page.getByRole('link', { name: 'Connect Lever' }).click();
    await page.getByRole('button', { name: 'Continue to Lever' }).click();
    await page.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('link', { name: 'Continue' }).click();
    await integrationCards(page).nth(1).waitFor();
    await screenshot(page, 'journey-1-both-connected');
    const providers = await integrationCards(page).getByRole('heading').allTextContents();
    const healthy = await integrationCards(page).getByText('Healthy').count();

    // act: a full sync of Greenhouse, followed until it is done
    await page.getByRole('button', { name: 'Start a full sync of Greenhouse' }).click();
    await page.waitForURL(/#runs\/[0-9a-f-]{36}$/);
    await page.getByText('succeeded', { exact: true }).first().waitFor({ timeout: 90_000 });
    await screenshot(page, 'journey-2-sync-done');

    // act: the funnel of a synced job
    await page.getByRole('link', { name: 'Funnel' }).click();
    const synced = greenhouse.state.jobs.find((j) => j.status === 'open')!.name;
    await page.getByLabel('Job', { exact: true }).selectOption({ label: synced });
    const chart = page.getByRole('img', { name: `Funnel of ${synced}`, exact: true });
    await chart.waitFor();
    await screenshot(page, 'journey-3-funnel');

    // assess
    expect([providers.sort(), healthy]).toEqual([['Greenhouse', 'Lever'], 2]);
    expect(await chart.locator('rect.bar-stage').count()).toBeGreaterThan(1);
  });
});
