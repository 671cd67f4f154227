import { describe, expect, it } from 'vitest';
import { buildPgbenchScript, type CapturedStatement } from '../../bench/pgbench.js';

/** One outbox publish as the relay sends it: the claim, then the mark of the id it claimed. */
const publish = (outboxId: number): CapturedStatement[] => [
  {
    text: `select id::text, payload from outbox where published_at is null order by id limit 10 for update skip locked`,
    params: [],
  },
  { text: `update outbox set published_at = now() where id in (${outboxId})`, params: [] },
];

describe('buildPgbenchScript', () => {
  it('keeps the claimed row with \\gset and marks that row, as the relay does', () => {
    const { script } = buildPgbenchScript(publish(41), publish(42));

    expect(script).toContain('for update skip locked \\gset claimed_');
    expect(script).toContain('where id in (:claimed_id::bigint);');
  });

  it('marks an id no row has when nothing was claimed before', () => {
    const mark = (id: number): CapturedStatement[] => [publish(id)[1]!];

    const { script } = buildPgbenchScript(mark(41), mark(42));

    expect(script).toContain('where id in ((0 - :n::bigint)::bigint);');
  });
});
