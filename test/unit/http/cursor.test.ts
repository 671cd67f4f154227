import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, pageOf } from '../../../shared/api/cursor.js';

const ID = '0b7c6a52-5f0e-4d8e-9a3b-1c2d3e4f5a6b';

describe('list cursors', () => {
  it('decode what they encoded', () => {
    const cursor = encodeCursor(['2026-12-04T10:00:00.123456Z', ID]);

    expect(decodeCursor(cursor, ['time', 'uuid'])).toEqual(['2026-12-04T10:00:00.123456Z', ID]);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a cursor of another shape', encodeCursor([ID])],
    ['a time that is not one', encodeCursor(['yesterday', ID])],
    ['an id that is not a UUID', encodeCursor(['2026-12-04T10:00:00Z', "1' or '1'='1"])],
  ])('refuse %s with 400 on query.cursor', (_, cursor) => {
    expect(() => decodeCursor(cursor, ['time', 'uuid'])).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: { issues: [expect.objectContaining({ path: 'query.cursor' })] },
      }),
    );
  });

  it('give a next cursor only when a row beyond the page exists', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

    const [more, last] = [
      pageOf(
        rows,
        2,
        (r) => r.id,
        (r) => [r.id],
      ),
      pageOf(
        rows,
        3,
        (r) => r.id,
        (r) => [r.id],
      ),
    ];

    expect([more.items, decodeCursor(more.nextCursor!, ['text']), last.nextCursor]).toEqual([
      ['a', 'b'],
      ['b'],
      null,
    ]);
  });
});
