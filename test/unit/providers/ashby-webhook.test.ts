/**
 * Ashby signature matrix (docs/providers.md §4.4, docs/reliability.md R10): `Ashby-Signature: sha256=<hex>` over the raw
 * body; unsigned deliveries refused; rotation; zero false accepts / false rejects.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebhookRequest } from '../../../shared/ports/provider.js';
import { ashbyWebhookVerifier as verifier } from '../../../shared/providers/ashby/webhook.js';

const SECRET = 'ashby-current';
const PREVIOUS = 'ashby-previous';
const raw = (name: string) =>
  readFileSync(new URL(`../../../events/providers/ashby/${name}`, import.meta.url));
const sign = (secret: string, body: Buffer | string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const request = (
  body: Buffer,
  headers: Record<string, string | undefined>,
  secrets = [SECRET],
): WebhookRequest => ({
  rawBody: body,
  headers,
  secrets,
  now: new Date('2026-01-15T12:00:00Z'),
});

describe('ashby webhook verification', () => {
  it('accepts a body signed with the current secret; the delivery id is the raw-body hash', () => {
    const body = raw('candidateStageChange.json');

    expect(verifier.verify(request(body, { 'ashby-signature': sign(SECRET, body) }))).toEqual({
      ok: true,
      deliveryId: `sha256:${createHash('sha256').update(body).digest('hex')}`,
      eventType: 'candidateStageChange',
      sourceTimestamp: new Date('2026-01-14T10:00:00.000Z'),
      secretIndex: 0,
    });
  });

  it('refuses a signature made with another secret', () => {
    const body = raw('applicationUpdate.json');

    expect(verifier.verify(request(body, { 'ashby-signature': sign('other', body) }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses the body once re-serialised with different spacing', () => {
    const body = raw('applicationUpdate.json');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));

    expect(verifier.verify(request(reserialised, { 'ashby-signature': sign(SECRET, body) }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('accepts the previous secret passed second and reports its index', () => {
    const body = raw('applicationUpdate.json');

    expect(
      verifier.verify(request(body, { 'ashby-signature': sign(PREVIOUS, body) }, [SECRET, PREVIOUS])),
    ).toMatchObject({ ok: true, secretIndex: 1 });
  });

  it('refuses an unsigned delivery (the hub requires the optional secret)', () => {
    expect(verifier.verify(request(raw('applicationUpdate.json'), {}))).toEqual({
      ok: false,
      reason: 'missing_signature',
    });
  });

  it.each([
    ['Greenhouse style', (b: Buffer) => sign(SECRET, b).replace('sha256=', 'sha256 ')],
    ['another algorithm', (b: Buffer) => sign(SECRET, b).replace('sha256=', 'sha1=')],
    ['bare digest', (b: Buffer) => sign(SECRET, b).slice('sha256='.length)],
    ['short digest', (b: Buffer) => sign(SECRET, b).slice(0, 40)],
  ])('reports a malformed header (%s)', (_label, header) => {
    const body = raw('applicationUpdate.json');

    expect(verifier.verify(request(body, { 'ashby-signature': header(body) }))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('reports a correctly signed body that is not an Ashby envelope as malformed', () => {
    const body = Buffer.from('{"hello":"world"}');

    expect(verifier.verify(request(body, { 'ashby-signature': sign(SECRET, body) }))).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('never accepts a tampered body and never refuses a genuine one (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.nat(), (secret, note, flipAt) => {
        const body = Buffer.from(JSON.stringify({ action: 'applicationUpdate', data: { note } }));
        const signature = sign(secret, body);
        const tampered = Buffer.from(body);
        const index = flipAt % tampered.length;
        tampered[index] = (tampered[index] ?? 0) ^ 0x20;
        const genuine = verifier.verify(request(body, { 'ashby-signature': signature }, [secret]));
        const forged = verifier.verify(request(tampered, { 'ashby-signature': signature }, [secret]));
        return genuine.ok && !forged.ok;
      }),
      { numRuns: 300 },
    );
  });
});
