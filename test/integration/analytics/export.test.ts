// Over 400 lines: every output of the export (JSON, CSV, HTML, the push to the system of record) on one seeded world.
import { randomUUID } from 'node:crypto';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnalyticsExportDeps,
  AnalyticsExportIncompleteError,
  type AnalyticsExportSummary,
  runAnalyticsExport,
} from '../../../functions/analytics-export/use-case.js';
import { computeFunnel } from '../../../shared/analytics/funnel.js';
import { CSV_COLUMNS } from '../../../shared/analytics/render-csv.js';
import { withTenant } from '../../../shared/db/tenant.js';
import type { Clock } from '../../../shared/ports/clock.js';
import {
  type AnalyticsPushPayload,
  type ProviderCapabilities,
  ProviderError,
  type ProviderModule,
  type WriteResult,
} from '../../../shared/ports/provider.js';
import type { ProviderName } from '../../../shared/providers/registry.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';
import { MemorySecretStore } from '../../support/memory-secrets.js';
import { parseCsv } from '../../unit/analytics/parse-csv.js';
import { reportProblems } from '../../unit/analytics/report-structure.js';
import { type FunnelSeed, seedFunnel } from './seed.js';

const NOW = new Date('2024-04-01T02:15:00Z');
const clock: Clock = { now: () => NOW };

interface PushCall {
  provider: ProviderName;
  credentials: Record<string, unknown>;
  settings: Record<string, unknown>;
  payload: AnalyticsPushPayload;
}

const baseCapabilities: ProviderCapabilities = {
  objects: ['job', 'candidate', 'application'],
  incremental: true,
  deletedRecords: false,
  webhooks: false,
  moveStage: false,
  reject: false,
  hire: false,
  analyticsPush: false,
  maxPageSize: 100,
};

function fakeModule(
  name: ProviderName,
  options: {
    moduleCapability: boolean;
    clientCapability?: (settings: Record<string, unknown>) => boolean;
    push: (payload: AnalyticsPushPayload) => Promise<WriteResult>;
  },
  calls: PushCall[],
  created: ProviderName[],
): ProviderModule {
  const unsupported = async (): Promise<WriteResult> => ({ ok: false, kind: 'unsupported', message: 'fake' });
  return {
    name,
    capabilities: { ...baseCapabilities, analyticsPush: options.moduleCapability },
    credentialsSchema: {} as ProviderModule['credentialsSchema'],
    hubGeneratesWebhookSecret: false,
    createClient(context) {
      created.push(name);
      return {
        provider: name,
        capabilities: {
          ...baseCapabilities,
          analyticsPush: options.clientCapability?.(context.settings) ?? options.moduleCapability,
        },
        listPage: () => Promise.reject(new Error('not in this test')),
        moveStage: unsupported,
        reject: unsupported,
        hire: unsupported,
        async pushAnalytics(payload) {
          calls.push({
            provider: name,
            credentials: context.credentials,
            settings: context.settings,
            payload,
          });
          return options.push(payload);
        },
      };
    },
  };
}

let db: TestDatabase;
let seed: FunnelSeed;
let store: MemoryObjectStore;
let calls: PushCall[];
let created: ProviderName[];
let deps: AnalyticsExportDeps;
const integrationIds: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDatabase();
  seed = await seedFunnel(db.owner);
  const integrations = [
    { key: 'greenhouseA', org: seed.orgA, provider: 'greenhouse', enabled: true, settings: {}, minute: 1 },
    {
      key: 'workdayA',
      org: seed.orgA,
      provider: 'workday',
      enabled: true,
      settings: { analyticsEndpoint: 'https://wd.example/analytics' },
      minute: 2,
    },
    {
      key: 'workdayNoEndpointA',
      org: seed.orgA,
      provider: 'workday',
      enabled: true,
      settings: {},
      minute: 3,
    },
    { key: 'leverA', org: seed.orgA, provider: 'lever', enabled: true, settings: {}, minute: 4 },
    { key: 'ashbyDisabledA', org: seed.orgA, provider: 'ashby', enabled: false, settings: {}, minute: 5 },
    { key: 'greenhouseB', org: seed.orgB, provider: 'greenhouse', enabled: true, settings: {}, minute: 1 },
  ];
  for (const i of integrations) {
    const id = randomUUID();
    integrationIds[i.key] = id;
    await db.owner`insert into integrations (id, organization_id, provider, enabled, settings, secret_ref, created_at)
      values (${id}, ${i.org}, ${i.provider}, ${i.enabled}, ${db.owner.json(i.settings)}::jsonb, ${`providers/${i.key}`},
        ${new Date(Date.UTC(2024, 0, 1, 0, i.minute))})`;
  }
  store = new MemoryObjectStore();
  calls = [];
  created = [];
  const modules: Partial<Record<ProviderName, ProviderModule>> = {
    greenhouse: fakeModule(
      'greenhouse',
      { moduleCapability: true, push: async () => ({ ok: true }) },
      calls,
      created,
    ),
    workday: fakeModule(
      'workday',
      {
        moduleCapability: false,
        clientCapability: (settings) => typeof settings.analyticsEndpoint === 'string',
        push: async () => {
          throw new ProviderError('analytics endpoint answered 503', 'transient', 503);
        },
      },
      calls,
      created,
    ),
    lever: fakeModule('lever', { moduleCapability: false, push: async () => ({ ok: true }) }, calls, created),
    ashby: fakeModule('ashby', { moduleCapability: true, push: async () => ({ ok: true }) }, calls, created),
  };
  deps = {
    sql: db.app,
    objects: store,
    secrets: new MemorySecretStore({
      shared: new Map(
        Object.keys(integrationIds).map((key) => [`providers/${key}`, { apiKey: `key-${key}` }]),
      ),
    }),
    providerModule: (name) => modules[name],
    clock,
  };
});

