/**
 * B8: naive-pattern baseline (docs/performance.md §7.2), interleaved with the hub in the same run.
 * Submission: `naive/submission.ts` (pg Pool of 4, a checked-out client, ten statements awaited one by one
 * inside BEGIN/COMMIT) vs B1's hub path (the bundled portal-submission handler, 4 environments); the same
 * number of submissions per run on each side, each side in its own identically seeded database.
 * Import: `naive/import.ts` (pg Pool of 1, one row per INSERT … ON CONFLICT, each its own transaction) vs
 * B2's hub path (the sync-worker handler fetching from the fake), both from a clone of the same state S0.
 * Both sides must leave identical row counts; the ratios are printed only when they do.
 */
import { randomUUID } from 'node:crypto';
import { startFakeAwsEndpointProcess } from './aws-stub.js';
import {
  buildSyncWorld,
  cloneS0,
  hubSync,
  onCloneOf,
  pageBreakdown,
  referenceBScript,
} from './b2-sync-upsert.js';
import { postmasterBehind } from './cpu-account.js';
import { lambdaContext } from './events.js';
import { type BenchResult, interleave, log, muteStdout, pairedResult, side } from './harness.js';
import { applyEnvironment, lambdaEnvironment } from './lambda-env.js';
import { naiveImport, naiveImportPool, perRowStatements } from './naive/import.js';
import { type NaiveSubmission, naivePool, naiveSubmit } from './naive/submission.js';
import { referenceLine, serverPhase } from './page-time.js';
import { startCountingProxy } from './pg-proxy.js';
import { createBenchDatabase, rowCounts } from './postgres.js';
import { entityCounts } from './row-counts.js';
import type { BenchContext } from './run.js';
import { describeFactors, medianSched, scheduled } from './sched-account.js';
import { type SeededTenant, seedTenant } from './seed.js';
import {
  hubEnvironments,
  submissionEnvironment,
  submissionEvent,
  submissionFields,
} from './submission-world.js';

const CLIENTS = 4;
const SUBMISSION_TABLES = [
  'candidates',
  'applications',
  'application_stage_history',
  'candidate_documents',
  'outbox',
  'idempotency_keys',
];

function naiveInput(tenant: SeededTenant, tag: string, job: number): NaiveSubmission {
  const { candidate, ...rest } = submissionFields(tag);
  return {
    organizationId: tenant.organizationId,
    jobId: tenant.jobIds[job % tenant.jobIds.length]!,
    ...candidate,
    ...rest,
    idempotencyKey: `idem-${tag}`,
    requestHash: 'f'.repeat(64),
  };
}

/** `perLoop` submissions on each of the 4 loops; submissions/s. */
async function fixedWork(
  perLoop: number,
  submit: (loop: number, i: number) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, loop) => {
      for (let i = 0; i < perLoop; i++) await submit(loop, i);
    }),
  );
  return (perLoop * CLIENTS) / ((performance.now() - started) / 1000);
}

