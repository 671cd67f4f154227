/**
 * Ashby list paging shared by every object (docs/providers.md §4.2): the request body of one page (`limit`, the
 * pass's `cursor`, the stored `syncToken`), the page token that carries both, the cursor committed from the
 * last page only, and the pagination errors mapped to what the sync engine does about them.
 */
import * as z from 'zod';
import type { SyncCursor } from '../../ports/provider.js';
import {
  decodePageToken,
  encodePageToken,
  type ListPageRequest,
  ProviderError,
} from '../common/client-kit.js';
import type { AshbyEnvelope } from './schemas.js';

/** Error codes after which the only recovery is dropping the sync token and running a full sync (§0.8). */
const SYNC_TOKEN_CODES = new Set(['sync_token_expired', 'sync_token_invalid', 'incremental_sync_too_large']);
const CURSOR_CODES = new Set(['next_cursor_expired', 'invalid_next_cursor']);

const pageTokenSchema = z.object({ cursor: z.string().min(1), syncToken: z.string().nullable() });
const cursorSchema = z.object({ syncToken: z.string().min(1) });

export interface ListFailure {
  code: string | null;
  status: number;
  message: string;
}

export function listError(method: string, failure: ListFailure): ProviderError {
  if (failure.code && SYNC_TOKEN_CODES.has(failure.code)) {
    return new ProviderError(
      `ashby ${method}: ${failure.code}; drop the sync token and run a full sync`,
      'sync_token_invalid',
      failure.status,
    );
  }
  if (failure.code && CURSOR_CODES.has(failure.code)) {
    return new ProviderError(`ashby ${method}: ${failure.code}`, 'cursor_expired', failure.status);
  }
  return new ProviderError(`ashby ${method}: ${failure.message}`, 'permanent', failure.status);
}

/** The body of one list call and the sync token the pass runs under. */
export function pageBody(
  request: ListPageRequest,
  pageSize: number,
  incrementalAllowed: boolean,
): { body: Record<string, unknown>; syncToken: string | null } {
  let syncToken: string | null = null;
  let cursor: string | null = null;
  if (request.pageToken) {
    const token = decodePageToken(request.pageToken, pageTokenSchema);
    cursor = token.cursor;
    syncToken = token.syncToken;
  } else if (request.mode === 'incremental' && request.cursor && incrementalAllowed) {
    const stored = cursorSchema.safeParse(request.cursor);
    // A cursor without a token (e.g. after a job pass) just means "read everything".
    syncToken = stored.success ? stored.data.syncToken : null;
  }
  const body: Record<string, unknown> = { limit: Math.min(request.pageSize ?? pageSize, pageSize) };
  if (cursor) body['cursor'] = cursor;
  if (syncToken) body['syncToken'] = syncToken;
  return { body, syncToken };
}

/** The next page token, and the cursor to store: the sync token comes only with the last page. */
export function pageEnd(
  envelope: AshbyEnvelope,
  syncToken: string | null,
): { nextPageToken: string | null; nextCursor: SyncCursor | null } {
  const more = envelope.moreDataAvailable === true && !!envelope.nextCursor;
  if (more)
    return { nextPageToken: encodePageToken({ cursor: envelope.nextCursor!, syncToken }), nextCursor: null };
  const lastSyncToken = envelope.syncToken ?? null;
  return { nextPageToken: null, nextCursor: lastSyncToken ? { syncToken: lastSyncToken } : {} };
}