afterAll(async () => {
  await db?.close();
});

const keysOf = (org: string, date = '2024-03-31') =>
  ['funnel.csv', 'funnel.json', 'report.html'].map((f) => `exports/${org}/${date}/${f}`);

describe('scheduled export of the default period (30 days ending yesterday)', () => {
  let summary: AnalyticsExportSummary;
  beforeAll(async () => {
    summary = await runAnalyticsExport(deps, { task: 'daily-export' });
  });

  it('exports every organization for 2024-03-02 … 2024-03-31', () => {
    expect(summary.periodFrom).toBe('2024-03-02');
    expect(summary.periodTo).toBe('2024-03-31');
    const byOrg = Object.fromEntries(summary.organizations.map((o) => [o.organizationId, o]));
    expect(byOrg[seed.orgA]?.status).toBe('partial');
    expect(byOrg[seed.orgB]?.status).toBe('succeeded');
    expect(byOrg[seed.orgA]?.objects).toEqual([
      `exports/${seed.orgA}/2024-03-31/funnel.json`,
      `exports/${seed.orgA}/2024-03-31/funnel.csv`,
      `exports/${seed.orgA}/2024-03-31/report.html`,
    ]);
  });

  it('funnel.json is exactly computeFunnel for the period', async () => {
    const json = JSON.parse(store.text(`exports/${seed.orgA}/2024-03-31/funnel.json`)!);
    const expected = await withTenant(db.app, seed.orgA, 'worker', (tx) =>
      computeFunnel(
        tx,
        {
          organizationId: seed.orgA,
          from: new Date('2024-03-02T00:00:00Z'),
          to: new Date('2024-04-01T00:00:00Z'),
          portalOnly: false,
        },
        NOW,
      ),
    );
    expect(json).toEqual(expected);
    // a1 (created 1 March) is outside; a2..a7, b1..b3 are in
    expect(json.totals.applications).toBe(9);
    expect(store.objects.get(`exports/${seed.orgA}/2024-03-31/funnel.json`)?.contentType).toBe(
      'application/json',
    );
  });

  it('funnel.csv parses into one rectangular table', () => {
    const rows = parseCsv(store.text(`exports/${seed.orgA}/2024-03-31/funnel.csv`)!);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const json = JSON.parse(store.text(`exports/${seed.orgA}/2024-03-31/funnel.json`)!);
    const stageRows = rows.filter((r) => r[0] === 'stage');
    expect(stageRows.map((r) => r[1])).toEqual(json.stages.map((s: { name: string }) => s.name));
    const totals = rows.find((r) => r[0] === 'totals');
    expect(totals?.slice(0, 12)).toEqual(['totals', 'all', '', '', '', '', '', '9', '5', '1', '2', '1']);
    expect(rows.filter((r) => r[0] === 'source').map((r) => [r[1], r[7], r[9]])).toEqual([
      ['portal', '6', '1'],
      ['greenhouse', '2', '0'],
      ['lever', '1', '0'],
    ]);
  });

  it('report.html is self-contained, structured and free of personal data', () => {
    const html = store.text(`exports/${seed.orgA}/2024-03-31/report.html`)!;
    const json = JSON.parse(store.text(`exports/${seed.orgA}/2024-03-31/funnel.json`)!);
    expect(reportProblems(html, json)).toEqual([]);
    expect(XMLValidator.validate(html.replace(/^<!DOCTYPE html>\s*/, ''))).toBe(true);
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/href\s*=\s*["']?\s*(https?:|\/\/)/i);
    expect(html).not.toMatch(/@import|url\(/i);
    const funnelSvgs = html.match(/<svg[^>]*data-chart="funnel"[\s\S]*?<\/svg>/g) ?? [];
    expect(funnelSvgs).toHaveLength(1);
    const bars = funnelSvgs[0]!.match(/<rect class="bar funnel"/g) ?? [];
    expect(bars).toHaveLength(json.stages.length);
    expect(funnelSvgs[0]).toMatch(/<title id="funnel-title">/);
    expect(funnelSvgs[0]).toMatch(/<desc id="funnel-desc">/);
    expect(html).toContain('Acme &lt;Recruiting&gt; &amp; Co');
    for (const value of seed.personalData) expect(html).not.toContain(value);
    for (const key of keysOf(seed.orgA)) {
      for (const value of seed.personalData) expect(store.text(key)).not.toContain(value);
    }
  });

  it('pushes to integrations that accept analytics and records each result', async () => {
    // greenhouse (module capability) and workday with an endpoint; not lever, not the disabled ashby,
    // not the workday integration without an endpoint
    expect(calls.map((c) => c.provider).sort()).toEqual(['greenhouse', 'greenhouse', 'workday']);
    expect(created).not.toContain('lever');
    expect(created).not.toContain('ashby');
    const workday = calls.find((c) => c.provider === 'workday')!;
    expect(workday.credentials).toEqual({ apiKey: 'key-workdayA' });
    expect(workday.settings.analyticsEndpoint).toBe('https://wd.example/analytics');
    const json = JSON.parse(store.text(`exports/${seed.orgA}/2024-03-31/funnel.json`)!);
    expect(workday.payload).toEqual({
      organizationId: seed.orgA,
      periodFrom: '2024-03-02',
      periodTo: '2024-03-31',
      metrics: json,
    });

    const [row] = await db.owner<
      { status: string; s3_prefix: string; push_results: unknown; objects: unknown }[]
    >`
      select status, s3_prefix, push_results, objects from analytics_exports
      where organization_id = ${seed.orgA} and period_from = '2024-03-02' and period_to = '2024-03-31'`;
    expect(row?.status).toBe('partial');
    expect(row?.s3_prefix).toBe(`exports/${seed.orgA}/2024-03-31/`);
    expect(row?.push_results).toEqual([
      {
        integrationId: integrationIds.greenhouseA,
        provider: 'greenhouse',
        status: 'succeeded',
        attemptedAt: NOW.toISOString(),
      },
      {
        integrationId: integrationIds.workdayA,
        provider: 'workday',
        status: 'failed',
        reason: 'transient',
        message: 'ProviderError: analytics endpoint answered 503',
        attemptedAt: NOW.toISOString(),
      },
    ]);
    expect(((row?.objects ?? []) as { key: string }[]).map((o) => o.key)).toEqual([
      `exports/${seed.orgA}/2024-03-31/funnel.json`,
      `exports/${seed.orgA}/2024-03-31/funnel.csv`,
      `exports/${seed.orgA}/2024-03-31/report.html`,
    ]);
  });

  it('writes the outbox event in the same transaction as the export row', async () => {
    const rows = await db.owner<
      {
        event_type: string;
        aggregate_type: string;
        aggregate_id: string;
        payload: Record<string, unknown>;
        same_tx: boolean;
        export_id: string;
      }[]
    >`
      select o.event_type, o.aggregate_type, o.aggregate_id, o.payload, e.id as export_id,
        -- now() is the transaction's start time: equal timestamps mean one transaction
        o.created_at = e.updated_at as same_tx
      from outbox o
      join analytics_exports e on e.organization_id = o.organization_id and e.id = (o.payload->>'exportId')::uuid
      where o.organization_id = ${seed.orgA} and o.event_type like 'analytics.%'`;
    expect(rows).toHaveLength(1);
    const [event] = rows;
    expect(event?.event_type).toBe('analytics.exported');
    expect(event?.aggregate_type).toBe('organization');
    expect(event?.aggregate_id).toBe(seed.orgA);
    expect(event?.same_tx).toBe(true);
    expect(event?.payload).toMatchObject({
      organizationId: seed.orgA,
      periodFrom: '2024-03-02',
      periodTo: '2024-03-31',
      status: 'partial',
      prefix: `exports/${seed.orgA}/2024-03-31/`,
      objects: [
        `exports/${seed.orgA}/2024-03-31/funnel.json`,
        `exports/${seed.orgA}/2024-03-31/funnel.csv`,
        `exports/${seed.orgA}/2024-03-31/report.html`,
      ],
      pushes: { attempted: 2, succeeded: 1, failed: 1 },
      exportId: event?.export_id,
    });
    const text = JSON.stringify(event?.payload);
    for (const value of seed.personalData) expect(text).not.toContain(value);
  });

  it('a re-run of the same period overwrites the same keys and updates the same row', async () => {
    const before = await db.owner<{ id: string; organization_id: string }[]>`
      select id, organization_id from analytics_exports where period_to = '2024-03-31' order by organization_id`;
    const putsBefore = store.puts.length;
    await runAnalyticsExport(deps, { task: 'daily-export' });
    const after = await db.owner<{ id: string; organization_id: string }[]>`
      select id, organization_id from analytics_exports where period_to = '2024-03-31' order by organization_id`;
    expect(after).toEqual(before);
    expect(after).toHaveLength(2);
    expect(store.puts.length - putsBefore).toBe(6); // three keys per organization, rewritten
    expect(await store.list(`exports/${seed.orgA}/`)).toEqual(keysOf(seed.orgA));
    expect(await store.list(`exports/${seed.orgB}/`)).toEqual(keysOf(seed.orgB));
    // every run announces itself: one event per run, all pointing at the one row
    const [events] = await db.owner<{ n: number; rows: number }[]>`
      select count(*)::int as n, count(distinct payload->>'exportId')::int as rows
      from outbox where organization_id = ${seed.orgA} and event_type = 'analytics.exported'`;
    expect(events).toEqual({ n: 2, rows: 1 });
  });
});

describe('other periods and failures', () => {
  it('an operator backfill gets its own sub-folder and row', async () => {
    const summary = await runAnalyticsExport(deps, {
      task: 'daily-export',
      organizationId: seed.orgA,
      from: '2024-03-01',
      to: '2024-03-31',
    });
    expect(summary.organizations).toHaveLength(1);
    const prefix = `exports/${seed.orgA}/2024-03-31/from-2024-03-01/`;
    expect(summary.organizations[0]?.prefix).toBe(prefix);
    expect(await store.list(prefix)).toEqual(
      ['funnel.csv', 'funnel.json', 'report.html'].map((f) => prefix + f),
    );
    expect(JSON.parse(store.text(`${prefix}funnel.json`)!).totals.applications).toBe(10);
    const [row] = await db.owner<{ n: number }[]>`
      select count(*)::int as n from analytics_exports where organization_id = ${seed.orgA} and period_from = '2024-03-01'`;
    expect(row?.n).toBe(1);
  });

  it('an unknown organization is NOT_FOUND', async () => {
    await expect(
      runAnalyticsExport(deps, { task: 'daily-export', organizationId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a storage failure is recorded as failed with an export_failed event; other organizations still export', async () => {
    store.failPut = (key) =>
      key.startsWith(`exports/${seed.orgB}/2024-03-15/`) && key.endsWith('report.html');
    try {
      const error = await runAnalyticsExport(deps, { task: 'daily-export', to: '2024-03-15' }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AnalyticsExportIncompleteError);
      const summary = (error as AnalyticsExportIncompleteError).summary;
      expect(summary.counts).toEqual({ succeeded: 0, partial: 1, failed: 1 });
      const b = summary.organizations.find((o) => o.organizationId === seed.orgB)!;
      expect(b.status).toBe('failed');
      expect(b.error).toContain('simulated put failure');
      const [row] = await db.owner<{ status: string; error: string; event_type: string }[]>`
        select e.status, e.error, o.event_type from analytics_exports e
        join outbox o on o.organization_id = e.organization_id and (o.payload->>'exportId')::uuid = e.id
        where e.organization_id = ${seed.orgB} and e.period_to = '2024-03-15'`;
      expect(row).toMatchObject({ status: 'failed', event_type: 'analytics.export_failed' });
      expect(row?.error).toContain('simulated put failure');
    } finally {
      store.failPut = undefined;
    }
  });

  it('when the outbox write fails, the export row is not written either', async () => {
    await db.owner.unsafe(`
      create function reject_analytics_outbox() returns trigger language plpgsql as $$
      begin
        if new.event_type like 'analytics.%' and new.payload->>'periodTo' = '2024-02-29' then
          raise exception 'outbox unavailable';
        end if;
        return new;
      end $$;
      create trigger reject_analytics_outbox before insert on outbox
        for each row execute function reject_analytics_outbox();`);
    try {
      const error = await runAnalyticsExport(deps, {
        task: 'daily-export',
        organizationId: seed.orgB,
        to: '2024-02-29',
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AnalyticsExportIncompleteError);
      const [row] = await db.owner<{ n: number }[]>`
        select count(*)::int as n from analytics_exports where organization_id = ${seed.orgB} and period_to = '2024-02-29'`;
      expect(row?.n).toBe(0);
    } finally {
      await db.owner.unsafe(
        'drop trigger reject_analytics_outbox on outbox; drop function reject_analytics_outbox();',
      );
    }
  });
});
