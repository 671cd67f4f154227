/**
 * B4: analytics export vs the same SQL in psql (docs/performance.md §7.2).
 *
 * Data: one employer with the extended funnel's record (b4-seed.ts: 1M applications, 200k candidates, 2k jobs of
 * 8 stages, 2 years of stage changes, interviews, offers, rejection reasons, 12 agencies submitting 30 % of the
 * candidates), divided by BENCH_B4_SCALE (1 in a full run, 50 in quick), then VACUUM ANALYZE.
 * Reference: the statements the export sends up to its object writes (captured from postgres.js: the
 * organizations lookup and the tenant transaction with the funnel and the integrations query), run by psql
 * with `\timing on` and output discarded; EXPLAIN (ANALYZE, BUFFERS) of the funnel is recorded.
 * Hub: the analytics-export handler on a synthetic Scheduler event (the whole 2-year period), production
 * `max: 1, prepare: false`, an in-memory object store and no provider pushes; timed from invoke until the
 * last PutObject has its complete body. Rows DB → Node are counted on the wire (DataRow messages).
 * Memory: the handler alone in a fresh process (b4-memory-probe.ts), at the scale and on a second database
 * seeded at a tenth of it, so "bounded whatever the data size" is two figures side by side.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resetEnvCache } from '../../shared/config/env.js';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import { overrideAdapters } from '../../shared/runtime/adapters.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { countingSecretsStore } from './aws-stub.js';
import { B4_AGENCIES, B4_FROM, B4_TO, b4Sizes, seedB4Funnel } from './b4-seed.js';
import { lambdaContext } from './events.js';
import { type BenchResult, interleave, log, median, muteStdout, pairedResult, side } from './harness.js';
import { applyEnvironment, lambdaEnvironment } from './lambda-env.js';
import { startCountingProxy } from './pg-proxy.js';
import { type CapturedStatement, capturingClient, textOf } from './pgbench.js';
import { createBenchDatabase, libpqArgs, REPO_ROOT, runProcess, toolOrThrow } from './postgres.js';
import type { BenchContext } from './run.js';
import { md5Uuid } from './seed.js';

const FN = 'analytics-export';
const FROM = B4_FROM;
const TO = B4_TO;

/** Peak memory of the handler in a process of its own (b4-memory-probe.ts) against one seeded database. */
async function probeMemory(appUrl: string, event: unknown): Promise<ProbeResult> {
  const env = {
    ...process.env,
    ...lambdaEnvironment(FN, { DATABASE_APP_URL: appUrl }),
    B4_PROBE_EVENT: JSON.stringify(event),
    B4_PROBE_RUNS: '3',
  };
  const probe = join(REPO_ROOT, 'test/bench/b4-memory-probe.ts');
  const run = await runProcess(process.execPath, ['--expose-gc', '--import', 'tsx', probe], {
    cwd: REPO_ROOT,
    env,
  });
  if (run.code !== 0) throw new Error(`memory probe failed (${run.code}): ${run.stderr.slice(-2000)}`);
  const line = run.stdout.split('\n').find((l) => l.startsWith('B4PROBE '));
  if (!line) throw new Error('memory probe printed no result');
  return JSON.parse(line.slice('B4PROBE '.length)) as ProbeResult;
}

interface ProbeResult {
  maxRssMb: number;
  baselineRssMb: number;
  baselineHeapMb: number;
  invokeRssGrowthMb: number;
  invokeHeapGrowthMb: number;
  outputBytes: number;
}

