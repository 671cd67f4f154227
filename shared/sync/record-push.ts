/**
 * The push of hub-written notes and tag changes to the providers (docs/ats-record.md, "Pushing notes and tags").
 *
 * Exactly once per integration × outbox event, like the write-back of submissions:
 * - one record_pushes row per integration × event, leased to one attempt at a time; a final row is never pushed
 *   again, so a redelivered message changes nothing;
 * - a note's remote id is stored (and linked as 'note' in external_refs) in the transaction that ends the attempt;
 * - a create is never retried blind (`callOnce`): an attempt after one that may have reached the provider (a lost
 *   response, a crash before the commit) looks the note up first (`findNote`) and adopts what it finds.
 * Tag changes add and remove by name, which every provider applies idempotently: they are simply retried.
 */

import {
  claimRecordPush,
  finishRecordPush,
  noteToPush,
  type RecordPushRefs,
  type RecordPushStatus,
  recordPushRefs,
} from '../db/repositories/record-pushes.js';
import type { PushIntegration } from '../db/repositories/sync-push.js';
import { enabledIntegrations } from '../db/repositories/sync-push.js';
import { withTenant } from '../db/tenant.js';
import { candidateTagsChanged, noteCreated } from '../messages/events.js';
import type { OutboxMessage } from '../messages/queue-messages.js';
import { logger } from '../observability/logger.js';
import { ProviderError, type RecordWriter } from '../ports/provider.js';
import type { SyncDependencies } from './dependencies.js';
import { BreakerOpenError, IntegrationSetupError, RetryLaterError } from './errors.js';
import { ProviderSession } from './provider-session.js';

export const RECORD_PUSH_EVENTS = new Set(['note.created', 'candidate.tags_changed']);

const LEASE_MS = 2 * 60_000;

/** What one integration is asked to do. */
type Work =
  | {
      kind: 'note';
      noteId: string;
      candidateId: string;
      applicationId: string | null;
      body: string;
      visibility: 'organization' | 'shared';
    }
  | { kind: 'tags'; candidateId: string; add: string[]; remove: string[] };

