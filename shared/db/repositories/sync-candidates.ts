import { createHash, randomUUID } from 'node:crypto';
import type { CanonicalCandidate, ContactPoint } from '../../domain/canonical.js';
import type { Tx } from '../tenant.js';
import { replaceProviderTags, syncAttachments } from './sync-candidate-details.js';
import type { SyncScope, UpsertCounts } from './sync-jobs.js';

export interface RecordFailure {
  remoteId: string;
  /** Short reason, no personal data. */
  reason: string;
}

export interface CandidateUpsertResult extends UpsertCounts {
  failures: RecordFailure[];
}

/**
 * Candidates need an email (the hub's identity of a person). A remote candidate without one gets a stable
 * address in the reserved `.invalid` domain, derived from integration and remote id; it never matches anyone.
 */
export function placeholderEmail(integrationId: string, remoteId: string): string {
  const digest = createHash('sha256').update(`${integrationId}:${remoteId}`).digest('hex').slice(0, 32);
  return `no-email-${digest}@sync.invalid`;
}

interface ResolveRow {
  ord: number;
  ref_id: string | null;
  ref_email: string | null;
  owner_id: string | null;
  owner_remote_id: string | null;
}

const validEmail = (email: string | null): string | null => {
  const trimmed = email?.trim() ?? '';
  return trimmed.indexOf('@') > 0 && trimmed.length <= 254 ? trimmed : null;
};

/**
 * One page of candidates. One statement resolves each remote id to its local candidate (external ref) or, for a
 * remote id seen for the first time, to the organization's candidate with the same email (case-insensitive);
 * then ONE statement upserts candidates and new refs, writing nothing for unchanged rows and never letting an
 * older remote version overwrite a newer one. Email clashes are reported per record, not thrown. Tags and
 * attachment metadata follow in one statement each (sync-candidate-details.ts).
 */
