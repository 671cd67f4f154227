/**
 * Lever webhook body → canonical events (docs/providers.md §3.5). Only `token + triggeredAt` is signed, so the hub
 * treats the data as a notification and re-reads the opportunity before acting on details.
 */
import type { CanonicalWebhookEvent } from '../../domain/canonical.js';
import { interviewEventDataSchema, leverInterviewSchema } from './record-schemas.js';
import {
  archiveChangeDataSchema,
  leverWebhookSchema,
  opportunityDataSchema,
  stageChangeDataSchema,
} from './schemas.js';
import { toInterview } from './to-interview.js';

export function toWebhookEvents(body: unknown): CanonicalWebhookEvent[] {
  const envelope = leverWebhookSchema.safeParse(body);
  if (!envelope.success) return [{ kind: 'ignored', eventType: 'malformed' }];
  const { event, data, triggeredAt } = envelope.data;
  const occurredAt = new Date(triggeredAt).toISOString();
  const ignored: CanonicalWebhookEvent[] = [{ kind: 'ignored', eventType: event }];

  switch (event) {
    case 'candidateStageChange': {
      const parsed = stageChangeDataSchema.safeParse(data);
      if (!parsed.success || !parsed.data.toStageId) return ignored;
      return [
        {
          kind: 'application.stage_changed',
          applicationRemoteId: parsed.data.opportunityId,
          candidateRemoteId: parsed.data.contactId ?? null,
          jobRemoteId: null,
          fromStageRemoteId: parsed.data.fromStageId ?? null,
          toStage: { remoteId: parsed.data.toStageId, name: null },
          occurredAt,
        },
      ];
    }
    case 'candidateArchiveChange': {
      const parsed = archiveChangeDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      const to = parsed.data.toArchived ?? null;
      // A hired reason cannot be told apart here without the account's reason list; `candidateHired` covers
      // hires, and the next sync settles the status from the reason type.
      return [
        {
          kind: 'application.status_changed',
          applicationRemoteId: parsed.data.opportunityId,
          status: to ? 'rejected' : 'active',
          reason: to?.reason ?? null,
          occurredAt,
        },
      ];
    }
    case 'candidateHired': {
      const parsed = opportunityDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      return [
        {
          kind: 'application.status_changed',
          applicationRemoteId: parsed.data.opportunityId,
          status: 'hired',
          reason: null,
          occurredAt,
        },
      ];
    }
    case 'candidateDeleted': {
      const parsed = opportunityDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      return [{ kind: 'application.deleted', applicationRemoteId: parsed.data.opportunityId, occurredAt }];
    }
    case 'interviewCreated':
    case 'interviewUpdated':
    case 'interviewDeleted':
      return interviewEvents(event, data, triggeredAt);
    default:
      return ignored;
  }
}

/**
 * Lever's interview webhooks (beta; docs/providers.md §3.7) name the opportunity and the interview. A deletion
 * needs nothing more. A creation or update that carries the interview itself maps to `record.upserted`; with ids
 * alone it asks the hub to read the opportunity's interviews back (`record.reread`, that interview only).
 */
function interviewEvents(event: string, data: unknown, triggeredAt: number): CanonicalWebhookEvent[] {
  const occurredAt = new Date(triggeredAt).toISOString();
  const parsed = interviewEventDataSchema.safeParse(data);
  if (!parsed.success) return [{ kind: 'ignored', eventType: event }];
  const { opportunityId, interviewId, interview } = parsed.data;
  if (event === 'interviewDeleted') {
    const id = interviewId ?? (interview as { id?: unknown } | undefined)?.id;
    if (typeof id !== 'string' || id === '') return [{ kind: 'ignored', eventType: event }];
    return [{ kind: 'record.deleted', objectType: 'interview', remoteId: id, occurredAt }];
  }
  const full = leverInterviewSchema.safeParse(interview);
  if (!full.success) {
    if (interview !== undefined) return [{ kind: 'ignored', eventType: event }];
    const remoteId = interviewId ?? null;
    return [
      { kind: 'record.reread', objectType: 'interview', parentRemoteId: opportunityId, remoteId, occurredAt },
    ];
  }
  // Stage names are not in the delivery: the stage keeps its id, its name comes with the next sync.
  const record = toInterview(full.data, {
    applicationRemoteId: opportunityId,
    stageNames: new Map(),
    now: new Date(triggeredAt),
  });
  return [{ kind: 'record.upserted', object: { objectType: 'interview', record }, occurredAt }];
}
