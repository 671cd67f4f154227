/**
 * Opaque keyset cursors of the list routes: the sort key and id of a page's last row, base64url JSON. A cursor
 * that this API did not hand out is a 400 before any query runs (a bad value would otherwise fail a cast).
 */
import { DomainError } from '../domain/errors.js';

/** What each position of a cursor holds: an instant, an id, or a text sort key. */
export type CursorPart = 'time' | 'uuid' | 'text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const valid: Record<CursorPart, (value: string) => boolean> = {
  time: (value) => !Number.isNaN(Date.parse(value)),
  uuid: (value) => UUID.test(value),
  text: (value) => value.length <= 300,
};

export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, shape: readonly CursorPart[]): string[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const ok =
    Array.isArray(parts) &&
    parts.length === shape.length &&
    parts.every((p, i) => typeof p === 'string' && valid[shape[i]!](p));
  if (!ok) {
    throw new DomainError('VALIDATION_FAILED', 'invalid cursor', {
      issues: [{ path: 'query.cursor', message: 'not a cursor returned by this route' }],
    });
  }
  return parts as string[];
}

/** A page from `limit + 1` rows: the extra row only says that a next page exists. */
export function pageOf<R, V>(
  rows: readonly R[],
  limit: number,
  view: (row: R) => V,
  keyOf: (row: R) => readonly string[],
): { items: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null,
  };
}
