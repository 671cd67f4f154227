/**
 * v3 cursors: opaque URL-safe Base64 of varying length. The fake packs the pass state (resource, first-request
 * filters, page size, last id returned, issue time) into it, so a follow-up needs nothing but `cursor`.
 */
export interface V3CursorState {
  resource: string;
  filters: [string, string][];
  perPage: number;
  lastId: number;
  issuedAt: number;
}

export function encodeV3Cursor(state: V3CursorState, padding: string): string {
  const packed = JSON.stringify({
    r: state.resource,
    f: state.filters,
    p: state.perPage,
    l: state.lastId,
    i: state.issuedAt,
    n: padding,
  });
  return Buffer.from(packed, 'utf8').toString('base64url');
}

export function decodeV3Cursor(cursor: string): V3CursorState | null {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (
      typeof value['r'] !== 'string' ||
      !Array.isArray(value['f']) ||
      typeof value['p'] !== 'number' ||
      typeof value['l'] !== 'number' ||
      typeof value['i'] !== 'number'
    ) {
      return null;
    }
    return {
      resource: value['r'],
      filters: value['f'] as [string, string][],
      perPage: value['p'],
      lastId: value['l'],
      issuedAt: value['i'],
    };
  } catch {
    return null;
  }
}
