/**
 * Greenhouse webhook verification (providers.md §2.5): `Signature: sha256 <hex>` = HMAC-SHA256(secret, whole
 * raw body). Greenhouse escapes Unicode (`\u003c`) and signs the text as sent, so only the raw bytes are hashed.
 * Delivery id: `Greenhouse-Event-ID` when present, else `sha256:<hex of the raw body>`.
 */
import type { WebhookRequest, WebhookVerification, WebhookVerifier } from '../../ports/provider.js';
import { decodeHexDigest, matchingSecretIndex, sha256Hex } from '../common/hmac.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import { applicationPayloadSchema, webhookEnvelopeSchema } from './schemas.js';
import { toWebhookEvents } from './to-webhook-event.js';

const SIGNATURE = /^sha256 ([0-9a-fA-F]{64})$/;

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export const greenhouseWebhookVerifier: WebhookVerifier = {
  verify(request: WebhookRequest): WebhookVerification {
    const header = request.headers['signature'];
    if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_signature' };
    const digest = SIGNATURE.exec(header.trim())?.[1];
    const provided = digest ? decodeHexDigest(digest) : null;
    if (!provided) return { ok: false, reason: 'malformed' };

    const secretIndex = matchingSecretIndex(request.secrets, request.rawBody, provided);
    if (secretIndex === -1) return { ok: false, reason: 'bad_signature' };

    const envelope = webhookEnvelopeSchema.safeParse(parseJson(request.rawBody));
    if (!envelope.success) return { ok: false, reason: 'malformed' };
    const application = applicationPayloadSchema.safeParse(envelope.data.payload);
    const activity = application.success
      ? toIsoTimestamp(application.data.application.last_activity_at)
      : null;

    const eventId = request.headers['greenhouse-event-id']?.trim();
    return {
      ok: true,
      deliveryId: eventId ? eventId : `sha256:${sha256Hex(request.rawBody)}`,
      eventType: envelope.data.action,
      sourceTimestamp: activity ? new Date(activity) : null,
      secretIndex,
    };
  },

  parse(rawBody: Buffer) {
    return toWebhookEvents(parseJson(rawBody));
  },
};
