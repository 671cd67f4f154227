/**
 * Lever interview webhooks (beta) → record.deleted, record.upserted when the delivery carries the interview, or
 * record.reread when it names the interview by id only.
 */
import { describe, expect, it } from 'vitest';
import { toWebhookEvents } from '../../../../shared/providers/lever/to-webhook-event.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<any>('lever');

describe('lever interview webhooks', () => {
  it('maps interviewDeleted to a deleted interview', () => {
    expect(toWebhookEvents(sample('interviewDeleted.json'))).toEqual([
      {
        kind: 'record.deleted',
        objectType: 'interview',
        remoteId: '32b7bf78-4592-4a56-b313-3e31ed25ea00',
        occurredAt: new Date(1768478800000).toISOString(),
      },
    ]);
  });

  it('asks to read back the interview an interviewCreated names by id only', () => {
    expect(toWebhookEvents(sample('interviewCreated.json'))).toEqual([
      {
        kind: 'record.reread',
        objectType: 'interview',
        parentRemoteId: '730e37db-93d3-4acf-b9de-7cfc397cef1d',
        remoteId: 'i-1',
        occurredAt: new Date(1768478700000).toISOString(),
      },
    ]);
  });

  it('maps an interviewUpdated carrying the interview to an upserted interview on the opportunity', () => {
    const interview = sample('interviews-page.json').data[0];
    const body = { ...sample('interviewCreated.json'), event: 'interviewUpdated' };
    body.data = { ...body.data, interview };

    const [event] = toWebhookEvents(body);

    expect(event).toMatchObject({
      kind: 'record.upserted',
      object: {
        objectType: 'interview',
        record: { remoteId: interview.id, applicationRemoteId: '730e37db-93d3-4acf-b9de-7cfc397cef1d' },
      },
    });
  });

  it('ignores an interviewDeleted without an interview id', () => {
    const body = { ...sample('interviewDeleted.json'), data: { opportunityId: 'opp-1' } };

    expect(toWebhookEvents(body)).toEqual([{ kind: 'ignored', eventType: 'interviewDeleted' }]);
  });
});
