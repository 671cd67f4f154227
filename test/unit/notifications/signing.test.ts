/**
 * Standard Webhooks signing (docs/providers.md §7), checked by the independent verifier of
 * test/support/factories.ts with the reference library's negative cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateSigningSecret,
  signPayload,
  standardWebhookHeaders,
  webhookMessageId,
} from '../../../shared/notifications/signing.js';
import {
  StandardWebhooksConsumer,
  verifyStandardWebhook,
  WebhookVerificationError,
} from '../../support/factories.js';

// the reference library's test vector (libraries/javascript/src/webhook.test.ts, "sign function works")
const REF_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const REF_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const REF_TS = 1614265330;
const REF_BODY = '{"test": 2432232314}';

const NOW = 1_772_442_900;
const body = JSON.stringify({
  type: 'application.handoff',
  timestamp: '2026-03-02T09:15:00.000Z',
  data: { a: 1 },
});

function signed(overrides: { secret?: string; id?: string; ts?: number; body?: string } = {}) {
  const secret = overrides.secret ?? REF_SECRET;
  const id = overrides.id ?? REF_ID;
  const ts = overrides.ts ?? NOW;
  const text = overrides.body ?? body;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signPayload(secret, id, ts, text),
  } as Record<string, string | undefined>;
}

function failure(
  headers: Record<string, string | undefined>,
  opts: { now?: number; secret?: string; body?: string } = {},
) {
  try {
    verifyStandardWebhook({
      secret: opts.secret ?? REF_SECRET,
      body: opts.body ?? body,
      headers,
      nowSeconds: opts.now ?? NOW,
    });
    return 'accepted';
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}

describe('signer', () => {
  it('reproduces the reference library’s signature', () => {
    expect(signPayload(REF_SECRET, REF_ID, REF_TS, REF_BODY)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('signs the same with and without the whsec_ prefix', () => {
    expect(signPayload(REF_SECRET.slice(6), REF_ID, REF_TS, REF_BODY)).toBe(
      signPayload(REF_SECRET, REF_ID, REF_TS, REF_BODY),
    );
  });

  it('generates whsec_ secrets of 32 random bytes in standard base64', () => {
    const a = generateSigningSecret();
    const b = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('puts the attempt’s time in integer seconds into webhook-timestamp', () => {
    const headers = standardWebhookHeaders(REF_SECRET, 'msg_1_abc', new Date(NOW * 1000 + 999), body);
    expect(headers['webhook-timestamp']).toBe(String(NOW));
    expect(headers['webhook-id']).toBe('msg_1_abc');
    expect(failure(headers)).toBe('accepted');
  });

  it('derives a stable webhook-id without dots from the outbox row and the subscription', () => {
    const id = webhookMessageId('1042', '0f3c2a71-9d4b-4e8a-b6c5-7a1e2d3f4b50');
    expect(id).toBe('msg_1042_0f3c2a719d4b');
    expect(webhookMessageId('1042', '0f3c2a71-9d4b-4e8a-b6c5-7a1e2d3f4b50')).toBe(id);
    expect(id).not.toContain('.');
    expect(() => webhookMessageId('1.2', 'x')).toThrow();
  });

  it('refuses message ids with dots or spaces', () => {
    expect(() => signPayload(REF_SECRET, 'msg.1', NOW, body)).toThrow();
    expect(() => signPayload(REF_SECRET, 'msg 1', NOW, body)).toThrow();
  });

  it('round-trips through the independent verifier for any id, body and secret (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-]{1,60}$/),
        fc.string({ unit: 'binary', maxLength: 500 }),
        fc.uint8Array({ minLength: 24, maxLength: 64 }),
        (id, text, key) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          const headers = standardWebhookHeaders(secret, id, new Date(NOW * 1000), text);
          expect(verifyStandardWebhook({ secret, body: text, headers, nowSeconds: NOW }).id).toBe(id);
          expect(failure(headers, { secret, body: `${text}x` })).toBe('no_matching_signature');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('independent verifier: the reference library’s negative cases', () => {
  it('accepts a valid signature', () => {
    expect(failure(signed())).toBe('accepted');
  });

  it('refuses a missing id, timestamp or signature', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers = signed();
      delete headers[name];
      expect({ name, result: failure(headers) }).toEqual({ name, result: 'missing_headers' });
    }
  });

  it('refuses an invalid timestamp', () => {
    expect(failure({ ...signed(), 'webhook-timestamp': 'hello' })).toBe('invalid_timestamp');
    expect(failure({ ...signed(), 'webhook-timestamp': `${NOW}.5` })).toBe('invalid_timestamp');
  });

  it('refuses an invalid or partial signature', () => {
    const valid = signed()['webhook-signature']!;
    expect(failure({ ...signed(), 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' })).toBe(
      'no_matching_signature',
    );
    expect(failure({ ...signed(), 'webhook-signature': valid.slice(0, 8) })).toBe('no_matching_signature');
    expect(failure({ ...signed(), 'webhook-signature': 'v1,' })).toBe('no_matching_signature');
    expect(failure({ ...signed(), 'webhook-signature': valid.replace('v1,', 'v2,') })).toBe(
      'no_matching_signature',
    );
  });

  it('enforces ±300 s: the edges pass, one second beyond fails in both directions', () => {
    expect(failure(signed({ ts: NOW - 300 }))).toBe('accepted');
    expect(failure(signed({ ts: NOW + 300 }))).toBe('accepted');
    expect(failure(signed({ ts: NOW - 301 }))).toBe('timestamp_too_old');
    expect(failure(signed({ ts: NOW + 301 }))).toBe('timestamp_too_new');
  });

  it('accepts a multi-signature header with one valid entry among others', () => {
    const bogus = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const valid = signed()['webhook-signature']!;
    const header = [bogus, 'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', valid, bogus].join(' ');
    expect(failure({ ...signed(), 'webhook-signature': header })).toBe('accepted');
    expect(failure({ ...signed(), 'webhook-signature': [bogus, bogus].join(' ') })).toBe(
      'no_matching_signature',
    );
  });

  it('verifies with the secret given with and without whsec_', () => {
    expect(failure(signed(), { secret: REF_SECRET })).toBe('accepted');
    expect(failure(signed(), { secret: REF_SECRET.slice('whsec_'.length) })).toBe('accepted');
  });

  it('refuses a signature made with another secret or over another body', () => {
    expect(failure(signed({ secret: generateSigningSecret() }))).toBe('no_matching_signature');
    expect(failure(signed(), { body: `${body} ` })).toBe('no_matching_signature');
  });

  it('records a webhook-id once (consumer idempotency)', () => {
    const consumer = new StandardWebhooksConsumer(REF_SECRET, () => NOW);
    expect(consumer.accept(body, signed())).toBe('applied');
    expect(consumer.accept(body, signed({ ts: NOW + 5 }))).toBe('duplicate');
    expect(consumer.applied).toHaveLength(1);
  });
});
