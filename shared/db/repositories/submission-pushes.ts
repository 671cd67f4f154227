/**
 * The write-back of portal submissions (docs/write-back.md): what a push needs to know about its application,
 * the push row with its lease, and the per-step writes. Every write after the lease is fenced by the lease token,
 * so a worker that lost its lease (took too long, another worker took over) can no longer record anything.
 */
import type { ProviderName } from '../../providers/registry.js';
import type { Tx } from '../tenant.js';
import type { BreakerColumns } from './sync-breaker.js';

export type PushState = 'pending' | 'pushed' | 'failed';
export type ScanStatus = 'pending_upload' | 'uploaded' | 'clean' | 'infected' | 'failed' | 'rejected';

export interface PushRow {
  application_id: string;
  integration_id: string;
  state: PushState;
  attempts: number;
  last_error_code: string | null;
  last_error_message: string | null;
  candidate_remote_id: string | null;
  application_remote_id: string | null;
  attachment_remote_id: string | null;
  pushed_at: Date | null;
}

export interface PushTarget extends BreakerColumns {
  id: string;
  organization_id: string;
  provider: ProviderName;
  enabled: boolean;
  settings: Record<string, unknown>;
}

export interface PushContext {
  applicationId: string;
  jobId: string;
  candidateId: string;
  source: string;
  deleted: boolean;
  person: { firstName: string; lastName: string; email: string; phone: string | null };
  /** The integration the application's job came from, with the job's remote id; null for local jobs. */
  target: (PushTarget & { jobRemoteId: string }) | null;
  /** The application's newest resume, if any. */
  document: {
    id: string;
    s3Key: string;
    fileName: string;
    contentType: string;
    sizeBytes: number;
    scanStatus: ScanStatus;
  } | null;
  push: PushRow | null;
}

const PUSH_COLUMNS = `application_id, integration_id, state, attempts, last_error_code, last_error_message,
  candidate_remote_id, application_remote_id, attachment_remote_id, pushed_at`;

/** Everything a push reads, in one statement; undefined when the application does not exist. */
export async function loadPushContext(tx: Tx, applicationId: string): Promise<PushContext | undefined> {
  const [row] = await tx<
    {
      id: string;
      job_id: string;
      candidate_id: string;
      source: string;
      deleted: boolean;
      person: PushContext['person'];
      target: (PushTarget & { jobRemoteId: string }) | null;
      document: PushContext['document'];
    }[]
  >`
    select a.id, a.job_id, a.candidate_id, a.source, a.deleted_at is not null as deleted,
      json_build_object('firstName', c.first_name, 'lastName', c.last_name, 'email', c.email, 'phone', c.phone)
        as person,
      (select json_build_object('id', i.id, 'organization_id', i.organization_id, 'provider', i.provider,
          'enabled', i.enabled, 'settings', i.settings, 'breaker_state', i.breaker_state,
          'breaker_failures', i.breaker_failures, 'breaker_open_until', i.breaker_open_until,
          'jobRemoteId', r.remote_id)
        from external_refs r join integrations i on i.id = r.integration_id
        where r.object_type = 'job' and r.local_id = a.job_id
        order by r.id limit 1) as target,
      (select json_build_object('id', d.id, 's3Key', d.s3_key, 'fileName', d.file_name,
          'contentType', d.content_type, 'sizeBytes', d.size_bytes, 'scanStatus', d.scan_status)
        from candidate_documents d where d.application_id = a.id and d.document_type = 'resume'
        order by d.created_at desc, d.id desc limit 1) as document
    from applications a join candidates c on c.id = a.candidate_id
    where a.id = ${applicationId}`;
  if (!row) return undefined;
  const [push] = await tx.unsafe<PushRow[]>(
    `select ${PUSH_COLUMNS} from submission_pushes where application_id = $1`,
    [applicationId],
  );
  const target = row.target
    ? {
        ...row.target,
        breaker_open_until: row.target.breaker_open_until ? new Date(row.target.breaker_open_until) : null,
      }
    : null;
  return {
    applicationId: row.id,
    jobId: row.job_id,
    candidateId: row.candidate_id,
    source: row.source,
    deleted: row.deleted,
    person: row.person,
    target,
    document: row.document ? { ...row.document, sizeBytes: Number(row.document.sizeBytes) } : null,
    push: push ?? null,
  };
}

/** The push row of an application, created pending on first sight. */
export async function ensurePushRow(
  tx: Tx,
  input: { applicationId: string; integrationId: string; now: Date },
): Promise<PushRow> {
  await tx`
    insert into submission_pushes (organization_id, application_id, integration_id, created_at, updated_at)
    values (app_org(), ${input.applicationId}, ${input.integrationId}, ${input.now}, ${input.now})
    on conflict (application_id) do nothing`;
  const [row] = await tx.unsafe<PushRow[]>(
    `select ${PUSH_COLUMNS} from submission_pushes where application_id = $1`,
    [input.applicationId],
  );
  return row!;
}

