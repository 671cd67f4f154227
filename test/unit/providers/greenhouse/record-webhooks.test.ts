/** Greenhouse interview, scorecard and offer webhooks → record events (payload shapes of the vendor's docs). */
import { describe, expect, it } from 'vitest';
import { toWebhookEvents } from '../../../../shared/providers/greenhouse/to-webhook-event.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples('greenhouse');
const NOW = () => new Date('2026-01-15T12:00:00.000Z');

describe('greenhouse record webhooks', () => {
  it('maps interview_deleted to a deleted interview', () => {
    expect(
      toWebhookEvents({ action: 'interview_deleted', payload: { interview: { id: 31087450 } } }, NOW),
    ).toEqual([
      {
        kind: 'record.deleted',
        objectType: 'interview',
        remoteId: '31087450',
        occurredAt: NOW().toISOString(),
      },
    ]);
  });

  it('maps scorecard_deleted to a deleted scorecard', () => {
    const body = {
      action: 'scorecard_deleted',
      payload: { scorecard: { id: 6036088, candidate_id: 29843272, scorecard_status: 'complete' } },
    };

    expect(toWebhookEvents(body, NOW)).toEqual([
      {
        kind: 'record.deleted',
        objectType: 'scorecard',
        remoteId: '6036088',
        occurredAt: NOW().toISOString(),
      },
    ]);
  });

  it('maps offer_deleted, wrapped or flat, to a deleted offer', () => {
    const wrapped = toWebhookEvents({ action: 'offer_deleted', payload: { offer: { id: 506406 } } }, NOW);
    const flat = toWebhookEvents(
      { action: 'offer_deleted', payload: { id: 1234, application_id: 2344 } },
      NOW,
    );

    expect([wrapped[0], flat[0]]).toMatchObject([
      { kind: 'record.deleted', objectType: 'offer', remoteId: '506406' },
      { kind: 'record.deleted', objectType: 'offer', remoteId: '1234' },
    ]);
  });

  it('maps offer_created (flat payload) to an upserted draft offer', () => {
    expect(toWebhookEvents(sample('offer_created.json'), NOW)).toEqual([
      {
        kind: 'record.upserted',
        object: {
          objectType: 'offer',
          record: {
            remoteId: '12345',
            applicationRemoteId: '234556',
            status: 'draft',
            sentAt: null,
            resolvedAt: null,
            startsAt: null,
            remoteUpdatedAt: NOW().toISOString(),
          },
        },
        occurredAt: NOW().toISOString(),
      },
    ]);
  });

  it('maps offer_updated of an accepted offer, ordered by its resolution time', () => {
    const body = {
      action: 'offer_updated',
      payload: {
        id: 12345,
        application_id: 234556,
        version: 2,
        sent_on: '2013-03-22',
        resolved_at: '2013-03-25T00:00:00Z',
        start_date: '04/15/2013',
        offer_status: 'Accepted',
      },
    };

    const [event] = toWebhookEvents(body, NOW);

    expect(event).toMatchObject({
      kind: 'record.upserted',
      object: { record: { status: 'accepted', startsAt: '2013-04-15', sentAt: '2013-03-22T00:00:00.000Z' } },
      occurredAt: '2013-03-25T00:00:00.000Z',
    });
  });

  it('ignores an offer event without an application', () => {
    expect(toWebhookEvents({ action: 'offer_approved', payload: { id: 1 } }, NOW)).toEqual([
      { kind: 'ignored', eventType: 'offer_approved' },
    ]);
  });
});
