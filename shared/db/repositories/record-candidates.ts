/**
 * Candidates of the full ATS record as the API reads and edits them, and their tag sets (docs/ats-record.md).
 * Soft-deleted candidates, applications and attachments are never listed.
 */
import type { Tx } from '../tenant.js';
import { keyset, sortKey } from './record-keys.js';

export interface ContactPointRow {
  value: string;
  type: string;
}

export interface CandidateRecordRow {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  emails: ContactPointRow[];
  phones: ContactPointRow[];
  company: string | null;
  title: string | null;
  created_at: Date;
  updated_at: Date;
  sort_at: string;
  tags: string[];
  applications: { id: string; job_id: string; stage: string; status: string }[];
  attachments: { id: string; file_name: string; type: string; source: string }[];
  external_refs: { provider: string; integration_id: string; type: string; remote_id: string }[];
}

export interface CandidateFilter {
  limit: number;
  /** The last row of the previous page: `updated_at`, id. */
  after?: readonly string[];
  email?: string;
  tag?: string;
  updatedAfter?: string;
}

/** One candidate row with its tags, live applications, attachments and remote ids, in one statement. */
function selectCandidates(tx: Tx) {
  return tx`
    select c.id, c.first_name, c.last_name, c.email, c.phone, c.emails, c.phones, c.company, c.title,
      c.created_at, c.updated_at, ${sortKey(tx, 'c.updated_at')},
      coalesce((select json_agg(t.name order by lower(t.name)) from candidate_tags ct join tags t on t.id = ct.tag_id
        where ct.candidate_id = c.id), '[]'::json) as tags,
      coalesce((select json_agg(json_build_object('id', a.id, 'job_id', a.job_id, 'stage', s.name,
          'status', a.status) order by a.created_at, a.id)
        from applications a join job_stages s on s.id = a.stage_id
        where a.candidate_id = c.id and a.deleted_at is null), '[]'::json) as applications,
      coalesce((select json_agg(json_build_object('id', d.id, 'file_name', d.file_name, 'type', d.attachment_type,
          'source', d.source) order by d.created_at, d.id)
        from candidate_attachments d
        where d.candidate_id = c.id and d.deleted_at is null and (d.application_id is null or exists (
          select 1 from applications a where a.id = d.application_id and a.deleted_at is null))), '[]'::json)
        as attachments,
      coalesce((select json_agg(json_build_object('provider', i.provider, 'integration_id', r.integration_id,
          'type', r.object_type, 'remote_id', r.remote_id) order by r.id)
        from external_refs r join integrations i on i.id = r.integration_id
        where r.object_type = 'candidate' and r.local_id = c.id), '[]'::json) as external_refs
    from candidates c`;
}

export async function findCandidateRecord(tx: Tx, id: string): Promise<CandidateRecordRow | undefined> {
  const [row] = await tx<CandidateRecordRow[]>`
    ${selectCandidates(tx)} where c.id = ${id} and c.deleted_at is null`;
  return row;
}

/** Keyset pagination on (updated_at, id) descending; one row more than asked tells whether a next page exists. */
export async function listCandidateRecords(tx: Tx, filter: CandidateFilter): Promise<CandidateRecordRow[]> {
  const email = filter.email ?? null;
  const tag = filter.tag ?? null;
  const [afterAt, afterId] = keyset(filter.after);
  return tx<CandidateRecordRow[]>`
    ${selectCandidates(tx)}
    where c.organization_id = app_org() and c.deleted_at is null
      and (${email}::text is null or lower(c.email) = lower(${email})
        or exists (select 1 from jsonb_array_elements(c.emails) e where lower(e->>'value') = lower(${email})))
      and (${tag}::text is null or exists (select 1 from candidate_tags ct join tags t on t.id = ct.tag_id
        where ct.candidate_id = c.id and lower(t.name) = lower(${tag})))
      and (${filter.updatedAfter ?? null}::timestamptz is null or c.updated_at > ${filter.updatedAfter ?? null})
      and (${afterAt}::text is null or (c.updated_at, c.id) < (${afterAt}::text::timestamptz, ${afterId}::uuid))
    order by c.updated_at desc, c.id desc
    limit ${filter.limit + 1}`;
}

