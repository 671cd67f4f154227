/**
 * Sync runs: every run with its live progress (polled while any is queued or running), a retry for a failed
 * run, and one run's page with its import log.
 */
import { api, query } from '../api.js';
import { badge, h } from '../dom.js';
import {
  formatCount,
  formatDuration,
  isActive,
  providerLabel,
  runElapsed,
  runProgressLine,
  toneOf,
} from '../format.js';
import type { ImportEntry, Page, SyncRun } from '../types.js';
import { actionButton, errorText, pagedTable, type View, type ViewContext, when } from './common.js';

const POLL_MS = 1500;

/** A failed run is retried as a new run of the same mode (a run's own passes resume only within that run). */
function retryButton(run: SyncRun, ctx: ViewContext): HTMLButtonElement {
  return actionButton(
    'Retry',
    `Retry the failed ${run.mode} sync of ${providerLabel(run.provider)}`,
    ctx,
    async () => {
      const { syncRunId } = await api<{ syncRunId: string }>(
        'POST',
        `/integrations/${run.integrationId}/sync`,
        {
          mode: run.mode,
        },
      );
      location.hash = `#runs/${syncRunId}`;
      return `Retry queued as a new ${run.mode} sync`;
    },
  );
}

function progress(run: SyncRun): HTMLElement {
  const bar = isActive(run.status)
    ? h('progress', { 'aria-label': `Progress of run ${run.id}` })
    : h('progress', { 'aria-label': `Progress of run ${run.id}`, max: 1, value: 1 });
  return h('div', { class: 'progress' }, bar, h('span', {}, runProgressLine(run)));
}

export const runsView: View = async (root, ctx, runId) => {
  if (runId) return runView(root, ctx, runId);
  const filter = h(
    'select',
    { id: 'run-status' },
    ...['', 'queued', 'running', 'succeeded', 'partial', 'failed'].map((s) =>
      h('option', { value: s }, s === '' ? 'any status' : s),
    ),
  );
  const table = pagedTable<SyncRun>({
    caption: 'Sync runs, newest first',
    empty: 'No sync has run yet. Start one from Integrations.',
    ctx,
    load: (cursor) =>
      api<Page<SyncRun>>('GET', `/sync-runs${query({ limit: 20, cursor, status: filter.value })}`),
    columns: [
      { header: 'Provider', cell: (r) => providerLabel(r.provider) },
      { header: 'Mode', cell: (r) => r.mode },
      { header: 'Status', cell: (r) => badge(r.status, toneOf(r.status)) },
      { header: 'Progress', cell: progress },
      { header: 'Queued', cell: (r) => when(r.createdAt, ctx) },
      { header: 'Took', cell: (r) => runElapsed(r, ctx.now()) },
      {
        header: 'Actions',
        cell: (r) =>
          h(
            'div',
            { class: 'actions' },
            h(
              'a',
              { href: `#runs/${r.id}`, 'aria-label': `Details and import log of run ${r.id}` },
              'Details',
            ),
            r.status === 'failed' ? retryButton(r, ctx) : '',
          ),
      },
    ],
  });
  filter.addEventListener('change', () => void table.refresh());
  root.append(
    h('h2', {}, 'Sync runs'),
    h('div', { class: 'filters' }, h('label', { for: 'run-status' }, 'Status'), filter),
    table.element,
  );
  // every 1.5 s while a listed run is queued or running, else every 15 s (a scheduled run may start)
  const anyActive = (items: SyncRun[] | undefined) => items?.some((r) => isActive(r.status)) ?? active;
  let active = true;
  active = anyActive(await table.refresh());
  let idleTicks = 0;
  ctx.every(POLL_MS, async () => {
    if (!active && ++idleTicks % 10 !== 0) return;
    active = anyActive(await table.refresh());
  });
};

function stat(label: string, value: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', {}, value)];
}

async function runView(root: HTMLElement, ctx: ViewContext, id: string): Promise<void> {
  const heading = h('h2', {}, 'Sync run');
  const summary = h('div', { 'aria-live': 'polite' });
  const status = h('p', { class: 'muted', role: 'status' });
  const log = pagedTable<ImportEntry>({
    caption: 'Import log: records skipped, failed or deleted by this run',
    empty: 'Nothing was skipped, failed or deleted.',
    ctx,
    load: (cursor) =>
      api<Page<ImportEntry>>('GET', `/sync-runs/${id}/imports${query({ limit: 50, cursor })}`),
    columns: [
      { header: 'Object', cell: (e) => e.objectType },
      { header: 'Provider id', cell: (e) => (e.remoteId ? h('code', {}, e.remoteId) : '—') },
      {
        header: 'Action',
        cell: (e) => badge(e.action, toneOf(e.action === 'deleted' ? 'skipped' : e.action)),
      },
      { header: 'Message', cell: (e) => e.message ?? '' },
      { header: 'When', cell: (e) => when(e.createdAt, ctx) },
    ],
  });
  root.append(h('p', {}, h('a', { href: '#runs' }, '← All runs')), heading, status, summary, log.element);
  let last: SyncRun | undefined;
  const refresh = async () => {
    if (last && !isActive(last.status)) return;
    try {
      const run = await api<SyncRun>('GET', `/sync-runs/${id}`);
      heading.textContent = `${providerLabel(run.provider)} ${run.mode} sync`;
      summary.replaceChildren(
        h('p', {}, badge(run.status, toneOf(run.status)), ' ', progress(run)),
        h(
          'dl',
          { class: 'stats' },
          ...stat('Records processed', formatCount(run.recordsProcessed)),
          ...stat('Created', formatCount(run.recordsCreated)),
          ...stat('Updated', formatCount(run.recordsUpdated)),
          ...stat('Deleted', formatCount(run.recordsDeleted)),
          ...stat('Failed', formatCount(run.recordsFailed)),
          ...stat('Pages fetched', formatCount(run.pagesFetched)),
          ...stat(
            'Rate-limit waits',
            `${formatCount(run.rateLimitWaits)} (${formatDuration(run.rateLimitWaitMs)})`,
          ),
          ...stat('Took', runElapsed(run, ctx.now())),
        ),
        run.error ? h('p', { class: 'error' }, `Error: ${run.error}`) : '',
        run.status === 'failed' ? retryButton(run, ctx) : '',
      );
      if (last && isActive(last.status) && !isActive(run.status)) {
        ctx.announce(`Run ${run.status}`);
        await log.refresh();
      }
      last = run;
    } catch (error) {
      status.textContent = errorText(error);
    }
  };
  await refresh();
  await log.refresh();
  ctx.every(POLL_MS, refresh);
}
