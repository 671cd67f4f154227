/**
 * The operator console: a sign-in form for the admin key, then a shell (banner, navigation, main) whose views
 * follow the URL fragment (#integrations, #runs, #runs/<id>, #webhooks, #pushes, #notifications, #funnel/<job>).
 */
import { api, forgetKey, savedKey, saveKey } from './api.js';
import { h } from './dom.js';
import { notificationsView, pushesView, webhooksView } from './views/activity.js';
import { errorText, type View, type ViewContext } from './views/common.js';
import { funnelView } from './views/funnel.js';
import { integrationsView } from './views/integrations.js';
import { runsView } from './views/runs.js';

const VIEWS: { id: string; label: string; view: View }[] = [
  { id: 'integrations', label: 'Integrations', view: integrationsView },
  { id: 'runs', label: 'Sync runs', view: runsView },
  { id: 'webhooks', label: 'Webhooks', view: webhooksView },
  { id: 'pushes', label: 'Push log', view: pushesView },
  { id: 'notifications', label: 'Notifications', view: notificationsView },
  { id: 'funnel', label: 'Funnel', view: funnelView },
];

const app = document.getElementById('app')!;

function signIn(message = ''): void {
  const input = h('input', {
    id: 'admin-key',
    name: 'admin-key',
    type: 'password',
    autocomplete: 'off',
    required: true,
    'aria-describedby': 'key-help key-error',
  });
  const error = h('p', { id: 'key-error', class: 'error', role: 'alert' }, message);
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'ATS hub console'),
    h('label', { for: 'admin-key' }, 'Admin key'),
    input,
    h(
      'p',
      { id: 'key-help', class: 'muted' },
      'Paste an admin API key (locally: keys.admin in .local/credentials.json). It stays in this tab only.',
    ),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Open the console'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    saveKey(input.value);
    try {
      await api('GET', '/integrations');
      if (!location.hash) location.hash = '#integrations';
      shell();
    } catch (e) {
      forgetKey();
      error.textContent = errorText(e);
      input.focus();
    }
  });
  app.replaceChildren(h('main', { id: 'main' }, form));
  input.focus();
}

function shell(): void {
  const live = h('p', { class: 'live', 'aria-live': 'polite', role: 'status' });
  const main = h('main', { id: 'main', tabindex: -1 });
  const links = VIEWS.map((v) => h('a', { href: `#${v.id}` }, v.label));
  const signOut = h('button', { type: 'button', class: 'secondary sign-out' }, 'Sign out');
  signOut.addEventListener('click', () => {
    forgetKey();
    stop();
    signIn();
  });
  app.replaceChildren(
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h(
      'header',
      {},
      h('p', { class: 'brand' }, 'ATS hub console'),
      h('nav', { 'aria-label': 'Console sections' }, h('ul', {}, ...links.map((a) => h('li', {}, a)))),
      signOut,
    ),
    live,
    main,
  );
  const skip = app.querySelector<HTMLAnchorElement>('.skip')!;
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });

  let timers: number[] = [];
  const stop = () => {
    for (const t of timers) clearInterval(t);
    timers = [];
  };
  const ctx: ViewContext = {
    announce: (text) => {
      live.textContent = text;
    },
    now: () => new Date(),
    every: (ms, fn) => {
      let busy = false;
      timers.push(
        window.setInterval(async () => {
          if (busy) return;
          busy = true;
          try {
            await fn();
          } finally {
            busy = false;
          }
        }, ms),
      );
    },
  };
  const route = async () => {
    stop();
    const [id = 'integrations', arg] = location.hash.replace(/^#/, '').split('/');
    const entry = VIEWS.find((v) => v.id === id) ?? VIEWS[0]!;
    links.forEach((a, i) => {
      if (VIEWS[i] === entry) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    });
    document.title = `${entry.label} · ATS hub console`;
    live.textContent = '';
    main.replaceChildren();
    await entry.view(main, ctx, arg);
  };
  window.onhashchange = () => void route();
  void route();
}

if (savedKey()) shell();
else signIn();
