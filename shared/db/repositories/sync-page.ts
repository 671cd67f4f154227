/**
 * The side rows of one sync page in two statements instead of one each (docs/performance-results.md, "B2: sync
 * writes"): the opening one takes the lease and the checkpoint and stores the page's seen ids and raw-page index,
 * the closing one adds the import log and the run's progress. Each part is the same SQL its own repository
 * function sends alone, so the rules stay in one place.
 */
import type { PendingQuery, Row } from 'postgres';
import { type indexRawPage, rawPageInsert } from '../../privacy/raw-pages.js';
import type { Tx } from '../tenant.js';
import { type Checkpoint, checkpointUpdate, type SeenPage, seenInsert } from './sync-cursors.js';
import { type ImportLogEntry, importLogInsert } from './sync-import-log.js';
import { leaseRow, progressUpdate, type RunProgress } from './sync-runs.js';

type Fragment = PendingQuery<Row[]>;

/** `name as (query)`, joined by commas. */
const ctes = (tx: Tx, parts: readonly (readonly [string, Fragment])[]) =>
  parts.map(([name, query]) => tx`${tx(name)} as (${query})`).reduce((list, cte) => tx`${list}, ${cte}`);

/**
 * ONE statement opening the page: the run row locked while the lease is this piece's (first: the checkpoint
 * waits for it), the checkpoint's compare-and-set, the seen ids of a full pass and the raw page's index. False
 * parts mean the page must not be written: the caller throws and the transaction rolls every part back.
 */
export async function openPage(
  tx: Tx,
  input: {
    runId: string;
    leaseToken: string;
    checkpoint: Checkpoint;
    /** Absent outside a full pass. */
    seen: SeenPage | null;
    rawPage: Parameters<typeof indexRawPage>[1];
  },
): Promise<{ leased: boolean; advanced: boolean }> {
  const parts: [string, Fragment][] = [
    ['lease', leaseRow(tx, input.runId, input.leaseToken)],
    ['advanced', tx`${checkpointUpdate(tx, input.checkpoint, tx`exists (select 1 from lease)`)} returning 1`],
    ['raw', rawPageInsert(tx, input.rawPage)],
  ];
  if (input.seen) parts.push(['seen', seenInsert(tx, input.seen)]);
  const [row] = await tx<{ leased: boolean; advanced: boolean }[]>`
    with ${ctes(tx, parts)}
    select exists (select 1 from lease) as leased, exists (select 1 from advanced) as advanced`;
  return { leased: row?.leased === true, advanced: row?.advanced === true };
}

/** ONE statement closing the page: its import log entries (if any) and the run's progress and lease time. */
export async function closePage(
  tx: Tx,
  input: {
    scope: { integrationId: string; syncRunId: string };
    log: readonly ImportLogEntry[];
    progress: RunProgress;
    leaseUntil: Date;
  },
): Promise<void> {
  const progress = progressUpdate(tx, input.scope.syncRunId, input.progress, input.leaseUntil);
  if (input.log.length === 0) {
    await progress;
    return;
  }
  await tx`with ${ctes(tx, [['log', importLogInsert(tx, input.scope, input.log)]])} ${progress}`;
}
