/**
 * Canonical records of the full ATS record (docs/ats-record.md) as a provider mapper would hand them to the sync
 * engine, and a synced job × candidate × application to hang them off, written through the engine itself.
 */
import type { Sql } from 'postgres';
import type { SyncScope } from '../../shared/db/repositories/sync-jobs.js';
import { withTenant } from '../../shared/db/tenant.js';
import type {
  CanonicalApplication,
  CanonicalCandidate,
  CanonicalInterview,
  CanonicalJob,
  CanonicalNote,
  CanonicalOffer,
  CanonicalRejectionReason,
  CanonicalScorecard,
  SyncObjectType,
} from '../../shared/domain/canonical.js';
import type { CanonicalOf } from '../../shared/ports/provider.js';
import type { RecordsOutcome } from '../../shared/sync/apply-records.js';
import { applyRecords } from '../../shared/sync/apply-records.js';

export const T0 = '2026-03-01T10:00:00.000Z';
export const T1 = '2026-03-02T10:00:00.000Z';
export const T2 = '2026-03-03T10:00:00.000Z';

export const remoteJob = (over: Partial<CanonicalJob> = {}): CanonicalJob => ({
  remoteId: 'job-1',
  title: 'Engineer',
  status: 'open',
  employmentType: 'full_time',
  stages: [
    { remoteId: 'st-screen', name: 'Phone Screen', position: 1 },
    { remoteId: 'st-onsite', name: 'Onsite', position: 2 },
  ],
  remoteUpdatedAt: T0,
  ...over,
});

export const remoteCandidate = (over: Partial<CanonicalCandidate> = {}): CanonicalCandidate => ({
  remoteId: 'cand-1',
  firstName: 'Grace',
  lastName: 'Hopper',
  email: 'grace@example.com',
  phone: null,
  remoteUpdatedAt: T0,
  ...over,
});

export const remoteApplication = (over: Partial<CanonicalApplication> = {}): CanonicalApplication => ({
  remoteId: 'app-1',
  candidateRemoteId: 'cand-1',
  jobRemoteId: 'job-1',
  stage: { remoteId: 'st-screen', name: 'Phone Screen' },
  status: 'active',
  rejectionReason: null,
  appliedAt: T0,
  remoteUpdatedAt: T0,
  ...over,
});

export const remoteInterview = (over: Partial<CanonicalInterview> = {}): CanonicalInterview => ({
  remoteId: 'int-1',
  applicationRemoteId: 'app-1',
  title: 'Technical interview',
  stage: { remoteId: 'st-onsite', name: 'Onsite' },
  startAt: '2026-03-10T09:00:00.000Z',
  endAt: '2026-03-10T10:00:00.000Z',
  location: 'Room 1',
  status: 'scheduled',
  interviewers: [{ name: 'Alan Turing', email: 'alan@example.com' }],
  remoteUpdatedAt: T1,
  ...over,
});

export const remoteScorecard = (over: Partial<CanonicalScorecard> = {}): CanonicalScorecard => ({
  remoteId: 'sc-1',
  applicationRemoteId: 'app-1',
  interviewRemoteId: 'int-1',
  interviewer: { name: 'Alan Turing', email: 'alan@example.com' },
  recommendation: 'yes',
  submittedAt: '2026-03-10T11:00:00.000Z',
  attributes: [{ name: 'Coding', rating: 'yes' }],
  remoteUpdatedAt: T1,
  ...over,
});

export const remoteOffer = (over: Partial<CanonicalOffer> = {}): CanonicalOffer => ({
  remoteId: 'off-1',
  applicationRemoteId: 'app-1',
  status: 'sent',
  sentAt: '2026-03-12T09:00:00.000Z',
  resolvedAt: null,
  startsAt: '2026-04-01',
  remoteUpdatedAt: T1,
  ...over,
});

export const remoteNote = (over: Partial<CanonicalNote> = {}): CanonicalNote => ({
  remoteId: 'note-1',
  candidateRemoteId: 'cand-1',
  applicationRemoteId: null,
  body: 'Strong systems background.',
  author: 'Alan Turing',
  visibility: 'organization',
  createdAt: '2026-03-05T09:00:00.000Z',
  remoteUpdatedAt: T1,
  ...over,
});

export const remoteReason = (over: Partial<CanonicalRejectionReason> = {}): CanonicalRejectionReason => ({
  remoteId: 'rr-1',
  name: 'Lacks experience',
  category: 'We rejected them',
  remoteUpdatedAt: T1,
  ...over,
});

/** The sync scope of an integration, as the engine builds it for a run piece. */
export const syncScope = (
  ids: { organizationId: string; integrationId: string },
  provider = 'greenhouse',
): SyncScope => ({
  ...ids,
  provider,
  syncRunId: null,
  now: new Date(T2),
});

/** One page of `objectType` through the engine, in its own worker transaction. */
export function applyPage<T extends SyncObjectType>(
  app: Sql,
  scope: SyncScope,
  objectType: T,
  records: readonly CanonicalOf<T>[],
): Promise<RecordsOutcome> {
  return withTenant(app, scope.organizationId, 'worker', (tx) =>
    applyRecords(tx, scope, objectType, records),
  );
}

/** job-1 (with its two stages), cand-1 and app-1, synced through the engine. */
export async function seedSyncedApplication(app: Sql, scope: SyncScope): Promise<void> {
  await applyPage(app, scope, 'job', [remoteJob()]);
  await applyPage(app, scope, 'candidate', [remoteCandidate()]);
  await applyPage(app, scope, 'application', [remoteApplication()]);
}
