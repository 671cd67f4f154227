import type { ProviderName } from '../../providers/registry.js';
import type { Tx } from '../tenant.js';

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
  objectType: 'job' | 'stage' | 'candidate' | 'application',
  remoteId: string,
): Promise<string | undefined> {
  const [row] = await tx<{ local_id: string }[]>`
    select local_id from external_refs
    where integration_id = ${integrationId} and object_type = ${objectType} and remote_id = ${remoteId}`;
  return row?.local_id;
}

/**
 * The job stage a provider names, within the application's job: by its stage ref, else by name, else by the
 * name of the stage its ref points at (providers whose stage ids are account-wide, such as Lever, link a remote
 * stage to one job's stage only; the other jobs hold a stage of the same name).
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
    select s.id from applications a join job_stages s on s.job_id = a.job_id
    left join lateral (select r.local_id, lower(rs.name) as name from external_refs r
        join job_stages rs on rs.id = r.local_id
      where r.integration_id = ${input.integrationId} and r.object_type = 'stage'
        and r.remote_id = ${input.stageRemoteId}) ref on true
    where a.id = ${input.applicationId}
      and (s.id = ref.local_id or lower(s.name) = lower(${input.stageName}) or lower(s.name) = ref.name)
    order by (s.id = ref.local_id) desc nulls last
    limit 1`;
  return row?.id;
}

/**
 * A candidate merge: the merged candidates' applications move to the surviving candidate where that creates
 * no second application for the same job. Returns how many moved.
 */
export async function moveApplicationsToCandidate(
  tx: Tx,
  input: { fromCandidateIds: string[]; toCandidateId: string; now: Date },
): Promise<number> {
  const rows = await tx`
    update applications a set candidate_id = ${input.toCandidateId}, updated_at = ${input.now}
    where a.candidate_id = any(${input.fromCandidateIds}::uuid[]) and a.deleted_at is null
      and not exists (select 1 from applications b where b.organization_id = a.organization_id
        and b.candidate_id = ${input.toCandidateId} and b.job_id = a.job_id)`;
  return rows.count;
}
