import type { ProviderName } from '../../providers/registry.js';
import type { Tx } from '../tenant.js';
import type { IntegrationCore } from './integrations.js';
import type { BreakerColumns } from './sync-breaker.js';

export interface DeliveryRow {
  id: string;
  integration_id: string;
  provider: ProviderName;
  status: 'received' | 'applied' | 'ignored' | 'failed';
  payload: string;
  source_timestamp: Date | null;
}

/** The recorded delivery, locked for this transaction. */
export async function lockDelivery(
  tx: Tx,
  integrationId: string,
  rowId: string,
): Promise<DeliveryRow | undefined> {
  const [row] = await tx<DeliveryRow[]>`
    select d.id::text, d.integration_id, i.provider, d.status, d.payload, d.source_timestamp
    from webhook_deliveries d join integrations i on i.id = d.integration_id
    where d.id = ${rowId} and d.integration_id = ${integrationId}
    for update of d`;
  return row;
}

export async function finishDelivery(
  tx: Tx,
  rowId: string,
  status: 'applied' | 'ignored' | 'failed',
  now: Date,
): Promise<void> {
  await tx`update webhook_deliveries set status = ${status}, applied_at = ${now} where id = ${rowId}`;
}

export async function localIdOf(
  tx: Tx,
  integrationId: string,
  objectType: 'job' | 'candidate' | 'application',
  remoteId: string,
): Promise<string | undefined> {
  const [row] = await tx<{ local_id: string }[]>`
    select local_id from external_refs
    where integration_id = ${integrationId} and object_type = ${objectType} and remote_id = ${remoteId}`;
  return row?.local_id;
}

/**
 * The job stage a provider names, within the application's job: the stage of that job whose ref is the remote
 * stage (each job stage has its own ref, account-wide stage ids included), else the stage of that name. The
 * remote stage's refs are read once (a materialized CTE on the remote-id index), not once per stage of the job.
 */
export async function stageOfApplicationJob(
  tx: Tx,
  input: {
    integrationId: string;
    applicationId: string;
    stageRemoteId: string | null;
    stageName: string | null;
  },
): Promise<string | undefined> {
  const [row] = await tx<{ id: string }[]>`
    with ref as materialized (
      select local_id from external_refs
      where integration_id = ${input.integrationId} and object_type = 'stage' and remote_id = ${input.stageRemoteId}
    )
    select s.id from applications a join job_stages s on s.job_id = a.job_id
    left join ref on ref.local_id = s.id
    where a.id = ${input.applicationId}
      and (ref.local_id is not null or lower(s.name) = lower(${input.stageName}))
    order by ref.local_id is null
    limit 1`;
  return row?.id;
}

/**
 * A candidate merge: the merged candidates' applications move to the surviving candidate. Closed ones always move
 * (history is kept whole); an open one moves unless it would be a second open application of the survivor to its
 * job (applications_one_active_idx): where the survivor already has one, or where several merged candidates had
 * one, the latest applied moves and the others stay with their merged candidate. Returns how many moved.
 */
export async function moveApplicationsToCandidate(
  tx: Tx,
  input: { fromCandidateIds: string[]; toCandidateId: string; now: Date },
): Promise<number> {
  const rows = await tx`
    update applications a set candidate_id = ${input.toCandidateId}, updated_at = ${input.now}
    where a.candidate_id = any(${input.fromCandidateIds}::uuid[]) and a.deleted_at is null
      and (a.status <> 'active' or (
        not exists (select 1 from applications b where b.organization_id = a.organization_id
          and b.candidate_id = ${input.toCandidateId} and b.job_id = a.job_id and b.status = 'active'
          and b.deleted_at is null)
        and not exists (select 1 from applications c where c.organization_id = a.organization_id
          and c.candidate_id = any(${input.fromCandidateIds}::uuid[]) and c.job_id = a.job_id
          and c.status = 'active' and c.deleted_at is null and (c.created_at, c.id) > (a.created_at, a.id))))`;
  return rows.count;
}

/** What a provider session needs of the delivery's integration (a webhook that asks for a read-back). */
export interface WebhookIntegration
  extends Pick<IntegrationCore, 'id' | 'organization_id' | 'provider' | 'settings'>,
    BreakerColumns {}

export async function webhookIntegration(
  tx: Tx,
  integrationId: string,
): Promise<WebhookIntegration | undefined> {
  const [row] = await tx<WebhookIntegration[]>`
    select id, organization_id, provider, settings, breaker_state, breaker_failures, breaker_open_until
    from integrations where id = ${integrationId}`;
  return row;
}
