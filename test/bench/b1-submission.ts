/**
 * B1: portal submission vs pgbench running the identical SQL (docs/performance.md §7.2).
 *
 * Reference: pgbench (-M prepared -n -c 4 -j 1 -T s) with a script generated from the statements the
 * handler sends in steady state (captured from postgres.js, see pgbench.ts): the one `hub_submit_application`
 * call, then the outbox publish's transaction (BEGIN with the settings and the claim, the mark, COMMIT). The API
 * key and each job's owner are cached per environment, so steady-state requests do not send those lookups and
 * neither does the script. The outbox publish goes to a local SQS endpoint that accepts every message.
 * Hub: the bundled portal-submission handler (the CDK esbuild output), four fresh module instances = four
 * simulated execution environments with production settings (`max: 1`, `DATABASE_PREPARE=false` as behind
 * RDS Proxy), called directly with distinct synthetic API Gateway events by four async loops.
 * Score R1 = TPS(hub) ÷ TPS(pgbench) with default durability; diagnostic R1′ with synchronous_commit=off.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { overrideAdapters } from '../../shared/runtime/adapters.js';
import { startFakeAwsEndpointProcess } from './aws-stub.js';
import { cpuCeiling, describeSplit, medianAccount, percent, postmasterBehind } from './cpu-account.js';
import { profiled, profileReport } from './cpu-profile.js';
import { type HttpHandler, lambdaContext } from './events.js';
import {
  type BenchResult,
  interleave,
  log,
  measuredLoops,
  median,
  muteStdout,
  pairedResult,
  side,
} from './harness.js';
import { applyEnvironment } from './lambda-env.js';
import { startCountingProxy } from './pg-proxy.js';
import { buildPgbenchScript, capturingClient, type PgbenchScript, runPgbench } from './pgbench.js';
import { adminClient, type BenchDatabase, createBenchDatabase, REPO_ROOT, rowCounts } from './postgres.js';
import type { BenchContext } from './run.js';
import { accountedAndScheduled, describeFactors, describeSched, medianSched } from './sched-account.js';
import { jobIdSql, type SeededTenant, seedTenant } from './seed.js';
import { FN, hubEnvironments, submissionEnvironment, submissionEvent } from './submission-world.js';

const CLIENTS = 4;

/** A printed diagnostic ratio, or why there is none. */
export const diagnostic = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'not run in quick mode');

/** Captures what the handler sends for two steady-state submissions and turns it into a pgbench script. */
export async function captureSubmissionScript(
  db: BenchDatabase,
  tenant: SeededTenant,
): Promise<PgbenchScript & { statements: number }> {
  const capture = capturingClient(db.appUrl);
  overrideAdapters({ sql: capture.sql });
  try {
    const url = pathToFileURL(`${REPO_ROOT}functions/${FN}/handler.ts`).href;
    const { handler } = (await import(url)) as { handler: HttpHandler };
    const runs = [];
    // jobs 0, 1, 2, then 1 and 2 again: the first requests also resolved the API key and each job's owner (both
    // cached per environment), the last two are the steady state
    for (const [i, job] of [0, 1, 2, 1, 2].entries()) {
      const res = await handler(
        submissionEvent(tenant, `capture-${i}-${randomUUID().slice(0, 8)}`, job),
        lambdaContext(FN),
      );
      if (res.statusCode !== 201)
        throw new Error(`capture submission answered ${res.statusCode}: ${res.body}`);
      runs.push(capture.take());
    }
    const jobs = new Map(tenant.jobIds.map((id) => [id, jobIdSql(tenant.label, 'j')]));
    const script = buildPgbenchScript(runs[3]!, runs[4]!, {
      preamble: [`\\set j random(0, ${tenant.jobIds.length - 1})`],
      reference: (value) => jobs.get(value),
    });
    return { ...script, statements: runs[3]!.length };
  } finally {
    overrideAdapters({});
    await capture.sql.end({ timeout: 1 });
  }
}

/** A deterministic, roughly uniform job index per request. */
const spread = (loop: number, i: number) => ((loop + 1) * 2_654_435_761 + i * 40_503) % 4_294_967_296;

