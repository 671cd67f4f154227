/**
 * Ashby webhook body `{action, data}` → canonical events (docs/providers.md §4.4; event payloads secondary).
 * Ashby has no previous stage on stage changes. Interview schedules and offers become `record.upserted` /
 * `record.deleted`; Ashby sends no webhook for feedback, notes, tags or archive reasons (docs/providers.md §4.6).
 */
import type { CanonicalWebhookEvent } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import { interviewScheduleDataSchema, offerDataSchema, offerDeleteDataSchema } from './record-schemas.js';
import {
  applicationDataSchema,
  ashbyWebhookSchema,
  candidateDataSchema,
  candidateMergeDataSchema,
} from './schemas.js';
import { statusOf, toApplication } from './to-application.js';
import { toCandidate } from './to-candidate.js';
import { toInterviews } from './to-interview.js';
import { toOffer } from './to-offer.js';

export function toWebhookEvents(body: unknown, now: () => Date = () => new Date()): CanonicalWebhookEvent[] {
  const envelope = ashbyWebhookSchema.safeParse(body);
  if (!envelope.success) return [{ kind: 'ignored', eventType: 'malformed' }];
  const { action, data } = envelope.data;
  const ignored: CanonicalWebhookEvent[] = [{ kind: 'ignored', eventType: action }];

  switch (action) {
    // (unverified) Ashby's test delivery when a webhook is saved.
    case 'ping':
      return [{ kind: 'ping' }];
    case 'applicationSubmit':
    case 'applicationUpdate': {
      const parsed = applicationDataSchema.safeParse(data);
      const application = parsed.success ? toApplication(parsed.data.application) : null;
      if (!parsed.success || !application) return ignored;
      const candidate = parsed.data.application.candidate;
      return [
        {
          kind: 'application.upserted',
          application,
          candidate: candidate?.name ? toCandidate(candidate) : null,
          occurredAt: application.remoteUpdatedAt ?? now().toISOString(),
        },
      ];
    }
    case 'candidateStageChange': {
      const parsed = applicationDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      const app = parsed.data.application;
      const occurredAt = toIsoTimestamp(app.updatedAt) ?? now().toISOString();
      const events: CanonicalWebhookEvent[] = [
        {
          kind: 'application.stage_changed',
          applicationRemoteId: app.id,
          candidateRemoteId: app.candidate?.id ?? null,
          jobRemoteId: app.job?.id ?? null,
          fromStageRemoteId: null,
          toStage: {
            remoteId: app.currentInterviewStage?.id ?? null,
            name: app.currentInterviewStage?.title ?? null,
          },
          occurredAt,
        },
      ];
      // Moving into an Archived-type stage is how Ashby rejects.
      const status = statusOf(app);
      if (status !== 'active') {
        events.push({
          kind: 'application.status_changed',
          applicationRemoteId: app.id,
          status,
          reason: app.archiveReason?.text ?? null,
          occurredAt,
        });
      }
      return events;
    }
    case 'candidateHire': {
      const parsed = applicationDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      const app = parsed.data.application;
      return [
        {
          kind: 'application.status_changed',
          applicationRemoteId: app.id,
          status: 'hired',
          reason: null,
          occurredAt: toIsoTimestamp(app.updatedAt) ?? now().toISOString(),
        },
      ];
    }
    case 'candidateDelete': {
      const parsed = candidateDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      return [
        {
          kind: 'candidate.deleted',
          candidateRemoteId: parsed.data.candidate.id,
          occurredAt: now().toISOString(),
        },
      ];
    }
    case 'candidateMerge': {
      const parsed = candidateMergeDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      const merged =
        parsed.data.mergedCandidateIds ??
        (parsed.data.mergedCandidate ? [parsed.data.mergedCandidate.id] : []);
      return [
        {
          kind: 'candidate.merged',
          survivingCandidateRemoteId: parsed.data.candidate.id,
          mergedCandidateRemoteIds: merged.filter((id) => id !== parsed.data.candidate.id),
          deletedApplicationRemoteIds: [],
          occurredAt: now().toISOString(),
        },
      ];
    }
    case 'interviewScheduleCreate':
    case 'interviewScheduleUpdate': {
      const parsed = interviewScheduleDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      // Webhooks name interviewers only where the payload carries them; a sync names the rest.
      const interviews = toInterviews(parsed.data.interviewSchedule);
      if (interviews.length === 0) return ignored;
      return interviews.map((interview) => ({
        kind: 'record.upserted' as const,
        object: { objectType: 'interview' as const, record: interview },
        occurredAt: interview.remoteUpdatedAt ?? now().toISOString(),
      }));
    }
    case 'offerCreate':
    case 'offerUpdate': {
      const parsed = offerDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      const offer = toOffer(parsed.data.offer);
      return [
        {
          kind: 'record.upserted',
          object: { objectType: 'offer', record: offer },
          occurredAt: offer.remoteUpdatedAt ?? now().toISOString(),
        },
      ];
    }
    case 'offerDelete': {
      const parsed = offerDeleteDataSchema.safeParse(data);
      if (!parsed.success) return ignored;
      return [
        {
          kind: 'record.deleted',
          objectType: 'offer',
          remoteId: parsed.data.offer.id,
          occurredAt: now().toISOString(),
        },
      ];
    }
    default:
      return ignored;
  }
}
