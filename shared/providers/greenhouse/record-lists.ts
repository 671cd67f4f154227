/**
 * The full ATS record read from Harvest v3 (docs/ats-record.md "Greenhouse"): one global list per object, each
 * paged by the `Link` cursor and filtered by `updated_at` like jobs and candidates. Interviewers, scorecard
 * authors and note authors come as user ids: the page's unknown ids are resolved through `GET /v3/users`
 * (one batched call per 50 new ids, cached for the client's life).
 */
import type { CanonicalPerson, RecordObjectType } from '../../domain/canonical.js';
import type { CanonicalOf } from '../../ports/provider.js';
import type { GetList, ListByIds } from './batched-list.js';
import { personOf } from './people.js';
import {
  v3InterviewSchema,
  v3NoteSchema,
  v3OfferSchema,
  v3RejectionReasonSchema,
  v3ScorecardSchema,
  v3UserSchema,
} from './record-schemas.js';
import { toInterview } from './to-interview.js';
import { toNote } from './to-note.js';
import { toOffer } from './to-offer.js';
import { toRejectionReason } from './to-rejection-reason.js';
import { toScorecard } from './to-scorecard.js';

export const RECORD_PATHS: Record<RecordObjectType, string> = {
  rejection_reason: '/v3/rejection_reasons',
  interview: '/v3/interviews',
  scorecard: '/v3/scorecards',
  offer: '/v3/offers',
  note: '/v3/notes',
};

/** First-request parameters beyond `per_page` and `updated_at`: the reasons that ship with every account too. */
export const RECORD_FIRST_PARAMS: Partial<Record<RecordObjectType, Record<string, string>>> = {
  rejection_reason: { include_defaults: 'true' },
};

interface RecordPage {
  records: CanonicalOf<RecordObjectType>[];
  raw: unknown[];
  next: string | null;
}

export function createRecordLists(getList: GetList, listByIds: ListByIds) {
  const users = new Map<string, CanonicalPerson>();

  const resolveUsers = async (ids: (string | null | undefined)[]) => {
    const unknown = ids.filter((id): id is string => typeof id === 'string' && !users.has(id));
    if (unknown.length === 0) return users;
    const rows = await listByIds({
      path: '/v3/users',
      param: 'ids',
      ids: unknown,
      schema: v3UserSchema,
      what: 'greenhouse users',
    });
    for (const row of rows) {
      const person = personOf(row);
      if (person) users.set(row.id, person);
    }
    return users;
  };

  return async function listRecords(
    objectType: RecordObjectType,
    url: string,
    followUp: boolean,
  ): Promise<RecordPage> {
    const what = `greenhouse ${objectType} list`;
    switch (objectType) {
      case 'rejection_reason': {
        const page = await getList(url, v3RejectionReasonSchema, what, followUp);
        return { records: page.records.map(toRejectionReason), raw: page.records, next: page.next };
      }
      case 'interview': {
        const page = await getList(url, v3InterviewSchema, what, followUp);
        const directory = await resolveUsers(
          page.records.flatMap((i) =>
            (i.interviewers ?? []).map((p) =>
              typeof p === 'string' ? p : p.name ? null : (p.user_id ?? p.id),
            ),
          ),
        );
        const records = page.records.map((i) => toInterview(i, directory)).filter((i) => i !== null);
        return { records, raw: page.records, next: page.next };
      }
      case 'scorecard': {
        const page = await getList(url, v3ScorecardSchema, what, followUp);
        const directory = await resolveUsers(
          page.records.map((s) => (s.interviewer?.name ? null : (s.interviewer?.id ?? s.interviewer_id))),
        );
        const records = page.records.map((s) => toScorecard(s, directory)).filter((s) => s !== null);
        return { records, raw: page.records, next: page.next };
      }
      case 'offer': {
        const page = await getList(url, v3OfferSchema, what, followUp);
        return {
          records: page.records.map(toOffer).filter((o) => o !== null),
          raw: page.records,
          next: page.next,
        };
      }
      case 'note': {
        const page = await getList(url, v3NoteSchema, what, followUp);
        const directory = await resolveUsers(
          page.records.map((n) => (n.user?.name ? null : (n.user?.id ?? n.user_id))),
        );
        const records = page.records.map((n) => toNote(n, directory)).filter((n) => n !== null);
        return { records, raw: page.records, next: page.next };
      }
    }
  };
}
