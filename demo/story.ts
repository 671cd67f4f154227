/**
 * What the demo shows, scene by scene: connecting both providers, a full sync of each, a signed webhook
 * (and a forged copy), a stage change made in the hub pushed out to Greenhouse, an incremental sync, then portal
 * submissions written back to Greenhouse and Workday.
 */
import type * as z from 'zod';
import type { transitionResult } from '../shared/api/applications.js';
import type { createdIntegration, integrationStatus, syncRunView } from '../shared/api/integrations.js';
import { DEFAULT_WORKFLOW } from '../test/fakes/workday/index.js';
import type { DemoStage } from './stage.js';
import { portalSubmissions } from './write-back.js';

type SyncRuns = { items: z.infer<typeof syncRunView>[] };

const say = (line = '') => process.stdout.write(`${line}\n`);
const step = (title: string) => say(`\n━━ ${title} ${'━'.repeat(Math.max(0, 70 - title.length))}`);

function printRuns(name: string, runs: SyncRuns) {
  for (const r of runs.items.slice(0, 3)) {
    say(
      `  ${name.padEnd(10)} ${r.mode.padEnd(11)} ${r.status.padEnd(9)} processed=${r.recordsProcessed} created=${r.recordsCreated} ` +
        `updated=${r.recordsUpdated} deleted=${r.recordsDeleted} failed=${r.recordsFailed}`,
    );
  }
}

