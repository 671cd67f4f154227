/** Integrations with their health, a sync button each, and the connect button (a hosted connect link). */
import { api } from '../api.js';
import { badge, h } from '../dom.js';
import { healthSummary, providerLabel, toneOf } from '../format.js';
import type { Integration } from '../types.js';
import { actionButton, errorText, type View, type ViewContext, when } from './common.js';

/** POST /connect-sessions, then the hosted page in this tab; it comes back to the console when done. */
async function connect(ctx: ViewContext): Promise<string> {
  const redirectUrl = `${location.origin}/console#integrations`;
  const session = await api<{ url: string; expiresAt: string }>('POST', '/connect-sessions', { redirectUrl });
  ctx.announce('Opening the connect page…');
  location.assign(session.url);
  return `Connect link valid until ${session.expiresAt}`;
}

function card(integration: Integration, ctx: ViewContext): HTMLElement {
  const name = providerLabel(integration.provider);
  const last = integration.lastRuns[0];
  const sync = (mode: 'full' | 'incremental') =>
    actionButton(
      mode === 'full' ? 'Full sync' : 'Incremental sync',
      `Start ${mode === 'full' ? 'a full' : 'an incremental'} sync of ${name}`,
      ctx,
      async () => {
        const { syncRunId } = await api<{ syncRunId: string }>(
          'POST',
          `/integrations/${integration.id}/sync`,
          {
            mode,
          },
        );
        location.hash = `#runs/${syncRunId}`;
        return `${name}: ${mode} sync queued`;
      },
    );
  return h(
    'li',
    { class: 'card' },
    h('h3', {}, name),
    h(
      'p',
      {},
      badge(healthSummary(integration.health, integration.healthDetail), toneOf(integration.health)),
      integration.enabled ? '' : ' (disabled)',
    ),
    h(
      'dl',
      {},
      h('dt', {}, 'Integration id'),
      h('dd', {}, h('code', {}, integration.id)),
      h('dt', {}, 'Webhook URL'),
      h('dd', {}, integration.webhookUrl ? h('code', {}, integration.webhookUrl) : 'none (polled)'),
      h('dt', {}, 'Last run'),
      h(
        'dd',
        {},
        last ? h('a', { href: `#runs/${last.id}` }, last.status) : 'never',
        last?.completedAt ? ' · ' : '',
        last?.completedAt ? when(last.completedAt, ctx) : '',
      ),
    ),
    h('div', { class: 'actions' }, sync('full'), sync('incremental')),
  );
}

export const integrationsView: View = async (root, ctx) => {
  const list = h('ul', { class: 'cards', 'aria-label': 'Integrations' });
  const status = h('p', { class: 'muted', role: 'status' });
  const connectButton = actionButton('Connect a provider', 'Connect a provider', ctx, () => connect(ctx));
  connectButton.classList.add('primary');
  root.append(
    h('div', { class: 'view-head' }, h('h2', {}, 'Integrations'), connectButton),
    h(
      'p',
      { class: 'muted' },
      'Connect opens a one-time page (valid 30 minutes) where a provider is chosen and authorized.',
    ),
    status,
    list,
  );
  const refresh = async () => {
    // a keyboard user's focus stays where it is: no redraw under it
    if (list.contains(document.activeElement)) return;
    try {
      const { items } = await api<{ items: Integration[] }>('GET', '/integrations');
      list.replaceChildren(...items.map((i) => card(i, ctx)));
      status.textContent = items.length === 0 ? 'No provider is connected yet.' : '';
    } catch (error) {
      status.textContent = errorText(error);
    }
  };
  await refresh();
  ctx.every(10_000, refresh);
};
