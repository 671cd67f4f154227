/**
 * The Greenhouse fake's full ATS record: users, interviews, scorecards, offers, notes, tags and attachments,
 * generated deterministically from the fixture's seed with a generator of their own (the jobs, candidates and
 * applications of a seed stay exactly what they were). Arrays are kept sorted by id, as the v3 lists walk them.
 */
import { createSeededRng } from '../common/seeded-rng.js';
import type { GhCandidate, GhState } from './state.js';
import type { GhV3Attachment } from './submissions.js';

export interface GhUser {
  id: number;
  firstName: string;
  lastName: string;
  email: string;
}

export interface GhInterview {
  id: number;
  applicationId: number;
  name: string;
  stageId: number | null;
  startsAt: number;
  endsAt: number;
  location: string | null;
  /** v1's `scheduled` / `awaiting_feedback` / `complete`, plus `cancelled`. */
  status: string;
  interviewerIds: number[];
  createdAt: number;
  updatedAt: number;
}

export interface GhScorecard {
  id: number;
  applicationId: number;
  interviewId: number;
  interviewerId: number;
  status: 'draft' | 'complete';
  recommendation: string | null;
  attributes: { name: string; type: string; rating: string }[];
  interviewedAt: number;
  submittedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface GhOffer {
  id: number;
  applicationId: number;
  candidateId: number;
  jobId: number;
  version: number;
  status: 'Created' | 'Accepted' | 'Rejected' | 'Deprecated';
  sentAt: number | null;
  resolvedAt: number | null;
  startDate: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface GhNote {
  id: number;
  candidateId: number;
  applicationId: number | null;
  userId: number;
  body: string;
  visibility: 'public' | 'private' | 'admin_only';
  createdAt: number;
  updatedAt: number;
}

export interface GhTag {
  id: number;
  name: string;
  createdAt: number;
  updatedAt: number;
}

export interface GhAppliedTag {
  id: number;
  candidateId: number;
  tagId: number;
  createdAt: number;
  updatedAt: number;
}

export interface GhRecords {
  users: GhUser[];
  /** Seeded attachments (those of submissions live in ./submissions.ts); `GET /v3/attachments` lists both. */
  attachments: GhV3Attachment[];
  interviews: GhInterview[];
  scorecards: GhScorecard[];
  offers: GhOffer[];
  notes: GhNote[];
  tags: GhTag[];
  appliedTags: GhAppliedTag[];
  next: { note: number; tag: number; appliedTag: number };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RECOMMENDATIONS = ['definitely_not', 'no', 'yes', 'strong_yes', 'no_decision'];
const ATTRIBUTES = ['Communication', 'Technical skills', 'Problem solving', 'Culture add'];
const TAG_NAMES = ['Referral', 'Ruby', 'Senior', 'Relocation', 'Re-engage'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli'];
const TITLES = ['Software Engineer', 'Data Scientist', 'Engineering Manager', 'SRE'];
const USERS: [string, string][] = [
  ['Rita', 'Recruiter'],
  ['Hank', 'Hiring'],
  ['Ivy', 'Interviewer'],
  ['Omar', 'Onsite'],
  ['Cora', 'Coordinator'],
];

/** Seeds the record on top of `state` and returns it. */
export function generateGreenhouseRecords(state: GhState, seed: number, now: number): GhRecords {
  const attachments: GhV3Attachment[] = [];
  const rng = createSeededRng((seed * 7919 + 17) >>> 0);
  const users = USERS.map(([first, last], i) => ({
    id: 101 + i,
    firstName: first,
    lastName: last,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
  }));
  const userIds = users.map((u) => u.id);
  const tagBase = now - 200 * DAY;
  const tags = TAG_NAMES.map((name, i) => ({ id: 600 + i, name, createdAt: tagBase, updatedAt: tagBase }));
  const records: GhRecords = {
    users,
    attachments,
    interviews: [],
    scorecards: [],
    offers: [],
    notes: [],
    tags,
    appliedTags: [],
    next: { note: 0, tag: 600 + tags.length, appliedTag: 0 },
  };
  let interviewId = 300000;
  let scorecardId = 400000;
  let offerId = 500000;
  let noteId = 700000;
  let appliedTagId = 650000;
  let attachmentId = 900000;

  for (const app of state.applications) {
    const job = state.jobById.get(app.jobId)!;
    const candidate = state.candidateById.get(app.candidateId)!;
    if (rng.next() < 0.6) {
      candidate.company = rng.pick(COMPANIES);
      candidate.title = rng.pick(TITLES);
    }
    if (rng.next() < 0.9) {
      attachments.push({
        id: attachmentId++,
        applicationId: app.id,
        candidateId: candidate.id,
        type: 'resume',
        filename: `${candidate.lastName}_resume.pdf`,
        content: Buffer.from('%PDF-1.4 seeded resume'),
        createdAt: app.createdAt,
      });
    }
    if (rng.next() < 0.3) {
      attachments.push({
        id: attachmentId++,
        applicationId: app.id,
        candidateId: candidate.id,
        type: 'cover_letter',
        filename: `${candidate.lastName}_cover_letter.docx`,
        content: Buffer.from('cover letter'),
        createdAt: app.createdAt,
      });
    }
    if (rng.next() < 0.3) {
      for (const tag of new Set([rng.pick(tags), rng.pick(tags)])) {
        records.appliedTags.push({
          id: appliedTagId++,
          candidateId: candidate.id,
          tagId: tag.id,
          createdAt: candidate.updatedAt,
          updatedAt: candidate.updatedAt,
        });
        candidate.tags = [...(candidate.tags ?? []), tag.name];
      }
    }
    if (rng.next() < 0.5) {
      for (let k = 0; k < rng.int(1, 2); k += 1) {
        const startsAt = app.createdAt + rng.int(1, 20) * DAY + 10 * HOUR;
        const past = startsAt + HOUR < now;
        const interviewerIds = [...new Set([rng.pick(userIds), rng.pick(userIds)])];
        const cancelled = rng.next() < 0.05;
        const interview: GhInterview = {
          id: interviewId++,
          applicationId: app.id,
          name: rng.pick(['Phone Screen', 'Technical Interview', 'Onsite Panel']),
          stageId: job.stages[Math.min(k + 1, job.stages.length - 1)]!.id,
          startsAt,
          endsAt: startsAt + HOUR,
          location: rng.next() < 0.5 ? 'Zoom' : null,
          status: cancelled ? 'cancelled' : past ? 'complete' : 'scheduled',
          interviewerIds,
          createdAt: app.createdAt + HOUR,
          updatedAt: Math.min(now, past ? startsAt + HOUR : app.createdAt + HOUR),
        };
        records.interviews.push(interview);
        if (!past || cancelled) continue;
        for (const interviewerId of interviewerIds) {
          if (rng.next() < 0.2) continue;
          const draft = rng.next() < 0.1;
          const submittedAt = draft ? null : Math.min(now, interview.endsAt + rng.int(1, 30) * HOUR);
          records.scorecards.push({
            id: scorecardId++,
            applicationId: app.id,
            interviewId: interview.id,
            interviewerId,
            status: draft ? 'draft' : 'complete',
            recommendation: draft ? null : rng.pick(RECOMMENDATIONS),
            attributes: ATTRIBUTES.slice(0, rng.int(1, 3)).map((name) => ({
              name,
              type: 'Skills',
              rating: rng.pick([...RECOMMENDATIONS, 'mixed']),
            })),
            interviewedAt: interview.startsAt,
            submittedAt,
            createdAt: interview.endsAt,
            updatedAt: submittedAt ?? interview.endsAt,
          });
        }
      }
    }
    if (rng.next() < 0.12) {
      const createdAt = app.createdAt + rng.int(10, 25) * DAY;
      const at = Math.min(now, createdAt);
      const base = { applicationId: app.id, candidateId: candidate.id, jobId: app.jobId };
      const startDate = new Date(createdAt + 30 * DAY).toISOString().slice(0, 10);
      if (rng.next() < 0.3) {
        records.offers.push({
          ...base,
          id: offerId++,
          version: 1,
          status: 'Deprecated',
          sentAt: null,
          resolvedAt: at,
          startDate,
          createdAt: at - DAY,
          updatedAt: at,
        });
      }
      const status = rng.pick(['Created', 'Created', 'Accepted', 'Rejected'] as const);
      const sent = status !== 'Created' || rng.next() < 0.6;
      records.offers.push({
        ...base,
        id: offerId++,
        version: records.offers.at(-1)?.applicationId === app.id ? 2 : 1,
        status,
        sentAt: sent ? at : null,
        resolvedAt: status === 'Created' ? null : Math.min(now, at + DAY),
        startDate,
        createdAt: at,
        updatedAt: status === 'Created' ? at : Math.min(now, at + DAY),
      });
    }
    if (rng.next() < 0.3) {
      for (let k = 0; k < rng.int(1, 2); k += 1) {
        const createdAt = Math.min(now, app.createdAt + rng.int(1, 48) * HOUR);
        records.notes.push({
          id: noteId++,
          candidateId: candidate.id,
          applicationId: rng.next() < 0.5 ? app.id : null,
          userId: rng.pick(userIds),
          body: rng.pick(['Strong background.', 'Asked about relocation.', 'Follow up next week.']),
          visibility: rng.pick(['public', 'public', 'private', 'admin_only'] as const),
          createdAt,
          updatedAt: createdAt,
        });
      }
    }
  }
  records.next = { note: noteId, tag: 600 + tags.length, appliedTag: appliedTagId };
  return records;
}

/** Recomputes a candidate's tag names (what `GET /v3/candidates` reports) after a tag write. */
export function refreshCandidateTags(records: GhRecords, candidate: GhCandidate): void {
  const names = new Map(records.tags.map((t) => [t.id, t.name]));
  candidate.tags = records.appliedTags
    .filter((a) => a.candidateId === candidate.id)
    .map((a) => names.get(a.tagId)!);
}
