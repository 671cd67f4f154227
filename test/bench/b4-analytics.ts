/**
 * B4: analytics export vs the same SQL in psql (docs/performance.md §7.2).
 *
 * Data: one organization with a deterministic funnel (1M applications, 200k candidates, 2k jobs of 8 stages,
 * 2 years of stage changes, divided by BENCH_B4_SCALE: 2 in a full run, 50 in quick), then VACUUM ANALYZE.
 * Reference: the statements the export sends up to its object writes (captured from postgres.js: the
 * organizations lookup and the tenant transaction with the funnel and the integrations query), run by psql
 * with `\timing on` and output discarded; EXPLAIN (ANALYZE, BUFFERS) of the funnel is recorded.
 * Hub: the analytics-export handler on a synthetic Scheduler event (the whole 2-year period), production
 * `max: 1, prepare: false`, an in-memory object store and no provider pushes; timed from invoke until the
 * last PutObject has its complete body. Rows DB → Node are counted on the wire (DataRow messages).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resetEnvCache } from '../../shared/config/env.js';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import { buildJobStages } from '../../shared/domain/pipeline.js';
import { overrideAdapters } from '../../shared/runtime/adapters.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { countingSecretsStore } from './aws-stub.js';
import { lambdaContext } from './events.js';
import { type BenchResult, interleave, log, median, muteStdout, pairedResult, side } from './harness.js';
import { applyEnvironment, lambdaEnvironment } from './lambda-env.js';
import { startCountingProxy } from './pg-proxy.js';
import { type CapturedStatement, capturingClient, textOf } from './pgbench.js';
import { createBenchDatabase, libpqArgs, REPO_ROOT, toolOrThrow } from './postgres.js';
import type { BenchContext } from './run.js';
import { md5Uuid } from './seed.js';

const FN = 'analytics-export';
const FROM = '2024-01-01';
const TO = '2025-12-31';

interface Sizes {
  applications: number;
  candidates: number;
  jobs: number;
}

/** The funnel seed, written as the owner with FK triggers off (consistent by construction), deterministic. */
async function seedFunnel(owner: Sql, organizationId: string, sizes: Sizes): Promise<void> {
  const stages = buildJobStages(['Interview', 'Assessment', 'Reference']);
  if (stages.length !== 8) throw new Error('expected 8 stages');
  await owner.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    // with triggers off, the party columns their triggers fill (docs/parties.md) are written here
    await tx`select setseed(0.42)`;
    await tx`insert into organizations (id, name) values (${organizationId}, 'Bench analytics')`;
    await tx`
      insert into jobs (id, organization_id, title, employment_type, created_at)
      select md5('b4job' || j)::uuid, ${organizationId}, 'Job ' || j, 'full_time', ${FROM}::timestamptz
      from generate_series(0, ${sizes.jobs - 1}) j`;
    await tx`
      insert into job_stages (id, organization_id, job_id, name, position, kind, owner, fixed)
      select md5('b4job' || j || ':' || s.position)::uuid, ${organizationId}, md5('b4job' || j)::uuid,
        s.name, s.position::int, s.kind, s.owner, s.fixed::boolean
      from generate_series(0, ${sizes.jobs - 1}) j
      cross join unnest(${stages.map((s) => s.name)}::text[], ${stages.map((s) => String(s.position))}::text[],
        ${stages.map((s) => s.kind)}::text[], ${stages.map((s) => s.owner)}::text[],
        ${stages.map((s) => String(s.fixed))}::text[]) as s(name, position, kind, owner, fixed)`;
    await tx`
      insert into candidates (id, organization_id, submitting_organization_id, first_name, last_name, email, source,
        created_at)
      select md5('b4cand' || c)::uuid, ${organizationId}, ${organizationId}, 'First' || c, 'Last' || c,
        'cand' || c || '@bench.example', 'portal', ${FROM}::timestamptz
      from generate_series(0, ${sizes.candidates - 1}) c`;
    // depth = stages reached (1..8, funnel-shaped); hired at 8; otherwise 15 % rejected, 5 % withdrawn
    await tx`
      create temp table b4_apps on commit drop as
      select i, md5('b4app' || i)::uuid as id,
        md5('b4cand' || (i % ${sizes.candidates}))::uuid as candidate_id,
        ((i / ${sizes.candidates}) + i) % ${sizes.jobs} as job,
        ${FROM}::timestamptz + (i::float8 / ${sizes.applications}) * interval '700 days' as created_at,
        least(8, 1 + floor(-ln(1 - random() * 0.999) / 0.55))::int as depth,
        random() as fate,
        (array['portal', 'portal', 'portal', 'greenhouse', 'lever'])[1 + (i % 5)] as source
      from generate_series(0, ${sizes.applications - 1}) i`;
    await tx`
      insert into applications (id, organization_id, submitting_organization_id, candidate_email, candidate_id,
        job_id, stage_id, status, source, created_at, updated_at, stage_entered_at)
      select a.id, ${organizationId}, ${organizationId}, 'cand' || (a.i % ${sizes.candidates}) || '@bench.example',
        a.candidate_id, md5('b4job' || a.job)::uuid,
        md5('b4job' || a.job || ':' || (a.depth - 1))::uuid,
        case when a.depth = 8 then 'hired' when a.fate < 0.15 then 'rejected' when a.fate < 0.2 then 'withdrawn'
          else 'active' end,
        a.source, a.created_at, a.created_at, a.created_at
      from b4_apps a`;
    await tx`
      insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id,
        from_status, to_status, actor_role, actor, source, occurred_at)
      select ${organizationId}, a.id,
        case when k = 0 then null else md5('b4job' || a.job || ':' || (k - 1))::uuid end,
        md5('b4job' || a.job || ':' || k)::uuid,
        case when k = 0 then null else 'active' end,
        case when k = 7 then 'hired' else 'active' end,
        case when k < 3 then 'portal' else 'ats' end, 'bench', 'portal',
        a.created_at + k * interval '1 hour' * (24 + (i % 200))
      from b4_apps a cross join lateral generate_series(0, a.depth - 1) k`;
    await tx`
      insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id,
        from_status, to_status, actor_role, actor, source, occurred_at)
      select ${organizationId}, a.id, md5('b4job' || a.job || ':' || (a.depth - 1))::uuid,
        md5('b4job' || a.job || ':' || (a.depth - 1))::uuid, 'active',
        case when a.fate < 0.15 then 'rejected' else 'withdrawn' end, 'ats', 'bench', 'ats',
        a.created_at + a.depth * interval '1 hour' * (24 + (i % 200))
      from b4_apps a where a.depth < 8 and a.fate < 0.2`;
  });
  await owner.unsafe('vacuum analyze');
}

