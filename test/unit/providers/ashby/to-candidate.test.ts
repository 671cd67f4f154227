/** Ashby candidate profile → canonical contacts, company and title, tags and attachment metadata. */
import { describe, expect, it } from 'vitest';
import { ashbyCandidateSchema } from '../../../../shared/providers/ashby/schemas.js';
import { attachmentTypeOf, toCandidate } from '../../../../shared/providers/ashby/to-candidate.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<any>('ashby');
const full = () => ashbyCandidateSchema.parse(sample('candidate-info-full.json').results);

describe('ashby toCandidate: the full profile', () => {
  it('lists every email, primary first, lower-cased and typed', () => {
    expect(toCandidate(full()).emails).toEqual([
      { value: 'grace@work.example', type: 'work' },
      { value: 'grace@home.example', type: 'personal' },
    ]);
  });

  it('lists every phone, primary first, typed', () => {
    expect(toCandidate(full()).phones).toEqual([
      { value: '+44 20 7946 0000', type: 'work' },
      { value: '+44 7700 900000', type: 'mobile' },
    ]);
  });

  it('takes company and position as company and title', () => {
    expect(toCandidate(full())).toMatchObject({ company: 'Example Ltd', title: 'Staff Engineer' });
  });

  it('keeps the titles of active tags only', () => {
    expect(toCandidate(full()).tags).toEqual(['Referral']);
  });

  it('lists attachments once each, the resume handle as the resume, without handles or URLs', () => {
    const attachments = toCandidate(full()).attachments;

    expect(attachments).toEqual([
      { remoteId: 'file-1', fileName: 'grace.pdf', type: 'resume', applicationRemoteId: null },
      { remoteId: 'file-2', fileName: 'Cover Letter.docx', type: 'cover_letter', applicationRemoteId: null },
      { remoteId: 'file-3', fileName: 'references.pdf', type: 'other', applicationRemoteId: null },
    ]);
    expect(JSON.stringify(attachments)).not.toContain('eyJ');
  });

  it('reads an omitted company and position on a full profile as none', () => {
    const { company, position, ...rest } = sample('candidate-info-full.json').results;
    const raw = ashbyCandidateSchema.parse(rest);

    expect(toCandidate(raw)).toMatchObject({ company: null, title: null });
  });
});

describe('ashby toCandidate: partial candidates', () => {
  it('leaves tags, attachments, company and title absent where the payload has no profile', () => {
    const raw = ashbyCandidateSchema.parse({ id: 'c-1', name: 'Only Name' });

    const candidate = toCandidate(raw);

    for (const field of ['tags', 'attachments', 'company', 'title', 'emails', 'phones'])
      expect(candidate).not.toHaveProperty(field);
  });
});

describe('ashby attachmentTypeOf', () => {
  it.each([
    ['cover_letter.pdf', 'cover_letter'],
    ['Portfolio 2026.pdf', 'portfolio'],
    ['Offer letter.pdf', 'offer_letter'],
    ['my-cv.pdf', 'resume'],
    ['transcript.pdf', 'other'],
  ])('types %s as %s', (name, type) => {
    expect(attachmentTypeOf(name)).toBe(type);
  });
});
