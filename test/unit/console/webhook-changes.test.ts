import { describe, expect, it } from 'vitest';
import { describeDelivery, describeWebhookEvent } from '../../../functions/operations-read/changes.js';

describe('what a webhook delivery changes', () => {
  it('names a stage move by application id and the stage it moves to', () => {
    expect(
      describeWebhookEvent({
        kind: 'application.stage_changed',
        applicationRemoteId: '9001',
        candidateRemoteId: '77',
        jobRemoteId: '5',
        fromStageRemoteId: null,
        toStage: { remoteId: '12', name: 'Onsite' },
        occurredAt: '2026-12-04T12:00:00Z',
      }),
    ).toEqual({
      kind: 'application.stage_changed',
      objectType: 'application',
      remoteId: '9001',
      detail: 'to stage Onsite',
    });
  });

  it('keeps the candidate by id only: no name or e-mail of the payload', () => {
    const change = describeWebhookEvent({
      kind: 'candidate.upserted',
      candidate: {
        remoteId: 'c-1',
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.com',
      } as never,
      occurredAt: '2026-12-04T12:00:00Z',
    });
    expect(JSON.stringify(change)).not.toMatch(/Ada|Lovelace|example\.com/);
  });

  it('lists no change for a body the parser refuses', () => {
    const parse = () => {
      throw new Error('not json');
    };
    expect(describeDelivery(parse, '{')).toEqual([]);
  });
});
