/** Ashby candidate notes and archive reasons → canonical notes and rejection reasons. */
import { describe, expect, it } from 'vitest';
import {
  ashbyArchiveReasonSchema,
  ashbyNoteSchema,
} from '../../../../shared/providers/ashby/record-schemas.js';
import { toNote } from '../../../../shared/providers/ashby/to-note.js';
import { toRejectionReason } from '../../../../shared/providers/ashby/to-rejection-reason.js';
import { jsonSamples } from '../samples.js';

const sample = jsonSamples<any>('ashby');
const note = (index: number) => ashbyNoteSchema.parse(sample('candidate-list-notes.json').results[index]);

describe('ashby toNote', () => {
  it('maps a shared note to an organization note on the candidate with its author', () => {
    expect(toNote(note(0), 'cand-1')).toEqual({
      remoteId: 'note-1',
      candidateRemoteId: 'cand-1',
      applicationRemoteId: null,
      body: 'Call back next week.',
      author: 'Ada Byron',
      visibility: 'organization',
      createdAt: '2026-01-11T10:00:00.000Z',
      remoteUpdatedAt: '2026-01-11T10:00:00.000Z',
    });
  });

  it('maps a private note to private, without an author when Ashby names none', () => {
    expect(toNote(note(1), 'cand-1')).toMatchObject({ visibility: 'private', author: null });
  });
});

describe('ashby toRejectionReason', () => {
  it('names the reason by its text and groups it by reason type', () => {
    const raw = ashbyArchiveReasonSchema.parse(sample('archive-reason-list.json').results[0]);

    expect(toRejectionReason(raw)).toEqual({
      remoteId: 'reason-1',
      name: 'Not a fit',
      category: 'RejectedByOrg',
      remoteUpdatedAt: null,
    });
  });
});
