import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../shared/ports/provider.js';
import { bamboohrWebhookVerifier as verifier } from '../../../shared/providers/bamboohr/webhook.js';

const rawBody = readFileSync(
  new URL('../../../events/providers/bamboohr/webhook-employees.json', import.meta.url),
);
const secret = 'current-private-key';
const previousSecret = 'previous-private-key';
const now = new Date('2026-01-15T12:00:00.000Z');
const nowSeconds = now.getTime() / 1000;

/** Independent signer: lowercase hex HMAC-SHA256 over whatever message the case needs. */
function hmacHex(key: string, message: Buffer | string): string {
  return createHmac('sha256', key).update(message).digest('hex');
}

function request(overrides: {
  body?: Buffer;
  signature?: string | undefined;
  timestamp?: string | undefined;
  secrets?: string[];
}): WebhookRequest {
  const body = overrides.body ?? rawBody;
  const timestamp = 'timestamp' in overrides ? overrides.timestamp : String(nowSeconds);
  const signature =
    'signature' in overrides
      ? overrides.signature
      : hmacHex(secret, Buffer.concat([body, Buffer.from(timestamp ?? '')]));
  return {
    rawBody: body,
    headers: {
      'x-bamboohr-signature': signature,
      'x-bamboohr-timestamp': timestamp,
      'content-type': 'application/json',
    },
    secrets: overrides.secrets ?? [secret],
    now,
  };
}

function signedAt(offsetSeconds: number): WebhookRequest {
  const timestamp = String(nowSeconds + offsetSeconds);
  return request({ timestamp, signature: hmacHex(secret, Buffer.concat([rawBody, Buffer.from(timestamp)])) });
}

describe('BambooHR webhook signature', () => {
  it('accepts body + timestamp signed with the current key', () => {
    const result = verifier.verify(request({}));

    expect(result).toEqual({
      ok: true,
      deliveryId: `ts:${nowSeconds}:sha256:${createHash('sha256').update(rawBody).digest('hex')}`,
      eventType: 'employee.changed',
      sourceTimestamp: now,
      secretIndex: 0,
    });
  });

  it('refuses a signature made with another key', () => {
    const timestamp = String(nowSeconds);
    const signature = hmacHex('someone-else', Buffer.concat([rawBody, Buffer.from(timestamp)]));

    expect(verifier.verify(request({ signature }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a body re-serialised after signing', () => {
    const timestamp = String(nowSeconds);
    const signature = hmacHex(secret, Buffer.concat([rawBody, Buffer.from(timestamp)]));
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8'))));

    expect(verifier.verify(request({ body: reserialised, signature }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a signature over timestamp + body (wrong order)', () => {
    const timestamp = String(nowSeconds);
    const signature = hmacHex(secret, Buffer.concat([Buffer.from(timestamp), rawBody]));

    expect(verifier.verify(request({ signature }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a signature over body + "." + timestamp (separator)', () => {
    const timestamp = String(nowSeconds);
    const signature = hmacHex(secret, Buffer.concat([rawBody, Buffer.from(`.${timestamp}`)]));

    expect(verifier.verify(request({ signature }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a request without a signature header', () => {
    expect(verifier.verify(request({ signature: undefined }))).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it('refuses a request without a timestamp header', () => {
    expect(verifier.verify(request({ timestamp: undefined }))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a non-numeric timestamp', () => {
    const timestamp = '2026-01-15T12:00:00Z';
    const signature = hmacHex(secret, Buffer.concat([rawBody, Buffer.from(timestamp)]));

    expect(verifier.verify(request({ timestamp, signature }))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a signature that is not 64 hex characters', () => {
    expect(verifier.verify(request({ signature: 'sha256=abc' }))).toEqual({ ok: false, reason: 'malformed' });
  });

  it.each([-299, 299])('accepts a timestamp %i s away from now', (offset) => {
    expect(verifier.verify(signedAt(offset)).ok).toBe(true);
  });

  it.each([-301, 301])('refuses a timestamp %i s away from now as stale', (offset) => {
    expect(verifier.verify(signedAt(offset))).toEqual({ ok: false, reason: 'stale' });
  });

  it('accepts the previous key as the second secret and reports its index', () => {
    const timestamp = String(nowSeconds);
    const signature = hmacHex(previousSecret, Buffer.concat([rawBody, Buffer.from(timestamp)]));

    const result = verifier.verify(request({ signature, secrets: [secret, previousSecret] }));

    expect(result).toMatchObject({ ok: true, secretIndex: 1 });
  });

  it('refuses everything when no secret is configured', () => {
    expect(verifier.verify(request({ secrets: [] }))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('names the delivery after the timestamp and the body hash, the same on a repeated delivery', () => {
    const first = verifier.verify(request({}));
    const second = verifier.verify(request({}));

    expect(first.ok && second.ok && first.deliveryId === second.deliveryId).toBe(true);
  });

  it('has no false accepts or false rejects over random bodies, keys and timestamps', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.integer({ min: -300, max: 300 }),
        fc.nat({ max: 199 }),
        (bytes, key, offset, flipAt) => {
          const body = Buffer.from(
            JSON.stringify({ employees: [], noise: Buffer.from(bytes).toString('base64') }),
          );
          const timestamp = String(nowSeconds + offset);
          const signature = hmacHex(key, Buffer.concat([body, Buffer.from(timestamp)]));
          const genuine = verifier.verify({
            rawBody: body,
            headers: { 'x-bamboohr-signature': signature, 'x-bamboohr-timestamp': timestamp },
            secrets: [key],
            now,
          });
          const tampered = Buffer.from(body);
          const index = flipAt % tampered.length;
          tampered[index] = (tampered[index] ?? 0) ^ 0x01;
          const forged = verifier.verify({
            rawBody: tampered,
            headers: { 'x-bamboohr-signature': signature, 'x-bamboohr-timestamp': timestamp },
            secrets: [key],
            now,
          });
          return genuine.ok && !forged.ok;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('BambooHR webhook parse', () => {
  it('turns the employee entries into ignored events', () => {
    expect(verifier.parse(rawBody)).toEqual([
      { kind: 'ignored', eventType: 'employee.updated' },
      { kind: 'ignored', eventType: 'employee.deleted' },
    ]);
  });
});
