import {
  type ApplicationResolution,
  type ApplicationWrite,
  newApplicationId,
  resolveApplications,
  upsertApplicationsPage,
} from '../db/repositories/sync-applications.js';
import { upsertCandidatesPage } from '../db/repositories/sync-candidates.js';
import type { ImportLogEntry } from '../db/repositories/sync-import-log.js';
import { type SyncScope, upsertJobsPage } from '../db/repositories/sync-jobs.js';
import type { Tx } from '../db/tenant.js';
import type {
  CanonicalApplication,
  CanonicalCandidate,
  CanonicalJob,
  CanonicalNote,
  SyncObjectType,
} from '../domain/canonical.js';
import type { CanonicalOf } from '../ports/provider.js';
import { screenErasedCandidates, screenErasedNotes } from '../privacy/reappearance.js';
import { applyRecordObjects } from './apply-record-objects.js';
import { applyProviderChange, type ProviderChange } from './provider-change.js';

export interface RecordsOutcome {
  created: number;
  updated: number;
  failed: number;
  /** Failures and skipped changes, ready for import_log. */
  log: ImportLogEntry[];
}

const later = (a: string | null, b: Date | null): boolean => {
  if (a === null) return true;
  const t = Date.parse(a);
  return Number.isNaN(t) || b === null || t > b.getTime();
};

/** What the provider's state asks of a known application, if anything. */
function changeFor(
  record: CanonicalApplication,
  current: { stageId: string; status: string },
  targetStageId: string | null,
): ProviderChange | null {
  if (record.status === 'active') {
    if (current.status !== 'active') return { kind: 'reopen' };
    return targetStageId && targetStageId !== current.stageId
      ? { kind: 'stage', toStageId: targetStageId }
      : null;
  }
  return current.status === record.status ? null : { kind: 'status', status: record.status };
}

/** The one failure of a second open application of a candidate to a job (docs/architecture.md, "Applications"). */
export const ANOTHER_ACTIVE_APPLICATION = 'another active application holds this candidate and job';

/**
 * Where a new application is stored: the provider's stage on the job; for a closed one the provider reports
 * without a stage (or with one the job lacks), Offer Accepted for a hire and the job's first stage otherwise,
 * since `stage_id` cannot be empty. An open one without a known stage has nowhere true to go: null.
 */
function stageOfNew(r: ApplicationResolution): string | null {
  if (r.targetStageId || r.record.status === 'active') return r.targetStageId;
  return (r.record.status === 'hired' ? r.offerAcceptedStageId : null) ?? r.firstStageId;
}

const appliedTime = (r: ApplicationResolution): number => {
  const t = r.record.appliedAt ? Date.parse(r.record.appliedAt) : Number.NaN;
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
};

/**
 * One page of applications: one resolve statement, the provider's stage/status changes of known applications
 * through the ATS rules (applyChange, one by one: only changed applications pay for it), then ONE upsert
 * statement for new applications and moved-forward `source_updated_at`.
 *
 * Every remote application is its own row (a rejected one and a later re-application of the same candidate to the
 * same job both), but the hub holds at most one ACTIVE per candidate × job. The one it already holds keeps that
 * place; among new ones of one page, the most recently applied. Any other active one is logged failed and comes
 * back on the next full pass, when the one kept may have closed. Known applications are applied first, so a
 * rejection and the re-application that follows it in the same page both land.
 */
