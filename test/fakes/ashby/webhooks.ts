/**
 * Ashby's webhook sender: `{action, data}` signed with `Ashby-Signature: sha256=<hex>` over the raw body; up to
 * 10 attempts, waiting (2^attempt − 1) × 10 s (10 s, 30 s, 70 s, …); no retry after 401, 403, 404, 405, 410.
 */
import { createHmac } from 'node:crypto';
import type { ControllableClock } from '../common/controllable-clock.js';
import { postRawBytes } from '../common/webhook-post.js';

export interface AbDelivery {
  body: string;
  attempts: { attempt: number; status: number; at: string }[];
  delivered: boolean;
}

const NO_RETRY = new Set([401, 403, 404, 405, 410]);

export function ashbySignature(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function deliverAshbyWebhook(
  targetUrl: string,
  event: { action: string; data: unknown },
  secret: string | null,
  clock: ControllableClock,
  options: { retry?: boolean; maxAttempts?: number } = {},
): Promise<AbDelivery> {
  const body = JSON.stringify(event);
  const bytes = Buffer.from(body);
  const maxAttempts = options.retry ? (options.maxAttempts ?? 10) : 1;
  const attempts: AbDelivery['attempts'] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (attempt > 1) clock.advance((2 ** (attempt - 1) - 1) * 10_000);
    const outcome = await postRawBytes(targetUrl, bytes, {
      'content-type': 'application/json',
      ...(secret ? { 'ashby-signature': ashbySignature(secret, bytes) } : {}),
    });
    attempts.push({ attempt, status: outcome.status, at: clock.now().toISOString() });
    if (outcome.status >= 200 && outcome.status < 300) return { body, attempts, delivered: true };
    if (NO_RETRY.has(outcome.status)) break;
  }
  return { body, attempts, delivered: false };
}
