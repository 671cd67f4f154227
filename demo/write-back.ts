/**
 * The demo's write-back scene (docs/write-back.md): the portal submits a candidate with a resume to a job synced
 * from Greenhouse and to one synced from Workday; the browser uploads the resume, the local malware scan says
 * clean, and the sync worker creates the candidate, the application and the attachment at each provider, once.
 */
import { greenhouseWriteBack } from '../test/fakes/greenhouse/write-back.js';
import { workdayWriteBack } from '../test/fakes/workday/write-back.js';
import type { DemoStage } from './stage.js';

interface Submitted {
  application: { id: string };
  resumeUpload: { url: string; fields: Record<string, string> };
}

interface PushView {
  push: { state: string; attempts: number; lastError: { code: string; message: string } | null };
  externalRefs: { type: string; remoteId: string }[];
}

const say = (line = '') => process.stdout.write(`${line}\n`);

async function submitTo(stage: DemoStage, integrationId: string, label: string): Promise<string | null> {
  const { api, owner, admin } = stage;
  const [job] = await owner<{ id: string }[]>`
    select j.id from external_refs r join jobs j on j.id = r.local_id
    where r.integration_id = ${integrationId} and r.object_type = 'job' and j.status = 'open' order by j.created_at limit 1`;
  if (!job) {
    say(`  (no open ${label} job to submit to)`);
    return null;
  }
  const resume = Buffer.from(`%PDF-1.4\n% demo resume for ${label}\n%%EOF\n`);
  const submitted = await api<Submitted>(
    'POST',
    '/applications',
    {
      jobId: job.id,
      candidate: { firstName: 'Demo', lastName: 'Applicant', email: `demo-${label}@example.test` },
      resume: { fileName: 'resume.pdf', contentType: 'application/pdf', sizeBytes: resume.length },
    },
    admin.keys.portal,
  );
  const form = new FormData();
  for (const [name, value] of Object.entries(submitted.resumeUpload.fields)) form.append(name, value);
  form.append('file', new Blob([resume], { type: 'application/pdf' }), 'resume.pdf');
  await fetch(submitted.resumeUpload.url, { method: 'POST', body: form });
  say(`  portal → ${label} job ${job.id}: application ${submitted.application.id}, resume uploaded`);
  return submitted.application.id;
}

export async function portalSubmissions(stage: DemoStage, ghId: string, wdId: string): Promise<void> {
  const { api, admin } = stage;
  const targets = [
    { label: 'greenhouse', id: ghId, remote: greenhouseWriteBack(stage.greenhouse) },
    { label: 'workday', id: wdId, remote: workdayWriteBack(stage.workday) },
  ];
  const submitted = [];
  for (const target of targets)
    submitted.push({ ...target, applicationId: await submitTo(stage, target.id, target.label) });
  await stage.settle();
  for (const s of submitted) {
    if (!s.applicationId) continue;
    const view = await api<PushView>('GET', `/applications/${s.applicationId}`, undefined, admin.keys.ats);
    const counts = s.remote.remoteCounts(`demo-${s.label}@example.test`);
    say(
      `  ${s.label.padEnd(10)} push ${view.push.state} after ${view.push.attempts} attempt(s); the provider holds ` +
        `${counts.candidates} candidate, ${counts.applications} application, ${counts.attachments} attachment`,
    );
    for (const ref of view.externalRefs) say(`             ${ref.type.padEnd(11)} ${ref.remoteId}`);
  }
}
