/** Lever opportunities → candidates with every email and phone, headline, tags and attachment metadata. */
import { describe, expect, it } from 'vitest';
import { leverOpportunitySchema } from '../../../../shared/providers/lever/schemas.js';
import {
  attachmentTypeOf,
  toAttachments,
  toCandidate,
  uniqueCandidates,
} from '../../../../shared/providers/lever/to-candidate.js';

const opportunity = (overrides: Record<string, unknown> = {}) =>
  leverOpportunitySchema.parse({
    id: 'opp-1',
    name: 'Ada Lovelace',
    headline: 'Engineer at Analytical Engines',
    contact: 'contact-1',
    emails: ['Ada@Example.test', ' ', 'ada.work@example.test'],
    phones: [{ type: 'Mobile', value: '+44 1' }, { value: '+44 2' }, { type: 'work', value: '' }],
    tags: ['Senior', ' Referral ', 'Senior'],
    updatedAt: 1768000000000,
    ...overrides,
  });

describe('lever candidate mapper', () => {
  it('keeps every email and phone, primary first, with Lever phone types lower-cased', () => {
    const candidate = toCandidate(opportunity());

    expect(candidate).toMatchObject({
      email: 'ada@example.test',
      phone: '+44 1',
      emails: [
        { value: 'ada@example.test', type: 'other' },
        { value: 'ada.work@example.test', type: 'other' },
      ],
      phones: [
        { value: '+44 1', type: 'mobile' },
        { value: '+44 2', type: 'other' },
      ],
    });
  });

  it('takes the headline as title, no company, and the distinct tags', () => {
    expect(toCandidate(opportunity())).toMatchObject({
      title: 'Engineer at Analytical Engines',
      company: null,
      tags: ['Senior', 'Referral'],
    });
  });

  it('reports no attachments unless they were read', () => {
    expect(toCandidate(opportunity())).not.toHaveProperty('attachments');
  });

  it('unites the tags and attachments of a contact with two opportunities', () => {
    const first = opportunity();
    const second = opportunity({ id: 'opp-2', tags: ['Python'], updatedAt: 1769000000000 });
    const files = new Map([
      ['opp-1', toAttachments('opp-1', [{ id: 'r1', file: { name: 'cv.pdf' } }], [])],
      ['opp-2', toAttachments('opp-2', [], [{ id: 'f1', name: 'Portfolio.pdf' }])],
    ]);

    const [candidate] = uniqueCandidates([first, second], files);

    expect(candidate!.tags).toEqual(['Senior', 'Referral', 'Python']);
    expect(candidate!.attachments).toEqual([
      { remoteId: 'r1', fileName: 'cv.pdf', type: 'resume', applicationRemoteId: 'opp-1' },
      { remoteId: 'f1', fileName: 'Portfolio.pdf', type: 'portfolio', applicationRemoteId: 'opp-2' },
    ]);
  });

  it.each([
    ['Cover Letter.pdf', 'cover_letter'],
    ['ada_cv.docx', 'resume'],
    ['Offer-signed.pdf', 'offer_letter'],
    ['transcript.pdf', 'other'],
  ])('types the file %s as %s', (name, type) => {
    expect(attachmentTypeOf(name)).toBe(type);
  });
});