async function submissions(ctx: BenchContext): Promise<BenchResult> {
  const perLoop = ctx.quick ? 15 : 250;
  const hubDb = await createBenchDatabase(ctx.serverUrl, ctx.template, 'b8_hub');
  const naiveDb = await createBenchDatabase(ctx.serverUrl, ctx.template, 'b8_naive');
  const aws = await startFakeAwsEndpointProcess();
  const restoreEnv = applyEnvironment(submissionEnvironment(hubDb.appUrl, aws.url));
  const pool = naivePool(naiveDb.appUrl, CLIENTS);
  try {
    const tenant = await seedTenant(hubDb.owner, { label: 'b8', jobs: 50 });
    await seedTenant(naiveDb.owner, { label: 'b8', jobs: 50 });
    const nonce = randomUUID().slice(0, 8);
    const handlers = await hubEnvironments(tenant, nonce);
    // the same number of warm-up submissions on the naive side
    for (let i = 0; i < CLIENTS; i++) await naiveSubmit(pool, naiveInput(tenant, `warm-${nonce}-${i}`, i));
    const postmaster = await postmasterBehind(hubDb.owner);
    // the CPU each side costs the cores per submission, and how busy it kept them (sched-account.ts)
    const timed = async (work: () => Promise<number>) => {
      const { value: perSecond, sched } = await scheduled(postmaster, work, () => perLoop * CLIENTS);
      return { perSecond, sched };
    };
    const split = await interleave({
      pairs: 5,
      reference: (pair) =>
        timed(() =>
          fixedWork(perLoop, (loop, i) =>
            naiveSubmit(pool, naiveInput(tenant, `n-${nonce}-${pair}-${loop}-${i}`, loop * 13 + i)),
          ),
        ),
      candidate: (pair) =>
        timed(
          async () =>
            (
              await muteStdout(() =>
                fixedWork(perLoop, async (loop, i) => {
                  const res = await handlers[loop]!(
                    submissionEvent(tenant, `h-${nonce}-${pair}-${loop}-${i}`, loop * 13 + i),
                    lambdaContext('portal-submission'),
                  );
                  if (res.statusCode !== 201)
                    throw new Error(`submission answered ${res.statusCode}: ${res.body}`);
                }),
              )
            ).value,
        ),
      progress: (line) => log(`B8 submissions: ${line}`),
    });
    const run = {
      reference: split.reference.map((r) => r.perSecond),
      candidate: split.candidate.map((c) => c.perSecond),
    };
    const factors = describeFactors({
      unit: 'submission',
      hub: {
        perSecond: run.candidate,
        sched: split.candidate.map((c) => c.sched),
        children: 'local SQS endpoint',
      },
      reference: {
        perSecond: run.reference,
        sched: split.reference.map((r) => r.sched),
        children: 'local SQS endpoint (unused)',
      },
    });
    // printed, not scored: both sides again behind a proxy adding 1 ms each way (a network round trip of
    // about 2 ms, as between a Lambda function and RDS Proxy); loopback hides what round trips cost
    const hubProxy = await startCountingProxy(hubDb.ownerUrl, 1);
    const naiveProxy = await startCountingProxy(naiveDb.ownerUrl, 1);
    const slowPool = naivePool(naiveProxy.urlFor(naiveDb.appUrl), CLIENTS);
    let rtt: { hub: number; naive: number };
    try {
      const restore = applyEnvironment({ DATABASE_APP_URL: hubProxy.urlFor(hubDb.appUrl) });
      const slowHandlers = await hubEnvironments(tenant, `${nonce}-rtt`).finally(restore);
      for (let i = 0; i < CLIENTS; i++)
        await naiveSubmit(slowPool, naiveInput(tenant, `warm-rtt-${nonce}-${i}`, i));
      const n = Math.max(5, Math.round(perLoop / 5));
      const naive = await fixedWork(n, (loop, i) =>
        naiveSubmit(slowPool, naiveInput(tenant, `rtt-n-${nonce}-${loop}-${i}`, loop * 13 + i)),
      );
      const hub = (
        await muteStdout(() =>
          fixedWork(n, async (loop, i) => {
            const res = await slowHandlers[loop]!(
              submissionEvent(tenant, `rtt-h-${nonce}-${loop}-${i}`, loop * 13 + i),
              lambdaContext('portal-submission'),
            );
            if (res.statusCode !== 201) throw new Error(`submission answered ${res.statusCode}: ${res.body}`);
          }),
        )
      ).value;
      rtt = { hub, naive };
    } finally {
      await slowPool.end();
      await hubProxy.stop();
      await naiveProxy.stop();
    }
    const hubCounts = await rowCounts(hubDb.owner, SUBMISSION_TABLES);
    const naiveCounts = await rowCounts(naiveDb.owner, SUBMISSION_TABLES);
    const same = sameCounts('row counts', hubCounts, naiveCounts);
    return rowCheckedResult(same, {
      name: 'B8s',
      title: `submissions/s: hub vs naive pg (10 awaited statements in BEGIN/COMMIT); identical rows: ${same ? 'yes' : 'NO'}; with ~2 ms RTT: ${(rtt.hub / rtt.naive).toFixed(2)}; ${factors}`,
      reference: side('naive: pg Pool 4, sequential statements', 'submissions/s', run.reference, {
        rowCounts: naiveCounts,
        sched: medianSched(split.reference.map((r) => r.sched)),
      }),
      candidate: side('hub: bundled portal-submission, 4 environments', 'submissions/s', run.candidate, {
        rowCounts: hubCounts,
        sched: medianSched(split.candidate.map((c) => c.sched)),
        submissionsPerRun: perLoop * CLIENTS,
        withTwoMsRtt: {
          hubSubmissionsPerSecond: rtt.hub,
          naiveSubmissionsPerSecond: rtt.naive,
          ratio: rtt.hub / rtt.naive,
        },
      }),
      target: { op: '≥', value: 1.5 },
    });
  } finally {
    restoreEnv();
    await aws.stop();
    await pool.end();
    await hubDb.drop();
    await naiveDb.drop();
  }
}

