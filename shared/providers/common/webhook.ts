/**
 * Webhook verification skeletons: the HMAC-SHA256 check every signed provider makes, and the whole verifier of
 * providers that sign the raw body in one header (Greenhouse, Ashby).
 */
import type { CanonicalWebhookEvent } from '../../domain/canonical.js';
import { rawBodySha256 } from '../../http/body.js';
import type { WebhookRequest, WebhookVerification, WebhookVerifier } from '../../ports/provider.js';
import { decodeHexDigest, matchingSecretIndex } from './hmac.js';
import { parseJson } from './parse.js';
import { toIsoTimestamp } from './timestamps.js';

type Refusal = Extract<WebhookVerification, { ok: false }>;

/** Which secret signed `message` with the hex digest given, or why the delivery is refused. */
export function checkHexHmac(
  secrets: readonly string[],
  message: Buffer | string,
  hexDigest: string,
): { ok: true; secretIndex: number } | Refusal {
  const provided = decodeHexDigest(hexDigest);
  if (!provided) return { ok: false, reason: 'malformed' };
  const secretIndex = matchingSecretIndex(secrets, message, provided);
  return secretIndex === -1 ? { ok: false, reason: 'bad_signature' } : { ok: true, secretIndex };
}

/** Dedupe key of a delivery that carries no id of its own. */
export function bodyHashId(rawBody: Buffer): string {
  return `sha256:${rawBodySha256(rawBody)}`;
}

export interface SignedBodyWebhook {
  /** Lower-cased name of the header carrying the signature. */
  header: string;
  /** Pattern of the header value; its first group is the hex HMAC-SHA256 of the raw body. */
  signature: RegExp;
  /** Event type, source time and (when the provider sends one) delivery id of a signed body; null if malformed. */
  describe(
    body: unknown,
    headers: WebhookRequest['headers'],
  ): { eventType: string; sourceTimestamp: string | number | null | undefined; deliveryId?: string } | null;
  toEvents(body: unknown): CanonicalWebhookEvent[];
}

/** A verifier of HMAC-SHA256 over the whole raw body, as sent (only the raw bytes are hashed). */
export function signedBodyVerifier(webhook: SignedBodyWebhook): WebhookVerifier {
  return {
    verify(request: WebhookRequest): WebhookVerification {
      const header = request.headers[webhook.header]?.trim();
      if (!header) return { ok: false, reason: 'missing_signature' };
      const digest = webhook.signature.exec(header)?.[1];
      if (!digest) return { ok: false, reason: 'malformed' };
      const signed = checkHexHmac(request.secrets, request.rawBody, digest);
      if (!signed.ok) return signed;
      const described = webhook.describe(parseJson(request.rawBody), request.headers);
      if (!described) return { ok: false, reason: 'malformed' };
      const sourceTimestamp = toIsoTimestamp(described.sourceTimestamp);
      return {
        ok: true,
        deliveryId: described.deliveryId || bodyHashId(request.rawBody),
        eventType: described.eventType,
        sourceTimestamp: sourceTimestamp ? new Date(sourceTimestamp) : null,
        secretIndex: signed.secretIndex,
      };
    },
    parse(rawBody: Buffer) {
      return webhook.toEvents(parseJson(rawBody));
    },
  };
}
