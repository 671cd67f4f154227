import type { Tx } from '../tenant.js';
import type { IntegrationCore } from './integrations.js';
import type { BreakerColumns } from './sync-breaker.js';

export interface PushIntegration
  extends Pick<IntegrationCore, 'id' | 'provider' | 'settings'>,
    BreakerColumns {}

export async function enabledIntegrations(tx: Tx): Promise<PushIntegration[]> {
  return tx<PushIntegration[]>`
    select id, provider, settings, breaker_state, breaker_failures, breaker_open_until
    from integrations where organization_id = app_org() and enabled order by created_at, id`;
}

export type PushClaim =
  | { kind: 'claimed'; attempts: number }
  /** Already final (succeeded, refused, failed, skipped): never pushed twice. */
  | { kind: 'done' }
  /** Another piece is pushing it right now. */
  | { kind: 'busy' };

/**
 * The push log row is the per-integration inbox of an outbox change: created once, then claimed by one
 * attempt at a time (an attempt older than `staleBefore` is taken to have died).
 */
export async function claimPush(
  tx: Tx,
  input: { integrationId: string; applicationId: string; outboxId: string; now: Date; staleBefore: Date },
): Promise<PushClaim> {
  await tx`
    insert into status_push_log (organization_id, integration_id, application_id, outbox_id, created_at, updated_at)
    values (app_org(), ${input.integrationId}, ${input.applicationId}, ${input.outboxId}, ${input.now}, ${input.now})
    on conflict (integration_id, outbox_id) do nothing`;
  const [row] = await tx<{ status: string; attempts: number; updated_at: Date }[]>`
    select status, attempts, updated_at from status_push_log
    where integration_id = ${input.integrationId} and outbox_id = ${input.outboxId} for update`;
  if (row?.status !== 'pending') return { kind: 'done' };
  if (row.attempts > 0 && row.updated_at.getTime() > input.staleBefore.getTime()) return { kind: 'busy' };
  await tx`update status_push_log set attempts = attempts + 1, updated_at = ${input.now}
    where integration_id = ${input.integrationId} and outbox_id = ${input.outboxId}`;
  return { kind: 'claimed', attempts: row.attempts + 1 };
}

export async function finishPush(
  tx: Tx,
  input: {
    integrationId: string;
    outboxId: string;
    status: 'pending' | 'succeeded' | 'refused' | 'failed' | 'skipped';
    error: string | null;
    response: Record<string, unknown> | null;
    now: Date;
  },
): Promise<void> {
  await tx`
    update status_push_log set status = ${input.status}, last_error = ${input.error?.slice(0, 500) ?? null},
      remote_response = ${input.response === null ? null : tx.json(input.response as never)},
      updated_at = ${input.status === 'pending' ? new Date(0) : input.now}
    where integration_id = ${input.integrationId} and outbox_id = ${input.outboxId}`;
}

export interface PushRefs {
  application_remote_id: string | null;
  job_remote_id: string | null;
  to_stage_remote_id: string | null;
  from_stage_remote_id: string | null;
  reason_remote_id: string | null;
  candidate_remote_id: string | null;
}

/**
 * The provider's id of a hub stage: its own ref (every job stage has one, account-wide stage ids included),
 * else `settings.stageMap` by name.
 */
function stageRemoteId(tx: Tx, integrationId: string, stageId: string | null) {
  return tx`coalesce(
    (select remote_id from external_refs where integration_id = ${integrationId} and object_type = 'stage'
      and local_id = ${stageId}),
    (select i.settings -> 'stageMap' ->> s.name from integrations i, job_stages s
      where i.id = ${integrationId} and s.id = ${stageId}))`;
}

/** Remote ids the provider needs for this change, from external_refs (stages: see stageRemoteId). */
export async function pushRefs(
  tx: Tx,
  input: {
    integrationId: string;
    applicationId: string;
    toStageId: string | null;
    fromStageId: string | null;
    reasonId: string | null;
  },
): Promise<PushRefs> {
  const [row] = await tx<PushRefs[]>`
    select
      (select remote_id from external_refs where integration_id = ${input.integrationId} and object_type = 'application'
        and local_id = ${input.applicationId}) as application_remote_id,
      (select r.remote_id from applications a join external_refs r on r.integration_id = ${input.integrationId}
        and r.object_type = 'job' and r.local_id = a.job_id where a.id = ${input.applicationId}) as job_remote_id,
      ${stageRemoteId(tx, input.integrationId, input.toStageId)} as to_stage_remote_id,
      ${stageRemoteId(tx, input.integrationId, input.fromStageId)} as from_stage_remote_id,
      (select remote_id from external_refs where integration_id = ${input.integrationId}
        and object_type = 'rejection_reason' and local_id = ${input.reasonId}) as reason_remote_id,
      (select r.remote_id from applications a join external_refs r on r.integration_id = ${input.integrationId}
        and r.object_type = 'candidate' and r.local_id = a.candidate_id where a.id = ${input.applicationId})
        as candidate_remote_id`;
  return row!;
}

/** A refused push is surfaced on the integration (health_detail) for people to see. */
export async function noteRefusedPush(
  tx: Tx,
  input: { integrationId: string; applicationId: string; outboxId: string; message: string; now: Date },
): Promise<void> {
  await tx`
    update integrations set health_detail = health_detail || jsonb_build_object('lastRefusedPush', jsonb_build_object(
      'applicationId', ${input.applicationId}::text, 'outboxId', ${input.outboxId}::text,
      'message', ${input.message.slice(0, 300)}::text, 'at', ${input.now.toISOString()}::text)),
      updated_at = now()
    where id = ${input.integrationId}`;
}