function sameCounts(what: string, hub: unknown, naive: unknown): boolean {
  const same = JSON.stringify(hub) === JSON.stringify(naive);
  if (!same) log(`B8: ${what} differ: hub ${JSON.stringify(hub)} naive ${JSON.stringify(naive)}`);
  return same;
}

/** The paired result, its ratios printed only when both sides left identical rows. */
function rowCheckedResult(
  same: boolean,
  input: Omit<Parameters<typeof pairedResult>[0], 'alsoRequired'>,
): BenchResult {
  const result = pairedResult({ ...input, alsoRequired: [{ text: 'identical row counts', ok: same }] });
  if (!same) Object.assign(result, { ratio: Number.NaN, min: Number.NaN, max: Number.NaN, met: false });
  return result;
}

async function imports(ctx: BenchContext): Promise<BenchResult> {
  const restoreEnv = applyEnvironment(lambdaEnvironment('sync-worker'));
  const world = await buildSyncWorld(ctx, 'b8i', ctx.quick ? 200 : 1_500);
  try {
    const statements = perRowStatements(world.upserts);
    const counts: { hub?: Record<string, number>; naive?: Record<string, number> } = {};
    const run = await interleave({
      pairs: 5,
      reference: async (pair) => {
        const db = await cloneS0(world, 'naive');
        const pool = naiveImportPool(db.appUrl, 1, world.setup.organizationId);
        try {
          const t0 = performance.now();
          await naiveImport(pool, statements);
          const rate = world.records / ((performance.now() - t0) / 1000);
          if (pair === 5) counts.naive = await entityCounts(db.owner);
          return rate;
        } finally {
          await pool.end();
          await db.drop();
        }
      },
      candidate: async (pair) => {
        const db = await cloneS0(world, 'hub');
        try {
          const r = await hubSync(world, db);
          if (pair === 5) counts.hub = await entityCounts(db.owner);
          return r.processed / (r.ms / 1000);
        } finally {
          await db.drop();
        }
      },
      progress: (line) => log(`B8 import: ${line}`),
    });
    // where a page's time goes: the hub, psql reference B, and the naive import on the same pages
    const onClone = onCloneOf(world);
    const breakdown = await pageBreakdown(
      world,
      onClone,
      referenceBScript(world.upserts, world.setup.organizationId),
    );
    const naive = await onClone('naivepages', async (db) => {
      const postmaster = await postmasterBehind(db.owner);
      const pool = naiveImportPool(db.appUrl, 1, world.setup.organizationId);
      try {
        return await serverPhase(
          db,
          async () => {
            const t0 = performance.now();
            await naiveImport(pool, statements);
            return performance.now() - t0;
          },
          () => breakdown.hub.pages,
          postmaster,
        );
      } finally {
        await pool.end();
      }
    });
    if (naive.server)
      log(`B8I page time: ${referenceLine('naive import', naive.server, naive.value / breakdown.hub.pages)}`);
    const same = sameCounts('import row counts', counts.hub, counts.naive);
    return rowCheckedResult(same, {
      name: 'B8i',
      title: `import rows/s: hub sync vs naive pg (one row per INSERT, ${statements.length} statements); identical rows: ${same ? 'yes' : 'NO'}`,
      reference: side('naive: pg Pool 1, one row per INSERT … ON CONFLICT', 'rows/s', run.reference, {
        rowCounts: counts.naive,
      }),
      candidate: side('hub: sync-worker handler, 500/page', 'rows/s', run.candidate, {
        rowCounts: counts.hub,
        records: world.records,
        breakdown,
        naive: naive.server && { ...naive.server, wallMsPerPage: naive.value / breakdown.hub.pages },
      }),
      target: { op: '≥', value: 10 },
    });
  } finally {
    restoreEnv();
    await world.stop();
  }
}

export async function runB8(ctx: BenchContext): Promise<BenchResult[]> {
  return [await submissions(ctx), await imports(ctx)];
}
