/**
 * Ashby lists of the full ATS record (docs/providers.md §4.6, docs/ats-record.md "Ashby"):
 * - `rejection_reason`: `archiveReason.list` with `includeArchived`, one answer; archived reasons are reported
 *   deleted so the hub stops offering them, and every pass reads the whole (short) list.
 * - `interview`: `interviewSchedule.list`, cursor pages and a sync token; one interview per scheduled event,
 *   interviewers named through `user.list` (read once per client; without its permission they stay unnamed).
 * - `scorecard`: `applicationFeedback.list`, cursor pages and a sync token; submitted feedback only.
 * - `offer`: `offer.list`, cursor pages; no sync token is documented, so every pass is a full one.
 * - `note` (with the setting `candidateNotes`): `candidate.listNotes` answers for one candidate at a time, so a
 *   page walks `noteCandidatesPerPage` candidates of `candidate.list` and reads each one's notes; the page token is
 *   the candidate list's cursor. Every pass is a full one: whether a new note changes the candidate is not
 *   documented, so a sync token could miss it.
 */
import type { CanonicalNote } from '../../domain/canonical.js';
import {
  type CanonicalOf,
  type ListPage,
  type ListPageRequest,
  objectNotOffered,
  parseEach,
  type SyncObjectType,
} from '../common/client-kit.js';
import type { AshbyRpc } from './client.js';
import { listError, pageBody, pageEnd } from './paging.js';
import {
  type AshbyUser,
  ashbyArchiveReasonSchema,
  ashbyFeedbackSchema,
  ashbyInterviewScheduleSchema,
  ashbyNoteSchema,
  ashbyOfferSchema,
  ashbyUserSchema,
} from './record-schemas.js';
import { ashbyCandidateSchema } from './schemas.js';
import type { AshbySettings } from './settings.js';
import { toInterviews } from './to-interview.js';
import { toNote } from './to-note.js';
import { toOffer } from './to-offer.js';
import { toRejectionReason } from './to-rejection-reason.js';
import { toScorecard } from './to-scorecard.js';

/** The paged record lists, with whether the endpoint takes a sync token. */
const PAGED: Partial<Record<SyncObjectType, { method: string; incremental: boolean }>> = {
  interview: { method: 'interviewSchedule.list', incremental: true },
  scorecard: { method: 'applicationFeedback.list', incremental: true },
  offer: { method: 'offer.list', incremental: false },
};

export function createAshbyRecordLists(
  rpc: AshbyRpc,
  settings: Pick<AshbySettings, 'pageSize' | 'candidateNotes' | 'noteCandidatesPerPage'>,
) {
  let users: Promise<Map<string, AshbyUser>> | null = null;

  /** Every Ashby user by id, read once; a key without `user.list` permission gets an empty directory. */
  const directory = (): Promise<Map<string, AshbyUser>> => {
    if (!users) {
      users = (async () => {
        const found = new Map<string, AshbyUser>();
        let cursor: string | null = null;
        do {
          const result = await rpc(
            'user.list',
            { limit: settings.pageSize, ...(cursor ? { cursor } : {}) },
            { permissionAsRefusal: true },
          );
          if (!result.ok) {
            if (result.code === 'missing_endpoint_permission') return found;
            throw listError('user.list', result);
          }
          for (const user of parseEach(result.envelope.results, ashbyUserSchema, 'ashby user.list'))
            found.set(user.id, user);
          cursor = result.envelope.moreDataAvailable ? (result.envelope.nextCursor ?? null) : null;
        } while (cursor);
        return found;
      })();
      users.catch(() => {
        users = null;
      });
    }
    return users;
  };

  const rejectionReasons = async (): Promise<ListPage<'rejection_reason'>> => {
    const result = await rpc('archiveReason.list', { includeArchived: true });
    if (!result.ok) throw listError('archiveReason.list', result);
    const reasons = parseEach(result.envelope.results, ashbyArchiveReasonSchema, 'ashby archiveReason.list');
    return {
      records: reasons.filter((r) => !r.isArchived).map(toRejectionReason),
      raw: Array.isArray(result.envelope.results) ? result.envelope.results : [],
      deletedRemoteIds: reasons.filter((r) => r.isArchived).map((r) => r.id),
      nextPageToken: null,
      nextCursor: {},
    };
  };

  /** Every note of one candidate, newest first as Ashby lists them. */
  const notesOf = async (candidateId: string) => {
    const notes: { records: CanonicalNote[]; raw: unknown[] } = { records: [], raw: [] };
    let cursor: string | null = null;
    do {
      const body = { candidateId, limit: settings.pageSize, ...(cursor ? { cursor } : {}) };
      const result = await rpc('candidate.listNotes', body);
      if (!result.ok) throw listError('candidate.listNotes', result);
      const { results } = result.envelope;
      for (const note of parseEach(results, ashbyNoteSchema, 'ashby candidate.listNotes')) {
        const mapped = toNote(note, candidateId);
        if (mapped) notes.records.push(mapped);
      }
      if (Array.isArray(results)) notes.raw.push(...results);
      cursor = result.envelope.moreDataAvailable ? (result.envelope.nextCursor ?? null) : null;
    } while (cursor);
    return notes;
  };

  /** One page of a note pass: a page of candidates, then each one's notes. */
  const notePage = async (request: ListPageRequest): Promise<ListPage<'note'>> => {
    const { body } = pageBody({ ...request, mode: 'full' }, settings.noteCandidatesPerPage, false);
    const result = await rpc('candidate.list', body);
    if (!result.ok) throw listError('candidate.list', result);
    const candidates = parseEach(result.envelope.results, ashbyCandidateSchema, 'ashby candidate.list');
    const page: ListPage<'note'> = {
      records: [],
      raw: [],
      deletedRemoteIds: [],
      ...pageEnd(result.envelope, null),
    };
    for (const candidate of candidates) {
      const notes = await notesOf(candidate.id);
      page.records.push(...notes.records);
      page.raw.push(...notes.raw);
    }
    return page;
  };

  return {
    async listPage<T extends SyncObjectType>(objectType: T, request: ListPageRequest): Promise<ListPage<T>> {
      if (objectType === 'rejection_reason') return (await rejectionReasons()) as ListPage<T>;
      if (objectType === 'note' && settings.candidateNotes) return (await notePage(request)) as ListPage<T>;
      const spec = PAGED[objectType] ?? objectNotOffered('ashby', objectType);
      const { body, syncToken } = pageBody(request, settings.pageSize, spec.incremental);
      const result = await rpc(spec.method, body);
      if (!result.ok) throw listError(spec.method, result);
      const { results } = result.envelope;
      const what = `ashby ${spec.method}`;
      let records: CanonicalOf<SyncObjectType>[];
      if (objectType === 'interview') {
        const schedules = parseEach(results, ashbyInterviewScheduleSchema, what);
        const needsNames = schedules.some((s) => (s.interviewEvents ?? []).some((e) => !e.interviewers));
        const known = needsNames ? await directory() : new Map<string, AshbyUser>();
        records = schedules.flatMap((s) => toInterviews(s, known));
      } else if (objectType === 'scorecard') {
        records = parseEach(results, ashbyFeedbackSchema, what)
          .map(toScorecard)
          .filter((s) => s !== null);
      } else {
        records = parseEach(results, ashbyOfferSchema, what).map(toOffer);
      }
      return {
        records: records as CanonicalOf<T>[],
        raw: Array.isArray(results) ? results : [],
        deletedRemoteIds: [],
        ...pageEnd(result.envelope, syncToken),
      };
    },
  };
}