async function hubRun(
  handlers: HttpHandler[],
  tenant: SeededTenant,
  seconds: number,
  tag: string,
  postmaster: number | undefined,
) {
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  // how late a callback that became ready ran, because the thread was busy with another environment's work
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const {
    value: { value: run, profile },
    cpu: account,
    sched,
  } = await accountedAndScheduled(
    postmaster,
    () =>
      profiled(() =>
        measuredLoops(CLIENTS, seconds * 1000, 'hub submissions', async (loop, i) => {
          const res = await handlers[loop]!(
            submissionEvent(tenant, `${tag}-${loop}-${i}`, spread(loop, i)),
            lambdaContext(FN),
          );
          if (res.statusCode !== 201) throw new Error(`submission answered ${res.statusCode}: ${res.body}`);
        }),
      ),
    (r) => r.value.completed,
  );
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuBefore);
  // the share of the run this process's one thread was busy: near 1, the hub waits for its own CPU
  const eventLoopBusy = performance.eventLoopUtilization(eluBefore).utilization;
  if (profile)
    log(`B1 ${tag}: ${profileReport(profile, run.completed, `submission (${run.completed} submissions)`)}`);
  // this process's CPU per submission (handler, presigning, SQS client, postgres.js, and the load generator's
  // event building); the server's is not in it
  return {
    ...run,
    cpuMsPerSubmission: (cpu.user + cpu.system) / 1000 / run.completed,
    eventLoopBusy,
    account,
    sched,
    // ns → ms; the histogram's floor is its 1 ms sampling resolution's own timer
    loopDelayMeanMs: loopDelay.mean / 1e6,
  };
}

/**
 * Round trips to PostgreSQL per submission in steady state (warm connection, key and job caches), counted by a
 * TCP proxy in front of the database: `prepare: false` as in production, and `prepare: true`.
 */
async function roundTripsPerSubmission(db: BenchDatabase, tenant: SeededTenant, prepare: boolean) {
  const proxy = await startCountingProxy(db.appUrl);
  const restore = applyEnvironment({
    DATABASE_APP_URL: proxy.urlFor(db.appUrl),
    DATABASE_PREPARE: String(prepare),
  });
  try {
    const [handler] = await hubEnvironments(tenant, `rt-${prepare}-${randomUUID().slice(0, 8)}`, 1);
    const n = 50;
    const { value } = await muteStdout(async () => {
      const submit = async (tag: string, i: number) => {
        const res = await handler!(submissionEvent(tenant, `${tag}-${i}`, i), lambdaContext(FN));
        if (res.statusCode !== 201) throw new Error(`round-trip submission answered ${res.statusCode}`);
      };
      const tag = `rt-${prepare}-${randomUUID().slice(0, 8)}`;
      // one submission per job first: the job owners are cached from then on
      for (let i = 0; i < tenant.jobIds.length; i++) await submit(`${tag}-warm`, i);
      const before = proxy.roundTrips();
      for (let i = 0; i < n; i++) await submit(tag, i);
      return proxy.roundTrips() - before;
    });
    return value / n;
  } finally {
    restore();
    await proxy.stop();
  }
}

