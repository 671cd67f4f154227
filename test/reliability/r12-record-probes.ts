/**
 * R12's probes of the recruiting record's repository methods (functions/ats-record): tenant A calls each with
 * tenant B's ids; a read that returns B's rows, or a write that reaches one, is a leak.
 */
import {
  findCandidateRecord,
  listCandidateRecords,
  listTags,
  replaceCandidateTags,
  updateCandidateRecord,
} from '../../shared/db/repositories/record-candidates.js';
import {
  findInterviewForUpdate,
  listInterviews,
  listOffers,
  listScorecards,
  updateInterview,
} from '../../shared/db/repositories/record-interviews.js';
import { listApplicationNotes, listRejectionReasons } from '../../shared/db/repositories/record-notes.js';
import type { Tx } from '../../shared/db/tenant.js';
import type { TenantGraph } from '../support/fixtures.js';

type Make<P> = (name: string, run: (tx: Tx) => Promise<unknown>, leaked?: (result: unknown) => boolean) => P;

/** Tenant B's rows of the record that the fixture graph does not name. */
export interface RecordIdsOfB {
  reasonId: string;
  interviewId: string;
  tagId: string;
}

export function recordProbes<P>(
  { read, write }: { read: Make<P>; write: Make<P> },
  b: TenantGraph,
  bOnly: RecordIdsOfB,
): P[] {
  return [
    read('findCandidateRecord', (tx) => findCandidateRecord(tx, b.candidateId)),
    read(
      'listCandidateRecords',
      (tx) => listCandidateRecords(tx, { limit: 200 }),
      (r) => (r as { id: string }[]).some((c) => c.id === b.candidateId),
    ),
    read(
      'listTags',
      (tx) => listTags(tx, 200),
      (r) => (r as { id: string }[]).some((t) => t.id === bOnly.tagId),
    ),
    read('listInterviews', (tx) => listInterviews(tx, b.applicationId, 50)),
    read('listScorecards', (tx) => listScorecards(tx, b.applicationId, 50)),
    read('listOffers', (tx) => listOffers(tx, b.applicationId, 50)),
    read('listApplicationNotes', (tx) =>
      listApplicationNotes(tx, { id: b.applicationId, candidateId: b.candidateId }, 50),
    ),
    read(
      'listRejectionReasons',
      (tx) => listRejectionReasons(tx, 200),
      (r) => (r as { id: string }[]).some((x) => x.id === bOnly.reasonId),
    ),
    read('findInterviewForUpdate', (tx) => findInterviewForUpdate(tx, bOnly.interviewId)),
    write('updateCandidateRecord', (tx) => updateCandidateRecord(tx, b.candidateId, { title: 'mallory' })),
    write('replaceCandidateTags', (tx) => replaceCandidateTags(tx, b.candidateId, ['mallory'])),
    write('updateInterview', (tx) =>
      updateInterview(tx, bOnly.interviewId, {
        title: 'mallory',
        startAt: '2026-01-01T00:00:00Z',
        endAt: '2026-01-01T01:00:00Z',
        location: null,
        interviewers: [],
        status: 'cancelled',
      }),
    ),
  ];
}
