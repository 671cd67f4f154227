import type { Tx } from '../tenant.js';

/** The kinds of push a retry re-arms here; a submission has its own retry (requeueFailedPush). */
export type RearmKind = 'status' | 'note' | 'tags';

export interface RearmedPush {
  /** The push's status before the retry; only `failed` is re-armed. */
  status: string;
  outboxId: string;
  aggregateId: string;
}

/**
 * A failed status, note or tag push is pending again, in the caller's transaction, and an outbox
 * `push.retry_requested` names the original event for the sync worker. Nothing else changes: the attempts stay
 * (a note whose create may have reached the provider is looked up before another create), the lease rules stay.
 * A status push's inbox mark is removed so the worker reads the event again; its other integrations' rows are
 * final and are not pushed again. Undefined when there is no such row in the organization.
 */
export async function rearmFailedPush(
  tx: Tx,
  input: { kind: RearmKind; rowId: string; now: Date; statusConsumer: string },
): Promise<RearmedPush | undefined> {
  const table = input.kind === 'status' ? tx`status_push_log` : tx`record_pushes`;
  const [row] = await tx<{ status: string; outbox_id: string; aggregate_id: string }[]>`
    select p.status, p.outbox_id::text, o.aggregate_id from ${table} p join outbox o on o.id = p.outbox_id
    where p.id = ${input.rowId}::bigint
      ${input.kind === 'status' ? tx`` : tx`and p.kind = ${input.kind}`}
    for update of p`;
  if (!row) return undefined;
  const found = { status: row.status, outboxId: row.outbox_id, aggregateId: row.aggregate_id };
  if (row.status !== 'failed') return found;
  if (input.kind === 'status') {
    // updated_at at the epoch: the row reads as not claimed (claimPush), like a pending row a failed attempt left
    await tx`update status_push_log set status = 'pending', updated_at = ${new Date(0)}
      where id = ${input.rowId}::bigint`;
    await tx`delete from processed_messages
      where consumer = ${input.statusConsumer} and message_key = ${`outbox:${row.outbox_id}`}`;
  } else {
    await tx`update record_pushes set status = 'pending', lease_token = null, leased_until = null,
      updated_at = ${input.now} where id = ${input.rowId}::bigint`;
  }
  await tx`
    insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
    select app_org(), aggregate_type, aggregate_id, 'push.retry_requested',
      ${tx.json({ kind: input.kind, outboxId: row.outbox_id } as never)}
    from outbox where id = ${row.outbox_id}::bigint`;
  return found;
}

/** The event a retried push re-runs, as the worker reads it (its own role). */
export async function originalOutboxRow(tx: Tx, outboxId: string) {
  const [row] = await tx<
    {
      id: string;
      organization_id: string;
      aggregate_type: string;
      aggregate_id: string;
      event_type: string;
      payload: Record<string, unknown>;
      created_at: Date;
    }[]
  >`select id::text, organization_id, aggregate_type, aggregate_id, event_type, payload, created_at
    from outbox where id = ${outboxId}::bigint`;
  return row;
}

/** A submission's push state for the retry route (its own retry re-arms it). */
export async function submissionPushState(tx: Tx, applicationId: string): Promise<string | undefined> {
  const [row] = await tx<{ state: string }[]>`
    select state from submission_pushes where application_id = ${applicationId}`;
  return row?.state;
}
