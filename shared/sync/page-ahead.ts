/**
 * Pages requested before the pass that reads them: the next page of a list while this one is written, and the
 * first page of the next object type's list while the last page of this one is written. A paced sync then waits
 * for the provider's window, not for its own writes, also where it moves from one list to the next
 * (docs/performance-results.md, B7). At most one page is ahead, under the run's session (same limiter, same
 * breaker). A pass uses it only when it asks for exactly that page; anything else is awaited and dropped, and
 * nothing is left running past the invocation.
 */
import { type CursorRow, readCursor, storedCursor } from '../db/repositories/sync-cursors.js';
import type { SyncObjectType } from '../domain/canonical.js';
import type { ListPage, SyncCursor } from '../ports/provider.js';
import { type Drive, tenant } from './drive.js';
import type { ProviderSession } from './provider-session.js';

export type Fetched = { ok: true; page: ListPage } | { ok: false; error: unknown };

/** One list request; two equal requests ask for the same page. */
export interface PageRequest {
  objectType: SyncObjectType;
  mode: 'full' | 'incremental';
  /** The stored cursor an incremental pass reads from; null in a full pass. */
  cursor: SyncCursor | null;
  pageToken: string | null;
}

/** What this run does with an object type's pass, judged from its cursor row. */
export type PassStart =
  | { kind: 'done' }
  | { kind: 'resume'; row: CursorRow }
  | { kind: 'begin'; mode: 'full' | 'incremental' };

export function passStart(drive: Drive, session: ProviderSession, row: CursorRow | undefined): PassStart {
  const { run } = drive;
  if (row && row.last_completed_run_id === run.id && row.pass_run_id === null) return { kind: 'done' };
  if (row && row.pass_run_id === run.id && row.pass_id) return { kind: 'resume', row };
  const incremental =
    run.mode === 'incremental' && session.client.capabilities.incremental && storedCursor(row) !== null;
  return { kind: 'begin', mode: incremental ? 'incremental' : 'full' };
}

const samePage = (a: PageRequest, b: PageRequest): boolean =>
  a.objectType === b.objectType &&
  a.mode === b.mode &&
  a.pageToken === b.pageToken &&
  JSON.stringify(a.cursor) === JSON.stringify(b.cursor);

type Ahead = Promise<{ request: PageRequest; fetched: Fetched } | undefined>;

export class PagesAhead {
  private ahead: Ahead | undefined;
  private firstPageAhead: { objectType: SyncObjectType; since: Date } | undefined;

  constructor(
    private readonly drive: Drive,
    private readonly session: ProviderSession,
    /** The run's object types in the order it syncs them. */
    private readonly order: readonly SyncObjectType[],
  ) {}

  /** The page a pass asks for: the one fetched ahead when it is that page, else fetched now. */
  async fetch(request: PageRequest): Promise<Fetched> {
    const ahead = await this.take();
    if (ahead && samePage(ahead.request, request)) return ahead.fetched;
    return this.request(request);
  }

  /** Starts fetching `request` (the next page of this list) while this one is written. */
  fetchAhead(request: PageRequest): void {
    if (this.ahead) return;
    this.ahead = this.request(request).then((fetched) => ({ request, fetched }));
  }

  /**
   * Starts fetching the first page of the list after `objectType` while this list's last page is written, with
   * what its pass will ask for: nothing when this run already completed that list or resumes a pass of it.
   */
  fetchNextList(objectType: SyncObjectType): void {
    const next = this.order[this.order.indexOf(objectType) + 1];
    if (!next || this.ahead) return;
    const { deps, ref } = this.drive;
    this.firstPageAhead = { objectType: next, since: deps.clock.now() };
    this.ahead = tenant(deps, ref.organizationId, (tx) => readCursor(tx, ref.integrationId, next))
      .then(async (row) => {
        const start = passStart(this.drive, this.session, row);
        if (start.kind !== 'begin') return undefined;
        const cursor = start.mode === 'incremental' ? storedCursor(row) : null;
        const request: PageRequest = { objectType: next, mode: start.mode, cursor, pageToken: null };
        return { request, fetched: await this.request(request) };
      })
      // a look-ahead that could not read the cursor is only a page not fetched early: the pass reads it itself
      .catch(() => undefined);
  }

  /**
   * When a pass of `objectType` begun at `now` started: its first page may have been requested ahead, before
   * the pass row was written, and the reconciliation after a full pass spares only what appeared after its start.
   */
  passStartedAt(objectType: SyncObjectType, now: Date): Date {
    const ahead = this.firstPageAhead;
    this.firstPageAhead = undefined;
    return ahead?.objectType === objectType && ahead.since < now ? ahead.since : now;
  }

  /** Waits for what is still ahead and drops it: the pass stopped, or the invocation ends. */
  async settle(): Promise<void> {
    await this.take();
  }

  private async take() {
    const ahead = this.ahead;
    this.ahead = undefined;
    return ahead ? await ahead : undefined;
  }

  private request(request: PageRequest): Promise<Fetched> {
    const { pageSize } = this.drive.deps.options;
    return this.session
      .call((client) =>
        client.listPage(request.objectType, {
          mode: request.mode,
          cursor: request.cursor,
          pageToken: request.pageToken,
          ...(pageSize ? { pageSize } : {}),
        }),
      )
      .then(
        (page): Fetched => ({ ok: true, page }),
        (error: unknown): Fetched => ({ ok: false, error }),
      );
  }
}
