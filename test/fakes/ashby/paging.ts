/**
 * The Ashby fake's list engine (docs/providers.md §4.2): `limit` capped silently, `cursor` → `nextCursor` with
 * `moreDataAvailable`, a `syncToken` handed out on the last page only of endpoints that take one, and the
 * documented errors: `invalid_next_cursor`, `next_cursor_expired`, `sync_token_invalid`, `sync_token_expired`,
 * `incremental_sync_too_large`.
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeResponse } from '../common/loopback-server.js';
import type { SeededRng } from '../common/seeded-rng.js';

/** One listable collection: its rows (after the body's filters), how a row renders, whether it takes a syncToken. */
export interface AbCollection {
  rows: (body: Record<string, unknown>) => readonly { updatedAt: number }[];
  render: (row: never) => unknown;
  sync: boolean;
  /** Body fields the endpoint requires (e.g. `candidateId` of candidate.listNotes). */
  required?: string[];
}

export interface ListEngineOptions {
  clock: ControllableClock;
  rng: SeededRng;
  maxPageSize: number;
  cursorTtlMs: number;
  syncTokenTtlMs: number;
  maxIncrementalPages: () => number;
  ok: (body: Record<string, unknown>) => FakeResponse;
  fail: (code: string, message: string, status?: number) => FakeResponse;
}

interface CursorState {
  method: string;
  position: number;
  since: number | null;
  passStartedAt: number;
  page: number;
  issuedAt: number;
}

export function createListEngine(options: ListEngineOptions) {
  const { clock, rng, ok, fail } = options;
  const cursors = new Map<string, CursorState>();
  const syncTokens = new Map<string, { method: string; since: number; issuedAt: number; revoked: boolean }>();

  const list = (method: string, spec: AbCollection, body: Record<string, unknown>): FakeResponse => {
    for (const field of spec.required ?? []) {
      if (typeof body[field] !== 'string' || body[field] === '')
        return fail('invalid_input', `${field} is required`);
    }
    if (!spec.sync && body['syncToken'] !== undefined)
      return fail('invalid_input', `${method} does not take a syncToken`);
    const limitRaw = body['limit'];
    const limit = Math.min(
      typeof limitRaw === 'number' && limitRaw > 0 ? Math.floor(limitRaw) : options.maxPageSize,
      options.maxPageSize,
    );
    let position = 0;
    let since: number | null = null;
    let passStartedAt = clock.nowMs();
    let page = 0;
    if (typeof body['syncToken'] === 'string') {
      const token = syncTokens.get(body['syncToken']);
      if (!token || token.method !== method)
        return fail('sync_token_invalid', 'The sync token is not valid. Discard it and run a full sync.');
      if (token.revoked || clock.nowMs() - token.issuedAt > options.syncTokenTtlMs) {
        return fail('sync_token_expired', 'The sync token has expired. Discard it and run a full sync.');
      }
      since = token.since;
    }
    if (typeof body['cursor'] === 'string') {
      const cursor = cursors.get(body['cursor']);
      if (!cursor || cursor.method !== method)
        return fail('invalid_next_cursor', 'The cursor is not valid. Restart pagination.');
      if (clock.nowMs() - cursor.issuedAt > options.cursorTtlMs)
        return fail('next_cursor_expired', 'The cursor has expired. Restart pagination.');
      position = cursor.position;
      since = cursor.since ?? since;
      passStartedAt = cursor.passStartedAt;
      page = cursor.page;
    }
    if (since !== null && page >= options.maxIncrementalPages()) {
      return fail(
        'incremental_sync_too_large',
        'Too many pages for an incremental sync. Discard the sync token and run a full sync.',
      );
    }
    const rows = spec.rows(body).filter((r) => since === null || r.updatedAt >= since);
    const slice = rows.slice(position, position + limit);
    const more = position + limit < rows.length;
    const response: Record<string, unknown> = {
      results: slice.map((r) => spec.render(r as never)),
      moreDataAvailable: more,
    };
    if (more) {
      const next = rng.alnum(24);
      cursors.set(next, {
        method,
        position: position + limit,
        since,
        passStartedAt,
        page: page + 1,
        issuedAt: clock.nowMs(),
      });
      response['nextCursor'] = next;
    } else if (spec.sync) {
      // The sync token appears on the last page only; it covers changes since this pass started.
      const token = rng.alnum(32);
      syncTokens.set(token, { method, since: passStartedAt, issuedAt: clock.nowMs(), revoked: false });
      response['syncToken'] = token;
    }
    return ok(response);
  };

  return {
    list,
    /** Every sync token issued so far now answers sync_token_expired. */
    expireSyncTokens() {
      for (const token of syncTokens.values()) token.revoked = true;
    },
  };
}
