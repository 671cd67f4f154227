/**
 * A Standard Webhooks consumer-side verifier written from the spec and the reference library's behaviour
 * (providers.md §7: `standard-webhooks/standard-webhooks` `libraries/javascript/src/index.ts`): required
 * headers, integer-seconds timestamp within 5 minutes either way, `{id}.{timestamp}.{body}` signed with the
 * base64-decoded secret (with or without `whsec_`), space-separated `v1,<base64>` entries of which any may match,
 * constant-time compare. The reliability suite verifies what the hub emits (shared/notifications/signing.ts)
 * against it and runs the reference negative cases.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TOLERANCE_SECONDS = 5 * 60;

export type StandardVerdict =
  | 'ok'
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'too_old'
  | 'too_new'
  | 'no_match';

export function verifyStandardWebhook(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowSeconds: number,
): StandardVerdict {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return 'missing_headers';
  if (!/^\d+$/.test(timestamp)) return 'invalid_timestamp';
  const ts = Number(timestamp);
  if (nowSeconds - ts > TOLERANCE_SECONDS) return 'too_old';
  if (ts > nowSeconds + TOLERANCE_SECONDS) return 'too_new';
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest();
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return 'ok';
  }
  return 'no_match';
}
