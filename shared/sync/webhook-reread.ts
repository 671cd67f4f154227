/**
 * Webhooks that name a record without its content (Lever's interview events carry ids only, `record.reread`): the
 * hub reads the parent's list back from the provider, through the integration's session (limiter, breaker,
 * retries), BEFORE the delivery's transaction, so no provider call holds a database connection or the delivery's
 * lock. What it read is then applied like a `record.upserted` of the event's time, through the same out-of-order
 * guard as every other webhook.
 */
import type { ImportLogEntry } from '../db/repositories/sync-import-log.js';
import type { WebhookIntegration } from '../db/repositories/sync-webhooks.js';
import type { CanonicalRecordObject, CanonicalWebhookEvent } from '../domain/canonical.js';
import { ProviderError } from '../ports/provider.js';
import type { SyncDependencies } from './dependencies.js';
import { BreakerOpenError, IntegrationSetupError, RetryLaterError } from './errors.js';
import { ProviderSession } from './provider-session.js';

type Reread = Extract<CanonicalWebhookEvent, { kind: 'record.reread' }>;

/** Per re-read event (by its index in the delivery): the records read back, or why none could be. */
export type ReadBack = Map<number, CanonicalRecordObject[] | { skipped: string }>;

export const needsReadBack = (events: readonly CanonicalWebhookEvent[]) =>
  events.some((e) => e.kind === 'record.reread');

/**
 * Reads back every `record.reread` of the delivery. A provider that is down or throttling (or an open breaker)
 * throws RetryLaterError: the message is redelivered. Any other failure skips the event with its reason; the next
 * incremental sync reads the record anyway.
 */
export async function readBack(
  deps: SyncDependencies,
  integration: WebhookIntegration,
  events: readonly CanonicalWebhookEvent[],
): Promise<ReadBack> {
  const read: ReadBack = new Map();
  let session: ProviderSession | undefined;
  for (const [index, event] of events.entries()) {
    if (event.kind !== 'record.reread') continue;
    try {
      session ??= await ProviderSession.open(deps, integration);
      const records = await session.call((client) => {
        if (!client.readRecords)
          throw new ProviderError(`${client.provider} cannot read ${event.objectType} back`, 'permanent');
        return client.readRecords(event.objectType, event.parentRemoteId);
      });
      read.set(
        index,
        records.filter((r) => r.objectType === event.objectType && wanted(event, r.record.remoteId)),
      );
    } catch (error) {
      if (
        error instanceof BreakerOpenError ||
        (error instanceof ProviderError && (error.kind === 'transient' || error.kind === 'rate_limited'))
      )
        throw new RetryLaterError(`read-back of ${event.objectType}: ${error.message}`);
      if (error instanceof ProviderError || error instanceof IntegrationSetupError) {
        read.set(index, { skipped: `read-back failed: ${error.message}` });
        continue;
      }
      throw error;
    }
  }
  return read;
}

const wanted = (event: Reread, remoteId: string) => event.remoteId === null || event.remoteId === remoteId;

/**
 * The delivery's events with each `record.reread` replaced by what was read back: one `record.upserted` per record,
 * at the event's time (a record without its own timestamp is guarded by it). A record no longer listed (deleted
 * since) becomes nothing; a skipped read-back becomes an import_log entry.
 */
export function withReadBack(
  events: readonly CanonicalWebhookEvent[],
  read: ReadBack,
): { events: CanonicalWebhookEvent[]; log: ImportLogEntry[] } {
  const out: CanonicalWebhookEvent[] = [];
  const log: ImportLogEntry[] = [];
  for (const [index, event] of events.entries()) {
    if (event.kind !== 'record.reread') {
      out.push(event);
      continue;
    }
    const found = read.get(index) ?? [];
    if (!Array.isArray(found)) {
      log.push({
        objectType: event.objectType,
        remoteId: event.remoteId,
        action: 'skipped',
        message: found.skipped,
      });
      continue;
    }
    for (const object of found) out.push({ kind: 'record.upserted', object, occurredAt: event.occurredAt });
  }
  return { events: out, log };
}
