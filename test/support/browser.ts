/**
 * Real-browser tests (vitest project `browser`, test/browser/**): Playwright's client library driving the
 * system's Chromium (Debian's `chromium` package), never a browser Playwright downloads itself.
 *
 * Without Chromium the files say so and skip; with REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails.
 * Screenshots go to `test-output/screenshots/` (TEST_OUTPUT_DIR overrides the folder), kept as CI artifacts.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import { chromiumCandidates, findChromium } from '../../infra/cli/report-png.js';

/** The Chromium binary: CHROMIUM_PATH, then the usual system paths (the same lookup as `npm run report:png`). */
export const chromiumPath: string | undefined = findChromium();

const missingReason = `no Chromium at ${chromiumCandidates().join(', ')} (install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH)`;

/** Where test artifacts go; .ci/run keeps this folder. */
export const testOutputDir = resolve(process.env.TEST_OUTPUT_DIR ?? 'test-output');

/**
 * `describe` for a browser test file: runs when Chromium is there, skips with the reason in the suite's name
 * when it is not, and throws when REQUIRE_BROWSER=1 (CI must never pass by skipping).
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (chromiumPath) {
    describe(name, body);
    return;
  }
  if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${missingReason}`);
  process.stderr.write(`browser tests skipped: ${missingReason}\n`);
  describe.skip(`${name} (skipped: ${missingReason})`, body);
}

export interface BrowserSession {
  /** A page in a fresh context (own cookies and storage) for the current test; closed after it. */
  newPage(): Promise<Page>;
}

/**
 * One headless Chromium per file (launched before its tests, closed after them) and one context per test.
 * Call inside `describeInBrowser`.
 */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: chromiumPath!,
      headless: true,
      // tests run as root in CI containers, where Chromium's sandbox cannot start
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    async newPage() {
      if (!browser) throw new Error('useBrowser(): the browser is not launched yet (call newPage in a test)');
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      return context.newPage();
    },
  };
}

/** Saves a full-page PNG as `test-output/screenshots/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(testOutputDir, 'screenshots');
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
