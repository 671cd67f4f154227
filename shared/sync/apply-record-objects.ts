/**
 * Interviews, scorecards, offers, notes and rejection reasons of one page (docs/ats-record.md): each resolved
 * to its application or candidate through external_refs (one statement), then upserted under the out-of-order
 * guard (one statement per page), with the outbox events of what they announce in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { ImportLogEntry } from '../db/repositories/sync-import-log.js';
import type { SyncScope, UpsertCounts } from '../db/repositories/sync-jobs.js';
import type { RecordWriteBase } from '../db/repositories/sync-records/common.js';
import { type InterviewWrite, upsertInterviewsPage } from '../db/repositories/sync-records/interviews.js';
import { type NoteWrite, upsertNotesPage } from '../db/repositories/sync-records/notes.js';
import { type OfferWrite, upsertOffersPage } from '../db/repositories/sync-records/offers.js';
import {
  type RejectionReasonWrite,
  upsertRejectionReasonsPage,
} from '../db/repositories/sync-records/rejection-reasons.js';
import {
  type RecordLinks,
  type RecordResolution,
  resolveRecordLinks,
} from '../db/repositories/sync-records/resolve.js';
import { type ScorecardWrite, upsertScorecardsPage } from '../db/repositories/sync-records/scorecards.js';
import type { Tx } from '../db/tenant.js';
import type {
  CanonicalInterview,
  CanonicalNote,
  CanonicalOffer,
  CanonicalRejectionReason,
  CanonicalScorecard,
  RecordObjectType,
} from '../domain/canonical.js';
import type { CanonicalOf } from '../ports/provider.js';
import type { RecordsOutcome } from './apply-records.js';

/** A write, or why the record cannot be stored (a short reason without record contents). */
type Built<W> = W | { failed: string };

const text = (value: string | null | undefined, max: number): string | null => {
  const t = value?.trim() ?? '';
  return t === '' ? null : t.slice(0, max);
};

