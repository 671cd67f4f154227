/**
 * Greenhouse signature matrix (docs/providers.md §2.5, docs/reliability.md R10): `Signature: sha256 <hex>` over the raw
 * body, Unicode escaped as sent, rotation, and zero false accepts / false rejects.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../shared/ports/provider.js';
import { greenhouseWebhookVerifier as verifier } from '../../../shared/providers/greenhouse/webhook.js';

const SECRET = 'current-secret';
const PREVIOUS = 'previous-secret';
const raw = (name: string) =>
  readFileSync(new URL(`../../../events/providers/greenhouse/${name}`, import.meta.url));
const sign = (secret: string, body: Buffer | string) =>
  `sha256 ${createHmac('sha256', secret).update(body).digest('hex')}`;

function request(
  body: Buffer,
  headers: Record<string, string | undefined>,
  secrets = [SECRET],
): WebhookRequest {
  return { rawBody: body, headers, secrets, now: new Date('2026-01-15T12:00:00Z') };
}

describe('greenhouse webhook verification', () => {
  it('accepts a body signed with the current secret and uses the event id as delivery id', () => {
    const body = raw('candidate_stage_change.json');

    const result = verifier.verify(
      request(body, { signature: sign(SECRET, body), 'greenhouse-event-id': 'evt-1' }),
    );

    expect(result).toEqual({
      ok: true,
      deliveryId: 'evt-1',
      eventType: 'candidate_stage_change',
      sourceTimestamp: new Date('2026-01-14T16:38:36Z'),
      secretIndex: 0,
    });
  });

  it('falls back to a hash of the raw body when there is no Greenhouse-Event-ID', () => {
    const body = raw('delete_application.json');

    const result = verifier.verify(request(body, { signature: sign(SECRET, body) }));

    expect(result.ok && result.deliveryId).toBe(`sha256:${createHash('sha256').update(body).digest('hex')}`);
  });

  it('accepts a body with escaped Unicode (\\u003c) signed exactly as sent', () => {
    const body = raw('candidate_stage_change.json');
    expect(body.toString()).toContain('\\u003cp\\u003e');

    const result = verifier.verify(request(body, { signature: sign(SECRET, body) }));

    expect(result.ok).toBe(true);
  });

  it('refuses the same event once re-serialised (escapes lost)', () => {
    const body = raw('candidate_stage_change.json');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));

    const result = verifier.verify(request(reserialised, { signature: sign(SECRET, body) }));

    expect(result).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a signature made with another secret', () => {
    const body = raw('application_updated.json');

    const result = verifier.verify(request(body, { signature: sign('someone-else', body) }));

    expect(result).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts the previous secret passed second and reports its index', () => {
    const body = raw('application_updated.json');

    const result = verifier.verify(request(body, { signature: sign(PREVIOUS, body) }, [SECRET, PREVIOUS]));

    expect(result.ok && result.secretIndex).toBe(1);
  });

  it('refuses everything when no secret is configured', () => {
    const body = raw('application_updated.json');

    const result = verifier.verify(request(body, { signature: sign(SECRET, body) }, []));

    expect(result).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('reports a missing Signature header', () => {
    const result = verifier.verify(request(raw('ping.json'), {}));

    expect(result).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it.each([
    ['Ashby style', (b: Buffer) => sign(SECRET, b).replace('sha256 ', 'sha256=')],
    ['another algorithm', (b: Buffer) => sign(SECRET, b).replace('sha256', 'sha1')],
    ['no algorithm', (b: Buffer) => sign(SECRET, b).slice('sha256 '.length)],
    ['truncated digest', (b: Buffer) => sign(SECRET, b).slice(0, -2)],
    ['non-hex digest', () => `sha256 ${'z'.repeat(64)}`],
  ])('reports a malformed header (%s)', (_label, header) => {
    const body = raw('ping.json');

    const result = verifier.verify(request(body, { signature: header(body) }));

    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it('reports a correctly signed body that is not JSON as malformed', () => {
    const body = Buffer.from('not json');

    const result = verifier.verify(request(body, { signature: sign(SECRET, body) }));

    expect(result).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts the creation ping, which parses to a ping', () => {
    const body = raw('ping.json');

    const result = verifier.verify(request(body, { signature: sign(SECRET, body) }));

    expect(result.ok && result.eventType).toBe('ping');
    expect(verifier.parse(body)).toEqual([{ kind: 'ping' }]);
  });

  it('never accepts a tampered body and never refuses a genuine one (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        (secret, bytes, flipAt) => {
          const body = Buffer.from(
            JSON.stringify({ action: 'application_updated', payload: { data: [...bytes] } }),
          );
          const signature = sign(secret, body);
          const genuine = verifier.verify(request(body, { signature }, [secret]));
          const tampered = Buffer.from(body);
          const index = flipAt % tampered.length;
          tampered[index] = (tampered[index] ?? 0) ^ 0x01;
          const forged = verifier.verify(request(tampered, { signature }, [secret]));
          return genuine.ok && !forged.ok;
        },
      ),
      { numRuns: 300 },
    );
  });
});
