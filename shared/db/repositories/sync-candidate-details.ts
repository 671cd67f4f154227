import type { CanonicalCandidate } from '../../domain/canonical.js';
import type { Tx } from '../tenant.js';
import type { SyncScope } from './sync-jobs.js';

/** A candidate of the page as stored: its local id and the provider's record. */
export interface StoredCandidate {
  id: string;
  c: CanonicalCandidate;
}

/**
 * The candidates of the page whose record reports this detail (absent: the hub keeps what it has) and is not older
 * than the stored row: after the page's upsert, a row's `source_updated_at` is the newer of both.
 */
const present = (tx: Tx, rows: readonly StoredCandidate[]) => tx`
  present as (
    select c.id from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.c.remoteUpdatedAt)}::timestamptz[])
      as p(id, source_updated_at)
    join candidates c on c.id = p.id
    where c.source_updated_at is null or p.source_updated_at is null or p.source_updated_at >= c.source_updated_at
  )`;

const tagName = (name: string) => name.trim().slice(0, 100);

/**
 * ONE statement: the provider's tag set of each candidate that reports one replaces the candidate's tags from this
 * provider; tags are found or created by name (case-insensitive), and tags the hub's users added stay. An
 * unchanged set writes nothing. Returns how many candidate tags were added or removed.
 */
export async function replaceProviderTags(
  tx: Tx,
  scope: SyncScope,
  stored: readonly StoredCandidate[],
): Promise<number> {
  const rows = stored.filter((r) => r.c.tags !== undefined);
  if (rows.length === 0) return 0;
  const pairs = rows.flatMap((r) =>
    (r.c.tags ?? []).map(tagName).flatMap((name) => (name === '' ? [] : [{ id: r.id, name }])),
  );
  const [row] = await tx<{ changed: number }[]>`
    with ${present(tx, rows)}, wanted as (
      select distinct on (t.candidate_id, lower(t.name)) t.candidate_id, lower(t.name) as key, t.name
      from unnest(${pairs.map((p) => p.id)}::uuid[], ${pairs.map((p) => p.name)}::text[]) as t(candidate_id, name)
      where t.candidate_id in (select id from present)
    ), created as (
      insert into tags (organization_id, name, source)
      select distinct on (w.key) ${scope.organizationId}, w.name, ${scope.provider} from wanted w
      where not exists (select 1 from tags g where g.organization_id = ${scope.organizationId} and lower(g.name) = w.key)
      on conflict do nothing
      returning id, lower(name) as key
    ), known as (
      select g.id, lower(g.name) as key from tags g
      where g.organization_id = ${scope.organizationId} and lower(g.name) in (select key from wanted)
      union all
      select id, key from created
    ), target as (
      select w.candidate_id, k.id as tag_id from wanted w join known k on k.key = w.key
    ), added as (
      insert into candidate_tags (organization_id, candidate_id, tag_id, source)
      select ${scope.organizationId}, candidate_id, tag_id, ${scope.provider} from target
      on conflict (candidate_id, tag_id) do nothing
      returning 1
    ), removed as (
      delete from candidate_tags ct
      where ct.candidate_id in (select id from present) and ct.source = ${scope.provider}
        and not exists (select 1 from target t where t.candidate_id = ct.candidate_id and t.tag_id = ct.tag_id)
      returning 1
    )
    select ((select count(*) from added) + (select count(*) from removed))::int as changed`;
  return row?.changed ?? 0;
}

/**
 * ONE statement: the attachment metadata of each candidate that reports it, linked as 'attachment' (a file the
 * hub pushed keeps its link to the document and gains its metadata row, one whose application is not synced yet
 * keeps the provider's application id until the application's upsert links it); attachments from this provider the
 * record no longer lists are soft-deleted, one reported again is restored. An unchanged list writes nothing.
 * A ref whose row is gone (its candidate or application deleted, its pushed document swept) lends its local id
 * to the row made again: a fresh id each pass would never match the ref, so every pass would insert a row and
 * soft-delete the previous one.
 */
export async function syncAttachments(
  tx: Tx,
  scope: SyncScope,
  stored: readonly StoredCandidate[],
): Promise<number> {
  const rows = stored.filter((r) => r.c.attachments !== undefined);
  if (rows.length === 0) return 0;
  const list = [
    ...new Map(
      rows.flatMap((r) =>
        (r.c.attachments ?? []).map((a) => [a.remoteId, { id: r.id, a, at: r.c.remoteUpdatedAt }]),
      ),
    ).values(),
  ];
  const [row] = await tx<{ changed: number }[]>`
    with ${present(tx, rows)}, input as (
      select * from unnest(${list.map((l) => l.id)}::uuid[], ${list.map((l) => l.a.remoteId)}::text[],
        ${list.map((l) => l.a.fileName.trim().slice(0, 500) || 'attachment')}::text[], ${list.map((l) => l.a.type)}::text[],
        ${list.map((l) => l.a.applicationRemoteId)}::text[], ${list.map((l) => l.at)}::timestamptz[])
        as t(candidate_id, remote_id, file_name, attachment_type, application_remote_id, source_updated_at)
      where t.candidate_id in (select id from present)
    ), resolved as (
      select coalesce(ca.id, case when doc.id is null then r.local_id end, gen_random_uuid()) as id,
        r.local_id is null as new_ref, doc.id as document_id,
        ap.local_id as application_id, i.*
      from input i
      left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
        and object_type = 'attachment' and remote_id = i.remote_id limit 1) r on true
      left join lateral (select d.id from candidate_documents d where d.id = r.local_id) doc on true
      left join lateral (select x.id from candidate_attachments x where x.id = r.local_id
        union all select x.id from candidate_attachments x where doc.id is not null and x.document_id = doc.id
        limit 1) ca on true
      left join lateral (select local_id from external_refs where integration_id = ${scope.integrationId}
        and object_type = 'application' and remote_id = i.application_remote_id limit 1) ap on true
    ), upserted as (
      insert into candidate_attachments as a (id, organization_id, candidate_id, application_id, file_name,
        attachment_type, document_id, source, source_updated_at, created_at, updated_at, pending_application_remote_id)
      select id, ${scope.organizationId}, candidate_id, application_id, file_name, attachment_type, document_id,
        ${scope.provider}, source_updated_at, ${scope.now}, ${scope.now},
        case when application_id is null then application_remote_id end
      from resolved
      on conflict (id) do update set candidate_id = excluded.candidate_id, application_id = excluded.application_id,
        file_name = excluded.file_name, attachment_type = excluded.attachment_type, deleted_at = null,
        pending_application_remote_id = excluded.pending_application_remote_id, updated_at = now()
      where (a.candidate_id, a.application_id, a.file_name, a.attachment_type, a.deleted_at,
          a.pending_application_remote_id)
        is distinct from (excluded.candidate_id, excluded.application_id, excluded.file_name,
          excluded.attachment_type, null, excluded.pending_application_remote_id)
      returning 1
    ), refs as (
      insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id, remote_updated_at,
        created_at)
      select ${scope.organizationId}, ${scope.integrationId}, 'attachment', id, remote_id, source_updated_at, ${scope.now}
      from resolved where new_ref
      on conflict do nothing
    ), gone as (
      update candidate_attachments a set deleted_at = ${scope.now}, updated_at = now()
      where a.candidate_id in (select id from present) and a.source = ${scope.provider} and a.deleted_at is null
        and a.id not in (select id from resolved)
      returning 1
    )
    select ((select count(*) from upserted) + (select count(*) from gone))::int as changed`;
  return row?.changed ?? 0;
}
