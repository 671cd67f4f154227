/**
 * The Ashby fake's full ATS record: users, interview schedules with their events, submitted feedback, offers,
 * candidate notes, candidate tags and the profile fields (company, position, file handles). Generated from its
 * own seeded sequence, so the jobs, candidates and applications of a seed stay what they were.
 */
import { createSeededRng, type SeededRng } from '../common/seeded-rng.js';
import type { AbState } from './state.js';

export interface AbUser {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface AbInterviewEvent {
  id: string;
  interviewId: string;
  title: string;
  startTime: number;
  endTime: number;
  location: string | null;
  interviewerUserIds: string[];
}

export interface AbSchedule {
  id: string;
  applicationId: string;
  candidateId: string;
  interviewStageId: string;
  status: 'Scheduled' | 'Complete' | 'Cancelled' | 'NeedsScheduling';
  events: AbInterviewEvent[];
  createdAt: number;
  updatedAt: number;
}

export interface AbFeedback {
  id: string;
  applicationId: string;
  interviewEventId: string | null;
  userId: string;
  /** Score 1 (strong no) … 4 (strong yes); null when the interviewer left it blank. */
  recommendation: number | null;
  ratings: { communication: number; technical: number };
  submittedAt: number;
  updatedAt: number;
}

export interface AbOffer {
  id: string;
  applicationId: string;
  offerStatus: string;
  acceptanceStatus: string;
  decidedAt: number | null;
  startDate: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AbNote {
  id: string;
  candidateId: string;
  content: string;
  isPrivate: boolean;
  authorId: string;
  createdAt: number;
  updatedAt: number;
}

export interface AbTag {
  id: string;
  title: string;
  isArchived: boolean;
  updatedAt: number;
}

export interface AbFileHandle {
  id: string;
  name: string;
  handle: string;
}

export interface AbProfile {
  company: string | null;
  position: string | null;
  tagIds: string[];
  resume: AbFileHandle | null;
  files: AbFileHandle[];
}

export interface AbRecords {
  rng: SeededRng;
  users: AbUser[];
  schedules: AbSchedule[];
  feedback: AbFeedback[];
  offers: AbOffer[];
  notes: AbNote[];
  tags: AbTag[];
  profiles: Map<string, AbProfile>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli'];
const POSITIONS = ['Software Engineer', 'Data Analyst', 'Product Designer', 'Engineering Manager'];
const TAGS = ['Referral', 'Senior', 'Remote', 'Rehire'];
const OFFER_STATES: [string, string][] = [
  ['WaitingOnApprovalStart', 'Created'],
  ['WaitingOnCandidateResponse', 'WaitingOnResponse'],
  ['CandidateAccepted', 'Accepted'],
  ['CandidateRejected', 'Declined'],
  ['OfferCancelled', 'Cancelled'],
];

export function fileHandle(rng: SeededRng, name: string): AbFileHandle {
  return { id: rng.uuid(), name, handle: rng.alnum(40) };
}

export function generateAshbyRecords(state: AbState, seed: number, now: number): AbRecords {
  const rng = createSeededRng(seed + 7919);
  // Seeded changes lie before the fake's start, so a first sync token covers them all.
  const past = (ms: number) => Math.min(now - HOUR, ms);
  const users: AbUser[] = ['Ada Byron', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra'].map((name) => {
    const [firstName, lastName] = name.split(' ') as [string, string];
    return { id: rng.uuid(), firstName, lastName, email: `${firstName.toLowerCase()}@employer.example` };
  });
  const tags: AbTag[] = TAGS.map((title) => ({ id: rng.uuid(), title, isArchived: false, updatedAt: now }));
  tags.push({ id: rng.uuid(), title: 'Old campaign', isArchived: true, updatedAt: now });
  state.archiveReasons.push({
    id: rng.uuid(),
    text: 'Headcount frozen',
    reasonType: 'RejectedByOrg',
    isArchived: true,
  });