export async function upsertCandidatesPage(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalCandidate[],
): Promise<CandidateUpsertResult> {
  const candidates = [...new Map(records.map((r) => [r.remoteId, r])).values()];
  if (candidates.length === 0) return { created: 0, updated: 0, failures: [] };
  const emails = candidates.map((c) => validEmail(c.email));
  // email owners come from sync_candidates_by_email (0004_sync.sql): under RLS a lower(email) predicate
  // cannot use the organization's email index
  const resolved = await tx<ResolveRow[]>`
    with owners as (
      select o.id, o.email_key, (select y.remote_id from external_refs y where y.integration_id = ${scope.integrationId}
          and y.object_type = 'candidate' and y.local_id = o.id limit 1) as remote_id
      from sync_candidates_by_email(${emails.filter((e): e is string => e !== null)}::text[]) o
    )
    select t.ord::int, r.local_id as ref_id, r.email as ref_email, e.id as owner_id, e.remote_id as owner_remote_id
    from unnest(${candidates.map((c) => c.remoteId)}::text[], ${emails}::text[]) with ordinality as t(remote_id, email, ord)
    left join lateral (select x.local_id, c.email from external_refs x left join candidates c on c.id = x.local_id
      where x.integration_id = ${scope.integrationId} and x.object_type = 'candidate' and x.remote_id = t.remote_id
      limit 1) r on true
    left join owners e on e.email_key = lower(t.email)
    order by t.ord`;

  const failures: RecordFailure[] = [];
  const rows: { id: string; c: CanonicalCandidate; email: string; newRef: boolean }[] = [];
  const claimedIds = new Set<string>();
  const claimedEmails = new Set<string>();
  for (const row of resolved) {
    const c = candidates[row.ord - 1]!;
    const email = emails[row.ord - 1] ?? null;
    let id: string;
    let target: string;
    let newRef = false;
    if (row.ref_id) {
      id = row.ref_id;
      // a remote email that already belongs to another local candidate is not taken over; the rest updates
      target =
        email && (!row.owner_id || row.owner_id === row.ref_id)
          ? email
          : (row.ref_email ?? placeholderEmail(scope.integrationId, c.remoteId));
    } else if (row.owner_id) {
      if (row.owner_remote_id !== null && row.owner_remote_id !== c.remoteId) {
        failures.push({ remoteId: c.remoteId, reason: 'email already linked to another remote candidate' });
        continue;
      }
      id = row.owner_id;
      target = email!;
      newRef = true;
    } else {
      id = randomUUID();
      target = email ?? placeholderEmail(scope.integrationId, c.remoteId);
      newRef = true;
    }
    const key = target.toLowerCase();
    if (claimedIds.has(id) || claimedEmails.has(key)) {
      failures.push({ remoteId: c.remoteId, reason: 'duplicate email within the page' });
      continue;
    }
    claimedIds.add(id);
    claimedEmails.add(key);
    rows.push({ id, c, email: target, newRef });
  }
  if (rows.length === 0) return { created: 0, updated: 0, failures };

  const [counts] = await tx<UpsertCounts[]>`
    with input as (
      select * from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.c.remoteId)}::text[],
        ${rows.map((r) => r.c.firstName.slice(0, 200))}::text[], ${rows.map((r) => r.c.lastName.slice(0, 200))}::text[],
        ${rows.map((r) => r.email)}::text[], ${rows.map((r) => r.c.phone)}::text[],
        ${rows.map((r) => r.c.remoteUpdatedAt)}::timestamptz[], ${rows.map((r) => String(r.newRef))}::text[]::bool[],
        ${rows.map((r) => contacts(r.c.emails))}::text[], ${rows.map((r) => contacts(r.c.phones))}::text[],
        ${rows.map((r) => r.c.company?.trim().slice(0, 300) || null)}::text[], ${rows.map((r) => String(r.c.company !== undefined))}::text[]::bool[],
        ${rows.map((r) => r.c.title?.trim().slice(0, 300) || null)}::text[], ${rows.map((r) => String(r.c.title !== undefined))}::text[]::bool[])
        as t(id, remote_id, first_name, last_name, email, phone, source_updated_at, new_ref, emails, phones, company,
          has_company, title, has_title)
    ), upserted as (
      -- a detail the record does not report keeps the hub's value (the current row's, read in the same statement)
      insert into candidates as c (id, organization_id, first_name, last_name, email, phone, emails, phones, company,
        title, source, source_updated_at, created_at)
      select t.id, ${scope.organizationId}, t.first_name, t.last_name, t.email, t.phone,
        coalesce(t.emails::jsonb, cur.emails, '[]'::jsonb), coalesce(t.phones::jsonb, cur.phones, '[]'::jsonb),
        case when t.has_company then t.company else cur.company end, case when t.has_title then t.title else cur.title end,
        ${scope.provider}, t.source_updated_at, ${scope.now}
      from input t left join candidates cur on cur.id = t.id
      on conflict (id) do update set first_name = excluded.first_name, last_name = excluded.last_name,
        email = excluded.email, phone = excluded.phone, emails = excluded.emails, phones = excluded.phones,
        company = excluded.company, title = excluded.title, source_updated_at = excluded.source_updated_at,
        deleted_at = null, updated_at = now()
      where (c.first_name, c.last_name, c.email, c.phone, c.emails, c.phones, c.company, c.title, c.source_updated_at,
          c.deleted_at)
        is distinct from (excluded.first_name, excluded.last_name, excluded.email, excluded.phone, excluded.emails,
          excluded.phones, excluded.company, excluded.title, excluded.source_updated_at, null)
        and (c.source_updated_at is null or excluded.source_updated_at is null or excluded.source_updated_at >= c.source_updated_at)
      returning (xmax = 0) as inserted
    ), refs as (
      insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id, remote_updated_at, created_at)
      select ${scope.organizationId}, ${scope.integrationId}, 'candidate', id, remote_id, source_updated_at, ${scope.now}
      from input where new_ref
    )
    select count(*) filter (where inserted)::int as created, count(*) filter (where not inserted)::int as updated
    from upserted`;
  await replaceProviderTags(tx, scope, rows);
  await syncAttachments(tx, scope, rows);
  return { ...(counts ?? { created: 0, updated: 0 }), failures };
}

/** Emails or phones as stored (jsonb text), or null when the record does not report them. */
function contacts(points: readonly ContactPoint[] | undefined): string | null {
  if (points === undefined) return null;
  const clean = points.flatMap((p) => {
    const value = p.value?.trim() ?? '';
    return value === ''
      ? []
      : [{ value: value.slice(0, 254), type: (p.type || 'other').toLowerCase().slice(0, 30) }];
  });
  return JSON.stringify(clean);
}
