/** The hosted connect page's screens (docs/connect.md): every value interpolated here is escaped. */
import type { HttpResult } from '../http/types.js';
import type { ProviderForm } from './forms.js';
import { escapeHtml as e, page } from './html.js';

const linkPath = (token: string) => `/connect/${encodeURIComponent(token)}`;

export function pickerPage(token: string, forms: readonly ProviderForm[]): HttpResult {
  const items = forms
    .map(
      (f) =>
        `<li><a class="button" href="${e(linkPath(token))}?provider=${e(f.provider)}">Connect ${e(f.title)}</a></li>`,
    )
    .join('');
  return page({
    status: 200,
    title: 'Connect your ATS',
    body: `<h1>Connect your applicant tracking system</h1>
<p>Choose the system your team uses. The link works once and expires 30 minutes after it was made.</p>
<ul class="providers">${items}</ul>`,
  });
}

export interface FormState {
  values?: Record<string, string>;
  fieldErrors?: Record<string, string>;
  /** What the provider answered when it refused the credentials. */
  providerError?: string;
  /** Whether the link lets the customer go back to the list of providers. */
  canChoose: boolean;
  /** Origins the form's answer may redirect to (the provider's consent page). */
  formTargets?: readonly string[];
}

function field(form: ProviderForm, index: number, state: FormState): string {
  const f = form.fields[index]!;
  const id = `f-${f.name}`;
  const error = state.fieldErrors?.[f.name];
  const described = [f.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  // secrets are never sent back to the browser
  const value = f.type === 'password' ? '' : (state.values?.[f.name] ?? '');
  return `<label for="${id}">${e(f.label)}</label>
${f.hint ? `<p class="hint" id="${id}-hint">${e(f.hint)}</p>` : ''}
<input id="${id}" name="${e(f.name)}" type="${f.type}" required value="${e(value)}"${
    f.autocomplete ? ` autocomplete="${e(f.autocomplete)}"` : ''
  }${described ? ` aria-describedby="${described}"` : ''}${error ? ' aria-invalid="true"' : ''}>
${error ? `<p class="error" id="${id}-error">${e(error)}</p>` : ''}`;
}

export function formPage(token: string, form: ProviderForm, state: FormState, status = 200): HttpResult {
  const alert = state.providerError
    ? `<div class="alert" role="alert"><p class="error">${e(form.title)} refused these credentials: ${e(state.providerError)}</p><p>Nothing was saved. Check the values and try again.</p></div>`
    : '';
  const fields = form.fields.map((_, i) => field(form, i, state)).join('\n');
  const submit = form.kind === 'oauth' ? `Continue to ${e(form.title)}` : `Connect ${e(form.title)}`;
  const back = state.canChoose ? `<p><a href="${e(linkPath(token))}">Choose another system</a></p>` : '';
  return page({
    status,
    title: `Connect ${form.title}`,
    formTargets: state.formTargets ?? [],
    body: `<h1>Connect ${e(form.title)}</h1>${alert}
<p>${e(form.help)}</p>
<form method="post" action="${e(linkPath(token))}" novalidate>
<input type="hidden" name="provider" value="${e(form.provider)}">
${fields}
<button type="submit">${submit}</button>
</form>${back}`,
  });
}

export interface Connected {
  title: string;
  webhookUrl: string | null;
  webhookSecret: string | undefined;
  redirectUrl: string;
}

export function connectedPage(c: Connected): HttpResult {
  const webhook = c.webhookUrl
    ? `<h2>Send ${e(c.title)}'s webhooks to the hub</h2>
<p>In ${e(c.title)}'s webhook settings, add a webhook with this URL${c.webhookSecret ? ' and secret key' : ''}. Copy them now: the secret is not shown again.</p>
<p id="webhook-url-label"><strong>Webhook URL</strong></p><code aria-labelledby="webhook-url-label" id="webhook-url">${e(c.webhookUrl)}</code>
${
  c.webhookSecret
    ? `<p id="webhook-secret-label"><strong>Secret key</strong></p><code aria-labelledby="webhook-secret-label" id="webhook-secret">${e(c.webhookSecret)}</code>`
    : ''
}`
    : '';
  return page({
    status: 201,
    title: `${c.title} connected`,
    body: `<h1>${e(c.title)} is connected</h1>
<p>The hub checked the credentials with ${e(c.title)} and saved the connection; its scheduled syncs take it from here.</p>
${webhook}
<p><a class="button" href="${e(c.redirectUrl)}">Continue</a></p>`,
  });
}

/** A link that cannot be used (unknown, expired, used) or a flow that went wrong: nothing was saved. */
export function problemPage(status: number, title: string, message: string): HttpResult {
  return page({
    status,
    title,
    body: `<h1>${e(title)}</h1><div class="alert" role="alert"><p>${e(message)}</p></div>
<p>Ask the person who sent you the link for a new one if you still need to connect.</p>`,
  });
}