export async function runB1(ctx: BenchContext): Promise<BenchResult[]> {
  // pgbench -T per run: 6 s (docs/performance.md suggests 20 s; shortened so the full run fits its 20-minute budget)
  const mainSeconds = ctx.quick ? 1 : 6;
  const diagnosticSeconds = 4;
  const pairs = 5;
  const db = await createBenchDatabase(ctx.serverUrl, ctx.template, 'b1');
  const aws = await startFakeAwsEndpointProcess();
  const restoreEnv = applyEnvironment(submissionEnvironment(db.appUrl, aws.url));
  try {
    const tenant = await seedTenant(db.owner, { label: 'b1', jobs: 50 });
    // the server's CPU is read from /proc when it runs on this machine
    const postmaster = await postmasterBehind(db.owner);
    const script = await captureSubmissionScript(db, tenant);
    log(
      `B1: handler sends ${script.statements} statements per submission; pgbench script:\n${script.script}`,
    );
    const roundTrips = {
      prepareOff: await roundTripsPerSubmission(db, tenant, false),
      prepareOn: await roundTripsPerSubmission(db, tenant, true),
    };
    log(
      `B1: round trips per submission: ${roundTrips.prepareOff} (prepare off), ${roundTrips.prepareOn} (prepare on)`,
    );

    const measure = async (
      label: string,
      pairs: number,
      seconds: number,
      env: Record<string, string> = {},
    ) => {
      const nonce = randomUUID().slice(0, 8);
      // environment variables are read when an environment first runs: set them around the warm-up
      const restore = applyEnvironment(env);
      let handlers: HttpHandler[];
      try {
        handlers = await hubEnvironments(tenant, nonce);
      } finally {
        restore();
      }
      const applications = async () => (await rowCounts(db.owner, ['applications'])).applications!;
      const published = async () =>
        Number((await db.owner`select count(*)::int as n from outbox where published_at is not null`)[0]!.n);
      // every transaction must have written its application: a reference that silently did nothing
      // (say, a job id that does not exist) would look fast
      const checked = async <T extends { written: number }>(side: string, fn: () => Promise<T>) => {
        const before = await applications();
        const result = await fn();
        const rows = (await applications()) - before;
        if (rows !== result.written)
          throw new Error(`B1 ${side}: ${result.written} transactions but ${rows} applications`);
        return result;
      };
      const run = await interleave({
        pairs,
        reference: () =>
          checked('pgbench', async () => {
            const {
              value: r,
              cpu: account,
              sched,
            } = await accountedAndScheduled(
              postmaster,
              () => runPgbench({ url: db.appUrl, script, clients: CLIENTS, seconds }),
              (x) => x.transactions,
            );
            log(
              `B1 ${label} pgbench: ${((CLIENTS * 1000) / r.tps).toFixed(2)} ms per transaction and client; ${describeSched(sched, 'transaction')}`,
            );
            return { ...r, written: r.transactions, account, sched };
          }),
        candidate: (pair) =>
          checked('hub', async () => {
            const publishedBefore = await published();
            const r = await hubRun(handlers, tenant, seconds, `${label}-${nonce}-${pair}`, postmaster);
            log(
              `B1 ${label} hub: ${((CLIENTS * 1000) / r.tps).toFixed(2)} ms per submission and environment; ${describeSched(r.sched, 'submission')}; event loop delay mean ${r.loopDelayMeanMs.toFixed(2)} ms, thread busy ${percent(r.eventLoopBusy)}`,
            );
            // each submission publishes its outbox row at once: a failing SQS send (say, an endpoint the client
            // does not reach) would cost retries and backoff and measure something else
            const publishes = (await published()) - publishedBefore;
            if (publishes < r.completed)
              throw new Error(`B1 hub: ${r.completed} submissions but ${publishes} outbox rows published`);
            return { ...r, written: r.completed };
          }),
        progress: (line) => log(`B1 ${label}: ${line}`),
      });
      return run;
    };

    const durable = await measure('durable', pairs, mainSeconds);
    // diagnostics (printed, not scored): 3 shorter pairs; skipped in quick mode
    type Run = Awaited<ReturnType<typeof measure>>;
    const none: Run = { reference: [], candidate: [] };
    const prepared = ctx.quick
      ? none
      : await measure('prepare-on', 3, diagnosticSeconds, { DATABASE_PREPARE: 'true' });
    let relaxed = none;
    if (!ctx.quick) {
      const admin = adminClient(ctx.serverUrl);
      try {
        await admin.unsafe(`alter database ${db.name} set synchronous_commit = off`);
        relaxed = await measure('sync-off', 3, diagnosticSeconds);
      } finally {
        await admin.unsafe(`alter database ${db.name} reset synchronous_commit`);
        await admin.end({ timeout: 1 });
      }
    }
    const counts = await rowCounts(db.owner, [
      'applications',
      'application_stage_history',
      'outbox',
      'idempotency_keys',
    ]);

    const refTps = durable.reference.map((r) => r.tps);
    const hubTps = durable.candidate.map((c) => c.tps);
    const refTpsOff = relaxed.reference.map((r) => r.tps);
    const hubTpsOff = relaxed.candidate.map((c) => c.tps);
    const r1prime = median(hubTpsOff.map((h, i) => h / refTpsOff[i]!));
    const r1prepared = median(prepared.candidate.map((c, i) => c.tps / prepared.reference[i]!.tps));
    const refP50 = median(durable.reference.map((r) => r.latencyP50Ms));
    const hubP50 = median(durable.candidate.map((c) => c.p50));
    const refP99 = median(durable.reference.map((r) => r.latencyP99Ms));
    const hubP99 = median(durable.candidate.map((c) => c.p99));
    const cpuMs = median(durable.candidate.map((c) => c.cpuMsPerSubmission));
    const busy = median(durable.candidate.map((c) => c.eventLoopBusy));
    const cpuSplit = {
      hub: medianAccount(durable.candidate.map((c) => c.account)),
      pgbench: medianAccount(durable.reference.map((r) => r.account)),
    };
    const ceiling = cpuCeiling({
      cores: availableParallelism(),
      referenceTps: median(refTps),
      hubClientMs: cpuSplit.hub?.clientMs ?? Number.NaN,
      hubServerMs: cpuSplit.hub?.serverMs ?? Number.NaN,
    });
    const factors = describeFactors({
      unit: 'submission',
      hub: {
        perSecond: hubTps,
        sched: durable.candidate.map((c) => c.sched),
        children: 'local SQS endpoint',
      },
      reference: { perSecond: refTps, sched: durable.reference.map((r) => r.sched), children: 'pgbench' },
    });
    return [
      pairedResult({
        name: 'B1',
        title: `portal submission TPS vs pgbench, same SQL (R1′ sync_commit=off ${diagnostic(r1prime)}; hub with prepare on ${diagnostic(r1prepared)}; p50 +${(hubP50 - refP50).toFixed(1)} ms, p99 +${(hubP99 - refP99).toFixed(1)} ms; round trips per submission ${roundTrips.prepareOff} (prepare on ${roundTrips.prepareOn}); hub CPU ${cpuMs.toFixed(2)} ms per submission, its thread busy ${percent(busy)}; ${describeSplit(cpuSplit, 'submission')}; ${ceiling}; ${factors})`,
        reference: side('pgbench -M prepared -c 4 -j 1, identical statements', 'tps', refTps, {
          seconds: mainSeconds,
          statementsPerTransaction: script.statements,
          latencyP50Ms: refP50,
          latencyP99Ms: refP99,
          syncCommitOffTps: refTpsOff,
          sched: medianSched(durable.reference.map((r) => r.sched)),
          parameters: script.parameters,
          script: script.script,
        }),
        candidate: side(
          'bundled portal-submission handler, 4 environments (max: 1, prepare: false)',
          'tps',
          hubTps,
          {
            seconds: mainSeconds,
            latencyP50Ms: hubP50,
            latencyP99Ms: hubP99,
            syncCommitOffTps: hubTpsOff,
            r1prime,
            roundTripsPerSubmission: roundTrips,
            cpuMsPerSubmission: cpuMs,
            r1WithPrepareOn: r1prepared,
            prepareOnTps: prepared.candidate.map((c) => c.tps),
            prepareOnReferenceTps: prepared.reference.map((r) => r.tps),
            r1primeMin: Math.min(...hubTpsOff.map((h, i) => h / refTpsOff[i]!)),
            r1primeMax: Math.max(...hubTpsOff.map((h, i) => h / refTpsOff[i]!)),
            rowsAfterRun: counts,
            sched: medianSched(durable.candidate.map((c) => c.sched)),
          },
        ),
        target: { op: '≥', value: 0.8 },
      }),
    ];
  } finally {
    restoreEnv();
    await aws.stop();
    await db.drop();
  }
}
