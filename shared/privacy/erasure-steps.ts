/**
 * The steps of an erasure (docs/privacy.md, "Erasure"), each idempotent: run again after a crash it finds less or
 * nothing left to do and ends in the same state. Each answers the detail recorded on the erasure: counts and
 * outcomes, never a personal value.
 */
import type { Sql } from 'postgres';
import { type Tx, withTenant } from '../db/tenant.js';
import { allMarkers } from '../domain/privacy.js';
import type { ObjectStore } from '../ports/object-store.js';
import { ProviderError } from '../ports/provider.js';
import type { SyncDependencies } from '../sync/dependencies.js';
import { ProviderSession, type SessionIntegration } from '../sync/provider-session.js';
import { forgetInPage, type PageOutcome, pagesNaming, rewritePage } from './raw-pages.js';
import { documentKeys, type ErasureSubject, remoteIdsByIntegration } from './subject.js';

export interface StepContext {
  sql: Sql;
  organizationId: string;
  subject: ErasureSubject;
}

const worker = <T>(ctx: StepContext, fn: (tx: Tx) => Promise<T>) =>
  withTenant(ctx.sql, ctx.organizationId, 'worker', fn);

/** Every version of every document of the person. */
export async function eraseDocuments(ctx: StepContext, store: ObjectStore): Promise<Record<string, unknown>> {
  const keys = await worker(ctx, (tx) => documentKeys(tx, ctx.subject.candidateId));
  let versions = 0;
  for (const key of keys) versions += await store.deleteAllVersions(key);
  return { objects: keys.length, versions };
}

/** Every raw provider page that names the person, rewritten without them or deleted. */
export async function eraseRawPayloads(
  ctx: StepContext,
  store: ObjectStore,
): Promise<Record<string, unknown>> {
  const outcomes: Record<PageOutcome, number> = { missing: 0, unchanged: 0, rewritten: 0, deleted: 0 };
  const markers = allMarkers(ctx.subject.person);
  for (const [integrationId, remoteIds] of remoteIdsByIntegration(ctx.subject.refs)) {
    const keys = await worker(ctx, (tx) => pagesNaming(tx, integrationId, remoteIds));
    for (const key of keys) {
      const outcome = await rewritePage(store, key, { remoteIds, markers });
      outcomes[outcome] += 1;
      await worker(ctx, (tx) => forgetInPage(tx, key, remoteIds, outcome));
    }
  }
  return { pages: Object.values(outcomes).reduce((a, b) => a + b, 0), ...outcomes };
}

export interface ProviderOutcome {
  integrationId: string;
  provider: string;
  outcome: 'anonymized' | 'not_found' | 'unsupported' | 'refused' | 'disabled';
  status?: number;
  message?: string;
}

/**
 * Asks each connected provider that holds the person to anonymize them, where its API allows. A refusal (scope,
 * permission) is recorded and final; a transient failure throws, and the whole step runs again on redelivery (the
 * providers' anonymize is idempotent).
 */
export async function propagateErasure(
  ctx: StepContext,
  deps: SyncDependencies,
): Promise<{ providers: ProviderOutcome[] }> {
  const candidates = ctx.subject.refs.filter((r) => r.objectType === 'candidate');
  if (candidates.length === 0) return { providers: [] };
  const integrations = await worker(
    ctx,
    (tx) =>
      tx<(SessionIntegration & { enabled: boolean })[]>`
      select id, organization_id, provider, settings, enabled, breaker_state, breaker_failures, breaker_open_until
      from integrations where id = any(${candidates.map((c) => c.integrationId)}::uuid[]) order by id`,
  );
  const outcomes: ProviderOutcome[] = [];
  for (const integration of integrations) {
    const base = { integrationId: integration.id, provider: integration.provider };
    if (!integration.enabled) {
      outcomes.push({ ...base, outcome: 'disabled' });
      continue;
    }
    const session = await ProviderSession.open(deps, integration);
    const privacy = session.client.privacy;
    if (!privacy) {
      outcomes.push({ ...base, outcome: 'unsupported' });
      continue;
    }
    for (const ref of candidates.filter((c) => c.integrationId === integration.id)) {
      try {
        const result = await session.call(() =>
          privacy.anonymizeCandidate({ candidateRemoteId: ref.remoteId }),
        );
        outcomes.push({ ...base, outcome: result.action });
      } catch (error) {
        if (!(error instanceof ProviderError) || !['refused', 'auth'].includes(error.kind)) throw error;
        outcomes.push({
          ...base,
          outcome: 'refused',
          ...(error.status ? { status: error.status } : {}),
          message: error.message.slice(0, 200),
        });
      }
    }
  }
  return { providers: outcomes };
}