export interface CandidateChange {
  firstName?: string | undefined;
  lastName?: string | undefined;
  emails?: ContactPointRow[] | undefined;
  phones?: ContactPointRow[] | undefined;
  company?: string | null | undefined;
  title?: string | null | undefined;
}

/**
 * Applies the fields given; the first email and phone become the primary ones (`email`, `phone`). Answers
 * whether the candidate exists; a primary email another candidate holds fails on the unique index.
 */
export async function updateCandidateRecord(tx: Tx, id: string, change: CandidateChange): Promise<boolean> {
  const has = (key: keyof CandidateChange) => change[key] !== undefined;
  const rows = await tx`
    update candidates set
      first_name = coalesce(${change.firstName ?? null}, first_name),
      last_name = coalesce(${change.lastName ?? null}, last_name),
      emails = coalesce(${change.emails ? tx.json(change.emails as never) : null}::jsonb, emails),
      email = coalesce(${change.emails?.[0]?.value ?? null}, email),
      phones = coalesce(${change.phones ? tx.json(change.phones as never) : null}::jsonb, phones),
      phone = case when ${has('phones')} then ${change.phones?.[0]?.value ?? null} else phone end,
      company = case when ${has('company')} then ${change.company ?? null} else company end,
      title = case when ${has('title')} then ${change.title ?? null} else title end,
      updated_at = now()
    where id = ${id} and deleted_at is null
    returning id`;
  return rows.length > 0;
}

export interface TagChange {
  tags: string[];
  added: string[];
  removed: string[];
}

/**
 * Makes the candidate's tag set exactly `names` (compared case-insensitively; an existing tag keeps its
 * spelling). Undefined when the candidate does not exist; the candidate row is locked so concurrent
 * replacements apply one after the other.
 */
export async function replaceCandidateTags(
  tx: Tx,
  candidateId: string,
  names: readonly string[],
): Promise<TagChange | undefined> {
  const [candidate] = await tx`
    select id from candidates where id = ${candidateId} and deleted_at is null for update`;
  if (!candidate) return undefined;
  const current = await tx<{ id: string; name: string }[]>`
    select t.id, t.name from candidate_tags ct join tags t on t.id = ct.tag_id where ct.candidate_id = ${candidateId}`;
  const wanted = new Map<string, string>();
  for (const name of names) if (!wanted.has(name.toLowerCase())) wanted.set(name.toLowerCase(), name);
  const held = new Set(current.map((t) => t.name.toLowerCase()));
  const added = [...wanted].filter(([lower]) => !held.has(lower)).map(([, name]) => name);
  const removed = current.filter((t) => !wanted.has(t.name.toLowerCase()));
  if (added.length > 0) {
    await tx`insert into tags (organization_id, name) select app_org(), unnest(${added}::text[])
      on conflict (organization_id, lower(name)) do nothing`;
    await tx`insert into candidate_tags (organization_id, candidate_id, tag_id)
      select app_org(), ${candidateId}, t.id from tags t
      where t.organization_id = app_org() and lower(t.name) = any(${added.map((n) => n.toLowerCase())}::text[])
      on conflict do nothing`;
  }
  if (removed.length > 0) {
    await tx`delete from candidate_tags where candidate_id = ${candidateId}
      and tag_id = any(${removed.map((t) => t.id)}::uuid[])`;
  }
  if (added.length > 0 || removed.length > 0) {
    await tx`update candidates set updated_at = now() where id = ${candidateId}`;
  }
  const tags = await tx<{ name: string }[]>`
    select t.name from candidate_tags ct join tags t on t.id = ct.tag_id where ct.candidate_id = ${candidateId}
    order by lower(t.name)`;
  return { tags: tags.map((t) => t.name), added, removed: removed.map((t) => t.name) };
}

export interface TagRow {
  id: string;
  name: string;
  source: string;
  created_at: Date;
}

/** Tags by lower-cased name, then id; `after` is the previous page's last (lower(name), id). */
export async function listTags(tx: Tx, limit: number, after?: readonly string[]): Promise<TagRow[]> {
  const [afterName, afterId] = keyset(after);
  return tx<TagRow[]>`
    select id, name, source, created_at from tags
    where organization_id = app_org()
      and (${afterName}::text is null or (lower(name), id) > (${afterName}::text, ${afterId}::uuid))
    order by lower(name), id
    limit ${limit + 1}`;
}
