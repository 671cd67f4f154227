/** The Lever fake's record objects as the hub must read them (see RecordFacts in ../fixture.ts). */
import type { RecordFacts } from '../fixture.js';
import type { LvOffer } from './records-state.js';
import type { LeverFake } from './server.js';

const RATINGS: Record<string, string> = {
  '4 - Strong Hire': 'strong_yes',
  '3 - Hire': 'yes',
  '2 - No Hire': 'no',
  '1 - Strong No Hire': 'strong_no',
};
/** The hub's offer status for each group of Lever statuses (docs/ats-record.md, "Lever"). */
const OFFER_GROUPS: [string, LvOffer['status'][]][] = [
  ['draft', ['draft', 'approval-sent', 'approved']],
  ['sent', ['sent', 'sent-manually', 'opened']],
  ['accepted', ['signed']],
  ['declined', ['denied']],
];
const offerStatus = (status: LvOffer['status']) =>
  OFFER_GROUPS.find(([, group]) => group.includes(status))?.[0];

export function leverRecordFacts(fake: LeverFake): RecordFacts {
  return {
    expected(objectType) {
      const { interviews, feedback, offers, notes } = fake.records.records;
      const contactOf = (id: string) => fake.state.opportunityById.get(id)!.contact;
      switch (objectType) {
        case 'rejection_reason':
          return new Map(fake.state.archiveReasons.map((r) => [r.id, { name: r.text }]));
        case 'interview':
          // Lever has no completed flag: an interview whose end has passed is completed
          return new Map(
            interviews.map((i) => [
              i.id,
              {
                applicationRemoteId: i.opportunityId,
                status:
                  i.canceledAt !== null
                    ? 'cancelled'
                    : i.date + i.duration * 60_000 <= fake.clock.nowMs()
                      ? 'completed'
                      : 'scheduled',
              },
            ]),
          );
        case 'scorecard':
          return new Map(
            feedback
              .filter((f) => f.completedAt !== null && f.deletedAt === null)
              .map((f) => [
                f.id,
                { applicationRemoteId: f.opportunityId, recommendation: RATINGS[f.rating] },
              ]),
          );
        case 'offer':
          return new Map(
            offers.map((o) => [
              o.id,
              { applicationRemoteId: o.opportunityId, status: offerStatus(o.status) },
            ]),
          );
        case 'note':
          return new Map(
            notes
              .filter((n) => n.deletedAt === null)
              .map((n) => [
                n.id,
                {
                  candidateRemoteId: contactOf(n.opportunityId),
                  visibility: n.secret ? 'private' : 'organization',
                },
              ]),
          );
      }
    },
  };
}
