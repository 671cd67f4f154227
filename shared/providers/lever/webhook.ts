/**
 * Lever webhook verification (docs/providers.md §3.5): no signature header; the body carries `token` (48 random
 * characters), `triggeredAt` (epoch ms) and `signature` = hex HMAC-SHA256(signing token, token + triggeredAt).
 * The rest of the body is not signed. Delivery id = `token`.
 *
 * Replay window: a `triggeredAt` older than `maxAgeSeconds` (default 24 h) or further in the future than
 * `futureToleranceSeconds` (default 5 min) is `stale`. Why 24 h and not Standard Webhooks' 5 min: Lever
 * retries a failed delivery five times with growing waits (horizon not published, docs/providers.md §3.5) and a
 * retry carries the original `triggeredAt`, so a short window would refuse genuine retries. Within the window
 * replays are stopped by the delivery-id (token) dedupe, which must be kept at least as long as the window.
 */
import type { WebhookRequest, WebhookVerification, WebhookVerifier } from '../../ports/provider.js';
import { parseJson } from '../common/parse.js';
import { checkHexHmac } from '../common/webhook.js';
import { leverWebhookSchema } from './schemas.js';
import { toWebhookEvents } from './to-webhook-event.js';

export interface LeverVerifierOptions {
  maxAgeSeconds?: number;
  futureToleranceSeconds?: number;
}

export function createLeverWebhookVerifier(options: LeverVerifierOptions = {}): WebhookVerifier {
  const maxAgeMs = (options.maxAgeSeconds ?? 86_400) * 1000;
  const futureMs = (options.futureToleranceSeconds ?? 300) * 1000;
  return {
    verify(request: WebhookRequest): WebhookVerification {
      const body = parseJson(request.rawBody);
      if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
        return { ok: false, reason: 'malformed' };
      }
      const signatureField = (body as Record<string, unknown>)['signature'];
      if (signatureField === undefined || signatureField === null || signatureField === '') {
        return { ok: false, reason: 'missing_signature' };
      }
      const parsed = leverWebhookSchema.safeParse(body);
      if (
        !parsed.success ||
        typeof signatureField !== 'string' ||
        !Number.isSafeInteger(parsed.data.triggeredAt)
      ) {
        return { ok: false, reason: 'malformed' };
      }
      const { token, triggeredAt, event } = parsed.data;
      const signed = checkHexHmac(request.secrets, `${token}${triggeredAt}`, signatureField);
      if (!signed.ok) return signed;

      const now = request.now.getTime();
      if (now - triggeredAt > maxAgeMs || triggeredAt - now > futureMs) return { ok: false, reason: 'stale' };

      return {
        ok: true,
        deliveryId: token,
        eventType: event,
        sourceTimestamp: new Date(triggeredAt),
        secretIndex: signed.secretIndex,
      };
    },
    parse(rawBody: Buffer) {
      return toWebhookEvents(parseJson(rawBody));
    },
  };
}

export const leverWebhookVerifier = createLeverWebhookVerifier();
