/** Lever offers, notes and archive reasons → canonical offers, notes and rejection reasons. */
import { describe, expect, it } from 'vitest';
import { leverNoteSchema, leverOfferSchema } from '../../../../shared/providers/lever/record-schemas.js';
import { leverArchiveReasonSchema } from '../../../../shared/providers/lever/schemas.js';
import { toNote } from '../../../../shared/providers/lever/to-note.js';
import { offerStatusOf, toOffer } from '../../../../shared/providers/lever/to-offer.js';
import { toRejectionReason } from '../../../../shared/providers/lever/to-rejection-reason.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<{ data: unknown[] }>('lever');
const offers = () => sample('offers-page.json').data.map((o) => leverOfferSchema.parse(o));
const notes = () => sample('notes-page.json').data.map((n) => leverNoteSchema.parse(n));
const noteContext = {
  candidateRemoteId: 'contact-1',
  applicationRemoteId: 'opp-1',
  users: new Map([['7a1d0c3e-0013', { id: '7a1d0c3e-0013', name: 'Lee Lead', email: null }]]),
};

describe('lever offer mapper', () => {
  it('maps a signed offer to accepted with sent, resolved and start dates', () => {
    expect(toOffer(offers()[0]!, 'opp-1')).toEqual({
      remoteId: 'offer-signed',
      applicationRemoteId: 'opp-1',
      status: 'accepted',
      sentAt: new Date(1768100000000).toISOString(),
      resolvedAt: new Date(1768200000000).toISOString(),
      startsAt: '2026-03-01',
      remoteUpdatedAt: new Date(1768200000000).toISOString(),
    });
  });

  it('keeps an offer awaiting approval a draft, without documents', () => {
    expect(toOffer(offers()[1]!, 'opp-1')).toMatchObject({
      status: 'draft',
      sentAt: null,
      resolvedAt: null,
      startsAt: null,
    });
  });

  it.each([
    ['sent', 'sent'],
    ['sent-manually', 'sent'],
    ['opened', 'sent'],
    ['denied', 'declined'],
    ['approved', 'draft'],
    ['something-new', 'draft'],
  ])('maps the status %s to %s', (status, expected) => {
    expect(offerStatusOf(status)).toBe(expected);
  });
});

describe('lever note mapper', () => {
  it('maps a team note with its body from the fields and its author', () => {
    expect(toNote(notes()[0]!, noteContext)).toEqual({
      remoteId: '2c506ee0-f99f-4aff-b556-76e003efb5ea',
      candidateRemoteId: 'contact-1',
      applicationRemoteId: 'opp-1',
      body: 'Strong referral from the platform team.',
      author: 'Lee Lead',
      visibility: 'organization',
      createdAt: new Date(1768000000000).toISOString(),
      remoteUpdatedAt: new Date(1768000100000).toISOString(),
    });
  });

  it('maps a secret note to private, falling back to its text, with an unknown author as null', () => {
    expect(toNote(notes()[1]!, noteContext)).toMatchObject({
      visibility: 'private',
      body: 'Compensation',
      author: null,
    });
  });

  it('maps a deleted note to null', () => {
    expect(toNote(notes()[2]!, noteContext)).toBeNull();
  });
});

describe('lever rejection reason mapper', () => {
  it('maps an archive reason with its type as the category', () => {
    const raw = leverArchiveReasonSchema.parse({ id: 'r1', text: 'Underqualified', type: 'non-hired' });

    expect(toRejectionReason(raw)).toEqual({
      remoteId: 'r1',
      name: 'Underqualified',
      category: 'non-hired',
      remoteUpdatedAt: null,
    });
  });
});