async function connect({ api, greenhouse, workday }: DemoStage) {
  step('Connect Greenhouse and Workday (their baseUrl points at the fakes)');
  const gh = await api<z.infer<typeof createdIntegration>>('POST', '/integrations', {
    provider: 'greenhouse',
    credentials: greenhouse.credentials,
    settings: { baseUrl: greenhouse.url, authUrl: greenhouse.authUrl },
  });
  const wd = await api<z.infer<typeof createdIntegration>>('POST', '/integrations', {
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
  const registration = await greenhouse.createWebhook(gh.webhookUrl!, gh.webhookSecret!);
  say(`  Greenhouse pinged the webhook on creation: ${registration.enabled ? 'enabled' : 'DISABLED'}`);
  return { gh: { id: gh.id, webhookUrl: gh.webhookUrl!, webhookSecret: gh.webhookSecret! }, wd };
}

async function fullSync(stage: DemoStage, ghId: string, wdId: string) {
  const { api, owner, admin, greenhouse, workday } = stage;
  step('Full sync of both, through the sync queue and the worker');
  await api('POST', `/integrations/${ghId}/sync`, { mode: 'full' });
  await api('POST', `/integrations/${wdId}/sync`, { mode: 'full' });
  await stage.settle();
  printRuns('greenhouse', await api<SyncRuns>(`GET`, `/integrations/${ghId}/runs`));
  printRuns('workday', await api<SyncRuns>(`GET`, `/integrations/${wdId}/runs`));
  const [counts] = await owner<{ candidates: number; applications: number; jobs: number }[]>`
    select (select count(*)::int from candidates where organization_id = ${admin.id}) as candidates,
      (select count(*)::int from applications where organization_id = ${admin.id}) as applications,
      (select count(*)::int from jobs where organization_id = ${admin.id}) as jobs`;
  say(
    `  the hub now holds ${counts!.jobs} jobs, ${counts!.candidates} candidates, ${counts!.applications} applications`,
  );
  const [history] = await owner<{ pairs: number }[]>`
    select count(*)::int as pairs from (select 1 from applications
      where organization_id = ${admin.id} and deleted_at is null group by candidate_id, job_id having count(*) > 1) p`;
  say(
    `  ${history!.pairs} candidates re-applied to a job after a rejection: both applications kept, at most one active`,
  );
  const failures = await owner<{ message: string; n: number }[]>`
    select coalesce(message, action) as message, count(*)::int as n from import_log
    where organization_id = ${admin.id} and action = 'failed' group by 1 order by 2 desc limit 3`;
  for (const f of failures) say(`  import errors: ${f.n} × ${f.message}`);
  say(
    `  the fakes hold ${greenhouse.state.applications.length} Greenhouse and ${workday.state.candidates.length} Workday records`,
  );
}

async function webhookFromGreenhouse(
  stage: DemoStage,
  gh: { id: string; webhookUrl: string; webhookSecret: string },
) {
  const { greenhouse, owner } = stage;
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
  await stage.settle();
  const [applied] = await owner<{ stage: string; source: string }[]>`
    select s.name as stage, h.source from external_refs r
    join applications a on a.id = r.local_id
    join job_stages s on s.id = a.stage_id
    left join lateral (select source from application_stage_history where application_id = a.id order by id desc limit 1) h on true
    where r.integration_id = ${gh.id} and r.object_type = 'application' and r.remote_id = ${String(moved.id)}`;
  say(
    `  in the hub the application is now at "${applied?.stage}" (last change by ${applied?.source}); Greenhouse says "${nextStage.name}"`,
  );
  return moved.id;
}

async function pushToGreenhouse(stage: DemoStage, ghId: string, alreadyMoved: number | string) {
  const { api, owner, admin, greenhouse } = stage;
  step('The ATS team moves an imported application in the hub; the change is pushed to Greenhouse');
  const [target] = await owner<{ id: string; remote_id: string; stage: string; to_stage: string }[]>`
    select a.id, r.remote_id, s.name as stage,
      (select t.name from job_stages t where t.job_id = a.job_id and t.kind = 'custom' and t.id <> a.stage_id
        order by t.position limit 1) as to_stage
    from external_refs r join applications a on a.id = r.local_id join job_stages s on s.id = a.stage_id
    where r.integration_id = ${ghId} and r.object_type = 'application' and a.status = 'active'
      and s.kind in ('custom', 'client_endorsement') and r.remote_id <> ${String(alreadyMoved)}
    limit 1`;
  if (!target?.to_stage) {
    say('  (no imported application in an ATS stage to move)');
    return;
  }
  const result = await api<z.infer<typeof transitionResult>>(
    'POST',
    `/applications/${target.id}/stage`,
    { toStage: target.to_stage },
    admin.keys.ats,
  );
  say(`  hub: ${result.transition.from} → ${result.transition.to}`);
  await stage.settle();
  const remote = greenhouse.state.applications.find((a) => String(a.id) === target.remote_id)!;
  const remoteJob = greenhouse.state.jobs.find((j) => j.id === remote.jobId)!;
  say(`  Greenhouse now shows "${remoteJob.stages.find((s) => s.id === remote.stageId)?.name}"`);
  const pushes = await owner<{ status: string; attempts: number; last_error: string | null }[]>`
    select status, attempts, last_error from status_push_log where application_id = ${target.id}`;
  for (const p of pushes)
    say(
      `  status_push_log: ${p.status} after ${p.attempts} attempt(s)${p.last_error ? ` (${p.last_error})` : ''}`,
    );
}

async function incrementalSync(stage: DemoStage, ghId: string) {
  const { api } = stage;
  step('Incremental sync after the changes');
  await api('POST', `/integrations/${ghId}/sync`, { mode: 'incremental' });
  await stage.settle();
  printRuns('greenhouse', await api<SyncRuns>(`GET`, `/integrations/${ghId}/runs`));
  const status = await api<z.infer<typeof integrationStatus>>('GET', `/integrations/${ghId}`);
  say(`  health: ${status.health}; cursors: ${status.cursors.map((c) => c.objectType).join(', ')}`);
}

export async function runStory(stage: DemoStage): Promise<void> {
  say(stage.runtime.describe());
  const { gh, wd } = await connect(stage);
  await fullSync(stage, gh.id, wd.id);
  const moved = await webhookFromGreenhouse(stage, gh);
  await pushToGreenhouse(stage, gh.id, moved);
  await incrementalSync(stage, gh.id);
  step('The portal submits to a Greenhouse job and a Workday job; the hub creates them there, once');
  await portalSubmissions(stage, gh.id, wd.id);
  say('\nDone.');
}
