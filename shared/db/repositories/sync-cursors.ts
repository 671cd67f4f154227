import type { SyncObjectType } from '../../domain/canonical.js';
import type { SyncCursor } from '../../ports/provider.js';
import type { Tx } from '../tenant.js';

export interface CursorRow {
  object_type: SyncObjectType;
  cursor: SyncCursor;
  pass_id: string | null;
  pass_run_id: string | null;
  pass_mode: 'full' | 'incremental' | null;
  page_token: string | null;
  pages_done: number;
  pass_started_at: Date | null;
  pass_restarts: number;
  last_completed_run_id: string | null;
}

export async function readCursor(
  tx: Tx,
  integrationId: string,
  objectType: SyncObjectType,
): Promise<CursorRow | undefined> {
  const [row] = await tx<CursorRow[]>`
    select object_type, cursor, pass_id, pass_run_id, pass_mode, page_token, pages_done, pass_started_at, pass_restarts,
      last_completed_run_id
    from sync_cursors where integration_id = ${integrationId} and object_type = ${objectType}`;
  return row;
}

/** The stored incremental cursor, or null when none (`{}` is how an absent cursor is stored). */
export function storedCursor(row: CursorRow | undefined): SyncCursor | null {
  return row && Object.keys(row.cursor ?? {}).length > 0 ? row.cursor : null;
}

/** Starts a pass (first page next); `dropCursor` forgets the incremental cursor (token expired or refused). */
export async function startPass(
  tx: Tx,
  input: {
    organizationId: string;
    integrationId: string;
    objectType: SyncObjectType;
    passId: string;
    runId: string;
    mode: 'full' | 'incremental';
    now: Date;
    /** Default `now`; earlier when the pass's first page was requested before the pass was recorded. */
    startedAt?: Date;
    dropCursor: boolean;
    restarts: number;
  },
): Promise<void> {
  await tx`
    insert into sync_cursors as c (organization_id, integration_id, object_type, cursor, pass_id, pass_run_id, pass_mode,
      page_token, pages_done, pass_started_at, pass_restarts, updated_at)
    values (${input.organizationId}, ${input.integrationId}, ${input.objectType}, '{}'::jsonb, ${input.passId},
      ${input.runId}, ${input.mode}, null, 0, ${input.startedAt ?? input.now}, ${input.restarts}, ${input.now})
    on conflict (integration_id, object_type) do update set
      cursor = case when ${input.dropCursor} then '{}'::jsonb else c.cursor end,
      pass_id = excluded.pass_id, pass_run_id = excluded.pass_run_id, pass_mode = excluded.pass_mode,
      page_token = null, pages_done = 0, pass_started_at = excluded.pass_started_at,
      pass_restarts = excluded.pass_restarts, updated_at = excluded.updated_at`;
}

/**
 * The checkpoint, committed with the page it covers: compare-and-set on (pass, pages done) so a page is
 * counted once. At the pass end the incremental cursor is stored and the pass is closed for this run.
 */
export async function advancePass(tx: Tx, input: Checkpoint): Promise<boolean> {
  const rows = await checkpointUpdate(tx, input);
  return rows.count === 1;
}

export interface Checkpoint {
  integrationId: string;
  objectType: SyncObjectType;
  passId: string;
  expectedPagesDone: number;
  nextPageToken: string | null;
  /** Present when the pass is complete. */
  completion: { runId: string; nextCursor: SyncCursor | null } | null;
  now: Date;
}

/** advancePass's UPDATE, also sent inside the page's opening statement; `guard` adds a condition. */
export function checkpointUpdate(tx: Tx, input: Checkpoint, guard = tx`true`) {
  const done = input.completion !== null;
  const nextCursor = input.completion?.nextCursor ?? null;
  const cursorJson = nextCursor === null ? null : tx.json(nextCursor as never);
  return tx`
    update sync_cursors set
      page_token = ${done ? null : input.nextPageToken},
      pages_done = pages_done + 1,
      cursor = case when ${done} and ${cursorJson}::jsonb is not null then ${cursorJson}::jsonb else cursor end,
      pass_id = case when ${done} then null else pass_id end,
      pass_run_id = case when ${done} then null else pass_run_id end,
      pass_mode = case when ${done} then null else pass_mode end,
      last_completed_run_id = case when ${done} then ${input.completion?.runId ?? null}::uuid else last_completed_run_id end,
      updated_at = ${input.now}
    where integration_id = ${input.integrationId} and object_type = ${input.objectType}
      and pass_id = ${input.passId} and pages_done = ${input.expectedPagesDone} and ${guard}`;
}

/** Remote ids seen on one page of a full pass; a re-processed page replaces its own row. */
export async function recordSeen(tx: Tx, input: SeenPage): Promise<void> {
  await seenInsert(tx, input);
}

export interface SeenPage {
  organizationId: string;
  integrationId: string;
  passId: string;
  objectType: SyncObjectType;
  page: number;
  remoteIds: string[];
}

/** recordSeen's INSERT, also sent inside the page's opening statement. */
export function seenInsert(tx: Tx, input: SeenPage) {
  return tx`
    insert into sync_seen (organization_id, integration_id, pass_id, object_type, page, remote_ids)
    values (${input.organizationId}, ${input.integrationId}, ${input.passId}, ${input.objectType}, ${input.page},
      ${input.remoteIds}::text[])
    on conflict (pass_id, object_type, page) do update set remote_ids = excluded.remote_ids`;
}

export async function forgetSeen(tx: Tx, passId: string): Promise<void> {
  await tx`delete from sync_seen where pass_id = ${passId}`;
}

/** Refreshes planner statistics of the tables an object type fills (after a bulk import: see 0004_sync.sql). */
export async function refreshStatistics(tx: Tx, objectType: SyncObjectType): Promise<void> {
  await tx`select sync_refresh_stats(${objectType})`;
}
