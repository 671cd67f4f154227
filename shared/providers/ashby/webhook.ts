/**
 * Ashby webhook verification (providers.md §4.4): header `Ashby-Signature: sha256=<hex>` = HMAC-SHA256(secret,
 * raw body). Ashby makes the secret optional; the hub requires it, so an unsigned delivery is refused.
 * Delivery id: none known (unverified), so `sha256:<hex of the raw body>`.
 */
import type { WebhookRequest, WebhookVerification, WebhookVerifier } from '../../ports/provider.js';
import { decodeHexDigest, matchingSecretIndex, sha256Hex } from '../common/hmac.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import { applicationDataSchema, ashbyWebhookSchema } from './schemas.js';
import { toWebhookEvents } from './to-webhook-event.js';

const SIGNATURE = /^sha256=([0-9a-fA-F]{64})$/;

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

export const ashbyWebhookVerifier: WebhookVerifier = {
  verify(request: WebhookRequest): WebhookVerification {
    const header = request.headers['ashby-signature'];
    if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_signature' };
    const digest = SIGNATURE.exec(header.trim())?.[1];
    const provided = digest ? decodeHexDigest(digest) : null;
    if (!provided) return { ok: false, reason: 'malformed' };

    const secretIndex = matchingSecretIndex(request.secrets, request.rawBody, provided);
    if (secretIndex === -1) return { ok: false, reason: 'bad_signature' };

    const envelope = ashbyWebhookSchema.safeParse(parseJson(request.rawBody));
    if (!envelope.success) return { ok: false, reason: 'malformed' };
    const application = applicationDataSchema.safeParse(envelope.data.data);
    const updatedAt = application.success ? toIsoTimestamp(application.data.application.updatedAt) : null;
    return {
      ok: true,
      deliveryId: `sha256:${sha256Hex(request.rawBody)}`,
      eventType: envelope.data.action,
      sourceTimestamp: updatedAt ? new Date(updatedAt) : null,
      secretIndex,
    };
  },

  parse(rawBody: Buffer) {
    return toWebhookEvents(parseJson(rawBody));
  },
};
