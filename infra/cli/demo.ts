/**
 * `npm run demo`: the local runtime with a fake Greenhouse and a fake Workday connected. Shows a full sync of
 * each, an incoming signed webhook, a stage change made in the hub pushed out to Greenhouse, and the run
 * summaries. The fakes are the test fakes of test/fakes/, started in this process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDbClient } from '../../shared/db/client.js';
import { createControllableClock } from '../../test/fakes/common/controllable-clock.js';
import { startGreenhouseFake } from '../../test/fakes/greenhouse/index.js';
import { DEFAULT_WORKFLOW, startWorkdayFake } from '../../test/fakes/workday/index.js';
import { startLocalRuntime } from '../local/runtime.js';

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (title: string) => say(`\n━━ ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`);

const localDir = await mkdtemp(join(tmpdir(), 'hub-demo-'));
const runtime = await startLocalRuntime({
  port: Number(process.env.PORT ?? 3100),
  localDir,
  schedules: false,
});
// the fakes' clocks run at real time, so the hub's incremental cursors and the fakes' timestamps agree
const greenhouse = await startGreenhouseFake({
  candidates: 300,
  jobs: 3,
  clock: createControllableClock(Date.now()),
});
const workday = await startWorkdayFake({ candidates: 120, clock: createControllableClock(Date.now()) });
const owner = createDbClient({ url: runtime.ownerUrl, max: 1 });
const admin = runtime.credentials.organizations[0]!;

async function api<T = any>(
  method: string,
  path: string,
  body?: unknown,
  key = admin.keys.admin,
): Promise<T> {
  const res = await fetch(`${runtime.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json().catch(() => undefined)) as T;
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function settle() {
  for (let i = 0; i < 3; i++) {
    await runtime.runSchedule('sync-tick');
    await runtime.drainQueues(120_000);
  }
}

function printRuns(name: string, runs: { items: any[] }) {
  for (const r of runs.items.slice(0, 3)) {
    say(
      `  ${name.padEnd(10)} ${r.mode.padEnd(11)} ${r.status.padEnd(9)} processed=${r.recordsProcessed} created=${r.recordsCreated} ` +
        `updated=${r.recordsUpdated} deleted=${r.recordsDeleted} failed=${r.recordsFailed}`,
    );
  }
}

try {
  say(runtime.describe());

  step('Connect Greenhouse and Workday (their baseUrl points at the fakes)');
  const gh = await api<{ id: string; webhookUrl: string; webhookSecret: string }>('POST', '/integrations', {
    provider: 'greenhouse',
    credentials: greenhouse.credentials,
    settings: { baseUrl: greenhouse.url, authUrl: greenhouse.authUrl },
  });
  const wd = await api<{ id: string }>('POST', '/integrations', {
    provider: 'workday',
    credentials: { username: workday.username, password: workday.password, tenant: workday.tenant },
    // Workday does not list a requisition's recruiting steps: the tenant's workflow is configured
    settings: {
      baseUrl: workday.url,
      asOfSkewSeconds: 0,
      lookbackSeconds: 0,
      workflowSteps: DEFAULT_WORKFLOW,
    },
  });
  say(`  greenhouse ${gh.id}  webhook ${gh.webhookUrl}`);
  say(`  workday    ${wd.id}`);
  const registration = await greenhouse.createWebhook(gh.webhookUrl, gh.webhookSecret);
  say(`  Greenhouse pinged the webhook on creation: ${registration.enabled ? 'enabled' : 'DISABLED'}`);

  step('Full sync of both, through the sync queue and the worker');
  await api('POST', `/integrations/${gh.id}/sync`, { mode: 'full' });
  await api('POST', `/integrations/${wd.id}/sync`, { mode: 'full' });
  await settle();
  printRuns('greenhouse', await api(`GET`, `/integrations/${gh.id}/runs`));
  printRuns('workday', await api(`GET`, `/integrations/${wd.id}/runs`));
  const [counts] = await owner<{ candidates: number; applications: number; jobs: number }[]>`
    select (select count(*)::int from candidates where organization_id = ${admin.id}) as candidates,
      (select count(*)::int from applications where organization_id = ${admin.id}) as applications,
      (select count(*)::int from jobs where organization_id = ${admin.id}) as jobs`;
  say(
    `  the hub now holds ${counts!.jobs} jobs, ${counts!.candidates} candidates, ${counts!.applications} applications`,
  );
  const failures = await owner<{ message: string; n: number }[]>`
    select coalesce(message, action) as message, count(*)::int as n from import_log
    where organization_id = ${admin.id} and action = 'failed' group by 1 order by 2 desc limit 3`;
  for (const f of failures) say(`  import errors: ${f.n} × ${f.message}`);
  say(
    `  the fakes hold ${greenhouse.state.applications.length} Greenhouse and ${workday.state.candidates.length} Workday records`,
  );

  step('A recruiter moves a candidate in Greenhouse; Greenhouse sends a signed webhook');
  const moved = greenhouse.state.applications.find((a) => a.status === 'active' && a.stageId !== null)!;
  const job = greenhouse.state.jobs.find((j) => j.id === moved.jobId)!;
  const nextStage = job.stages.find((s) => s.id !== moved.stageId)!;
  greenhouse.moveApplication(moved.id, nextStage.id);
  const delivery = await greenhouse.sendWebhook(gh.webhookUrl, greenhouse.events.stageChange(moved.id), {
    secret: gh.webhookSecret,
  });
  const forged = await greenhouse.sendWebhook(gh.webhookUrl, greenhouse.events.stageChange(moved.id), {
    secret: 'forged',
  });
  say(
    `  signed delivery → HTTP ${delivery.attempts[0]?.status}; forged copy → HTTP ${forged.attempts[0]?.status}`,
  );
  await settle();
  const [applied] = await owner<{ stage: string; source: string }[]>`
    select s.name as stage, h.source from external_refs r
    join applications a on a.id = r.local_id
    join job_stages s on s.id = a.stage_id
    left join lateral (select source from application_stage_history where application_id = a.id order by id desc limit 1) h on true
    where r.integration_id = ${gh.id} and r.object_type = 'application' and r.remote_id = ${String(moved.id)}`;
  say(
    `  in the hub the application is now at "${applied?.stage}" (last change by ${applied?.source}); Greenhouse says "${nextStage.name}"`,
  );

  step('The ATS team moves an imported application in the hub; the change is pushed to Greenhouse');
  const [target] = await owner<{ id: string; remote_id: string; stage: string; to_stage: string }[]>`
    select a.id, r.remote_id, s.name as stage,
      (select t.name from job_stages t where t.job_id = a.job_id and t.kind = 'custom' and t.id <> a.stage_id
        order by t.position limit 1) as to_stage
    from external_refs r join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${gh.id} and r.object_type = 'application' and a.status = 'active'
      and s.kind in ('custom', 'client_endorsement') and r.remote_id <> ${String(moved.id)}
    limit 1`;
  if (target?.to_stage) {
    const result = await api<any>(
      'POST',
      `/applications/${target.id}/stage`,
      { toStage: target.to_stage },
      admin.keys.ats,
    );
    say(`  hub: ${result.transition.from} → ${result.transition.to}`);
    await settle();
    const remote = greenhouse.state.applications.find((a) => String(a.id) === target.remote_id)!;
    const remoteJob = greenhouse.state.jobs.find((j) => j.id === remote.jobId)!;
    say(`  Greenhouse now shows "${remoteJob.stages.find((s) => s.id === remote.stageId)?.name}"`);
    const pushes = await owner<{ status: string; attempts: number; last_error: string | null }[]>`
      select status, attempts, last_error from status_push_log where application_id = ${target.id}`;
    for (const p of pushes)
      say(
        `  status_push_log: ${p.status} after ${p.attempts} attempt(s)${p.last_error ? ` (${p.last_error})` : ''}`,
      );
  } else {
    say('  (no imported application in an ATS stage to move)');
  }

  step('Incremental sync after the changes');
  await api('POST', `/integrations/${gh.id}/sync`, { mode: 'incremental' });
  await settle();
  printRuns('greenhouse', await api(`GET`, `/integrations/${gh.id}/runs`));
  const status = await api<any>('GET', `/integrations/${gh.id}`);
  say(`  health: ${status.health}; cursors: ${status.cursors.map((c: any) => c.objectType).join(', ')}`);
  say('\nDone.');
} finally {
  await owner.end();
  await greenhouse.stop();
  await workday.stop();
  await runtime.stop();
  await rm(localDir, { recursive: true, force: true });
}
