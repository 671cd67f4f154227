import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaContext } from '../../infra/local/lambda-context.js';
import { S3ObjectStore, s3ClientConfig } from '../../shared/aws/s3-object-store.js';
import { apiClient, startTestRuntime, type TestRuntime } from '../support/local-runtime.js';

/**
 * On the local runtime with data made through the API: `GET /analytics/funnel` and the exported JSON agree,
 * the HTML report carries the funnel chart, and re-running the same period leaves one set of objects.
 */
let t: TestRuntime;
let objects: S3ObjectStore;
let orgId: string;
let ats: ReturnType<typeof apiClient>;
const today = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

async function runExport() {
  const url = pathToFileURL(resolve('functions/analytics-export/handler.ts')).href;
  const { handler } = (await import(/* @vite-ignore */ url)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  await handler(
    { task: 'daily-export', organizationId: orgId, from: today, to: today },
    createLambdaContext({ functionName: 'analytics-export', timeoutSeconds: 300 }),
  );
}

beforeAll(async () => {
  t = await startTestRuntime();
  const org = t.runtime.credentials.organizations[0]!;
  orgId = org.id;
  const portal = apiClient(t.runtime.baseUrl, org.keys.portal);
  ats = apiClient(t.runtime.baseUrl, org.keys.ats);
  const job = (await ats('POST', '/jobs', { title: 'Analyst', employmentType: 'full_time' })).body.id;
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await portal('POST', '/applications', {
      jobId: job,
      candidate: { firstName: 'C', lastName: String(i), email: `c${i}@example.com` },
    });
    ids.push(res.body.application.id);
  }
  for (const id of ids.slice(0, 3))
    await portal('POST', `/applications/${id}/stage`, { toStage: 'Shortlist' });
  for (const id of ids.slice(0, 2))
    await portal('POST', `/applications/${id}/stage`, { toStage: 'Client Endorsement' });
  await ats('POST', `/applications/${ids[0]}/stage`, { toStage: 'Offer Accepted' });
  await ats('POST', `/applications/${ids[3]}/status`, { status: 'rejected' });
  objects = new S3ObjectStore({
    bucket: 'hub-local',
    clientConfig: {
      ...s3ClientConfig({ region: 'us-east-1', endpoint: t.runtime.objectStore.url }),
      credentials: { accessKeyId: 'LOCALHUBACCESSKEY', secretAccessKey: 'local-hub-secret-access-key' },
    },
  });
  await runExport();
});

afterAll(async () => {
  await t?.stop();
});

describe('analytics export on the local runtime', () => {
  it('writes JSON that agrees exactly with GET /analytics/funnel for the same period', async () => {
    const [key] = (await objects.list(`exports/${orgId}/`)).filter((k) => k.endsWith('funnel.json'));
    const exported = JSON.parse((await objects.get(key!))!.body.toString('utf8'));
    const live = await ats('GET', `/analytics/funnel?from=${today}T00:00:00Z&to=${tomorrow}T00:00:00Z`);
    const { generatedAt: _a, ...exportedRest } = exported;
    const { generatedAt: _b, ...liveRest } = live.body;
    expect(liveRest).toEqual(exportedRest);
    expect(exported.totals).toMatchObject({ applications: 4, hired: 1, rejected: 1 });
  });

  it('writes an HTML report with the funnel as inline SVG', async () => {
    const [key] = (await objects.list(`exports/${orgId}/`)).filter((k) => k.endsWith('report.html'));
    const html = (await objects.get(key!))!.body.toString('utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
  });

  it('leaves one set of objects when the same period runs again', async () => {
    const before = (await objects.list(`exports/${orgId}/`)).sort();
    await runExport();
    expect((await objects.list(`exports/${orgId}/`)).sort()).toEqual(before);
    expect(before).toHaveLength(3);
  });
});
