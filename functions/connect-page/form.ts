/** The hosted page itself: the provider list, a provider's form, and the form's answer (docs/connect.md). */
import type { ConnectPageQuery } from '../../shared/api/connect.js';
import { fieldErrors, type ProviderForm, providerForm, providerForms } from '../../shared/connect/forms.js';
import { formPage, pickerPage, problemPage } from '../../shared/connect/pages.js';
import type { ConnectSessionRow } from '../../shared/connect/repository.js';
import type { HttpResult } from '../../shared/http/types.js';
import {
  type ConnectPageDependencies,
  endpointSettings,
  openSession,
  saveConnection,
  verifyWithProvider,
} from './deps.js';
import { consentOrigins, startOAuth } from './oauth.js';

const available = (deps: ConnectPageDependencies) => providerForms.filter((f) => deps.providers[f.provider]);

function formOptions(deps: ConnectPageDependencies, session: ConnectSessionRow, form: ProviderForm) {
  return { canChoose: !session.provider, formTargets: consentOrigins(deps, form.provider) };
}

export async function showPage(
  deps: ConnectPageDependencies,
  token: string,
  query: ConnectPageQuery,
): Promise<HttpResult> {
  const opened = await openSession(deps, token);
  if (!opened.ok) return opened.page;
  const session = opened.session;
  const chosen = session.provider ?? query.provider;
  const form = chosen && deps.providers[chosen] ? providerForm(chosen) : undefined;
  if (!form) return pickerPage(token, available(deps));
  return formPage(token, form, formOptions(deps, session, form));
}

export async function submitForm(
  deps: ConnectPageDependencies,
  token: string,
  rawBody: Buffer,
): Promise<HttpResult> {
  const opened = await openSession(deps, token);
  if (!opened.ok) return opened.page;
  const session = opened.session;
  const fields = new URLSearchParams(rawBody.toString('utf8'));
  const provider = fields.get('provider') ?? '';
  const form = deps.providers[provider] ? providerForm(provider) : undefined;
  if (!form || (session.provider && session.provider !== provider)) {
    return problemPage(400, 'Unknown provider', 'This link cannot connect that provider. Nothing was saved.');
  }
  if (form.kind === 'oauth') return startOAuth(deps, session, provider);
  const values = Object.fromEntries(form.fields.map((f) => [f.name, fields.get(f.name) ?? '']));
  const options = formOptions(deps, session, form);
  const parsed = form.schema.safeParse(values);
  if (!parsed.success) {
    return formPage(token, form, { ...options, values, fieldErrors: fieldErrors(parsed.error) }, 422);
  }
  // the deployment's endpoints (local: the fakes) unless the form named one (Workday)
  const connection = {
    credentials: parsed.data.credentials,
    settings: { ...endpointSettings(deps.endpoints()[provider]), ...parsed.data.settings },
  };
  const refusal = await verifyWithProvider(deps, provider, connection);
  if (refusal) return formPage(token, form, { ...options, values, providerError: refusal }, 422);
  return saveConnection(deps, session, provider, connection);
}
