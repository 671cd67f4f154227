/**
 * Lever signature matrix (docs/providers.md §3.5, docs/reliability.md R10): body `signature` = hex HMAC-SHA256(signing
 * token, token + triggeredAt); the rest of the body is unsigned; replay window on triggeredAt.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../shared/ports/provider.js';
import {
  createLeverWebhookVerifier,
  leverWebhookVerifier as verifier,
} from '../../../shared/providers/lever/webhook.js';

const SECRET = 'signing-token-current';
const PREVIOUS = 'signing-token-previous';
const sample = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../events/providers/lever/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

/** A delivery as Lever sends it: the sample with a fresh token/triggeredAt and a real signature. */
function delivery(
  secret: string,
  triggeredAt: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...sample('candidateStageChange.json'), triggeredAt, ...overrides };
  const token = String(body['token']);
  body['signature'] = createHmac('sha256', secret).update(`${token}${body['triggeredAt']}`).digest('hex');
  return body;
}

const NOW = new Date('2026-01-15T12:00:00.000Z');
const request = (body: unknown, secrets = [SECRET], now = NOW): WebhookRequest => ({
  rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  headers: {},
  secrets,
  now,
});

describe('lever webhook verification', () => {
  it('accepts a body whose signature covers token + triggeredAt, with the token as delivery id', () => {
    const body = delivery(SECRET, NOW.getTime() - 1_000);

    expect(verifier.verify(request(body))).toEqual({
      ok: true,
      deliveryId: body['token'],
      eventType: 'candidateStageChange',
      sourceTimestamp: new Date(NOW.getTime() - 1_000),
      secretIndex: 0,
    });
  });

  it('still accepts the body re-serialised with other spacing, since only token + triggeredAt are signed', () => {
    const body = delivery(SECRET, NOW.getTime());

    expect(verifier.verify(request(JSON.stringify(body, null, 2))).ok).toBe(true);
  });

  it('refuses a signature made with another signing token', () => {
    expect(verifier.verify(request(delivery('other', NOW.getTime())))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a body whose token was swapped after signing', () => {
    const body = { ...delivery(SECRET, NOW.getTime()), token: 'x'.repeat(48) };

    expect(verifier.verify(request(body))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a body whose triggeredAt was moved after signing', () => {
    const body = { ...delivery(SECRET, NOW.getTime()), triggeredAt: NOW.getTime() - 5 };

    expect(verifier.verify(request(body))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts the previous signing token passed second and reports its index', () => {
    expect(verifier.verify(request(delivery(PREVIOUS, NOW.getTime()), [SECRET, PREVIOUS]))).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
  });

  it('reports a body without signature as missing_signature', () => {
    const { signature: _drop, ...body } = delivery(SECRET, NOW.getTime());

    expect(verifier.verify(request(body))).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it.each([
    ['not JSON', '{"token":'],
    ['a JSON array', '[1,2]'],
    ['a non-hex signature', JSON.stringify({ ...sample('candidateStageChange.json'), signature: 'not-hex' })],
    [
      'a string triggeredAt',
      JSON.stringify({ ...sample('candidateStageChange.json'), triggeredAt: '1768478400000' }),
    ],
    ['no token', JSON.stringify({ ...sample('candidateStageChange.json'), token: undefined })],
  ])('reports %s as malformed', (_label, body) => {
    expect(verifier.verify(request(body))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a genuine delivery older than 24 h as stale', () => {
    const body = delivery(SECRET, NOW.getTime() - 86_400_000 - 1);

    expect(verifier.verify(request(body))).toEqual({ ok: false, reason: 'stale' });
  });

  it('accepts a genuine delivery just inside 24 h (a late retry)', () => {
    const body = delivery(SECRET, NOW.getTime() - 86_400_000 + 1_000);

    expect(verifier.verify(request(body)).ok).toBe(true);
  });

  it('refuses a triggeredAt more than 5 min in the future and accepts one just inside', () => {
    const tooNew = delivery(SECRET, NOW.getTime() + 301_000);
    const skewed = delivery(SECRET, NOW.getTime() + 299_000);

    expect([verifier.verify(request(tooNew)), verifier.verify(request(skewed)).ok]).toEqual([
      { ok: false, reason: 'stale' },
      true,
    ]);
  });

  it('uses a configured replay window', () => {
    const strict = createLeverWebhookVerifier({ maxAgeSeconds: 300 });
    const body = delivery(SECRET, NOW.getTime() - 301_000);

    expect(strict.verify(request(body))).toEqual({ ok: false, reason: 'stale' });
  });

  it('never accepts a forged pair and never refuses a genuine one (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 48, maxLength: 48 }),
        fc.integer({ min: -86_000_000, max: 290_000 }),
        fc.integer({ min: 1, max: 1_000 }),
        (secret, token, offset, shift) => {
          const at = NOW.getTime() + offset;
          const body = delivery(secret, at, { token });
          const genuine = verifier.verify(request(body, [secret]));
          const forged = verifier.verify(request({ ...body, triggeredAt: at - shift }, [secret]));
          return genuine.ok && !forged.ok;
        },
      ),
      { numRuns: 300 },
    );
  });
});
