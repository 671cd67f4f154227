/**
 * The write-back contract suite's set-up (docs/write-back.md): a provider fake synced into the hub with write-back
 * settings, portal submissions to one of its jobs, the resume upload and scan, and the sync worker's deliveries.
 */
import { randomUUID } from 'node:crypto';
import { submitApplication } from '../../../../functions/portal-submission/use-case.js';
import { handleSyncMessage } from '../../../../functions/sync-worker/use-case.js';
import type { PushRow } from '../../../../shared/db/repositories/submission-pushes.js';
import { scanStoredDocument } from '../../../../shared/documents/document-scan.js';
import type { HubMessage, OutboxMessage } from '../../../../shared/messages/queue-messages.js';
import { RetryLaterError } from '../../../../shared/sync/errors.js';
import type { ProviderFixture, RunningFake, WriteBackFake } from '../../../fakes/fixture.js';
import { createWorld, fileDatabase, runSync, type SyncWorld } from '../../sync/harness.js';
import { budget } from '../../sync/writes-support.js';

export interface WriteBackWorld {
  w: SyncWorld;
  fake: RunningFake;
  remote: WriteBackFake;
}

export interface Submission {
  applicationId: string;
  email: string;
  resumeKey: string | null;
  resume: Buffer;
}

/** A small PDF the scan's type sniffing accepts; `tag` makes each submission's bytes its own. */
export function pdf(tag: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% resume ${tag}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`);
}

/** Registers the file's database; returns how to start a synced world for a fixture. */
export function writeBackWorlds() {
  let running: RunningFake | undefined;
  const database = fileDatabase(async () => {
    await running?.stop();
    running = undefined;
  });
  return async (fixture: ProviderFixture): Promise<WriteBackWorld> => {
    const fake = await fixture.start(fixture.sizes.push);
    running = fake;
    const remote = fake.writeBack;
    const w = await createWorld({
      db: database(),
      provider: fixture.name,
      module: fixture.module,
      credentials: fake.credentials,
      settings: { ...fake.settings, ...remote.writeBackSettings },
      clock: fake.clock,
      options: fixture.options,
    });
    await runSync(w, 'full');
    return { w, fake, remote };
  };
}

async function localJobOf(w: SyncWorld, remoteJobId: string): Promise<string> {
  const [ref] = await w.db.owner<{ local_id: string }[]>`
    select local_id from external_refs
    where integration_id = ${w.integrationId} and object_type = 'job' and remote_id = ${remoteJobId}`;
  if (!ref) throw new Error(`job ${remoteJobId} was not synced`);
  return ref.local_id;
}

/** A portal submission through the portal's own use case; `withResume` asks for an upload slot. */
export async function submit(
  world: WriteBackWorld,
  options: { email?: string; withResume?: boolean; job?: number } = {},
): Promise<Submission> {
  const { w, remote } = world;
  const email = options.email ?? `applicant-${randomUUID().slice(0, 8)}@example.test`;
  const resume = pdf(email);
  const jobId = await localJobOf(w, remote.openJobRemoteIds()[options.job ?? 0]!);
  const withResume = options.withResume ?? true;
  const result = await submitApplication(
    { sql: w.db.app, objectStore: w.objects, clock: w.deps.clock, uploadTtlSeconds: 900 },
    { organizationId: w.organizationId, role: 'portal', keyId: '00000000-0000-4000-8000-000000000011' },
    {
      jobId,
      candidate: { firstName: 'Ada', lastName: 'Applicant', email },
      ...(withResume
        ? { resume: { fileName: 'resume.pdf', contentType: 'application/pdf', sizeBytes: resume.length } }
        : {}),
    },
    undefined,
  );
  const body = result.body as {
    application: { id: string };
    resumeUpload?: { fields: Record<string, string> };
  };
  return {
    applicationId: body.application.id,
    email,
    resumeKey: body.resumeUpload?.fields['key'] ?? null,
    resume,
  };
}

/** The browser's upload and GuardDuty's verdict: the bytes land in the store and the scan says `scanResult`. */
export async function uploadAndScan(
  w: SyncWorld,
  submission: Submission,
  scanResult = 'NO_THREATS_FOUND',
): Promise<void> {
  if (!submission.resumeKey) throw new Error('the submission has no resume');
  await w.objects.put(submission.resumeKey, submission.resume, { contentType: 'application/pdf' });
  await scanStoredDocument({ sql: w.db.app, objectStore: w.objects }, submission.resumeKey, scanResult);
}

/** The outbox rows of one application the sync worker consumes, oldest first, as SQS messages. */
export async function pushMessages(w: SyncWorld, applicationId: string): Promise<OutboxMessage[]> {
  const rows = await w.db.owner<
    { id: string; event_type: string; payload: Record<string, unknown>; created_at: Date }[]
  >`
    select id::text, event_type, payload, created_at from outbox
    where aggregate_id = ${applicationId}
      and event_type in ('application.created', 'document.scanned', 'application.push_requested')
    order by id`;
  return rows.map((row) => ({
    type: 'outbox',
    outboxId: row.id,
    organizationId: w.organizationId,
    eventType: row.event_type,
    aggregateType: 'application',
    aggregateId: applicationId,
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
  }));
}

/** One SQS delivery to the sync worker; 'retry' where the worker asks SQS to redeliver. */
export async function deliver(w: SyncWorld, message: HubMessage): Promise<string> {
  try {
    return await handleSyncMessage(w.deps, message, budget);
  } catch (error) {
    if (error instanceof RetryLaterError) return 'retry';
    throw error;
  }
}

/** Every message of the application, each delivered once, in order; returns the outcomes. */
export async function deliverAll(w: SyncWorld, applicationId: string): Promise<string[]> {
  const outcomes: string[] = [];
  for (const message of await pushMessages(w, applicationId)) outcomes.push(await deliver(w, message));
  return outcomes;
}

export async function pushRowOf(w: SyncWorld, applicationId: string): Promise<PushRow | undefined> {
  const [row] = await w.db.owner<
    PushRow[]
  >`select * from submission_pushes where application_id = ${applicationId}`;
  return row;
}

export async function outboxCount(w: SyncWorld, applicationId: string, eventType: string): Promise<number> {
  const [row] = await w.db.owner<{ n: number }[]>`
    select count(*)::int as n from outbox where aggregate_id = ${applicationId} and event_type = ${eventType}`;
  return row!.n;
}

/** What the provider holds for the submission's email: every create counted. */
export const exactlyOnce = { candidates: 1, applications: 1, attachments: 1 };
