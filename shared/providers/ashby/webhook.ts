/**
 * Ashby webhook verification (docs/providers.md §4.4): header `Ashby-Signature: sha256=<hex>` = HMAC-SHA256(secret,
 * raw body). Ashby makes the secret optional; the hub requires it, so an unsigned delivery is refused.
 * Delivery id: none known (unverified), so `sha256:<hex of the raw body>`.
 */
import { signedBodyVerifier } from '../common/webhook.js';
import { interviewScheduleDataSchema, offerDataSchema } from './record-schemas.js';
import { applicationDataSchema, ashbyWebhookSchema } from './schemas.js';
import { toWebhookEvents } from './to-webhook-event.js';

export const ashbyWebhookVerifier = signedBodyVerifier({
  header: 'ashby-signature',
  signature: /^sha256=([0-9a-fA-F]{64})$/,
  describe(body) {
    const envelope = ashbyWebhookSchema.safeParse(body);
    if (!envelope.success) return null;
    const application = applicationDataSchema.safeParse(envelope.data.data);
    const schedule = interviewScheduleDataSchema.safeParse(envelope.data.data);
    const offer = offerDataSchema.safeParse(envelope.data.data);
    return {
      eventType: envelope.data.action,
      sourceTimestamp: application.success
        ? application.data.application.updatedAt
        : schedule.success
          ? schedule.data.interviewSchedule.updatedAt
          : offer.success
            ? (offer.data.offer.decidedAt ?? offer.data.offer.latestVersion?.createdAt)
            : null,
    };
  },
  toEvents: toWebhookEvents,
});