const instant = (value: string | null | undefined): string | null => {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function base(
  record: { remoteId: string; remoteUpdatedAt: string | null },
  r: RecordResolution,
): RecordWriteBase {
  return {
    id: r.id ?? randomUUID(),
    remoteId: record.remoteId,
    newRef: !r.refExists,
    sourceUpdatedAt: instant(record.remoteUpdatedAt),
  };
}

interface Writer<R, W> {
  links(record: R): RecordLinks;
  build(record: R, r: RecordResolution): Built<W>;
  upsert(tx: Tx, scope: SyncScope, writes: readonly W[]): Promise<UpsertCounts>;
}

const interviews: Writer<CanonicalInterview, InterviewWrite> = {
  links: (i) => ({ remoteId: i.remoteId, applicationRemoteId: i.applicationRemoteId, stage: i.stage }),
  build(i, r) {
    if (!r.applicationId) return { failed: 'application not synced' };
    const startAt = instant(i.startAt);
    const endAt = instant(i.endAt);
    if (!startAt || !endAt) return { failed: 'interview without a valid start and end' };
    if (endAt < startAt) return { failed: 'interview ends before it starts' };
    return {
      ...base(i, r),
      applicationId: r.applicationId,
      title: text(i.title, 300) ?? 'Interview',
      stageId: r.stageId,
      stageName: text(i.stage?.name, 200),
      startAt,
      endAt,
      location: text(i.location, 500),
      status: i.status,
      interviewers: i.interviewers.map((p) => ({ name: p.name, email: p.email })),
    };
  },
  upsert: upsertInterviewsPage,
};

const scorecards: Writer<CanonicalScorecard, ScorecardWrite> = {
  links: (s) => ({
    remoteId: s.remoteId,
    applicationRemoteId: s.applicationRemoteId,
    interviewRemoteId: s.interviewRemoteId,
  }),
  build(s, r) {
    if (!r.applicationId) return { failed: 'application not synced' };
    const submittedAt = instant(s.submittedAt);
    if (!submittedAt) return { failed: 'scorecard without a valid submission time' };
    return {
      ...base(s, r),
      applicationId: r.applicationId,
      // an interview not synced (yet) leaves the scorecard on its application only
      interviewId: r.interviewId,
      interviewerName:
        text(s.interviewer.name, 200) ?? text(s.interviewer.email, 200) ?? 'Unknown interviewer',
      interviewerEmail: text(s.interviewer.email, 254),
      recommendation: s.recommendation,
      submittedAt,
      attributes: s.attributes.map((a) => ({ name: a.name, rating: a.rating })),
    };
  },
  upsert: upsertScorecardsPage,
};

const offers: Writer<CanonicalOffer, OfferWrite> = {
  links: (o) => ({ remoteId: o.remoteId, applicationRemoteId: o.applicationRemoteId }),
  build(o, r) {
    if (!r.applicationId) return { failed: 'application not synced' };
    return {
      ...base(o, r),
      applicationId: r.applicationId,
      status: o.status,
      sentAt: instant(o.sentAt),
      resolvedAt: instant(o.resolvedAt),
      startsAt: o.startsAt && DAY.test(o.startsAt) ? o.startsAt : null,
    };
  },
  upsert: upsertOffersPage,
};

const notes: Writer<CanonicalNote, NoteWrite> = {
  links: (n) => ({
    remoteId: n.remoteId,
    candidateRemoteId: n.candidateRemoteId,
    applicationRemoteId: n.applicationRemoteId,
  }),
  build(n, r) {
    if (!r.candidateId) return { failed: 'candidate not synced' };
    if (n.applicationRemoteId !== null && !r.applicationId) return { failed: 'application not synced' };
    if (r.applicationId && r.applicationCandidateId !== r.candidateId)
      return { failed: 'application belongs to another candidate' };
    const body = text(n.body, 20_000);
    if (!body) return { failed: 'empty note' };
    return {
      ...base(n, r),
      candidateId: r.candidateId,
      applicationId: r.applicationId,
      body,
      author: text(n.author, 200),
      visibility: n.visibility,
      createdAt: instant(n.createdAt) ?? instant(n.remoteUpdatedAt) ?? new Date(0).toISOString(),
    };
  },
  upsert: upsertNotesPage,
};

const rejectionReasons: Writer<CanonicalRejectionReason, RejectionReasonWrite> = {
  links: (q) => ({ remoteId: q.remoteId, reasonName: q.name }),
  build(q, r) {
    const name = text(q.name, 200);
    if (!name) return { failed: 'rejection reason without a name' };
    return { ...base(q, r), name, category: text(q.category, 100) };
  },
  upsert: upsertRejectionReasonsPage,
};

const WRITERS: { [T in RecordObjectType]: Writer<CanonicalOf<T>, unknown> } = {
  interview: interviews as Writer<CanonicalInterview, unknown>,
  scorecard: scorecards as Writer<CanonicalScorecard, unknown>,
  offer: offers as Writer<CanonicalOffer, unknown>,
  note: notes as Writer<CanonicalNote, unknown>,
  rejection_reason: rejectionReasons as Writer<CanonicalRejectionReason, unknown>,
};

/**
 * One page of one record object: a record whose parent is not synced (or that cannot be stored) is logged
 * `failed` with the reason, the rest is written in one statement. An unchanged record counts neither created
 * nor updated, and costs no write.
 */
export async function applyRecordObjects<T extends RecordObjectType>(
  tx: Tx,
  scope: SyncScope,
  objectType: T,
  records: readonly CanonicalOf<T>[],
): Promise<RecordsOutcome> {
  const writer = WRITERS[objectType] as Writer<CanonicalOf<T>, unknown>;
  // the last state of a remote id in the page wins, like the other objects
  const unique = [...new Map(records.map((r) => [r.remoteId, r])).values()];
  const resolutions = await resolveRecordLinks(
    tx,
    scope,
    objectType,
    unique.map((r) => writer.links(r)),
  );
  const log: ImportLogEntry[] = [];
  const writes: unknown[] = [];
  const claimed = new Set<string>();
  for (const [i, record] of unique.entries()) {
    const built = writer.build(record, resolutions[i]!);
    if (built && typeof built === 'object' && 'failed' in built) {
      log.push({ objectType, remoteId: record.remoteId, action: 'failed', message: String(built.failed) });
      continue;
    }
    const write = built as RecordWriteBase;
    // two remote reasons of one name adopt one hub reason only once: the second becomes a row of its own
    if (claimed.has(write.id)) write.id = randomUUID();
    claimed.add(write.id);
    writes.push(write);
  }
  const counts = await writer.upsert(tx, scope, writes);
  return { created: counts.created, updated: counts.updated, failed: log.length, log };
}