/** A database seeded at `scale` (1 = 1M applications), with its row counts. */
async function seededDatabase(ctx: BenchContext, organizationId: string, scale: number, label: string) {
  const db = await createBenchDatabase(ctx.serverUrl, ctx.template, label);
  const t0 = performance.now();
  await seedB4Funnel(db.owner, organizationId, b4Sizes(scale));
  const [counts] = await db.owner<SeedCounts[]>`
    select (select count(*) from applications)::int as apps,
      (select count(*) from applications where submitting_organization_id <> organization_id)::int as "agencyApps",
      (select count(*) from application_stage_history)::int as history,
      (select count(*) from interviews)::int as interviews,
      (select count(*) from offers)::int as offers,
      (select count(*) from applications where rejection_reason_id is not null)::int as "withReason"`;
  log(
    `B4: seeded (scale ${scale}) ${counts!.apps} applications (${counts!.agencyApps} from ${B4_AGENCIES} agencies), ` +
      `${counts!.history} history rows, ${counts!.interviews} interviews, ${counts!.offers} offers, ` +
      `${counts!.withReason} rejection reasons in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  return { db, counts: counts! };
}

interface SeedCounts {
  apps: number;
  agencyApps: number;
  history: number;
  interviews: number;
  offers: number;
  withReason: number;
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
  // full: the 1M applications the extended funnel is held to (BENCH_B4_SCALE=2 halves it); memory is probed at a tenth as well
  const scale = ctx.quick ? 50 : Number(process.env.BENCH_B4_SCALE ?? 1);
  const smallScale = scale * 10;
  const pairs = 5;
  const organizationId = md5Uuid('b4-org');
  const { db, counts } = await seededDatabase(ctx, organizationId, scale, 'b4');
  const proxy = await startCountingProxy(db.ownerUrl);
  const restoreEnv = applyEnvironment(lambdaEnvironment(FN, { DATABASE_APP_URL: db.appUrl }));
  resetEnvCache();
  const dir = mkdtempSync(join(tmpdir(), 'bench-b4-'));
  let pool: Sql | undefined;
  try {
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
    log(`B4: reference = ${beforePuts.length} statements; funnel plan: ${plan.slice(-3).join(' | ')}`);

    // hub: production settings, counted on the wire
    pool = createDbClient({
      url: proxy.urlFor(db.appUrl),
      max: 1,
      prepare: false,
      application: 'bench-analytics',
      // one connection for all pairs, as a warm environment keeps it: at 1M a psql run outlasts the 20 s idle
      // timeout, and each reconnect's driver type lookup (~330 rows, once per connection) was counted as export rows
      idleTimeoutSeconds: 3600,
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
    // memory: the handler alone in a fresh process, at this scale and at a tenth of it
    const memory = await probeMemory(db.appUrl, event);
    const small = await seededDatabase(ctx, organizationId, smallScale, 'b4_small');
    const smallMemory = await probeMemory(small.db.appUrl, event).finally(() => small.db.drop());
    const memoryText = (m: ProbeResult, apps: number) =>
      `${apps} applications: max RSS ${m.maxRssMb.toFixed(0)} MB, per invocation RSS +${m.invokeRssGrowthMb.toFixed(1)} MB, heap +${m.invokeHeapGrowthMb.toFixed(1)} MB, output ${(m.outputBytes / 1024).toFixed(0)} KiB`;
    log(`B4: memory ${memoryText(smallMemory, small.counts.apps)}`);
    log(`B4: memory ${memoryText(memory, counts.apps)}`);
    const refMs = run.reference.map((r) => r.totalMs);
    const hubMs = run.candidate.map((c) => c.ms);
    const last = run.candidate[run.candidate.length - 1]!;
    const rowsRatio = last.rowsIntoNode / last.outputRows;
    const projected10x = (median(hubMs) * 10) / 1000;
    return [
      pairedResult({
        name: 'B4',
        title: `analytics export vs psql, same SQL (${counts.apps} applications, ${counts.interviews} interviews, ${counts.offers} offers; rows into Node ${last.rowsIntoNode} ÷ rows in export ${last.outputRows} = ${rowsRatio.toFixed(2)}; max RSS ${smallMemory.maxRssMb.toFixed(0)} MB at ${small.counts.apps} applications, ${memory.maxRssMb.toFixed(0)} MB at ${counts.apps}; 10× data ≈ ${projected10x.toFixed(0)} s of 900 s)`,
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
          data: counts,
          memory: { [counts.apps]: memory, [small.counts.apps]: smallMemory },
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
