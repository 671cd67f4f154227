/**
 * What a received webhook asks the hub to change, in words an operator reads: the kind of change, the object and
 * the provider's id, and a short detail (the stage moved to, the new status). Names, e-mails and note bodies of
 * the payload never leave this function.
 */
import type { WebhookChange } from '../../shared/api/console.js';
import type { CanonicalWebhookEvent } from '../../shared/domain/canonical.js';

const change = (
  kind: string,
  objectType: string | null,
  remoteId: string | null,
  detail: string | null = null,
): WebhookChange => ({ kind, objectType, remoteId, detail });

export function describeWebhookEvent(event: CanonicalWebhookEvent): WebhookChange {
  switch (event.kind) {
    case 'ping':
      return change('ping', null, null);
    case 'application.stage_changed':
      return change(
        event.kind,
        'application',
        event.applicationRemoteId,
        `to stage ${event.toStage.name ?? event.toStage.remoteId ?? 'unknown'}`,
      );
    case 'application.status_changed':
      return change(event.kind, 'application', event.applicationRemoteId, `status ${event.status}`);
    case 'application.upserted':
      return change(event.kind, 'application', event.application.remoteId);
    case 'candidate.upserted':
      return change(event.kind, 'candidate', event.candidate.remoteId);
    case 'application.deleted':
      return change(event.kind, 'application', event.applicationRemoteId);
    case 'candidate.deleted':
      return change(event.kind, 'candidate', event.candidateRemoteId);
    case 'candidate.merged':
      return change(
        event.kind,
        'candidate',
        event.survivingCandidateRemoteId,
        `merged ${event.mergedCandidateRemoteIds.length} candidate(s) into it`,
      );
    case 'record.upserted':
      return change(event.kind, event.object.objectType, event.object.record.remoteId);
    case 'record.deleted':
      return change(event.kind, event.objectType, event.remoteId);
    case 'record.reread':
      return change(event.kind, event.objectType, event.remoteId, `read back from ${event.parentRemoteId}`);
    case 'ignored':
      return change('ignored', null, null, `event ${event.eventType} is not used by the hub`);
  }
}

/** The changes of a stored body; an unreadable body (or a provider without a parser) lists none. */
export function describeDelivery(
  parse: ((body: Buffer) => CanonicalWebhookEvent[]) | undefined,
  payload: string,
): WebhookChange[] {
  if (!parse) return [];
  try {
    return parse(Buffer.from(payload, 'utf8')).map(describeWebhookEvent);
  } catch {
    return [];
  }
}
