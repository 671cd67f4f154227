/**
 * Greenhouse webhook body → canonical events (docs/providers.md §2.5). `candidate_stage_change` carries only the
 * new stage: `fromStageRemoteId` is always null and the hub derives "from" from its own history.
 */
import type { CanonicalWebhookEvent } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import {
  applicationPayloadSchema,
  candidatePayloadSchema,
  deleteApplicationPayloadSchema,
  personPayloadSchema,
  type WebhookApplication,
  webhookEnvelopeSchema,
} from './schemas.js';
import { webhookApplicationToCanonical } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { recordWebhookEvents } from './to-record-webhook-event.js';

/** Greenhouse signs no timestamp; the application's `last_activity_at` is the best source time available. */
function occurredAtOf(application: WebhookApplication | null, fallback: () => Date): string {
  return toIsoTimestamp(application?.last_activity_at) ?? fallback().toISOString();
}

export function toWebhookEvents(body: unknown, now: () => Date = () => new Date()): CanonicalWebhookEvent[] {
  const envelope = webhookEnvelopeSchema.safeParse(body);
  if (!envelope.success) return [{ kind: 'ignored', eventType: 'malformed' }];
  const { action, payload } = envelope.data;
  const ignored: CanonicalWebhookEvent[] = [{ kind: 'ignored', eventType: action }];

  switch (action) {
    case 'ping':
      return [{ kind: 'ping' }];
    case 'candidate_stage_change': {
      const parsed = applicationPayloadSchema.safeParse(payload);
      if (!parsed.success) return ignored;
      const app = parsed.data.application;
      return [
        {
          kind: 'application.stage_changed',
          applicationRemoteId: app.id,
          candidateRemoteId: app.candidate?.id ?? null,
          jobRemoteId: app.jobs?.[0]?.id ?? null,
          fromStageRemoteId: null,
          toStage: { remoteId: app.current_stage?.id ?? null, name: app.current_stage?.name ?? null },
          occurredAt: occurredAtOf(app, now),
        },
      ];
    }
    case 'new_candidate_application':
    case 'application_updated': {
      const parsed = applicationPayloadSchema.safeParse(payload);
      if (!parsed.success) return ignored;
      const app = parsed.data.application;
      const application = webhookApplicationToCanonical(app);
      if (!application) return ignored;
      return [
        {
          kind: 'application.upserted',
          application,
          candidate: app.candidate ? toCandidate(app.candidate) : null,
          occurredAt: occurredAtOf(app, now),
        },
      ];
    }
    case 'reject_candidate':
    case 'unreject_candidate':
    case 'hire_candidate':
    case 'unhire_candidate': {
      const parsed = applicationPayloadSchema.safeParse(payload);
      if (!parsed.success) return ignored;
      const app = parsed.data.application;
      const mapped = webhookApplicationToCanonical(app);
      const status =
        action === 'hire_candidate'
          ? 'hired'
          : action === 'reject_candidate'
            ? mapped?.status === 'withdrawn'
              ? 'withdrawn'
              : 'rejected'
            : 'active';
      return [
        {
          kind: 'application.status_changed',
          applicationRemoteId: app.id,
          status,
          reason: action === 'reject_candidate' ? (mapped?.rejectionReason ?? null) : null,
          occurredAt: occurredAtOf(app, now),
        },
      ];
    }
    case 'update_candidate': {
      const parsed = candidatePayloadSchema.safeParse(payload);
      if (!parsed.success) return ignored;
      const candidate = toCandidate(parsed.data.candidate);
      return [
        {
          kind: 'candidate.upserted',
          candidate,
          occurredAt: candidate.remoteUpdatedAt ?? now().toISOString(),
        },
      ];
    }
    case 'delete_application': {
      const parsed = deleteApplicationPayloadSchema.safeParse(payload);
      if (!parsed.success) return ignored;
      const id = 'application' in parsed.data ? parsed.data.application.id : parsed.data.id;
      return [{ kind: 'application.deleted', applicationRemoteId: id, occurredAt: now().toISOString() }];
    }
    case 'delete_candidate': {
      const parsed = personPayloadSchema.safeParse(payload);
      if (!parsed.success) return ignored;
      const person = parsed.data.person;
      const at = now().toISOString();
      return [
        { kind: 'candidate.deleted', candidateRemoteId: person.id, occurredAt: at },
        ...(person.deleted_application_ids ?? []).map(
          (id): CanonicalWebhookEvent => ({
            kind: 'application.deleted',
            applicationRemoteId: id,
            occurredAt: at,
          }),
        ),
      ];
    }
    case 'merge_candidate': {
      const parsed = personPayloadSchema.safeParse(payload);
      if (!parsed.success || !parsed.data.person.new_candidate_id) return ignored;
      const person = parsed.data.person;
      return [
        {
          kind: 'candidate.merged',
          survivingCandidateRemoteId: person.new_candidate_id!,
          mergedCandidateRemoteIds: [person.id],
          deletedApplicationRemoteIds: person.deleted_application_ids ?? [],
          occurredAt: now().toISOString(),
        },
      ];
    }
    default:
      return recordWebhookEvents(action, payload, now) ?? ignored;
  }
}