interface Outcome {
  status: RecordPushStatus;
  error: string | null;
  remoteId?: string | null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value : null;

/** The work an event asks for, or why there is none (private notes are never pushed). */
async function workOf(deps: SyncDependencies, message: OutboxMessage): Promise<Work | string> {
  if (message.eventType === 'candidate.tags_changed') {
    const p = candidateTagsChanged.safeParse(message.payload);
    if (!p.success) return 'invalid payload';
    if (p.data.added.length + p.data.removed.length === 0) return 'no tag changed';
    return { kind: 'tags', candidateId: p.data.candidateId, add: p.data.added, remove: p.data.removed };
  }
  const p = noteCreated.safeParse(message.payload);
  if (!p.success) return 'invalid payload';
  if (p.data.visibility === 'private') return 'private note';
  const note = await withTenant(deps.sql, message.organizationId, 'worker', (tx) =>
    noteToPush(tx, p.data.noteId),
  );
  if (!note || note.deleted) return 'note not found';
  // only what the hub's users wrote goes out: a synced note already lives at its provider
  if (note.source !== 'hub' || note.visibility === 'private') return 'not a hub note';
  return {
    kind: 'note',
    noteId: p.data.noteId,
    candidateId: note.candidate_id,
    applicationId: note.application_id,
    body: note.body,
    visibility: note.visibility,
  };
}

/** What a failed call means: retry on a later delivery, or stop with the provider's word. */
function failure(error: unknown): Outcome {
  if (error instanceof BreakerOpenError) return { status: 'pending', error: 'breaker open' };
  if (error instanceof ProviderError) {
    if (error.kind === 'transient' || error.kind === 'rate_limited')
      return { status: 'pending', error: `${error.kind}: ${error.message}` };
    return { status: error.kind === 'refused' ? 'refused' : 'failed', error: error.message };
  }
  if (error instanceof IntegrationSetupError) return { status: 'failed', error: error.message };
  // anything else is a crash: nothing is recorded, the lease runs out, and the next attempt looks up first
  throw error;
}

async function pushNote(
  session: ProviderSession,
  writer: RecordWriter,
  work: Extract<Work, { kind: 'note' }>,
  refs: RecordPushRefs,
  context: { attempts: number; remoteId: string | null; actingUserId: string | null },
): Promise<Outcome> {
  const known = context.remoteId ?? refs.note_remote_id;
  if (known) return { status: 'succeeded', error: null, remoteId: known };
  const where = {
    candidateRemoteId: refs.candidate_remote_id!,
    applicationRemoteId: refs.application_remote_id,
  };
  if (context.attempts > 1) {
    // an earlier attempt may have created it without the hub hearing back
    if (!writer.findNote)
      return {
        status: 'failed',
        error: 'an earlier attempt may have created the note and it cannot be looked up',
      };
    const found = await session.call(() => writer.findNote!({ ...where, body: work.body }));
    if (found) return { status: 'succeeded', error: null, remoteId: found };
  }
  const remoteId = await session.callOnce(() =>
    writer.addNote!({
      ...where,
      body: work.body,
      visibility: work.visibility,
      actingUserId: context.actingUserId,
    }),
  );
  return { status: 'succeeded', error: null, remoteId };
}

async function pushToIntegration(
  deps: SyncDependencies,
  message: OutboxMessage,
  integration: PushIntegration,
  work: Work,
): Promise<RecordPushStatus> {
  const org = message.organizationId;
  const noteId = work.kind === 'note' ? work.noteId : null;
  const claim = await withTenant(deps.sql, org, 'worker', (tx) =>
    claimRecordPush(tx, {
      integrationId: integration.id,
      outboxId: message.outboxId,
      kind: work.kind,
      candidateId: work.candidateId,
      noteId,
      now: deps.clock.now(),
      leaseMs: LEASE_MS,
    }),
  );
  if (claim.kind === 'done') return claim.status;
  if (claim.kind === 'busy') return 'pending';
  const finish = async (outcome: Outcome) => {
    await withTenant(deps.sql, org, 'worker', (tx) =>
      finishRecordPush(tx, {
        integrationId: integration.id,
        outboxId: message.outboxId,
        token: claim.token,
        ...outcome,
        noteId,
        now: deps.clock.now(),
      }),
    );
    return outcome.status;
  };
  const refs = await withTenant(deps.sql, org, 'worker', (tx) =>
    recordPushRefs(tx, {
      integrationId: integration.id,
      candidateId: work.candidateId,
      applicationId: work.kind === 'note' ? work.applicationId : null,
      noteId,
    }),
  );
  if (!refs.candidate_remote_id)
    return finish({ status: 'skipped', error: 'candidate is not linked to this integration' });
  let outcome: Outcome;
  try {
    const session = await ProviderSession.open(deps, { ...integration, organization_id: org });
    const writer = session.client.records;
    const actingUserId = text(integration.settings['actingUserId']);
    if (work.kind === 'note') {
      outcome = writer?.addNote
        ? await pushNote(session, writer, work, refs, { ...claim, actingUserId })
        : { status: 'skipped', error: `${integration.provider} takes no notes` };
    } else if (!writer?.changeTags) {
      outcome = { status: 'skipped', error: `${integration.provider} takes no tags` };
    } else {
      await session.call(() =>
        writer.changeTags!({
          candidateRemoteId: refs.candidate_remote_id!,
          applicationRemoteId: null,
          add: work.add,
          remove: work.remove,
          actingUserId,
        }),
      );
      outcome = { status: 'succeeded', error: null };
    }
  } catch (error) {
    outcome = failure(error);
  }
  return finish(outcome);
}

/**
 * Pushes one hub-written note or tag change to every enabled integration of the organization whose provider
 * takes it and where the candidate is linked. Throws RetryLaterError while an integration's push is pending
 * (SQS redelivers the message); a redelivery of a finished push changes nothing.
 */
export async function pushRecord(
  deps: SyncDependencies,
  message: OutboxMessage,
): Promise<Record<string, RecordPushStatus>> {
  const results: Record<string, RecordPushStatus> = {};
  const work = await workOf(deps, message);
  if (typeof work === 'string') {
    logger.info('record push not needed', { outboxId: message.outboxId, reason: work });
    return results;
  }
  const integrations = await withTenant(deps.sql, message.organizationId, 'worker', enabledIntegrations);
  for (const integration of integrations) {
    results[integration.id] = await pushToIntegration(deps, message, integration, work);
  }
  if (Object.values(results).includes('pending')) {
    logger.info('record push will be retried', { outboxId: message.outboxId });
    throw new RetryLaterError('record push pending');
  }
  return results;
}
