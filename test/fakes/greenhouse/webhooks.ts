/**
 * Greenhouse's webhook sender: `{action, payload}` JSON with HTML-significant characters escaped (`<` as
 * `\u003c`), signed as sent with `Signature: sha256 <hex>`, a `Greenhouse-Event-ID` per delivery, success only
 * on exactly 200, retries on a configurable schedule (default 1, 15, 60, 120, 240, 480 min plus
 * `rand(30) × (index + 1)` s) run in compressed time on the fake clock.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { ControllableClock } from '../common/controllable-clock.js';
import type { SeededRng } from '../common/seeded-rng.js';
import { postRawBytes } from '../common/webhook-post.js';

export interface GhWebhookOptions {
  /** Base delays in minutes (confirmed default); the support article's alternative is 25 retries. */
  retryDelaysMinutes?: number[];
  /** Number of retries after the first attempt; delays beyond the list repeat its last entry. */
  maxRetries?: number;
  /** (unverified) whether a retry keeps the delivery's Greenhouse-Event-ID. */
  reuseEventIdOnRetry?: boolean;
  /** Also escape every non-ASCII character as \uXXXX (Greenhouse escapes at least <, >, &). */
  escapeNonAscii?: boolean;
}

export interface GhDeliveryAttempt {
  attempt: number;
  eventId: string;
  status: number;
  at: string;
}

export interface GhDelivery {
  body: string;
  signature: string;
  attempts: GhDeliveryAttempt[];
  delivered: boolean;
}

export function greenhouseJson(value: unknown, escapeNonAscii = false): string {
  const json = JSON.stringify(value);
  const pattern = escapeNonAscii ? /[<>&\u2028\u2029\u0080-\uffff]/g : /[<>&\u2028\u2029]/g;
  return json.replace(pattern, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function greenhouseSignature(secret: string, body: Buffer | string): string {
  return `sha256 ${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function retryDelaysSeconds(options: GhWebhookOptions, rng: SeededRng): number[] {
  const minutes = options.retryDelaysMinutes ?? [1, 15, 60, 120, 240, 480];
  const count = options.maxRetries ?? minutes.length;
  return Array.from({ length: count }, (_, index) => {
    const base = minutes[Math.min(index, minutes.length - 1)] ?? 0;
    return base * 60 + rng.int(0, 30) * (index + 1);
  });
}

export async function deliverGreenhouseWebhook(
  targetUrl: string,
  event: unknown,
  secret: string,
  clock: ControllableClock,
  rng: SeededRng,
  options: GhWebhookOptions & { retry?: boolean; eventId?: string; headers?: Record<string, string> } = {},
): Promise<GhDelivery> {
  const body = greenhouseJson(event, options.escapeNonAscii);
  const bytes = Buffer.from(body, 'utf8');
  const signature = greenhouseSignature(secret, bytes);
  const delays = options.retry ? retryDelaysSeconds(options, rng) : [];
  const attempts: GhDeliveryAttempt[] = [];
  let eventId = options.eventId ?? randomUUID();
  for (let attempt = 0; attempt <= delays.length; attempt += 1) {
    if (attempt > 0) {
      clock.advance((delays[attempt - 1] ?? 0) * 1000);
      if (options.reuseEventIdOnRetry === false) eventId = randomUUID();
    }
    const outcome = await postRawBytes(targetUrl, bytes, {
      'content-type': 'application/json',
      signature,
      'greenhouse-event-id': eventId,
      'user-agent': 'Greenhouse',
      ...(options.headers ?? {}),
    });
    attempts.push({ attempt: attempt + 1, eventId, status: outcome.status, at: clock.now().toISOString() });
    // Greenhouse: anything other than exactly 200 is a failure.
    if (outcome.status === 200) return { body, signature, attempts, delivered: true };
  }
  return { body, signature, attempts, delivered: false };
}
