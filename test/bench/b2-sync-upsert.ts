// Over 400 lines: one benchmark: the hub run, both references, the no-op pass and the page-time breakdown share one seeded world.
/**
 * B2: sync upsert vs raw SQL through psql (docs/performance.md §7.2).
 *
 * World: the Greenhouse fake (no added latency, no rate limit; the integration's own pacing raised out of the
 * way) with N candidates (each with one application) on J jobs. Pass 0 imports everything; then half the
 * candidates are deleted (with their applications and refs) and the other half altered (older version,
 * other first name), and that state S0 becomes a template: every run starts from a clone of it.
 * Hub: the sync-worker handler on SQS events, full run at 500 per page (100 per page printed), rows/s end
 * to end (fetch, parse, map, upsert, checkpoint). Pass 2 re-sends the same data: updated or dead tuples
 * counted by row version (xmin) and pg_stat_user_tables, on the core tables and the full ATS record's.
 * Reference B (same-shape SQL): the hub's own page upserts (captured from postgres.js in a capture run),
 * prepared once, each page EXECUTEd in its own transaction by `psql -f`.
 * Reference A (COPY + merge): the same page rows as TSV, `COPY` into an unlogged staging table, then the
 * same merge reading the staging table instead of `unnest`, one transaction per page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import type { GreenhouseFake } from '../fakes/greenhouse/index.js';
import { postmasterBehind } from './cpu-account.js';
import { type BenchResult, ceilingResult, interleave, log, pairedResult, side } from './harness.js';
import { applyEnvironment, lambdaEnvironment } from './lambda-env.js';
import { measurePageTime, pageTimeLines, serverPhase } from './page-time.js';
import { type CapturedStatement, capturingClient, textOf } from './pgbench.js';
import { adminClient, createBenchDatabase, libpqArgs, toolOrThrow, withDatabase } from './postgres.js';
import { entityCounts, rowVersions, tupleStats } from './row-counts.js';
import type { BenchContext } from './run.js';
import { statementLines } from './statement-stats.js';
import {
  runSyncThroughHandler,
  type SyncRunOutcome,
  type SyncSetup,
  seedGreenhouseIntegration,
  startGreenhouseFake,
} from './sync-world.js';

/** The page statements that write the synced entities: the core ones and the full ATS record's (B2 and B8 replay them). */
const UPSERT =
  /insert into (candidates|applications|jobs|rejection_reasons|interviews|scorecards|offers|notes|tags|candidate_attachments)\b/;

export interface SyncWorld {
  label: string;
  serverUrl: string;
  fake: GreenhouseFake;
  setup: SyncSetup;
  /** Template database holding S0. */
  s0: string;
  candidates: number;
  /** Captured page upserts of a 500-per-page run from S0 (reference input). */
  upserts: CapturedStatement[];
  /** Records a run from S0 processes. */
  records: number;
  stop(): Promise<void>;
}

function settings(fake: GreenhouseFake, perPage: number) {
  // the integration's own pacing (4.9 requests/s for Greenhouse) raised: B2 measures the write path
  return {
    baseUrl: fake.url,
    authUrl: fake.authUrl,
    requestTimeoutMs: 30_000,
    perPage,
    rateLimit: { requestsPerSecond: 1000, burst: 1000 },
  };
}

export async function setPerPage(owner: Sql, world: Pick<SyncWorld, 'fake' | 'setup'>, perPage: number) {
  await owner`update integrations set settings = ${owner.json(settings(world.fake, perPage) as never)}
    where id = ${world.setup.integrationId}`;
}

