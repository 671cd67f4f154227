/**
 * Account-wide stage ids (Lever stages, like Workday steps and BambooHR statuses) are the stage of that name in
 * every job: each job stage gets its own ref, and the push and the webhook resolve a stage through the
 * application's own job only, never through a same-named stage of another job.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushRefs } from '../../../shared/db/repositories/sync-push.js';
import { stageOfApplicationJob } from '../../../shared/db/repositories/sync-webhooks.js';
import { type Tx, withTenant } from '../../../shared/db/tenant.js';
import { type LeverFake, startLeverFake } from '../../fakes/lever/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { leverConnection } from './connections.js';
import { createWorld, runSync, type SyncWorld } from './harness.js';

const JOBS = 3;
let db: TestDatabase;
let fake: LeverFake;
let w: SyncWorld;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startLeverFake({ postings: JOBS, contacts: 12 });
  w = await createWorld({ db, ...leverConnection(fake) });
  const { run } = await runSync(w, 'full');
  if (run.status !== 'succeeded') throw new Error(`sync ${run.status}`);
}, 60_000);
afterAll(async () => {
  await fake?.stop();
  await db?.close();
});

interface LinkedStage {
  application_id: string;
  stage_id: string;
  remote_id: string;
}

/** An application, and a stage of its job linked to a remote stage, for each job. */
async function linkedStagePerJob(): Promise<LinkedStage[]> {
  return db.owner<LinkedStage[]>`
    select distinct on (a.job_id) a.id as application_id, s.id as stage_id, r.remote_id
    from applications a
    join job_stages s on s.job_id = a.job_id and s.id <> a.stage_id
    join external_refs r on r.integration_id = ${w.integrationId} and r.object_type = 'stage' and r.local_id = s.id
    where a.organization_id = ${w.organizationId}
    order by a.job_id, s.position`;
}

type ApplicationOfStage = { integrationId: string; applicationId: string };

/** Reads about the application of `stage` as the sync worker does. */
const asWorker = <T>(stage: LinkedStage, read: (tx: Tx, application: ApplicationOfStage) => Promise<T>) =>
  withTenant(db.app, w.organizationId, 'worker', (tx) =>
    read(tx, { integrationId: w.integrationId, applicationId: stage.application_id }),
  );

const pushTarget = (stage: LinkedStage) =>
  asWorker(stage, (tx, app) =>
    pushRefs(tx, { ...app, toStageId: stage.stage_id, fromStageId: null, reasonId: null }),
  );

const webhookStage = (stage: LinkedStage) =>
  asWorker(stage, (tx, app) =>
    stageOfApplicationJob(tx, { ...app, stageRemoteId: stage.remote_id, stageName: null }),
  );

interface PlanNode {
  'Relation Name'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** How many times the plan scanned `relation` (index or table scans, summed over their loops). */
function scansOf(node: PlanNode, relation: string): number {
  const own = node['Relation Name'] === relation ? (node['Actual Loops'] ?? 0) : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + scansOf(child, relation), 0);
}

/** The webhook's stage lookup for `stage`, as the SQL and parameters it sent and the plan it ran with. */
async function tracedWebhookStage(stage: LinkedStage) {
  const sent: { query: string; parameters: unknown[] }[] = [];
  const traced = postgres(db.appUrl, {
    max: 1,
    onnotice: () => {},
    debug: (_connection, query, parameters) => sent.push({ query, parameters }),
  });
  try {
    const found = await withTenant(traced, w.organizationId, 'worker', (tx) =>
      stageOfApplicationJob(tx, {
        integrationId: w.integrationId,
        applicationId: stage.application_id,
        stageRemoteId: stage.remote_id,
        stageName: null,
      }),
    );
    const lookup = sent.find((s) => s.query.includes('job_stages'))!;
    const plan = await withTenant(traced, w.organizationId, 'worker', (tx) =>
      tx.unsafe<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(
        `explain (analyze, format json) ${lookup.query}`,
        lookup.parameters as never[],
      ),
    );
    return { found, lookup, plan: plan[0]!['QUERY PLAN'][0].Plan };
  } finally {
    await traced.end({ timeout: 1 });
  }
}

describe('job stage refs for account-wide stage ids', () => {
  it('links each remote stage to its stage in every job', async () => {
    const perRemote = await db.owner<{ remote_id: string; jobs: number }[]>`
      select r.remote_id, count(distinct s.job_id)::int as jobs from external_refs r join job_stages s on s.id = r.local_id
      where r.integration_id = ${w.integrationId} and r.object_type = 'stage' group by r.remote_id`;

    expect(perRemote.length).toBeGreaterThan(0);
    expect(new Set(perRemote.map((r) => r.jobs))).toEqual(new Set([JOBS]));
  });

  it('resolves the stage of the application’s own job, in the push and in the webhook', async () => {
    const stages = await linkedStagePerJob();

    const pushed = await Promise.all(stages.map(async (s) => (await pushTarget(s)).to_stage_remote_id));
    const received = await Promise.all(stages.map(webhookStage));

    expect(stages).toHaveLength(JOBS);
    expect(pushed).toEqual(stages.map((s) => s.remote_id));
    expect(received).toEqual(stages.map((s) => s.stage_id));
  });

  it('does not fall back to a same-named stage of another job when the job stage has no ref', async () => {
    const [stage] = (await linkedStagePerJob()).slice(-1);
    await db.owner`delete from external_refs where integration_id = ${w.integrationId} and local_id = ${stage!.stage_id}`;

    const pushed = await pushTarget(stage!);
    const received = await webhookStage(stage!);

    expect(pushed.to_stage_remote_id).toBeNull();
    expect(received).toBeUndefined();
  });

  it('reads the remote stage’s refs once per webhook lookup, whatever the number of stages of the job', async () => {
    const [stage] = await linkedStagePerJob();

    const { found, lookup, plan } = await tracedWebhookStage(stage!);

    expect(found).toBe(stage!.stage_id);
    expect(lookup.parameters.filter((p) => p === stage!.remote_id)).toHaveLength(1);
    expect(scansOf(plan, 'external_refs')).toBe(1);
  });

  it('falls back to the stage of the application’s job with the given name when no ref matches', async () => {
    const [stage] = await linkedStagePerJob();
    const [named] = await db.owner<
      { name: string }[]
    >`select name from job_stages where id = ${stage!.stage_id}`;

    const received = await asWorker(stage!, (tx, app) =>
      stageOfApplicationJob(tx, {
        ...app,
        stageRemoteId: 'no-such-stage',
        stageName: named!.name.toUpperCase(),
      }),
    );

    expect(received).toBe(stage!.stage_id);
  });
});