export async function applyApplications(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalApplication[],
): Promise<RecordsOutcome> {
  const unique = [...new Map(records.map((r) => [r.remoteId, r])).values()];
  const resolutions = await resolveApplications(tx, scope, unique);
  const log: ImportLogEntry[] = [];
  const writes: ApplicationWrite[] = [];
  let changed = 0;
  let failed = 0;
  // the active application of each candidate × job as this page leaves it (applications_one_active_idx)
  const active = new Map<string, string>();
  const pairOf = (candidateId: string, jobId: string) => `${candidateId}:${jobId}`;
  for (const r of resolutions) {
    if (r.activeId && r.candidateId && r.jobId) active.set(pairOf(r.candidateId, r.jobId), r.activeId);
  }
  const fail = (remoteId: string, message: string) => {
    failed += 1;
    log.push({ objectType: 'application', remoteId, action: 'failed', message });
  };
  const fresh: ApplicationResolution[] = [];
  // an unlinked local application links to one remote application only; a second of the page is a new one
  const matched = new Set<string>();
  // latest applied first: of two remote applications the hub can keep only one of, the later one is kept
  for (const r of [...resolutions].sort((a, b) => appliedTime(b) - appliedTime(a))) {
    const record = r.record;
    if (!r.applicationId || !r.current) {
      fresh.push(r);
      continue;
    }
    if (!r.refExists) {
      if (matched.has(r.applicationId)) {
        fresh.push({ ...r, applicationId: null, current: null });
        continue;
      }
      matched.add(r.applicationId);
    }
    const current = r.current;
    const pair = pairOf(current.candidateId, current.jobId);
    const write: ApplicationWrite = {
      id: r.applicationId,
      remoteId: record.remoteId,
      candidateId: current.candidateId,
      jobId: current.jobId,
      stageId: current.stageId,
      status: current.status,
      sourceUpdatedAt: null,
      appliedAt: null,
      isNew: false,
      newRef: !r.refExists,
    };
    if (!later(record.remoteUpdatedAt, current.sourceUpdatedAt) && !current.deleted) {
      // stale or unchanged: nothing to write (apart from linking a matched application)
      if (!r.refExists) writes.push(write);
      continue;
    }
    if (current.deleted && current.status === 'active') {
      // coming back would make it a second open application of its pair
      const holder = active.get(pair);
      if (holder && holder !== r.applicationId) {
        fail(record.remoteId, ANOTHER_ACTIVE_APPLICATION);
        continue;
      }
      active.set(pair, r.applicationId);
    }
    const change = current.deleted ? null : changeFor(record, current, r.targetStageId);
    if (record.status === 'active' && !r.targetStageId && record.stage) {
      log.push({
        objectType: 'application',
        remoteId: record.remoteId,
        action: 'skipped',
        message: 'stage not found on the job',
      });
    }
    if (change) {
      const outcome = await applyProviderChange(tx, {
        applicationId: r.applicationId,
        change,
        provider: scope.provider,
        sourceTimestamp: record.remoteUpdatedAt ? new Date(record.remoteUpdatedAt) : null,
      });
      if (outcome.outcome === 'applied') {
        changed += 1;
        // a closing change frees the pair for a re-application of this page
        if (record.status !== 'active' && active.get(pair) === r.applicationId) active.delete(pair);
      }
      if (outcome.outcome === 'skipped') {
        log.push({
          objectType: 'application',
          remoteId: record.remoteId,
          action: 'skipped',
          message: outcome.reason,
        });
      }
    }
    // moves source_updated_at forward (a no-op when applyChange already did); a skipped change is not retried
    writes.push({ ...write, sourceUpdatedAt: record.remoteUpdatedAt });
  }
  for (const r of fresh) {
    const record = r.record;
    if (!r.candidateId) {
      fail(record.remoteId, 'candidate not synced');
      continue;
    }
    if (!r.jobId) {
      fail(record.remoteId, 'job not synced');
      continue;
    }
    const stageId = stageOfNew(r);
    if (!stageId) {
      fail(record.remoteId, 'stage not found on the job');
      continue;
    }
    const id = newApplicationId();
    if (record.status === 'active') {
      const pair = pairOf(r.candidateId, r.jobId);
      if (active.has(pair)) {
        fail(record.remoteId, ANOTHER_ACTIVE_APPLICATION);
        continue;
      }
      active.set(pair, id);
    }
    writes.push({
      id,
      remoteId: record.remoteId,
      candidateId: r.candidateId,
      jobId: r.jobId,
      stageId,
      status: record.status,
      sourceUpdatedAt: record.remoteUpdatedAt,
      appliedAt: record.appliedAt,
      isNew: true,
      newRef: true,
    });
  }
  const counts = await upsertApplicationsPage(tx, scope, writes);
  return { created: counts.created, updated: counts.updated + changed, failed, log };
}

export async function applyCandidates(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalCandidate[],
): Promise<RecordsOutcome> {
  // an erased person coming back from the provider is flagged, not re-created (docs/privacy.md)
  const screened = await screenErasedCandidates(tx, scope, records);
  const result = await upsertCandidatesPage(tx, scope, screened.kept);
  return {
    created: result.created,
    updated: result.updated,
    failed: result.failures.length,
    log: [
      ...screened.log,
      ...result.failures.map((f) => ({
        objectType: 'candidate',
        remoteId: f.remoteId,
        action: 'failed' as const,
        message: f.reason,
      })),
    ],
  };
}

export async function applyJobs(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalJob[],
): Promise<RecordsOutcome> {
  const result = await upsertJobsPage(tx, scope, records);
  return { ...result, failed: 0, log: [] };
}

/** Notes, without those about an erased person. */
async function applyNotes(
  tx: Tx,
  scope: SyncScope,
  records: readonly CanonicalNote[],
): Promise<RecordsOutcome> {
  const screened = await screenErasedNotes(tx, scope, records);
  const outcome = await applyRecordObjects(tx, scope, 'note', screened.kept);
  return { ...outcome, log: [...screened.log, ...outcome.log] };
}

export function applyRecords<T extends SyncObjectType>(
  tx: Tx,
  scope: SyncScope,
  objectType: T,
  records: readonly CanonicalOf<T>[],
): Promise<RecordsOutcome> {
  if (objectType === 'job') return applyJobs(tx, scope, records as readonly unknown[] as CanonicalJob[]);
  if (objectType === 'candidate')
    return applyCandidates(tx, scope, records as readonly unknown[] as CanonicalCandidate[]);
  if (objectType === 'note') return applyNotes(tx, scope, records as readonly unknown[] as CanonicalNote[]);
  if (objectType !== 'application') return applyRecordObjects(tx, scope, objectType, records as never);
  return applyApplications(tx, scope, records as readonly unknown[] as CanonicalApplication[]);
}
