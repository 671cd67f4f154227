import { createHmac, randomBytes } from 'node:crypto';

/**
 * The producer side of Standard Webhooks v1 (docs/providers.md §7): symmetric `v1` signatures, HMAC-SHA256 over
 * `{msg_id}.{timestamp}.{payload}` with the key that is the base64-decoded part of `whsec_<base64>`.
 */
export const SECRET_PREFIX = 'whsec_';

/** 32 random bytes (the spec allows 24–64), written as `whsec_` + standard base64. */
export function generateSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** The HMAC key of a secret given with or without the `whsec_` prefix. */
export function signingKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('empty signing secret');
  return key;
}

/** Ids and timestamps must not contain `.` and are never user-controlled (§7). */
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** `v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`; the timestamp is integer Unix seconds. */
export function signPayload(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): string {
  if (!MESSAGE_ID.test(messageId)) throw new Error('invalid webhook message id');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0)
    throw new Error('invalid webhook timestamp');
  const mac = createHmac('sha256', signingKey(secret))
    .update(`${messageId}.${timestampSeconds}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers of one attempt; the timestamp is that attempt's, in seconds. */
export function standardWebhookHeaders(
  secret: string,
  messageId: string,
  attemptAt: Date,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const timestamp = Math.floor(attemptAt.getTime() / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signPayload(secret, messageId, timestamp, body),
  };
}

/**
 * The `webhook-id` of one event for one subscription: stable across retries and manual replays (it is
 * the consumer's idempotency key), derived from the outbox row and the subscription, never user input.
 */
export function webhookMessageId(outboxId: string, subscriptionId: string): string {
  if (!/^\d+$/.test(outboxId)) throw new Error('outbox id must be numeric');
  return `msg_${outboxId}_${subscriptionId.replaceAll('-', '').slice(0, 12)}`;
}
