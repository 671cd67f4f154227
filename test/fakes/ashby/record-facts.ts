/** The Ashby fake's record objects as the hub must read them (see RecordFacts in ../fixture.ts). */
import type { RecordFacts } from '../fixture.js';
import type { AshbyFake } from './server.js';

const SCHEDULES: Record<string, string> = { Complete: 'completed', Cancelled: 'cancelled' };
const SCORES: Record<number, string> = { 1: 'strong_no', 2: 'no', 3: 'yes', 4: 'strong_yes' };
const OFFERS: Record<string, string> = {
  WaitingOnApprovalStart: 'draft',
  WaitingOnCandidateResponse: 'sent',
  CandidateAccepted: 'accepted',
  CandidateRejected: 'declined',
  OfferCancelled: 'withdrawn',
};

export function ashbyRecordFacts(fake: AshbyFake): RecordFacts {
  return {
    expected(objectType) {
      const { schedules, feedback, offers } = fake.records;
      switch (objectType) {
        case 'rejection_reason':
          // archived reasons are reported deleted, not listed
          return new Map(
            fake.state.archiveReasons.filter((r) => !r.isArchived).map((r) => [r.id, { name: r.text }]),
          );
        case 'interview':
          // one interview per timed event of a schedule, with the schedule's status
          return new Map(
            schedules.flatMap((s) =>
              s.events.map((e) => [
                e.id,
                { applicationRemoteId: s.applicationId, status: SCHEDULES[s.status] ?? 'scheduled' },
              ]),
            ),
          );
        case 'scorecard':
          return new Map(
            feedback.map((f) => [
              f.id,
              {
                applicationRemoteId: f.applicationId,
                recommendation: SCORES[f.recommendation ?? 0] ?? 'no_decision',
              },
            ]),
          );
        case 'offer':
          return new Map(
            offers.map((o) => [
              o.id,
              { applicationRemoteId: o.applicationId, status: OFFERS[o.offerStatus] },
            ]),
          );
        case 'note':
          return new Map(
            fake.records.notes.map((n) => [
              n.id,
              { candidateRemoteId: n.candidateId, visibility: n.isPrivate ? 'private' : 'organization' },
            ]),
          );
      }
    },
  };
}