/** `$n` placeholders replaced by quoted literals of the captured values (untyped, like unknown-typed parameters). */
function inline(statement: CapturedStatement): string {
  return statement.text.replace(/\$(\d+)/g, (_m, d: string) => {
    const v = statement.params[Number(d) - 1];
    if (v === null || v === undefined) return 'NULL';
    return `'${textOf(v).replace(/'/g, "''")}'`;
  });
}

async function psqlRun(
  url: string,
  sqlText: string,
  dir: string,
): Promise<{ totalMs: number; statements: number[] }> {
  const file = join(dir, 'export.sql');
  writeFileSync(file, `\\set ON_ERROR_STOP on\n\\timing on\n\\o /dev/null\n${sqlText}\n`);
  const r = await toolOrThrow('psql', ['-X', '-q', '-f', file, ...libpqArgs(url)]);
  const statements = [...r.stdout.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
  return { totalMs: statements.reduce((a, b) => a + b, 0), statements };
}

export async function runB4(ctx: BenchContext): Promise<BenchResult[]> {
  // full: 500k applications by default (BENCH_B4_SCALE=1 for the 1M of docs/performance.md: ~5 minutes more)
  const scale = ctx.quick ? 50 : Number(process.env.BENCH_B4_SCALE ?? 2);
  const sizes: Sizes = { applications: 1_000_000 / scale, candidates: 200_000 / scale, jobs: 2_000 / scale };
  const pairs = 5;
  const db = await createBenchDatabase(ctx.serverUrl, ctx.template, 'b4');
  const proxy = await startCountingProxy(db.ownerUrl);
  const restoreEnv = applyEnvironment(lambdaEnvironment(FN, { DATABASE_APP_URL: db.appUrl }));
  resetEnvCache();
  const dir = mkdtempSync(join(tmpdir(), 'bench-b4-'));
  let pool: Sql | undefined;
  try {
    const organizationId = md5Uuid('b4-org');
    const t0 = performance.now();
    await seedFunnel(db.owner, organizationId, sizes);
    const [counts] = await db.owner<{ apps: number; history: number }[]>`
      select (select count(*) from applications)::int as apps, (select count(*) from application_stage_history)::int as history`;
    log(
      `B4: seeded ${counts!.apps} applications, ${counts!.history} history rows in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );

    const url = pathToFileURL(join(REPO_ROOT, `functions/${FN}/handler.ts`)).href;
    const { handler } = (await import(url)) as {
      handler: (event: unknown, context: unknown) => Promise<unknown>;
    };
    const secrets = countingSecretsStore({ values: new Map(), maxAgeSeconds: 900 });
    const event = { task: 'daily-export', organizationId, from: FROM, to: TO };

    // capture what the export sends (the same statements in every run)
    const capture = capturingClient(db.appUrl);
    overrideAdapters({ sql: capture.sql, objectStore: new MemoryObjectStore(), secrets: secrets.store });
    await muteStdout(() => handler(event, lambdaContext(FN, 300)));
    const captured = capture.take();
    await capture.sql.end({ timeout: 1 });
    // the statements before the object writes (the export record comes after); not the driver's type lookup
    const all = captured.filter((s) => !s.text.includes('pg_catalog.pg_type'));
    const beforePuts = all.filter((s) => !/insert into analytics_exports/.test(s.text));
    const referenceSql = beforePuts.map((s) => `${inline(s)};`).join('\n');
    const funnel = beforePuts.find((s) => s.text.includes('with apps as'));
    if (!funnel) throw new Error('the funnel statement was not captured');
    const explain = await db.owner.begin(async (tx) => {
      await tx.unsafe(
        `select set_config('app.organization_id', '${organizationId}', true), set_config('app.role', 'worker', true)`,
      );
      return tx.unsafe(`explain (analyze, buffers) ${inline(funnel)}`);
    });
    const plan = (explain as unknown as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']);
    log(`B4: reference = ${beforePuts.length} statements; funnel plan: ${plan.slice(-2).join(' | ')}`);

    // hub: production settings, counted on the wire
    pool = createDbClient({
      url: proxy.urlFor(db.appUrl),
      max: 1,
      prepare: false,
      application: 'bench-analytics',
    });
    const hubRun = async () => {
      const store = new MemoryObjectStore();
      let lastPut = 0;
      let bytes = 0;
      const put = store.put.bind(store);
      store.put = async (key, body, options) => {
        await put(key, body, options);
        bytes += Buffer.byteLength(body);
        lastPut = performance.now();
      };
      overrideAdapters({ sql: pool!, objectStore: store, secrets: secrets.store });
      const rows0 = proxy.rows();
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 5);
      const started = performance.now();
      await muteStdout(() => handler(event, lambdaContext(FN, 300)));
      const ended = performance.now();
      clearInterval(sampler);
      const csv = store.text([...store.objects.keys()].find((k) => k.endsWith('funnel.csv')) ?? '') ?? '';
      const outputRows = csv.split('\n').filter((l) => l.trim() !== '').length;
      return {
        ms: lastPut - started,
        invokeMs: ended - started,
        rowsIntoNode: proxy.rows() - rows0,
        outputRows,
        outputBytes: bytes,
        rssGrowthMb: (peak - rss0) / 1_048_576,
      };
    };
    const run = await interleave({
      pairs,
      reference: () => psqlRun(db.appUrl, referenceSql, dir),
      candidate: () => hubRun(),
      progress: (line) => log(`B4: ${line}`),
    });
    const refMs = run.reference.map((r) => r.totalMs);
    const hubMs = run.candidate.map((c) => c.ms);
    const last = run.candidate[run.candidate.length - 1]!;
    const rowsRatio = last.rowsIntoNode / last.outputRows;
    const projected10x = (median(hubMs) * 10) / 1000;
    return [
      pairedResult({
        name: 'B4',
        title: `analytics export vs psql, same SQL (${counts!.apps} applications; rows into Node ${last.rowsIntoNode} ÷ rows in export ${last.outputRows} = ${rowsRatio.toFixed(2)}; RSS +${last.rssGrowthMb.toFixed(1)} MB for ${(last.outputBytes / 1024).toFixed(0)} KiB output; 10× data ≈ ${projected10x.toFixed(0)} s of 900 s)`,
        reference: side('psql -f, \\timing, output discarded', 'ms', refMs, {
          best: Math.min(...refMs),
          statements: beforePuts.length,
          explainAnalyze: plan,
        }),
        candidate: side('analytics-export handler, invoke → last PutObject', 'ms', hubMs, {
          invokeMs: run.candidate.map((c) => c.invokeMs),
          rowsIntoNode: last.rowsIntoNode,
          outputRows: last.outputRows,
          rowsRatio,
          rssGrowthMb: run.candidate.map((c) => c.rssGrowthMb),
          outputBytes: last.outputBytes,
          projectedSecondsAt10x: projected10x,
          data: { ...sizes, historyRows: counts!.history },
        }),
        target: { op: '≤', value: 1.1 },
        alsoRequired: [{ text: 'rows into Node ÷ rows in export ≤ 1.0', ok: rowsRatio <= 1 }],
      }),
    ];
  } finally {
    overrideAdapters({});
    restoreEnv();
    resetEnvCache();
    await pool?.end({ timeout: 1 });
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}
