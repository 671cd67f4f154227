/**
 * Interview, scorecard and offer webhooks → `record.upserted` / `record.deleted` (docs/ats-record.md "Greenhouse";
 * shapes from `grnhse/greenhouse-api-docs` `source/includes/webhooks/_application_events.md` and
 * `_interview_events.md`). Greenhouse has no webhook for a scheduled or changed interview, nor for a submitted
 * scorecard: those arrive by sync only.
 */

import * as z from 'zod';
import type { CanonicalWebhookEvent, RecordObjectType } from '../../domain/canonical.js';
import {
  interviewDeletedPayloadSchema,
  offerDeletedPayloadSchema,
  offerPayloadSchema,
  scorecardDeletedPayloadSchema,
} from './record-schemas.js';
import { ghId } from './schemas.js';
import { toOffer } from './to-offer.js';

const flatId = z.object({ id: ghId });

/** Null: not a record event (the caller ignores it). */
export function recordWebhookEvents(
  action: string,
  payload: unknown,
  now: () => Date,
): CanonicalWebhookEvent[] | null {
  const deleted = (objectType: RecordObjectType, remoteId: string): CanonicalWebhookEvent[] => [
    { kind: 'record.deleted', objectType, remoteId, occurredAt: now().toISOString() },
  ];
  const ignored: CanonicalWebhookEvent[] = [{ kind: 'ignored', eventType: action }];
  switch (action) {
    case 'interview_deleted': {
      const parsed = interviewDeletedPayloadSchema.safeParse(payload);
      return parsed.success ? deleted('interview', parsed.data.interview.id) : ignored;
    }
    case 'scorecard_deleted': {
      const parsed = scorecardDeletedPayloadSchema.safeParse(payload);
      return parsed.success ? deleted('scorecard', parsed.data.scorecard.id) : ignored;
    }
    case 'offer_deleted': {
      // The current doc wraps the offer in `offer`; an older copy shows it flat: both are read.
      const parsed = offerDeletedPayloadSchema.safeParse(payload);
      if (parsed.success) return deleted('offer', parsed.data.offer.id);
      const flat = flatId.safeParse(payload);
      return flat.success ? deleted('offer', flat.data.id) : ignored;
    }
    case 'offer_created':
    case 'offer_updated':
    case 'offer_approved': {
      const parsed = offerPayloadSchema.safeParse(payload);
      const offer = parsed.success ? toOffer(parsed.data) : null;
      if (!offer) return ignored;
      // The payload has no updated_at: its own resolved/sent time, else the time of receipt, orders it.
      const occurredAt = offer.remoteUpdatedAt ?? now().toISOString();
      return [
        {
          kind: 'record.upserted',
          object: { objectType: 'offer', record: { ...offer, remoteUpdatedAt: occurredAt } },
          occurredAt,
        },
      ];
    }
    default:
      return null;
  }
}
