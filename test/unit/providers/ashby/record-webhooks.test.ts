/** Ashby interview schedule and offer webhooks → record.upserted / record.deleted. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { provider } from '../../../../shared/providers/ashby/index.js';
import { toWebhookEvents } from '../../../../shared/providers/ashby/to-webhook-event.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<any>('ashby');
const NOW = () => new Date('2026-02-10T12:00:00.000Z');

describe('ashby record webhooks', () => {
  it('turns an interview schedule update into an upserted interview per timed event', () => {
    const events = toWebhookEvents(sample('interviewScheduleUpdate.json'), NOW);

    expect(events).toEqual([
      {
        kind: 'record.upserted',
        object: {
          objectType: 'interview',
          record: expect.objectContaining({ remoteId: 'event-1', status: 'cancelled' }),
        },
        occurredAt: '2026-01-13T11:00:00.000Z',
      },
    ]);
  });

  it('turns offerCreate into an upserted sent offer', () => {
    const [event] = toWebhookEvents(sample('offerCreate.json'), NOW);

    expect(event).toMatchObject({
      kind: 'record.upserted',
      object: { objectType: 'offer', record: { remoteId: 'offer-3', status: 'sent' } },
      occurredAt: '2026-02-05T09:00:00.000Z',
    });
  });

  it('turns offerDelete into a deleted offer', () => {
    expect(toWebhookEvents(sample('offerDelete.json'), NOW)).toEqual([
      { kind: 'record.deleted', objectType: 'offer', remoteId: 'offer-3', occurredAt: NOW().toISOString() },
    ]);
  });

  it('ignores a schedule payload without a schedule', () => {
    expect(toWebhookEvents({ action: 'interviewScheduleCreate', data: {} }, NOW)).toEqual([
      { kind: 'ignored', eventType: 'interviewScheduleCreate' },
    ]);
  });

  it('dates a schedule delivery by the schedule update time for the out-of-order guard', () => {
    const body = Buffer.from(JSON.stringify(sample('interviewScheduleUpdate.json')));
    const secret = 'whsec-test';
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

    const verified = provider.webhookVerifier!.verify({
      rawBody: body,
      headers: { 'ashby-signature': signature },
      secrets: [secret],
      now: NOW(),
    });

    expect(verified).toMatchObject({ ok: true, sourceTimestamp: new Date('2026-01-13T11:00:00.000Z') });
  });
});