/**
 * Takes the push for one attempt: only a pending push whose lease is free or expired. `countAttempt` is false for
 * a look that ends up waiting (the resume is not scanned yet), so waiting never spends the retry budget.
 */
export async function leasePush(
  tx: Tx,
  input: { applicationId: string; token: string; now: Date; until: Date },
): Promise<PushRow | undefined> {
  const [row] = await tx.unsafe<PushRow[]>(
    `update submission_pushes set lease_token = $2, leased_until = $4, attempts = attempts + 1, updated_at = $3
     where application_id = $1 and state = 'pending' and (leased_until is null or leased_until < $3)
     returning ${PUSH_COLUMNS}`,
    [input.applicationId, input.token, input.now, input.until],
  );
  return row;
}

export type PushStep =
  | { step: 'candidate'; remoteId: string; localId: string }
  | { step: 'application'; remoteId: string; localId: string }
  | { step: 'attachment'; remoteId: string; localId: string };

export class PushLeaseLostError extends Error {
  constructor() {
    super('the push lease was taken over');
    this.name = 'PushLeaseLostError';
  }
}

/**
 * Stores one step's remote id under the lease, and links it in external_refs (an attachment to its document) so
 * later moves and syncs find it.
 * A remote object already linked to another local row keeps that link (the push row still holds the id).
 */
export async function recordPushStep(
  tx: Tx,
  input: { applicationId: string; integrationId: string; token: string; now: Date; steps: PushStep[] },
): Promise<void> {
  for (const step of input.steps) {
    const column = `${step.step}_remote_id`;
    const updated = await tx.unsafe(
      `update submission_pushes set ${column} = $3, updated_at = $4 where application_id = $1 and lease_token = $2`,
      [input.applicationId, input.token, step.remoteId, input.now],
    );
    if (updated.count !== 1) throw new PushLeaseLostError();
    await tx`
      insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
      values (app_org(), ${input.integrationId}, ${step.step}, ${step.localId}, ${step.remoteId})
      on conflict do nothing`;
  }
}

export interface PushOutcome {
  state: PushState;
  /** The failure of this attempt; null when it succeeded or progressed as far as it could. */
  error: { code: string; message: string } | null;
  /** The outbox event the transition emits, when it is one the notifications announce. */
  event: { type: 'application.pushed' | 'application.push_failed'; payload: Record<string, unknown> } | null;
}

/**
 * Ends an attempt under its lease: state, last error, lease released, and the event in the same transaction. An
 * attempt whose lease another took over records nothing, like its steps (PushLeaseLostError).
 */
export async function finishPushAttempt(
  tx: Tx,
  input: { applicationId: string; token: string; now: Date; outcome: PushOutcome },
): Promise<void> {
  const { outcome } = input;
  const updated = await tx`
    update submission_pushes set state = ${outcome.state},
      -- an attempt that progressed and now waits for the scan gives the budget back
      attempts = case when ${outcome.state} = 'pending' and ${outcome.error === null} then 0 else attempts end,
      last_error_code = ${outcome.error?.code ?? null},
      last_error_message = ${outcome.error?.message.slice(0, 500) ?? null},
      pushed_at = ${outcome.state === 'pushed' ? input.now : null},
      lease_token = null, leased_until = null, updated_at = ${input.now}
    where application_id = ${input.applicationId} and lease_token = ${input.token}`;
  if (updated.count !== 1) throw new PushLeaseLostError();
  if (outcome.event) {
    await tx`
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      values (app_org(), 'application', ${input.applicationId}, ${outcome.event.type},
        ${tx.json(outcome.event.payload as never)})`;
  }
}

/** Frees the lease of an attempt that only looked (waiting for the scan), giving its attempt back. */
export async function releasePushLease(
  tx: Tx,
  input: { applicationId: string; token: string; now: Date },
): Promise<void> {
  await tx`
    update submission_pushes set lease_token = null, leased_until = null, attempts = greatest(attempts - 1, 0),
      updated_at = ${input.now}
    where application_id = ${input.applicationId} and lease_token = ${input.token}`;
}

/** POST /applications/{id}/push: a failed push becomes pending again with a fresh budget; false when none exists. */
export async function requeueFailedPush(
  tx: Tx,
  input: { applicationId: string; now: Date },
): Promise<boolean> {
  const updated = await tx`
    update submission_pushes set state = 'pending', attempts = 0, updated_at = ${input.now}
    where application_id = ${input.applicationId} and state in ('pending', 'failed')`;
  if (updated.count !== 1) return false;
  await tx`
    insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
    values (app_org(), 'application', ${input.applicationId}, 'application.push_requested',
      ${tx.json({ applicationId: input.applicationId } as never)})`;
  return true;
}
