// Over 400 lines: one end-to-end story sharing one runtime start, the heavy part of these tests.
import { afterEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../shared/db/client.js';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import { type AshbyFake, startAshbyFake } from '../fakes/ashby/index.js';
import { type BamboohrFake, startBamboohrFake } from '../fakes/bamboohr/index.js';
import { createControllableClock } from '../fakes/common/controllable-clock.js';
import { type GreenhouseFake, startGreenhouseFake } from '../fakes/greenhouse/index.js';
import { type LeverFake, startLeverFake } from '../fakes/lever/index.js';
import { startWorkdayFake, type WorkdayFake } from '../fakes/workday/index.js';
import { soleApplication } from '../support/bamboohr-applications.js';
import { apiClient, fileRuntime, pollUntil, type TestRuntime } from '../support/local-runtime.js';

/**
 * Issue #5, done when: each provider, connected through the local runtime with its baseUrl pointing at its
 * fake, is fully synced over HTTP like a client would (`POST /integrations/{id}/sync`, then polling
 * `GET /integrations/{id}/runs`) and holds exactly what the fake holds; a second full sync of unchanged data
 * writes nothing; a stage change made in the hub through `POST /applications/{id}/stage` reaches the fake
 * once, through the outbox relay and the sync queue, with the provider's guard.
 *
 * Every test gets its own organization (what `npm run keys:create -- --new-org` makes) and its own fake, so
 * counts through the API are the integration's alone and a push goes to exactly one integration.
 */
type ProviderName = 'greenhouse' | 'lever' | 'ashby' | 'workday' | 'bamboohr';

interface Counts {
  jobs: number;
  candidates: number;
  applications: number;
}

/** A hub move chosen on the fake's data, and what the fake must show once it is pushed. */
interface Move {
  remoteApplicationId: string;
  toStage: string;
  /** The write calls the fake received for this application (the provider's guard included). */
  writes(): unknown[];
  expectedWrites: unknown[];
  /** The application's stage (or status) at the fake now, and the value the move must leave. */
  remoteStage(): unknown;
  expectedRemoteStage: unknown;
}

interface Connected {
  counts(): Counts;
  move(): Move;
  stop(): Promise<void>;
  connection: {
    provider: ProviderName;
    credentials: Record<string, unknown>;
    settings: Record<string, unknown>;
  };
}

const POLL_MS = 25;
/**
 * Ashby, Workday and BambooHR publish no rate limit, so the hub paces them at 1.5–3 requests/s by default; their
 * fakes throttle nothing unless told to. The documented per-integration override (`settings.rateLimit`) keeps
 * this file fast; Greenhouse and Lever run at their published limits, which their fakes enforce.
 */
const UNPUBLISHED_LIMIT = { requestsPerSecond: 20, burst: 5 };
const WAIT_MS = 20_000;

let t: TestRuntime;
let owner: Sql;
let running: Connected | undefined;

fileRuntime((runtime, sql) => {
  t = runtime;
  owner = sql;
});

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

/** Distinct candidate × job pairs: what the hub holds where, as in these seeds, no one applied twice to a job. */
const pairs = (list: { candidate: unknown; job: unknown }[]) =>
  new Set(list.map((a) => `${String(a.candidate)}:${String(a.job)}`)).size;

// Each provider: its fake with small data (3 jobs, about 40 candidates), the connection an admin would post,
// what the fake holds, and a move the ATS side may make on a synced application (from Client Endorsement or
// later to an ATS stage) that the provider accepts; the move is the one of <provider>-writes.test.ts.
const providers: Record<ProviderName, () => Promise<Connected>> = {
  async greenhouse() {
    const fake: GreenhouseFake = await startGreenhouseFake({
      jobs: 3,
      candidates: 40,
      clock: createControllableClock(Date.now()),
    });
    return {
      connection: {
        provider: 'greenhouse',
        credentials: { clientId: fake.credentials.clientId, clientSecret: fake.credentials.clientSecret },
        settings: { baseUrl: fake.url, authUrl: fake.authUrl },
      },
      counts: () => ({
        jobs: fake.state.jobs.length,
        candidates: fake.state.candidates.length,
        applications: pairs(fake.state.applications.map((a) => ({ candidate: a.candidateId, job: a.jobId }))),
      }),
      move() {
        const app = fake.state.applications.find((a) => a.status === 'active' && a.stageId !== null)!;
        const from = app.stageId;
        const target = fake.state.jobById
          .get(app.jobId)!
          .stages.find((s) => s.id !== app.stageId && s.name !== 'Offer')!;
        return {
          remoteApplicationId: String(app.id),
          toStage: target.name,
          // v3 move with from_stage_id, Greenhouse's guard
          writes: () =>
            fake.requests
              .filter((r) => r.method === 'POST' && r.path.endsWith(`/applications/${app.id}/move`))
              .map((r) => JSON.parse(r.body)),
          expectedWrites: [expect.objectContaining({ from_stage_id: from, to_stage_id: target.id })],
          remoteStage: () => fake.state.applicationById.get(app.id)!.stageId,
          expectedRemoteStage: target.id,
        };
      },
      stop: () => fake.stop(),
    };
  },

  async lever() {
    const fake: LeverFake = await startLeverFake({
      postings: 3,
      contacts: 40,
      clock: createControllableClock(Date.now()),
    });
    return {
      connection: {
        provider: 'lever',
        credentials: { apiKey: fake.apiKey },
        settings: { baseUrl: fake.url, authUrl: fake.authUrl },
      },
      counts: () => ({
        jobs: fake.state.postings.length,
        candidates: new Set(fake.state.opportunities.map((o) => o.contact)).size,
        applications: pairs(
          fake.state.opportunities.map((o) => ({ candidate: o.contact, job: o.postingId })),
        ),
      }),
      move() {
        // contact 1 has a single opportunity, on the second posting
        const o = fake.state.opportunities[1]!;
        const target = fake.state.stages.find((s) => s.id !== o.stageId && s.text !== 'Offer')!;
        return {
          remoteApplicationId: o.id,
          toStage: target.text,
          // Lever has no guard on the call: the client reads the current stage first, then PUTs the stage
          writes: () =>
            fake.requests
              .filter(
                (r) => r.path === `/v1/opportunities/${o.id}` || r.path === `/v1/opportunities/${o.id}/stage`,
              )
              .map((r) => (r.method === 'PUT' ? { PUT: JSON.parse(r.body) } : { [r.method]: r.path })),
          expectedWrites: [{ GET: `/v1/opportunities/${o.id}` }, { PUT: { stage: target.id } }],
          remoteStage: () => fake.state.opportunityById.get(o.id)!.stageId,
          expectedRemoteStage: target.id,
        };
      },
      stop: () => fake.stop(),
    };
  },

  async ashby() {
    const fake: AshbyFake = await startAshbyFake({
      jobs: 3,
      candidates: 40,
      clock: createControllableClock(Date.now()),
    });
    return {
      connection: {
        provider: 'ashby',
        credentials: { apiKey: fake.apiKey },
        settings: { baseUrl: fake.url, rateLimit: UNPUBLISHED_LIMIT },
      },
      counts: () => ({
        jobs: fake.state.jobs.length,
        candidates: fake.state.candidates.length,
        applications: pairs(fake.state.applications.map((a) => ({ candidate: a.candidateId, job: a.jobId }))),
      }),
      move() {
        const app = fake.state.applications[0]!;
        const plan = fake.state.jobs.find((j) => j.id === app.jobId)!.interviewPlanId;
        const target = fake.state.stages.find(
          (s) =>
            s.interviewPlanId === plan &&
            (s.type === 'Active' || s.type === 'PreInterviewScreen') &&
            s.id !== app.stageId,
        )!;
        return {
          remoteApplicationId: app.id,
          toStage: target.title,
          // no guard on the call: application.info first (the stage check), then application.changeStage
          writes: () =>
            fake.requests
              .filter((r) => r.path === '/application.info' || r.path === '/application.changeStage')
              .map((r) => ({ [r.path]: JSON.parse(r.body) }))
              .filter((b) => Object.values(b)[0].applicationId === app.id),
          expectedWrites: [
            { '/application.info': expect.objectContaining({ applicationId: app.id }) },
            { '/application.changeStage': { applicationId: app.id, interviewStageId: target.id } },
          ],
          remoteStage: () => app.stageId,
          expectedRemoteStage: target.id,
        };
      },
      stop: () => fake.stop(),
    };
  },

  async workday() {
    const fake: WorkdayFake = await startWorkdayFake({
      // a seed with at most one application per candidate × requisition, so counting pairs counts applications
      // (re-applications are imported as history: test/integration/sync/application-history.test.ts)
      seed: 24,
      candidates: 40,
      requisitions: 3,
      clock: createControllableClock(Date.now()),
    });
    return {
      connection: {
        provider: 'workday',
        credentials: { username: fake.username, password: fake.password, tenant: fake.tenant },
        // Workday lists no recruiting steps per requisition: the tenant's workflow is configured
        settings: {
          baseUrl: fake.url,
          asOfSkewSeconds: 0,
          lookbackSeconds: 0,
          rateLimit: UNPUBLISHED_LIMIT,
          dispositionStepId: 'STEP-DISPOSITION',
          workflowSteps: fake.state.workflow.map((s) => ({ id: s.id, name: s.name, stageId: s.stageId })),
        },
      },
      counts: () => ({
        jobs: fake.state.liveRequisitions().length,
        candidates: fake.state.liveCandidates().length,
        applications: pairs(
          fake.state
            .liveApplications()
            .map((a) => ({ candidate: fake.state.candidateIdOfApplication(a.id), job: a.requisitionId })),
        ),
      }),
      move() {
        // an open application in Review, its candidate's only one, not on the first requisition (step ids are
        // tenant-wide and only the first requisition's stages hold them); Screen is a valid next step
        const first = fake.state.requisitions[0]!.id;
        const app = fake.state
          .liveCandidates()
          .map((c) => c.applications)
          .filter((apps) => apps.length === 1)
          .map((apps) => apps[0]!)
          .find((a) => a.requisitionId !== first && a.stepId === 'STEP-REVIEW' && !a.dispositionId)!;
        return {
          remoteApplicationId: app.id,
          toStage: 'Screen',
          // the guard is the workflow step reference: Move_Candidate with Next_Step_Reference
          writes: () =>
            fake.requests
              .filter((r) => r.body.includes('Move_Candidate_Request') && r.body.includes(app.id))
              .map((r) => /<wd:Next_Step_Reference>.*?<\/wd:Next_Step_Reference>/s.exec(r.body)?.[0]),
          expectedWrites: [
            '<wd:Next_Step_Reference><wd:ID wd:type="Workflow_Step_ID">STEP-SCREEN</wd:ID></wd:Next_Step_Reference>',
          ],
          remoteStage: () => fake.state.application(app.id)!.stepId,
          expectedRemoteStage: 'STEP-SCREEN',
        };
      },
      stop: () => fake.stop(),
    };
  },

  async bamboohr() {
    const fake: BamboohrFake = await startBamboohrFake({
      // as for Workday: no applicant applied twice to one job, so counting pairs counts applications
      seed: 24,
      applications: 40,
      jobs: 3,
      clock: createControllableClock(Date.now()),
    });
    return {
      connection: {
        provider: 'bamboohr',
        credentials: { apiKey: fake.apiKey, companyDomain: fake.companyDomain },
        settings: { baseUrl: fake.url, rateLimit: UNPUBLISHED_LIMIT },
      },
      counts: () => {
        const live = fake.state.liveApplications();
        return {
          jobs: fake.state.jobs.filter((j) => j.status !== 'Deleted').length,
          candidates: new Set(live.map((a) => a.applicant.id)).size,
          applications: pairs(live.map((a) => ({ candidate: a.applicant.id, job: a.jobId }))),
        };
      },
      move() {
        // a "New" application, its applicant's only one, not on the first job (status ids are account-wide)
        const firstJob = fake.state.jobs[0]!.id;
        const app = soleApplication(fake, (a) => a.statusId === 1 && a.jobId !== firstJob);
        return {
          remoteApplicationId: String(app.id),
          toStage: 'Reviewed',
          // no guard documented: the client reads the application (expected status) first, then POSTs the status
          writes: () =>
            fake.requests
              .filter(
                (r) =>
                  r.path.endsWith(`/applicant_tracking/applications/${app.id}`) ||
                  r.path.endsWith(`/applicant_tracking/applications/${app.id}/status`),
              )
              .map((r) =>
                r.method === 'POST' ? { POST: JSON.parse(r.body) } : { [r.method]: 'application' },
              ),
          expectedWrites: [{ GET: 'application' }, { POST: { status: 2 } }],
          remoteStage: () => fake.state.application(app.id)!.statusId,
          expectedRemoteStage: 2,
        };
      },
      stop: () => fake.stop(),
    };
  },
};

/** Polls `probe` every POLL_MS until it returns a value, for at most WAIT_MS. */
const until = <T>(what: string, probe: () => Promise<T | undefined>) =>
  pollUntil(what, probe, { waitMs: WAIT_MS, pollMs: POLL_MS });

interface World {
  organizationId: string;
  integrationId: string;
  admin: ReturnType<typeof apiClient>;
  ats: ReturnType<typeof apiClient>;
  provider: Connected;
}

/** A new organization with its admin and ats keys, and the provider connected with `POST /integrations`. */
async function connected(name: ProviderName): Promise<World> {
  running = await providers[name]();
  const [org] = await owner<{ id: string }[]>`
    insert into organizations (name) values (${`Sync e2e ${name}`}) returning id`;
  const organizationId = org!.id;
  const key = async (role: 'ats' | 'admin') =>
    (await insertApiKey(owner, { organizationId, role, label: `e2e ${role}` })).key;
  const admin = apiClient(t.runtime.baseUrl, await key('admin'));
  const ats = apiClient(t.runtime.baseUrl, await key('ats'));
  // these scenarios count jobs, candidates and applications; the recording objects have their own e2e
  // (ats-record-sync.test.ts), so this connection narrows the sync to the core (`syncObjects`)
  const settings = { ...running.connection.settings, syncObjects: ['job', 'candidate', 'application'] };
  const res = await admin('POST', '/integrations', { ...running.connection, settings });
  expect(res.status).toBe(201);
  return { organizationId, integrationId: res.body.id, admin, ats, provider: running };
}

interface RunView {
  id: string;
  status: string;
  recordsProcessed: number;
  recordsCreated: number;
  recordsUpdated: number;
  recordsDeleted: number;
  recordsFailed: number;
  error: string | null;
}

/** `POST /integrations/{id}/sync {"mode":"full"}`, then `GET /integrations/{id}/runs` until the run is over. */
async function fullSync(w: World): Promise<RunView> {
  const requested = await w.admin('POST', `/integrations/${w.integrationId}/sync`, { mode: 'full' });
  expect(requested.status).toBe(202);
  const runId = requested.body.syncRunId as string;
  return until(`sync run ${runId}`, async () => {
    const runs = await w.admin<{ items: RunView[] }>('GET', `/integrations/${w.integrationId}/runs`);
    const run = runs.body.items.find((r) => r.id === runId);
    return run && ['succeeded', 'partial', 'failed'].includes(run.status) ? run : undefined;
  });
}

/** Live rows of the organization (owner connection). */
async function hubCounts(w: World): Promise<Counts> {
  const [row] = await owner<Counts[]>`
    select (select count(*) from jobs where organization_id = ${w.organizationId} and deleted_at is null)::int as jobs,
      (select count(*) from candidates where organization_id = ${w.organizationId} and deleted_at is null)::int as candidates,
      (select count(*) from applications where organization_id = ${w.organizationId} and deleted_at is null)::int as applications`;
  return row!;
}

/** Every application a client sees through `GET /jobs/{jobId}/applications`, over all the org's jobs. */
async function listedApplications(w: World): Promise<number> {
  const jobs = await owner<{ id: string }[]>`
    select id from jobs where organization_id = ${w.organizationId} and deleted_at is null`;
  let total = 0;
  for (const job of jobs) {
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: unknown[]; nextCursor: string | null } } = await w.ats<{
        items: unknown[];
        nextCursor: string | null;
      }>(
        'GET',
        `/jobs/${job.id}/applications?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      total += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
  }
  return total;
}

/** xmin of every entity row and reference of the organization: equal maps prove nothing was written. */
async function rowVersions(w: World): Promise<Record<string, string>> {
  const rows = await owner<{ k: string; x: string }[]>`
    select 'j' || id::text as k, xmin::text as x from jobs where organization_id = ${w.organizationId}
    union all select 's' || id::text, xmin::text from job_stages where organization_id = ${w.organizationId}
    union all select 'c' || id::text, xmin::text from candidates where organization_id = ${w.organizationId}
    union all select 'a' || id::text, xmin::text from applications where organization_id = ${w.organizationId}
    union all select 'r' || id::text, xmin::text from external_refs where organization_id = ${w.organizationId}`;
  return Object.fromEntries(rows.map((r) => [r.k, r.x]));
}

async function localApplicationId(w: World, remoteId: string): Promise<string> {
  const [row] = await owner<{ local_id: string }[]>`
    select local_id from external_refs
    where integration_id = ${w.integrationId} and object_type = 'application' and remote_id = ${remoteId}`;
  return row!.local_id;
}

async function pushLog(w: World) {
  return owner<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from status_push_log where integration_id = ${w.integrationId} order by id`;
}

describe.each(Object.keys(providers) as ProviderName[])('%s through the local runtime', (name) => {
  it('imports exactly what the provider holds with a full sync', async () => {
    const w = await connected(name);
    const expected = w.provider.counts();

    const run = await fullSync(w);

    expect(run).toMatchObject({
      status: 'succeeded',
      recordsCreated: expected.jobs + expected.candidates + expected.applications,
      recordsFailed: 0,
      error: null,
    });
    expect(await hubCounts(w)).toEqual(expected);
    expect(await listedApplications(w)).toBe(expected.applications);
    expect(expected.applications).toBeGreaterThan(0);
  });

  it('writes nothing when the same full sync runs again', async () => {
    const w = await connected(name);
    expect((await fullSync(w)).status).toBe('succeeded');
    const before = await rowVersions(w);

    const again = await fullSync(w);

    expect(again).toMatchObject({
      status: 'succeeded',
      recordsCreated: 0,
      recordsUpdated: 0,
      recordsDeleted: 0,
    });
    expect(await rowVersions(w)).toEqual(before);
  });

  it('pushes a stage change made in the hub to the provider once, with its guard', async () => {
    const w = await connected(name);
    expect((await fullSync(w)).status).toBe('succeeded');
    const move = w.provider.move();
    const applicationId = await localApplicationId(w, move.remoteApplicationId);

    const moved = await w.ats('POST', `/applications/${applicationId}/stage`, { toStage: move.toStage });

    expect(moved.status).toBe(200);
    expect(moved.body.transition.to).toBe(move.toStage);
    const log = await until('the push', async () => {
      const rows = await pushLog(w);
      return rows.length > 0 && rows.every((r) => r.status !== 'pending') ? rows : undefined;
    });
    await t.runtime.drainQueues();
    expect(log).toEqual([{ status: 'succeeded', attempts: 1, last_error: null }]);
    expect(move.writes()).toEqual(move.expectedWrites);
    expect(move.remoteStage()).toBe(move.expectedRemoteStage);
  });
});
