import type { Tx } from '../tenant.js';

/**
 * The consumer inbox (docs/reliability.md §2 rule 6): records `consumer × key` in the caller's transaction, so the
 * effect and the record commit together. False when the key was already there (the effect happened before).
 */
export async function markProcessed(tx: Tx, consumer: string, key: string): Promise<boolean> {
  const rows = await tx`
    insert into processed_messages (organization_id, consumer, message_key)
    values (app_org(), ${consumer}, ${key})
    on conflict do nothing
    returning message_key`;
  return rows.length === 1;
}

export async function wasProcessed(tx: Tx, consumer: string, key: string): Promise<boolean> {
  const rows =
    await tx`select 1 from processed_messages where consumer = ${consumer} and message_key = ${key}`;
  return rows.length === 1;
}
