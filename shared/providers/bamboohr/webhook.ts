/**
 * BambooHR webhook verification (docs/providers.md §6.3): `X-BambooHR-Signature` is the lowercase hex
 * HMAC-SHA256 of the raw body followed by the `X-BambooHR-Timestamp` value, with no separator, keyed with the
 * webhook's private key (secondary: the PHP sample of BambooHR's docs). The timestamp is signed, so a 300 s
 * window either way applies (docs/reliability.md §5). BambooHR sends no delivery id (unverified), so the dedupe key
 * is the timestamp plus a hash of the raw body.
 */
import type { WebhookRequest, WebhookVerification, WebhookVerifier } from '../../ports/provider.js';
import { parseJson } from '../common/parse.js';
import { bodyHashId, checkHexHmac } from '../common/webhook.js';
import { webhookBodySchema } from './schemas.js';
import { employeeEventType, toWebhookEvents } from './to-webhook-event.js';

export const BAMBOOHR_TOLERANCE_SECONDS = 300;

/** (unverified) Unix seconds, digits only. */
const TIMESTAMP = /^\d{1,12}$/;

function parseBody(rawBody: Buffer) {
  const parsed = webhookBodySchema.safeParse(parseJson(rawBody));
  return parsed.success ? parsed.data : null;
}

export const bamboohrWebhookVerifier: WebhookVerifier = {
  verify(request: WebhookRequest): WebhookVerification {
    const signatureHeader = request.headers['x-bamboohr-signature']?.trim();
    const timestamp = request.headers['x-bamboohr-timestamp']?.trim();
    if (!signatureHeader) return { ok: false, reason: 'missing_signature' };
    if (!timestamp || !TIMESTAMP.test(timestamp)) return { ok: false, reason: 'malformed' };
    const sentAt = Number(timestamp);
    if (Math.abs(request.now.getTime() / 1000 - sentAt) > BAMBOOHR_TOLERANCE_SECONDS) {
      return { ok: false, reason: 'stale' };
    }
    // Body first, then the timestamp, no separator.
    const message = Buffer.concat([request.rawBody, Buffer.from(timestamp, 'utf8')]);
    const signed = checkHexHmac(request.secrets, message, signatureHeader);
    if (!signed.ok) return signed;
    const body = parseBody(request.rawBody);
    if (!body) return { ok: false, reason: 'malformed' };
    const actions = [...new Set(body.employees.map((employee) => employeeEventType(employee.action)))];
    return {
      ok: true,
      deliveryId: `ts:${timestamp}:${bodyHashId(request.rawBody)}`,
      eventType: actions.length === 1 ? (actions[0] ?? 'employee.changed') : 'employee.changed',
      sourceTimestamp: new Date(sentAt * 1000),
      secretIndex: signed.secretIndex,
    };
  },

  parse(rawBody: Buffer) {
    const body = parseBody(rawBody);
    return body ? toWebhookEvents(body) : [{ kind: 'ignored', eventType: 'unreadable' }];
  },
};
