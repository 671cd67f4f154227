/**
 * Greenhouse webhook verification (docs/providers.md §2.5): `Signature: sha256 <hex>` = HMAC-SHA256(secret, whole
 * raw body). Greenhouse escapes Unicode (`\u003c`) and signs the text as sent, so only the raw bytes are hashed.
 * Delivery id: `Greenhouse-Event-ID` when present, else `sha256:<hex of the raw body>`.
 */
import { signedBodyVerifier } from '../common/webhook.js';
import { applicationPayloadSchema, webhookEnvelopeSchema } from './schemas.js';
import { toWebhookEvents } from './to-webhook-event.js';

export const greenhouseWebhookVerifier = signedBodyVerifier({
  header: 'signature',
  signature: /^sha256 ([0-9a-fA-F]{64})$/,
  describe(body, headers) {
    const envelope = webhookEnvelopeSchema.safeParse(body);
    if (!envelope.success) return null;
    const application = applicationPayloadSchema.safeParse(envelope.data.payload);
    const eventId = headers['greenhouse-event-id']?.trim();
    return {
      eventType: envelope.data.action,
      sourceTimestamp: application.success ? application.data.application.last_activity_at : null,
      ...(eventId ? { deliveryId: eventId } : {}),
    };
  },
  toEvents: toWebhookEvents,
});
