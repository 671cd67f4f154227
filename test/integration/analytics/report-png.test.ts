import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CHROMIUM_MISSING_EXIT,
  ChromiumMissingError,
  findChromium,
  findNewestReport,
  main,
  renderReportPng,
} from '../../../infra/cli/report-png.js';
import type { FunnelResponse } from '../../../shared/analytics/funnel-schema.js';
import { renderFunnelHtml } from '../../../shared/analytics/render-html.js';
import { RECORD_FIGURES } from '../../unit/analytics/funnel-builders.js';
import { reportProblems } from '../../unit/analytics/report-structure.js';

const funnel: FunnelResponse = {
  generatedAt: '2024-04-01T02:15:00.000Z',
  scope: { jobId: null, from: '2024-03-02T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' },
  totals: { applications: 9, active: 5, hired: 1, rejected: 2, withdrawn: 1 },
  ...RECORD_FIGURES,
  stages: [
    { name: 'Screening', order: 0, current: 1, reached: 8, conversionToNext: 0.625, medianHoursInStage: 8 },
    { name: 'Shortlist', order: 1, current: 0, reached: 5, conversionToNext: 0.8, medianHoursInStage: 10 },
    {
      name: 'Client Endorsement',
      order: 2,
      current: 0,
      reached: 4,
      conversionToNext: 0.5,
      medianHoursInStage: 15,
    },
    { name: 'Offer', order: 3, current: 1, reached: 2, conversionToNext: 0.5, medianHoursInStage: 20 },
    {
      name: 'Offer Accepted',
      order: 4,
      current: 0,
      reached: 1,
      conversionToNext: null,
      medianHoursInStage: null,
    },
  ],
  sources: [{ source: 'portal', applications: 9, hired: 1 }],
};

const chromium = findChromium();
let dir: string;
let htmlPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'report-png-test-'));
  await writeFile(join(dir, 'older.html'), 'not a report');
  htmlPath = join(dir, 'exports', 'org', '2024-03-31', 'report.html');
  await mkdir(join(dir, 'exports', 'org', '2024-03-31'), { recursive: true });
  await writeFile(htmlPath, renderFunnelHtml(funnel, { organizationName: 'Acme' }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report rendering', () => {
  it('the report handed to Chromium is structurally valid (always runs)', async () => {
    const html = await readFile(htmlPath, 'utf8');
    expect(reportProblems(html, funnel)).toEqual([]);
    expect(await findNewestReport(dir)).toBe(htmlPath);
  });

  it.skipIf(!chromium)(
    `renders report.html to a PNG with headless Chromium${chromium ? '' : ' — SKIPPED: Chromium is not installed (looked at CHROMIUM_PATH, /usr/bin/chromium, …)'}`,
    async () => {
      const png = await renderReportPng(htmlPath, { out: join(dir, 'report.png'), timeoutMs: 90_000 });
      const bytes = await readFile(png);
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      // IHDR: width and height of the window
      expect(bytes.readUInt32BE(16)).toBe(1200);
      expect(bytes.readUInt32BE(20)).toBe(1600);
      expect(bytes.length).toBeGreaterThan(10_000);
    },
    120_000,
  );

  it('says clearly when Chromium is missing', async () => {
    const nowhere = [join(dir, 'no-such-chromium')];
    expect(findChromium(nowhere)).toBeUndefined();
    const error = await renderReportPng(htmlPath, { candidates: nowhere }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChromiumMissingError);
    expect((error as Error).message).toMatch(/Chromium is not installed .*no-such-chromium.*CHROMIUM_PATH/);
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main([htmlPath], { candidates: nowhere })).toBe(CHROMIUM_MISSING_EXIT);
      expect(String(printed.mock.calls[0]?.[0])).toMatch(/Chromium is not installed/);
    } finally {
      printed.mockRestore();
    }
  });
});
