/** Ashby offers → canonical offers with status, send and resolution times and start date. */
import { describe, expect, it } from 'vitest';
import { ashbyOfferSchema } from '../../../../shared/providers/ashby/record-schemas.js';
import { offerStatusOf, toOffer } from '../../../../shared/providers/ashby/to-offer.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<any>('ashby');
const offer = (index: number) => ashbyOfferSchema.parse(sample('offer-list-page.json').results[index]);

describe('ashby toOffer', () => {
  it('maps an accepted offer with its decision time and start date', () => {
    expect(toOffer(offer(0))).toEqual({
      remoteId: 'offer-1',
      applicationRemoteId: '3ae2b801-19f6-41ef-ad28-214bd731948f',
      status: 'accepted',
      sentAt: '2026-02-01T10:00:00.000Z',
      resolvedAt: '2026-02-03T12:00:00.000Z',
      startsAt: '2026-03-01',
      remoteUpdatedAt: '2026-02-03T12:00:00.000Z',
    });
  });

  it('maps an offer awaiting approval to a draft that was never sent', () => {
    expect(toOffer(offer(1))).toMatchObject({
      status: 'draft',
      sentAt: null,
      resolvedAt: null,
      startsAt: null,
    });
  });

  it.each([
    ['WaitingOnCandidateResponse', null, 'sent'],
    ['CandidateRejected', null, 'declined'],
    ['OfferCancelled', null, 'withdrawn'],
    [null, 'Accepted', 'accepted'],
    ['SomethingNew', 'Declined', 'declined'],
    ['SomethingNew', null, 'draft'],
  ] as const)('maps offerStatus %s / acceptanceStatus %s to %s', (offerStatus, acceptanceStatus, status) => {
    expect(offerStatusOf({ offerStatus, acceptanceStatus })).toBe(status);
  });
});