/** A database cloned from S0; `drop()` removes it. */
export async function cloneS0(world: SyncWorld, tag: string) {
  const name = `${world.s0.replace(/_s0$/, '')}_${tag}_${Math.random().toString(36).slice(2, 7)}`;
  const admin = adminClient(world.serverUrl);
  await admin.unsafe(`create database ${name} template ${world.s0}`);
  const ownerUrl = withDatabase(world.serverUrl, name);
  const appUrl = new URL(ownerUrl);
  appUrl.username = 'hub_app';
  const owner = createDbClient({ url: ownerUrl, max: 1, application: 'bench-owner' });
  return {
    name,
    ownerUrl,
    appUrl: appUrl.toString(),
    owner,
    async drop() {
      await owner.end({ timeout: 1 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}

/** Builds the world: fake, pass 0, S0 template, and one captured run for the references. */
export async function buildSyncWorld(
  ctx: BenchContext,
  label: string,
  candidates: number,
): Promise<SyncWorld> {
  const fake = await startGreenhouseFake({
    candidates,
    jobs: Math.max(5, Math.round(candidates / 500)),
    rateLimit: false,
  });
  const db = await createBenchDatabase(ctx.serverUrl, ctx.template, label);
  const setup = await seedGreenhouseIntegration(db.owner, fake, label, 500);
  await setPerPage(db.owner, { fake, setup }, 500);
  const app = createDbClient({ url: db.appUrl, max: 1, prepare: false, application: 'bench-sync' });
  const t0 = performance.now();
  const pass0 = await runSyncThroughHandler({
    app,
    owner: db.owner,
    setup,
    credentials: fake.credentials,
    mode: 'full',
  });
  if (pass0.status !== 'succeeded') throw new Error(`${label} pass 0 ended ${pass0.status}`);
  log(
    `${label}: pass 0 imported ${pass0.processed} records in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await app.end({ timeout: 1 });
  // S0: half the candidates gone (with applications and refs), the other half an older, different version
  await db.owner.begin(async (tx) => {
    await tx`delete from candidates where organization_id = ${setup.organizationId} and (hashtext(id::text) & 1) = 0`;
    await tx`delete from external_refs r where r.integration_id = ${setup.integrationId}
      and ((r.object_type = 'candidate' and not exists (select 1 from candidates c where c.id = r.local_id))
        or (r.object_type = 'application' and not exists (select 1 from applications a where a.id = r.local_id)))`;
    await tx`update candidates set first_name = first_name || ' (old)',
        source_updated_at = coalesce(source_updated_at, now()) - interval '30 days'
      where organization_id = ${setup.organizationId}`;
  });
  await db.owner`vacuum analyze`;
  await db.owner.end({ timeout: 1 });
  const s0 = `${db.name}_s0`;
  const admin = adminClient(ctx.serverUrl);
  await admin.unsafe(
    `select pg_terminate_backend(pid) from pg_stat_activity where datname = '${db.name}' and pid <> pg_backend_pid()`,
  );
  await admin.unsafe(`create database ${s0} template ${db.name}`);
  await admin.unsafe(`drop database ${db.name} with (force)`);
  await admin.end({ timeout: 1 });
  const world: SyncWorld = {
    label,
    serverUrl: ctx.serverUrl,
    fake,
    setup,
    s0,
    candidates,
    upserts: [],
    records: 0,
    async stop() {
      await fake.stop();
      const a = adminClient(ctx.serverUrl);
      await a.unsafe(`drop database if exists ${s0} with (force)`);
      await a.end({ timeout: 1 });
    },
  };
  // capture what a run from S0 writes
  const clone = await cloneS0(world, 'capture');
  try {
    const capture = capturingClient(clone.appUrl);
    const run = await runSyncThroughHandler({
      app: capture.sql,
      owner: clone.owner,
      setup,
      credentials: fake.credentials,
      mode: 'full',
    });
    world.upserts = capture.take().filter((s) => UPSERT.test(s.text));
    world.records = run.processed;
    await capture.sql.end({ timeout: 1 });
  } finally {
    await clone.drop();
  }
  return world;
}

/** A full run from S0 through the handler on `app`; throws unless it succeeded. */
async function syncWith(world: SyncWorld, db: { owner: Sql }, app: Sql): Promise<SyncRunOutcome> {
  const run = await runSyncThroughHandler({
    app,
    owner: db.owner,
    setup: world.setup,
    credentials: world.fake.credentials,
    mode: 'full',
  });
  if (run.status !== 'succeeded') throw new Error(`sync ended ${run.status}`);
  return run;
}

/** One hub run (sync-worker handler, production `max: 1, prepare: false`) on a database. */
export async function hubSync(
  world: SyncWorld,
  db: { appUrl: string; owner: Sql },
  perPage = 500,
): Promise<SyncRunOutcome> {
  if (perPage !== 500) await setPerPage(db.owner, world, perPage);
  const app = createDbClient({ url: db.appUrl, max: 1, prepare: false, application: 'bench-sync' });
  try {
    return await syncWith(world, db, app);
  } finally {
    await app.end({ timeout: 1 });
  }
}

const literal = (v: unknown) =>
  v === null || v === undefined ? 'NULL' : `'${textOf(v).replace(/'/g, "''")}'`;

/**
 * Reference B: PREPARE each distinct upsert once, EXECUTE every page in its own transaction, as the runtime
 * role with the tenant settings the hub's page transaction carries.
 */
export function referenceBScript(upserts: CapturedStatement[], organizationId: string): string {
  const names = new Map<string, string>();
  const lines: string[] = [];
  const settings = `select set_config('app.organization_id', '${organizationId}', true), set_config('app.role', 'worker', true);`;
  for (const u of upserts) {
    let name = names.get(u.text);
    if (!name) {
      name = `upsert_${names.size + 1}`;
      names.set(u.text, name);
      lines.push(`prepare ${name} as ${u.text};`);
    }
    lines.push('begin;', settings, `execute ${name}(${u.params.map(literal).join(', ')});`, 'commit;');
  }
  return lines.join('\n');
}

const INPUT = /with input as \(\s*select \* from unnest\(([\s\S]*?)\)\s*as t\(([^)]*)\)\s*\)/;

const tsv = (v: unknown) =>
  v === null || v === undefined
    ? '\\N'
    : textOf(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

/**
 * Reference A: per page, COPY the rows into an unlogged staging table, then the same merge reading it,
 * in one transaction. Statements without the `input as (unnest …)` shape run as in reference B.
 */
export function referenceAScript(upserts: CapturedStatement[]): string {
  const lines: string[] = [];
  const staging = new Map<string, string>();
  for (const u of upserts) {
    const m = INPUT.exec(u.text);
    if (!m) {
      lines.push(
        'begin;',
        `${u.text.replace(/\$(\d+)/g, (_x, d: string) => literal(u.params[Number(d) - 1]))};`,
        'commit;',
      );
      continue;
    }
    const args = m[1]!.split(',').map((a) => a.trim());
    const columns = m[2]!.split(',').map((c) => c.trim());
    const indexes = args.map((a) => Number(/^\$(\d+)/.exec(a)?.[1]) - 1);
    const types = args.map((a) => {
      const casts = a.split('::').slice(1);
      return casts[casts.length - 1]!.replace(/\[\]$/, '');
    });
    const key = columns.join(',');
    let table = staging.get(key);
    if (!table) {
      table = `bench_stage_${staging.size + 1}`;
      staging.set(key, table);
      lines.push(
        `drop table if exists ${table};`,
        `create unlogged table ${table} (${columns.map((c, i) => `${c} ${types[i]}`).join(', ')});`,
      );
    }
    const arrays = indexes.map((i) => u.params[i] as unknown[]);
    const rows = arrays[0]?.length ?? 0;
    const merge = u.text
      .replace(INPUT, `with input as (select * from ${table})`)
      .replace(/\$(\d+)/g, (_x, d: string) => literal(u.params[Number(d) - 1]));
    lines.push('begin;', `copy ${table} (${columns.join(', ')}) from stdin;`);
    for (let r = 0; r < rows; r++) lines.push(arrays.map((a) => tsv(a[r])).join('\t'));
    lines.push('\\.', `${merge};`, `truncate ${table};`, 'commit;');
  }
  return lines.join('\n');
}

export async function psqlScript(url: string, script: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-psql-'));
  try {
    const file = join(dir, 'run.sql');
    writeFileSync(file, `\\set ON_ERROR_STOP on\n\\o /dev/null\n${script}\n`);
    const t0 = performance.now();
    await toolOrThrow('psql', ['-X', '-q', '-f', file, ...libpqArgs(url)]);
    return performance.now() - t0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `fn` on a fresh clone of S0, dropped afterwards. */
export const onCloneOf =
  (world: SyncWorld) =>
  async <T>(tag: string, fn: (db: Awaited<ReturnType<typeof cloneS0>>) => Promise<T>): Promise<T> => {
    const db = await cloneS0(world, tag);
    try {
      return await fn(db);
    } finally {
      await db.drop();
    }
  };

/**
 * One profiled hub run and one reference B run on clones of S0, measured by page-time.ts; printed, and returned
 * for bench-results.json. B8i calls it with its own world.
 */
export async function pageBreakdown(
  world: SyncWorld,
  onClone: <T>(tag: string, fn: (db: Awaited<ReturnType<typeof cloneS0>>) => Promise<T>) => Promise<T>,
  refB: string,
) {
  const label = world.label.toUpperCase();
  const hub = await onClone('pages', (db) => measurePageTime(db, (app) => syncWith(world, db, app)));
  const reference = await onClone('refpages', async (db) =>
    serverPhase(
      db,
      () => psqlScript(db.appUrl, refB),
      () => hub.pages,
      await postmasterBehind(db.owner),
    ),
  );
  for (const line of pageTimeLines(hub, reference.server, reference.value / hub.pages))
    log(`${label} page time: ${line}`);
  if (hub.stats)
    for (const line of statementLines(hub.stats, hub.pages, hub.wallMsPerPage * hub.pages))
      log(`${label} statements: ${line}`);
  const { stats: _stats, ...breakdown } = hub;
  return { hub: breakdown, reference: { ...reference.server, wallMsPerPage: reference.value / hub.pages } };
}

export async function runB2(ctx: BenchContext): Promise<BenchResult[]> {
  // docs/performance.md names 100k; the full run uses 6k to fit its budget (the hub's rate falls as N grows)
  const candidates = Number(process.env.BENCH_B2_CANDIDATES ?? (ctx.quick ? 600 : 6_000));
  const pairs = 5;
  const restoreEnv = applyEnvironment(lambdaEnvironment('sync-worker'));
  const world = await buildSyncWorld(ctx, 'b2', candidates);
  try {
    const refB = referenceBScript(world.upserts, world.setup.organizationId);
    const refA = referenceAScript(world.upserts);
    log(
      `B2: ${world.records} records per run, ${world.upserts.length} page upserts; N = ${candidates} candidates`,
    );
    const onClone = onCloneOf(world);
    const counts: Record<string, Record<string, number>> = {};
    const run = await interleave({
      pairs,
      reference: (pair) =>
        onClone('ref', async (db) => {
          const bMs = await psqlScript(db.appUrl, refB);
          if (pair === pairs) counts.referenceB = await entityCounts(db.owner);
          return { bMs };
        }).then(async (r) => ({
          ...r,
          aMs: await onClone('refa', async (db) => {
            const ms = await psqlScript(db.ownerUrl, refA);
            if (pair === pairs) counts.referenceA = await entityCounts(db.owner);
            return ms;
          }),
        })),
      candidate: (pair) =>
        onClone('hub', async (db) => {
          const r = await hubSync(world, db);
          if (pair === pairs) counts.hub = await entityCounts(db.owner);
          return r;
        }),
      progress: (line) => log(`B2: ${line}`),
    });
    // pass 2 (unchanged data) and the 100-per-page figure, on their own clones
    const noop = await onClone('noop', async (db) => {
      await hubSync(world, db);
      const versions = await rowVersions(db.owner);
      await new Promise((r) => setTimeout(r, 1_100));
      const stats0 = await tupleStats(db.owner);
      const second = await hubSync(world, db);
      await new Promise((r) => setTimeout(r, 1_100));
      const after = await rowVersions(db.owner);
      let changed = 0;
      const byTable: Record<string, number> = {};
      for (const [k, x] of after) {
        if (versions.get(k) === x) continue;
        changed += 1;
        const table = k.slice(0, k.indexOf(':'));
        byTable[table] = (byTable[table] ?? 0) + 1;
      }
      const statsDelta = (await tupleStats(db.owner)) - stats0;
      return {
        changed,
        byTable,
        statsDelta,
        rows: versions.size,
        ms: second.ms,
        processed: second.processed,
      };
    });
    const per100 = await onClone('p100', (db) => hubSync(world, db, 100));
    // where a page's time goes (a diagnostic run; the server parts need it to preload pg_stat_statements)
    const attribution = await pageBreakdown(world, onClone, refB);
    const rowsPerSec = (ms: number) => world.records / (ms / 1000);
    const hub = run.candidate.map((c) => c.processed / (c.ms / 1000));
    const refBRate = run.reference.map((r) => rowsPerSec(r.bMs));
    const refARate = run.reference.map((r) => rowsPerSec(r.aMs));
    const sameRows =
      JSON.stringify(counts.hub) === JSON.stringify(counts.referenceB) &&
      JSON.stringify(counts.hub) === JSON.stringify(counts.referenceA);
    const noopShare = noop.changed / noop.rows;
    const details = {
      candidates,
      records: world.records,
      pageUpserts: world.upserts.length,
      rowCounts: counts,
      sameRowCounts: sameRows,
      per100RowsPerSecond: per100.processed / (per100.ms / 1000),
      hubInvocations: run.candidate.map((c) => c.invocations),
      attribution,
    };
    const hubSide = side('sync-worker handler, 500/page, rows/s', 'rows/s', hub, details);
    return [
      pairedResult({
        name: 'B2b',
        title: `sync upsert rows/s vs psql same-shape unnest upsert (${world.records} records/run; 100/page: ${details.per100RowsPerSecond.toFixed(0)} rows/s; identical rows: ${sameRows ? 'yes' : 'NO'})`,
        reference: side('psql -f: prepared unnest upsert, one transaction per page', 'rows/s', refBRate),
        candidate: hubSide,
        target: { op: '≥', value: 0.9 },
        alsoRequired: [{ text: 'identical row counts', ok: sameRows }],
      }),
      pairedResult({
        name: 'B2a',
        title: 'sync upsert rows/s vs psql COPY into staging + merge (physical best)',
        reference: side(
          'psql -f: COPY + INSERT … SELECT … ON CONFLICT, one transaction per page',
          'rows/s',
          refARate,
        ),
        candidate: hubSide,
        target: { op: '≥', value: 0.5 },
      }),
      ceilingResult({
        name: 'B2-noop',
        title: `no-op second pass: ${noop.changed} of ${noop.rows} rows got a new version ${JSON.stringify(noop.byTable)} (pg_stat Δ upd+dead ${noop.statsDelta}); pass-2 ${(noop.processed / (noop.ms / 1000)).toFixed(0)} rows/s`,
        label: 'rows with a new version ÷ rows',
        unit: 'share',
        value: noopShare,
        ceiling: 0.01,
        ceilingLabel: 'target share of rows written',
        details: noop,
      }),
    ];
  } finally {
    restoreEnv();
    await world.stop();
  }
}
