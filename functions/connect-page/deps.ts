/** What the hosted connect page needs, and the steps its two entry points share: open the link, check, save. */
import type { Sql } from 'postgres';
import type { z } from 'zod';
import type { CreateIntegrationBody } from '../../shared/api/integrations.js';
import type { ProviderEndpoints } from '../../shared/connect/config.js';
import { type Connection, providerForm } from '../../shared/connect/forms.js';
import { connectedPage, problemPage } from '../../shared/connect/pages.js';
import {
  type ConnectSessionRow,
  claimSession,
  findSessionByToken,
  recordIntegration,
  releaseSession,
} from '../../shared/connect/repository.js';
import { hashToken } from '../../shared/connect/tokens.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { HttpResult, Principal } from '../../shared/http/types.js';
import { logger } from '../../shared/observability/logger.js';
import type { Clock } from '../../shared/ports/clock.js';
import { ProviderError, type ProviderModule } from '../../shared/ports/provider.js';
import type { SecretStore } from '../../shared/ports/secrets.js';
import { connectIntegration } from '../integrations-admin/use-case.js';

export interface ConnectPageDependencies {
  sql: Sql;
  secrets: SecretStore;
  clock: Clock;
  publicBaseUrl: string;
  providers: Readonly<Record<string, ProviderModule>>;
  settingsSchemas: Readonly<Record<string, z.ZodType<Record<string, unknown>>>>;
  /** Provider endpoints of this deployment (local only: the fakes); empty in AWS. */
  endpoints(): Readonly<Record<string, ProviderEndpoints>>;
  fetch?: typeof fetch;
}

export type Opened = { ok: true; session: ConnectSessionRow } | { ok: false; page: HttpResult };

export const linkUsed = () =>
  problemPage(410, 'This link was already used', 'This connect link has been used already; it works once.');
export const linkExpired = () =>
  problemPage(410, 'This link has expired', 'This connect link has expired: links are valid for 30 minutes.');

/** A session still usable now, or the page saying why not. */
export function usable(session: ConnectSessionRow | undefined, now: Date): Opened {
  if (!session)
    return { ok: false, page: problemPage(404, 'This link is not valid', 'This connect link is not valid.') };
  if (session.used_at) return { ok: false, page: linkUsed() };
  if (session.expires_at.getTime() <= now.getTime()) return { ok: false, page: linkExpired() };
  return { ok: true, session };
}

export async function openSession(deps: ConnectPageDependencies, token: string): Promise<Opened> {
  return usable(await findSessionByToken(deps.sql, hashToken(token)), deps.clock.now());
}

/** The endpoints of this deployment as integration settings (`baseUrl`, `authUrl`); none in AWS. */
export function endpointSettings(endpoints: ProviderEndpoints | undefined): Record<string, unknown> {
  return {
    ...(endpoints?.baseUrl ? { baseUrl: endpoints.baseUrl } : {}),
    ...(endpoints?.authUrl ? { authUrl: endpoints.authUrl } : {}),
  };
}

/**
 * One cheap authenticated read (the first page of jobs, one record) with the new credentials: the provider's
 * own refusal, or null when they work. Nothing is stored before this answers null.
 */
export async function verifyWithProvider(
  deps: ConnectPageDependencies,
  provider: string,
  connection: Connection,
): Promise<string | null> {
  const module = deps.providers[provider];
  if (!module) return 'this provider is not available';
  try {
    const client = module.createClient({
      credentials: connection.credentials,
      settings: connection.settings,
      clock: deps.clock,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    await client.listPage('job', { mode: 'full', cursor: null, pageToken: null, pageSize: 1 });
    return null;
  } catch (error) {
    if (error instanceof ProviderError) return error.message;
    return 'these credentials cannot be used with this provider';
  }
}

/**
 * Claims the link, then creates the integration exactly as `POST /integrations` does; a failure gives the link
 * back. The page shows the webhook URL and secret to paste into the provider, and the way on.
 */
export async function saveConnection(
  deps: ConnectPageDependencies,
  session: ConnectSessionRow,
  provider: string,
  connection: Connection,
): Promise<HttpResult> {
  const org = session.organization_id;
  const claimed = await withTenant(deps.sql, org, 'admin', (tx) =>
    claimSession(tx, session.id, deps.clock.now()),
  );
  if (!claimed) return linkUsed();
  // the link was made by an admin key: the integration is that admin's, as with POST /integrations
  const principal: Principal = {
    organizationId: org,
    role: 'admin',
    keyId: session.created_by_key_id ?? session.id,
  };
  let created: Awaited<ReturnType<typeof connectIntegration>>;
  try {
    created = await connectIntegration(
      { ...deps, queues: { sync: undefined, notify: undefined } },
      principal,
      {
        provider,
        credentials: connection.credentials,
        settings: connection.settings,
      } as CreateIntegrationBody,
    );
  } catch (error) {
    await withTenant(deps.sql, org, 'admin', (tx) => releaseSession(tx, session.id));
    if (error instanceof DomainError)
      return problemPage(422, 'The connection could not be saved', error.message);
    throw error;
  }
  await withTenant(deps.sql, org, 'admin', (tx) => recordIntegration(tx, session.id, created.id));
  logger.info('integration connected through a connect link', { integrationId: created.id, provider });
  return connectedPage({
    title: providerForm(provider)?.title ?? provider,
    webhookUrl: created.webhookUrl,
    webhookSecret: created.webhookSecret,
    redirectUrl: session.redirect_url,
  });
}
