/** The Greenhouse fake's record objects as the hub must read them (see RecordFacts in ../fixture.ts). */
import type { RecordFacts } from '../fixture.js';
import type { GreenhouseFake } from './server.js';

const INTERVIEWS: Record<string, string> = {
  scheduled: 'scheduled',
  awaiting_feedback: 'completed',
  complete: 'completed',
  cancelled: 'cancelled',
};
const RECOMMENDATIONS: Record<string, string> = {
  definitely_not: 'strong_no',
  no: 'no',
  yes: 'yes',
  strong_yes: 'strong_yes',
  no_decision: 'no_decision',
};
/** A created offer is sent once it has a sent date; a deprecated version was replaced: withdrawn. */
const offerStatus = (status: string, sentAt: number | null) =>
  ({ Accepted: 'accepted', Rejected: 'declined', Deprecated: 'withdrawn' })[status] ??
  (sentAt === null ? 'draft' : 'sent');

export function greenhouseRecordFacts(fake: GreenhouseFake): RecordFacts {
  return {
    expected(objectType) {
      const { interviews, scorecards, offers, notes } = fake.records.data;
      switch (objectType) {
        case 'rejection_reason':
          return new Map(fake.records.reasons.map((r) => [String(r.id), { name: r.name }]));
        case 'interview':
          return new Map(
            interviews.map((i) => [
              String(i.id),
              { applicationRemoteId: String(i.applicationId), status: INTERVIEWS[i.status] },
            ]),
          );
        case 'scorecard':
          return new Map(
            scorecards
              .filter((s) => s.status === 'complete')
              .map((s) => [
                String(s.id),
                {
                  applicationRemoteId: String(s.applicationId),
                  recommendation: RECOMMENDATIONS[s.recommendation ?? ''] ?? 'no_decision',
                },
              ]),
          );
        case 'offer':
          return new Map(
            offers.map((o) => [
              String(o.id),
              { applicationRemoteId: String(o.applicationId), status: offerStatus(o.status, o.sentAt) },
            ]),
          );
        case 'note':
          return new Map(
            notes.map((n) => [
              String(n.id),
              {
                candidateRemoteId: String(n.candidateId),
                visibility: n.visibility === 'public' ? 'organization' : 'private',
              },
            ]),
          );
      }
    },
  };
}
