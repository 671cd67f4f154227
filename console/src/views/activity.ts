/** Webhook deliveries received, the push log with its retry, and notification deliveries with redeliver. */
import { api, query } from '../api.js';
import { badge, h } from '../dom.js';
import { providerLabel, pushRetryPath, pushSubject, toneOf } from '../format.js';
import type { NotificationDelivery, Page, PushEntry, WebhookDelivery } from '../types.js';
import { actionButton, pagedTable, type View, when } from './common.js';

function statusFilter(id: string, values: string[], initial = ''): HTMLSelectElement {
  const select = h(
    'select',
    { id },
    ...['', ...values].map((s) => h('option', { value: s }, s === '' ? 'any status' : s)),
  );
  select.value = initial;
  return select;
}

function changesList(delivery: WebhookDelivery): Node {
  if (delivery.changes.length === 0) return document.createTextNode('—');
  return h(
    'ul',
    { class: 'plain' },
    ...delivery.changes.map((c) =>
      h(
        'li',
        {},
        c.kind,
        c.objectType ? ` ${c.objectType}` : '',
        c.remoteId ? ' ' : '',
        c.remoteId ? h('code', {}, c.remoteId) : '',
        c.detail ? ` (${c.detail})` : '',
      ),
    ),
  );
}

export const webhooksView: View = async (root, ctx) => {
  const filter = statusFilter('webhook-status', ['received', 'applied', 'ignored', 'failed']);
  const table = pagedTable<WebhookDelivery>({
    caption: 'Provider webhooks received, newest first',
    empty: 'No webhook has been received.',
    ctx,
    load: (cursor) =>
      api<Page<WebhookDelivery>>(
        'GET',
        `/webhook-deliveries${query({ limit: 25, cursor, status: filter.value })}`,
      ),
    columns: [
      { header: 'Received', cell: (d) => when(d.receivedAt, ctx) },
      { header: 'Provider', cell: (d) => providerLabel(d.provider) },
      { header: 'Event', cell: (d) => d.eventType ?? '—' },
      { header: 'Signature', cell: (d) => badge(d.verification, toneOf(d.verification)) },
      { header: 'Outcome', cell: (d) => badge(d.status, toneOf(d.status)) },
      { header: 'What it changed', cell: changesList },
    ],
  });
  filter.addEventListener('change', () => void table.refresh());
  root.append(
    h('h2', {}, 'Webhook deliveries'),
    h(
      'p',
      { class: 'muted' },
      'Only deliveries whose signature verified are recorded; a wrong signature is answered 401 and kept nowhere.',
    ),
    h('div', { class: 'filters' }, h('label', { for: 'webhook-status' }, 'Outcome'), filter),
    table.element,
  );
  await table.refresh();
  ctx.every(5000, async () => void (await table.refresh()));
};

export const pushesView: View = async (root, ctx) => {
  const filter = statusFilter('push-status', ['pending', 'succeeded', 'refused', 'failed', 'skipped']);
  const table = pagedTable<PushEntry>({
    caption: 'Writes to the systems of record, newest first',
    empty: 'Nothing has been pushed.',
    ctx,
    load: (cursor) =>
      api<Page<PushEntry>>('GET', `/push-log${query({ limit: 25, cursor, status: filter.value })}`),
    columns: [
      { header: 'When', cell: (p) => when(p.createdAt, ctx) },
      { header: 'Kind', cell: (p) => p.kind },
      { header: 'Status', cell: (p) => badge(p.status, toneOf(p.status)) },
      { header: 'Attempts', cell: (p) => String(p.attempts) },
      { header: 'Last error', cell: (p) => p.lastError ?? '' },
      {
        header: 'Actions',
        cell: (p) =>
          p.retryable
            ? actionButton('Retry', `Retry the ${pushSubject(p)}`, ctx, async () => {
                await api('POST', pushRetryPath(p.id));
                await table.refresh();
                return 'Push queued again';
              })
            : '',
      },
    ],
  });
  filter.addEventListener('change', () => void table.refresh());
  root.append(
    h('h2', {}, 'Push log'),
    h('div', { class: 'filters' }, h('label', { for: 'push-status' }, 'Status'), filter),
    table.element,
  );
  await table.refresh();
};

export const notificationsView: View = async (root, ctx) => {
  const filter = statusFilter('notification-status', ['pending', 'delivered', 'failed'], 'failed');
  const table = pagedTable<NotificationDelivery>({
    caption: 'Notification deliveries, newest first',
    empty: 'No delivery matches.',
    ctx,
    load: (cursor) =>
      api<Page<NotificationDelivery>>(
        'GET',
        `/notification-deliveries${query({ limit: 25, cursor, status: filter.value })}`,
      ),
    columns: [
      { header: 'Created', cell: (d) => when(d.createdAt, ctx) },
      { header: 'Event', cell: (d) => d.eventType },
      { header: 'Channel', cell: (d) => d.subscriptionKind },
      { header: 'Status', cell: (d) => badge(d.status, toneOf(d.status)) },
      { header: 'Attempts', cell: (d) => String(d.attempts) },
      {
        header: 'Last answer',
        cell: (d) =>
          [d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '', d.lastError ?? ''].filter(Boolean).join(' · '),
      },
      {
        header: 'Actions',
        cell: (d) =>
          d.status === 'delivered'
            ? ''
            : actionButton('Redeliver', `Redeliver ${d.eventType} message ${d.messageId}`, ctx, async () => {
                await api('POST', `/subscriptions/${d.subscriptionId}/deliveries/${d.id}/redeliver`);
                await table.refresh();
                return 'Redelivery queued';
              }),
      },
    ],
  });
  filter.addEventListener('change', () => void table.refresh());
  root.append(
    h('h2', {}, 'Notification deliveries'),
    h('div', { class: 'filters' }, h('label', { for: 'notification-status' }, 'Status'), filter),
    table.element,
  );
  await table.refresh();
};
