import { randomUUID } from 'node:crypto';
import type { NoteVisibility } from '../../domain/canonical.js';
import type { Tx } from '../tenant.js';

export type RecordPushStatus = 'pending' | 'succeeded' | 'refused' | 'failed' | 'skipped';

export interface NoteToPush {
  candidate_id: string;
  application_id: string | null;
  body: string;
  visibility: NoteVisibility;
  source: string;
  deleted: boolean;
}

/** The note as stored (the worker role reads private notes too). */
export async function noteToPush(tx: Tx, noteId: string): Promise<NoteToPush | undefined> {
  const [row] = await tx<NoteToPush[]>`
    select candidate_id, application_id, body, visibility, source, deleted_at is not null as deleted
    from notes where id = ${noteId}`;
  return row;
}

export interface RecordPushRefs {
  candidate_remote_id: string | null;
  application_remote_id: string | null;
  /** The note's remote id, when a push (or a sync) already linked it. */
  note_remote_id: string | null;
}

export async function recordPushRefs(
  tx: Tx,
  input: { integrationId: string; candidateId: string; applicationId: string | null; noteId: string | null },
): Promise<RecordPushRefs> {
  const [row] = await tx<RecordPushRefs[]>`
    select
      (select remote_id from external_refs where integration_id = ${input.integrationId}
        and object_type = 'candidate' and local_id = ${input.candidateId}) as candidate_remote_id,
      (select remote_id from external_refs where integration_id = ${input.integrationId}
        and object_type = 'application' and local_id = ${input.applicationId}) as application_remote_id,
      (select remote_id from external_refs where integration_id = ${input.integrationId}
        and object_type = 'note' and local_id = ${input.noteId}) as note_remote_id`;
  return row ?? { candidate_remote_id: null, application_remote_id: null, note_remote_id: null };
}

export type RecordPushClaim =
  | {
      kind: 'claimed';
      token: string;
      /** Attempts including this one: above 1, an earlier attempt may have reached the provider. */
      attempts: number;
      remoteId: string | null;
    }
  /** Final already (succeeded, refused, failed, skipped): never pushed again. */
  | { kind: 'done'; status: RecordPushStatus }
  /** Another attempt holds the lease. */
  | { kind: 'busy' };

/**
 * The push row of one integration × outbox event is created once and leased to one attempt at a time; an
 * attempt that died keeps the lease until it runs out, so a redelivery meanwhile waits rather than races it.
 */
export async function claimRecordPush(
  tx: Tx,
  input: {
    integrationId: string;
    outboxId: string;
    kind: 'note' | 'tags';
    candidateId: string;
    noteId: string | null;
    now: Date;
    leaseMs: number;
  },
): Promise<RecordPushClaim> {
  await tx`
    insert into record_pushes (organization_id, integration_id, outbox_id, kind, candidate_id, note_id, created_at,
      updated_at)
    values (app_org(), ${input.integrationId}, ${input.outboxId}, ${input.kind}, ${input.candidateId}, ${input.noteId},
      ${input.now}, ${input.now})
    on conflict (integration_id, outbox_id) do nothing`;
  const [row] = await tx<{ status: RecordPushStatus; leased_until: Date | null; remote_id: string | null }[]>`
    select status, leased_until, remote_id from record_pushes
    where integration_id = ${input.integrationId} and outbox_id = ${input.outboxId} for update`;
  if (!row) throw new Error('record push row vanished');
  if (row.status !== 'pending') return { kind: 'done', status: row.status };
  if (row.leased_until && row.leased_until.getTime() > input.now.getTime()) return { kind: 'busy' };
  const token = randomUUID();
  const [claimed] = await tx<{ attempts: number }[]>`
    update record_pushes set attempts = attempts + 1, lease_token = ${token},
      leased_until = ${new Date(input.now.getTime() + input.leaseMs)}, updated_at = ${input.now}
    where integration_id = ${input.integrationId} and outbox_id = ${input.outboxId}
    returning attempts`;
  return { kind: 'claimed', token, attempts: claimed!.attempts, remoteId: row.remote_id };
}

export class RecordPushLeaseLostError extends Error {
  constructor() {
    super('the record push lease was taken over');
    this.name = 'RecordPushLeaseLostError';
  }
}

/**
 * Ends an attempt under its lease: a final status, or `pending` (lease released) for a later delivery. A note's
 * remote id is stored and linked in external_refs in the same transaction.
 */
export async function finishRecordPush(
  tx: Tx,
  input: {
    integrationId: string;
    outboxId: string;
    token: string;
    status: RecordPushStatus;
    error: string | null;
    remoteId?: string | null;
    noteId?: string | null;
    now: Date;
  },
): Promise<void> {
  const updated = await tx`
    update record_pushes set status = ${input.status}, last_error = ${input.error?.slice(0, 500) ?? null},
      remote_id = coalesce(${input.remoteId ?? null}, remote_id), lease_token = null, leased_until = null,
      updated_at = ${input.now}
    where integration_id = ${input.integrationId} and outbox_id = ${input.outboxId} and lease_token = ${input.token}`;
  if (updated.count !== 1) throw new RecordPushLeaseLostError();
  if (input.remoteId && input.noteId) {
    await tx`
      insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id, created_at)
      values (app_org(), ${input.integrationId}, 'note', ${input.noteId}, ${input.remoteId}, ${input.now})
      on conflict do nothing`;
  }
}