  const profiles = new Map<string, AbProfile>();
  const notes: AbNote[] = [];
  for (const candidate of state.candidates) {
    const employed = rng.next() < 0.6;
    const tagIds = rng.next() < 0.4 ? [rng.pick(tags.slice(0, TAGS.length)).id] : [];
    const files: AbFileHandle[] = [];
    const resume = rng.next() < 0.7 ? fileHandle(rng, 'resume.pdf') : null;
    if (resume) files.push(resume);
    if (rng.next() < 0.2) files.push(fileHandle(rng, rng.pick(['cover_letter.pdf', 'portfolio.pdf'])));
    profiles.set(candidate.id, {
      company: employed ? rng.pick(COMPANIES) : null,
      position: employed ? rng.pick(POSITIONS) : null,
      tagIds,
      resume,
      files,
    });
    if (rng.next() < 0.3) {
      for (let n = rng.int(1, 3); n > 0; n -= 1) {
        const createdAt = candidate.createdAt + rng.int(1, 200) * HOUR;
        notes.push({
          id: rng.uuid(),
          candidateId: candidate.id,
          content: rng.pick(['Strong portfolio.', 'Call back next week.', 'Prefers remote work.']),
          isPrivate: rng.next() < 0.2,
          authorId: rng.pick(users).id,
          createdAt,
          updatedAt: createdAt,
        });
      }
    }
  }

  const schedules: AbSchedule[] = [];
  const feedback: AbFeedback[] = [];
  const offers: AbOffer[] = [];
  for (const app of state.applications) {
    if (rng.next() < 0.5) continue;
    const startTime = app.createdAt + rng.int(2, 20) * DAY + 10 * HOUR;
    const cancelled = rng.next() < 0.1;
    const status: AbSchedule['status'] = cancelled ? 'Cancelled' : startTime < now ? 'Complete' : 'Scheduled';
    const events: AbInterviewEvent[] = [];
    for (let e = rng.int(1, 2); e > 0; e -= 1) {
      const start = startTime + (events.length + 1) * HOUR;
      events.push({
        id: rng.uuid(),
        interviewId: rng.uuid(),
        title: events.length === 0 ? 'Technical interview' : 'Culture interview',
        startTime: start,
        endTime: start + HOUR,
        location: rng.next() < 0.5 ? 'Room 4' : null,
        interviewerUserIds: [rng.pick(users).id],
      });
    }
    schedules.push({
      id: rng.uuid(),
      applicationId: app.id,
      candidateId: app.candidateId,
      interviewStageId: app.stageId,
      status,
      events,
      createdAt: app.createdAt + DAY,
      updatedAt: past(startTime + 2 * HOUR),
    });
    if (status !== 'Complete') continue;
    for (const event of events) {
      if (rng.next() < 0.2) continue;
      const submittedAt = event.endTime + rng.int(1, 30) * HOUR;
      feedback.push({
        id: rng.uuid(),
        applicationId: app.id,
        interviewEventId: event.id,
        userId: event.interviewerUserIds[0]!,
        recommendation: rng.next() < 0.1 ? null : rng.int(1, 4),
        ratings: { communication: rng.int(1, 4), technical: rng.int(1, 4) },
        submittedAt: past(submittedAt),
        updatedAt: past(submittedAt),
      });
    }
    if (rng.next() < 0.3) {
      const [offerStatus, acceptanceStatus] = rng.pick(OFFER_STATES);
      const createdAt = past(startTime + 3 * DAY);
      const decided = acceptanceStatus === 'Accepted' || acceptanceStatus === 'Declined';
      offers.push({
        id: rng.uuid(),
        applicationId: app.id,
        offerStatus,
        acceptanceStatus,
        decidedAt: decided ? createdAt : null,
        startDate: new Date(createdAt + 30 * DAY).toISOString().slice(0, 10),
        createdAt,
        updatedAt: createdAt,
      });
    }
  }
  return { rng, users, schedules, feedback, offers, notes, tags, profiles };
}
