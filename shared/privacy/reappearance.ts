/**
 * Nothing re-identifies an erased person (docs/privacy.md, "After an erasure"): a sync page that brings them back,
 * by the remote id the hub linked to them or by an email whose hash the erasure kept, is not applied to the hub. The
 * record is skipped with a log line (no personal data), and the erasure counts the reappearance.
 */
import type { ImportLogEntry } from '../db/repositories/sync-import-log.js';
import type { SyncScope } from '../db/repositories/sync-jobs.js';
import type { Tx } from '../db/tenant.js';
import type { CanonicalCandidate, CanonicalNote } from '../domain/canonical.js';

export const ERASED_SKIP_MESSAGE = 'candidate erased at the hub: not re-created';

interface Screened<T> {
  kept: T[];
  log: ImportLogEntry[];
}

async function anyErasure(tx: Tx): Promise<boolean> {
  const [row] = await tx<{ any: boolean }[]>`
    select exists (select 1 from erasures where organization_id = app_org()) as any`;
  return row?.any ?? false;
}

/** Erasures of candidates linked to these remote candidate ids of the integration: remote id → erasure id. */
async function erasedByRef(tx: Tx, scope: SyncScope, remoteIds: readonly string[]) {
  const rows = await tx<{ remote_id: string; erasure_id: string }[]>`
    select r.remote_id, e.id as erasure_id from external_refs r
    join erasures e on e.candidate_id = r.local_id
    where r.integration_id = ${scope.integrationId} and r.object_type = 'candidate'
      and r.remote_id = any(${remoteIds as string[]}::text[])`;
  return new Map(rows.map((r) => [r.remote_id, r.erasure_id]));
}

async function countReappearances(tx: Tx, erasureIds: Iterable<string>, now: Date): Promise<void> {
  const ids = [...new Set(erasureIds)];
  if (ids.length === 0) return;
  await tx`
    update erasures set reappearances = reappearances + 1, last_reappeared_at = ${now}
    where id = any(${ids}::uuid[])`;
}

const skipped = (objectType: string, remoteId: string): ImportLogEntry => ({
  objectType,
  remoteId,
  action: 'skipped',
  message: ERASED_SKIP_MESSAGE,
});

/** The candidates of a sync page that are not erased people. */
export async function screenErasedCandidates(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalCandidate[],
): Promise<Screened<CanonicalCandidate>> {
  if (records.length === 0 || !(await anyErasure(tx))) return { kept: [...records], log: [] };
  const erased = await erasedByRef(
    tx,
    scope,
    records.map((r) => r.remoteId),
  );
  const pairs = records.flatMap((r) =>
    [r.email, ...(r.emails ?? []).map((e) => e.value)]
      .filter((e): e is string => typeof e === 'string' && e.trim() !== '')
      .map((email) => ({ remoteId: r.remoteId, email })),
  );
  if (pairs.length > 0) {
    const byEmail = await tx<{ remote_id: string; erasure_id: string }[]>`
      with input as (
        select t.remote_id, h.hash
        from unnest(${pairs.map((p) => p.remoteId)}::text[], ${pairs.map((p) => p.email)}::text[]) as t(remote_id, email),
          lateral unnest(privacy_email_hashes(array[t.email])) as h(hash)
      )
      select distinct on (i.remote_id) i.remote_id, e.id as erasure_id
      from input i join erasures e on e.email_hashes @> array[i.hash]
      where e.organization_id = app_org()
      order by i.remote_id, e.requested_at`;
    for (const row of byEmail) if (!erased.has(row.remote_id)) erased.set(row.remote_id, row.erasure_id);
  }
  if (erased.size === 0) return { kept: [...records], log: [] };
  await countReappearances(tx, erased.values(), scope.now);
  return {
    kept: records.filter((r) => !erased.has(r.remoteId)),
    log: [...erased.keys()].map((remoteId) => skipped('candidate', remoteId)),
  };
}

/** The notes of a sync page that are not about an erased person (their bodies would bring them back). */
export async function screenErasedNotes(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalNote[],
): Promise<Screened<CanonicalNote>> {
  if (records.length === 0 || !(await anyErasure(tx))) return { kept: [...records], log: [] };
  const erased = await erasedByRef(tx, scope, [...new Set(records.map((r) => r.candidateRemoteId))]);
  if (erased.size === 0) return { kept: [...records], log: [] };
  return {
    kept: records.filter((r) => !erased.has(r.candidateRemoteId)),
    log: records.filter((r) => erased.has(r.candidateRemoteId)).map((r) => skipped('note', r.remoteId)),
  };
}

/**
 * A portal submission by the email of an erased person is accepted (they applied again themselves, a new consent)
 * and flagged: the erasure counts the reappearance. Answers the erasure's id, or null when the email is nobody's.
 */
export async function flagPortalReappearance(tx: Tx, email: string): Promise<string | null> {
  const [row] = await tx<{ id: string | null }[]>`select privacy_flag_reappearance(${[email]}::text[]) as id`;
  return row?.id ?? null;
}
