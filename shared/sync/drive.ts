import type { SyncIntegrationRow, SyncRunRow } from '../db/repositories/sync-runs.js';
import { type Tx, withTenant } from '../db/tenant.js';
import type { RunRef } from './continuation.js';
import type { SyncDependencies, WorkBudget } from './dependencies.js';

/** One piece of a sync run: the lease it holds and how much of its budget the pages written so far used. */
export interface Drive {
  deps: SyncDependencies;
  run: SyncRunRow;
  ref: RunRef;
  integration: SyncIntegrationRow;
  token: string;
  budget: WorkBudget;
  pagesThisPiece: number;
  slowestPageMs: number;
}

/** A transaction of this worker in the run's tenant. */
export const tenant = <T>(deps: SyncDependencies, organizationId: string, fn: (tx: Tx) => Promise<T>) =>
  withTenant(deps.sql, organizationId, 'worker', fn);

/** Whether one more page would still fit this piece once the current one is written (see budgetSpent). */
export function roomForAnotherPage(drive: Drive): boolean {
  const { options } = drive.deps;
  if (drive.pagesThisPiece + 1 >= options.maxPagesPerInvocation) return false;
  return drive.budget.remainingMs() >= options.reserveMs + 3 * drive.slowestPageMs;
}

/** Whether this piece must stop before the next page (page cap, or too little time left for one more). */
export function budgetSpent(drive: Drive): boolean {
  const { options } = drive.deps;
  if (drive.pagesThisPiece >= options.maxPagesPerInvocation) return true;
  return (
    drive.budget.remainingMs() < options.reserveMs + (drive.pagesThisPiece > 0 ? 2 * drive.slowestPageMs : 0)
  );
}
