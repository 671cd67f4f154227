/**
 * The Lever fake's full ATS record: per-opportunity interviews, feedback forms, offers, notes and resumes, the
 * account's users, and each opportunity's tags and headline. Seeded from its own generator so the jobs,
 * contacts and opportunities of a seed stay what they were before the record existed.
 */
import { createSeededRng, type SeededRng } from '../common/seeded-rng.js';
import type { LvOpportunity, LvState } from './state.js';
import { LEVER_USERS, type LvUser } from './submissions.js';

export interface LvUserRecord extends LvUser {
  email: string;
}

export interface LvInterview {
  id: string;
  opportunityId: string;
  panel: string;
  subject: string;
  interviewers: string[];
  date: number;
  duration: number;
  location: string | null;
  stage: string;
  postingId: string;
  createdAt: number;
  canceledAt: number | null;
}

export interface LvFeedback {
  id: string;
  opportunityId: string;
  interview: string;
  panel: string;
  user: string;
  rating: string;
  scores: { text: string; value: number }[];
  comment: string;
  createdAt: number;
  completedAt: number | null;
  deletedAt: number | null;
}

export interface LvOffer {
  id: string;
  opportunityId: string;
  status: 'draft' | 'approval-sent' | 'approved' | 'sent' | 'sent-manually' | 'opened' | 'denied' | 'signed';
  creator: string;
  createdAt: number;
  startDate: number;
  salary: number;
  sentAt: number | null;
  signedAt: number | null;
}

export interface LvNote {
  id: string;
  opportunityId: string;
  user: string;
  body: string;
  secret: boolean;
  createdAt: number;
  deletedAt: number | null;
}

export interface LvResume {
  id: string;
  opportunityId: string;
  name: string;
  createdAt: number;
}

export interface LvRecords {
  rng: SeededRng;
  users: LvUserRecord[];
  interviews: LvInterview[];
  feedback: LvFeedback[];
  offers: LvOffer[];
  notes: LvNote[];
  resumes: LvResume[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TAGS = ['Senior', 'Referral', 'Remote', 'Python', 'Priority'];
const HEADLINES = ['Software Engineer at Acme', 'Backend Developer at Initech', 'Student', ''];
const RATINGS = ['4 - Strong Hire', '3 - Hire', '2 - No Hire', '1 - Strong No Hire'];
const OFFER_STATUSES: LvOffer['status'][] = ['draft', 'approved', 'sent', 'opened', 'signed', 'denied'];
const SENT = new Set<LvOffer['status']>(['sent', 'sent-manually', 'opened', 'signed', 'denied']);

export const LEVER_INTERVIEWERS: LvUserRecord[] = [
  {
    id: '7a1d0c3e-2b4f-4c5d-8e6f-0a1b2c3d4e11',
    name: 'Pat Panel',
    accessRole: 'team member',
    email: 'pat@example.com',
  },
  {
    id: '7a1d0c3e-2b4f-4c5d-8e6f-0a1b2c3d4e12',
    name: 'Sam Screen',
    accessRole: 'interviewer',
    email: 'sam@example.com',
  },
  {
    id: '7a1d0c3e-2b4f-4c5d-8e6f-0a1b2c3d4e13',
    name: 'Lee Lead',
    accessRole: 'admin',
    email: 'lee@example.com',
  },
];

export function leverUsers(): LvUserRecord[] {
  const known = LEVER_USERS.map((u) => ({
    ...u,
    email: `${u.name.split(' ')[0]!.toLowerCase()}@example.com`,
  }));
  return [...known, ...LEVER_INTERVIEWERS];
}

/** A new interview on an opportunity (seed data, and the test control behind the interview webhooks). */
export function addInterview(
  records: LvRecords,
  o: LvOpportunity,
  fields: { date: number; createdAt: number; stage: string },
): LvInterview {
  const { rng } = records;
  const interview: LvInterview = {
    id: rng.uuid(),
    opportunityId: o.id,
    panel: rng.uuid(),
    subject: rng.pick(['Phone screen', 'Technical interview', 'Culture chat']),
    interviewers: [rng.pick(LEVER_INTERVIEWERS).id],
    date: fields.date,
    duration: rng.pick([30, 45, 60]),
    location: rng.next() < 0.5 ? 'Video call' : null,
    stage: fields.stage,
    postingId: o.postingId!,
    createdAt: fields.createdAt,
    canceledAt: null,
  };
  records.interviews.push(interview);
  return interview;
}

function seedInterviews(records: LvRecords, o: LvOpportunity, state: LvState, now: number) {
  const { rng } = records;
  const stageIndex = state.stages.findIndex((s) => s.id === o.stageId);
  const count = stageIndex >= 2 ? rng.int(1, 2) : rng.next() < 0.25 ? 1 : 0;
  for (let i = 0; i < count; i += 1) {
    // Most interviews lie in the past (completed); some are ahead (scheduled).
    const date = now + rng.int(-30, 7) * DAY + rng.int(9, 16) * HOUR;
    const interview = addInterview(records, o, {
      date,
      createdAt: Math.min(date, now) - rng.int(1, 5) * DAY,
      stage: o.stageId,
    });
    if (rng.next() < 0.1) interview.canceledAt = interview.createdAt + DAY;
    if (interview.canceledAt !== null || date > now || rng.next() >= 0.8) continue;
    const completedAt = date + interview.duration * 60_000 + rng.int(1, 20) * HOUR;
    records.feedback.push({
      id: rng.uuid(),
      opportunityId: o.id,
      interview: interview.id,
      panel: interview.panel,
      user: interview.interviewers[0]!,
      rating: rng.pick(RATINGS),
      scores: [
        { text: 'Technical skill', value: rng.int(1, 4) },
        { text: 'Communication', value: rng.int(1, 4) },
      ],
      comment: 'Solid fundamentals; probe system design next.',
      createdAt: interview.createdAt,
      completedAt: Math.min(completedAt, now),
      deletedAt: null,
    });
  }
}

function seedOffer(records: LvRecords, o: LvOpportunity, now: number) {
  const { rng } = records;
  const status = rng.pick(OFFER_STATUSES);
  const createdAt = Math.min(now - DAY, o.updatedAt);
  records.offers.push({
    id: rng.uuid(),
    opportunityId: o.id,
    status,
    creator: LEVER_USERS[0]!.id,
    createdAt,
    startDate: Date.UTC(2027, rng.int(0, 5), 1),
    salary: rng.int(90, 160) * 1000,
    sentAt: SENT.has(status) ? createdAt + 6 * HOUR : null,
    signedAt: status === 'signed' ? createdAt + 2 * DAY : null,
  });
}

function seedNotes(records: LvRecords, o: LvOpportunity) {
  const { rng } = records;
  const count = rng.next() < 0.5 ? rng.int(1, 2) : 0;
  for (let i = 0; i < count; i += 1) {
    records.notes.push({
      id: rng.uuid(),
      opportunityId: o.id,
      user: rng.pick([LEVER_USERS[0]!.id, ...LEVER_INTERVIEWERS.map((u) => u.id)]),
      body: rng.pick([
        'Strong referral from the platform team.',
        'Asked to move the on-site.',
        'Salary expectation 120k.',
      ]),
      secret: rng.next() < 0.2,
      createdAt: o.createdAt + (i + 1) * HOUR,
      deletedAt: null,
    });
  }
}

/** Seeds the record of every opportunity: tags and headline for all, the rest for those on a posting. */
export function generateLeverRecords(state: LvState, seed: number, now: number): LvRecords {
  const records: LvRecords = {
    rng: createSeededRng(seed + 7919),
    users: leverUsers(),
    interviews: [],
    feedback: [],
    offers: [],
    notes: [],
    resumes: [],
  };
  const { rng } = records;
  for (const o of state.opportunities) {
    o.tags = TAGS.filter(() => rng.next() < 0.2);
    o.headline = rng.pick(HEADLINES);
    seedNotes(records, o);
    if (rng.next() < 0.7) {
      records.resumes.push({
        id: rng.uuid(),
        opportunityId: o.id,
        name: `${o.name.replace(/\s+/g, '_')}_resume.pdf`,
        createdAt: o.createdAt,
      });
    }
    if (!o.postingId) continue;
    seedInterviews(records, o, state, now);
    if (rng.next() < 0.1) seedOffer(records, o, now);
  }
  return records;
}
