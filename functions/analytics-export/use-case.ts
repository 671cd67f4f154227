/**
 * analytics-export: for each organization (or one), compute the funnel of the period in SQL, write
 * `funnel.json`, `funnel.csv` and `report.html` under `exports/<organizationId>/<YYYY-MM-DD>/`, push the
 * metrics to every enabled integration whose provider accepts them, then record the export (one row per
 * organization × period, upserted) together with its outbox event in one transaction.
 *
 * Idempotent per organization × period: a re-run overwrites the same three keys and updates the same row.
 * Depends on ports only; the handler and the operator CLI build the adapters.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import {
  type ExportIntegration,
  type ExportObject,
  type ExportOrganization,
  type ExportRecord,
  type ExportStatus,
  listOrganizations,
  loadEnabledIntegrations,
  type PushResult,
  recordExport,
} from '../../shared/analytics/export-repository.js';
import { computeFunnel } from '../../shared/analytics/funnel.js';
import type { FunnelResponse } from '../../shared/analytics/funnel-schema.js';
import {
  DEFAULT_WINDOW_DAYS,
  type ExportPeriod,
  exportPrefix,
  periodLabel,
  resolveExportPeriod,
} from '../../shared/analytics/period.js';
import { renderFunnelCsv } from '../../shared/analytics/render-csv.js';
import { renderFunnelHtml } from '../../shared/analytics/render-html.js';
import type { Sql } from '../../shared/db/client.js';
import { withTenant } from '../../shared/db/tenant.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { Clock } from '../../shared/ports/clock.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import { ProviderError, type ProviderModule } from '../../shared/ports/provider.js';
import type { SecretStore } from '../../shared/ports/secrets.js';
import type { ProviderName } from '../../shared/providers/registry.js';

/** The EventBridge Scheduler input (topology: `{task: 'daily-export'}`), also what the CLI builds. */
export const analyticsExportEvent = z
  .object({
    task: z.literal('daily-export'),
    /** Only this organization; all organizations when absent. */
    organizationId: z.uuid().optional(),
    /** Inclusive UTC dates; see shared/analytics/period.ts for the defaults. */
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .refine((e) => !e.from || !e.to || e.from <= e.to, { message: 'from must not be after to', path: ['to'] });

export type AnalyticsExportInput = z.infer<typeof analyticsExportEvent>;
/** The schedule's input, or the same without `task` (the CLI and tests). */
export type AnalyticsExportRequest = Omit<AnalyticsExportInput, 'task'> & { task?: 'daily-export' };

/** Structured log sink (the Powertools logger fits). Callers pass ids, counts and codes only. */
export interface ExportLog {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface AnalyticsExportDeps {
  sql: Sql;
  objects: ObjectStore;
  secrets: SecretStore;
  /** Provider module by name (shared/providers/registry.ts in production, fakes in tests). */
  providerModule: (name: ProviderName) => ProviderModule | undefined;
  clock: Clock;
  log?: ExportLog;
  /** Handed to provider clients (tests, fakes). */
  fetch?: typeof fetch;
  /** Length of the default period, in days (30). */
  windowDays?: number;
  /** Upper bound on one provider push (30 s). */
  pushTimeoutMs?: number;
  /** Organizations exported at the same time (4); database work still shares the client's pool. */
  concurrency?: number;
  /**
   * Settings that make an integration accept analytics although its provider module does not declare
   * `capabilities.analyticsPush`: Workday has no standard analytics API, its client pushes to the tenant's
   * `settings.analyticsEndpoint` when one is configured (and reports the capability on the client).
   */
  pushEnablingSettings?: Partial<Record<ProviderName, string[]>>;
}

export const DEFAULT_PUSH_ENABLING_SETTINGS: Partial<Record<ProviderName, string[]>> = {
  workday: ['analyticsEndpoint'],
};

export interface OrganizationExportResult {
  organizationId: string;
  status: ExportStatus;
  exportId: string | null;
  prefix: string;
  objects: string[];
  pushes: PushResult[];
  error: string | null;
}

export interface AnalyticsExportSummary {
  periodFrom: string;
  periodTo: string;
  organizations: OrganizationExportResult[];
  counts: Record<ExportStatus, number>;
}

/** Thrown after every organization has been tried when at least one export failed (the run is retried). */
export class AnalyticsExportIncompleteError extends Error {
  constructor(readonly summary: AnalyticsExportSummary) {
    super(
      `analytics export failed for ${summary.counts.failed} of ${summary.organizations.length} organizations`,
    );
    this.name = 'AnalyticsExportIncompleteError';
  }
}

const silent: ExportLog = { info() {}, warn() {}, error() {} };

/** Name, code and a bounded message: never a driver's `detail` (which can quote row values) or a payload. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  const text = `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
  return text.length > 300 ? `${text.slice(0, 299)}\u2026` : text;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderError(`no answer within ${ms} ms`, 'transient')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sha256 = (body: string) => createHash('sha256').update(body).digest('hex');

/** The export's steps, sharing the dependencies and the options resolved from them. */
function analyticsExport(deps: AnalyticsExportDeps) {
  const log = deps.log ?? silent;
  const windowDays = deps.windowDays ?? DEFAULT_WINDOW_DAYS;
  const pushTimeoutMs = deps.pushTimeoutMs ?? 30_000;
  const concurrency = Math.max(1, deps.concurrency ?? 4);
  const enablingSettings = deps.pushEnablingSettings ?? DEFAULT_PUSH_ENABLING_SETTINGS;

  /** Module-level capability, or the provider's enabling settings all present on this integration. */
  function acceptsAnalytics(integration: ExportIntegration, module: ProviderModule): boolean {
    if (module.capabilities.analyticsPush) return true;
    const names = enablingSettings[integration.provider] ?? [];
    return (
      names.length > 0 &&
      names.every((name) => {
        const value = integration.settings[name];
        return value !== undefined && value !== null && value !== '';
      })
    );
  }

  async function pushOne(
    integration: ExportIntegration,
    module: ProviderModule,
    funnel: FunnelResponse,
    period: ExportPeriod,
    organizationId: string,
  ): Promise<PushResult> {
    const base = { integrationId: integration.id, provider: integration.provider };
    const attemptedAt = deps.clock.now().toISOString();
    const failed = (reason: string, message: string): PushResult => ({
      ...base,
      status: 'failed',
      reason,
      message: message.length > 300 ? `${message.slice(0, 299)}\u2026` : message,
      attemptedAt,
    });
    try {
      const credentials = await deps.secrets.get(integration.secretRef);
      if (!credentials) return failed('credentials_missing', 'no credentials in the secrets store');
      const client = module.createClient({
        integrationId: integration.id,
        credentials,
        settings: integration.settings,
        clock: deps.clock,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
      if (!client.capabilities.analyticsPush || !client.pushAnalytics) {
        return failed('unsupported', 'the provider client does not accept analytics');
      }
      const result = await withTimeout(
        client.pushAnalytics({
          organizationId,
          periodFrom: period.from,
          periodTo: period.to,
          metrics: funnel,
        }),
        pushTimeoutMs,
      );
      if (result.ok) return { ...base, status: 'succeeded', attemptedAt };
      return failed(result.kind, result.message);
    } catch (error) {
      return failed(error instanceof ProviderError ? error.kind : 'error', describeError(error));
    }
  }

  async function pushAll(
    organizationId: string,
    integrations: ExportIntegration[],
    funnel: FunnelResponse,
    period: ExportPeriod,
  ): Promise<PushResult[]> {
    const results: PushResult[] = [];
    for (const integration of integrations) {
      const module = deps.providerModule(integration.provider);
      if (!module || !acceptsAnalytics(integration, module)) continue;
      results.push(await pushOne(integration, module, funnel, period, organizationId));
    }
    return results;
  }

  async function exportOrganization(
    organization: ExportOrganization,
    period: ExportPeriod,
  ): Promise<OrganizationExportResult> {
    const organizationId = organization.id;
    const prefix = exportPrefix(organizationId, period, windowDays);
    const objects: ExportObject[] = [];
    let pushResults: PushResult[] = [];
    let error: string | null = null;
    try {
      const now = deps.clock.now();
      // both statements pipelined in one transaction: one consistent snapshot, one round trip
      const [funnel, integrations] = await withTenant(deps.sql, organizationId, 'worker', (tx) =>
        Promise.all([
          computeFunnel(
            tx,
            { organizationId, from: period.start, to: period.endExclusive, portalOnly: false },
            now,
          ),
          loadEnabledIntegrations(tx, organizationId),
        ]),
      );
      const files = [
        {
          name: 'funnel.json',
          contentType: 'application/json',
          body: `${JSON.stringify(funnel, null, 2)}\n`,
        },
        { name: 'funnel.csv', contentType: 'text/csv; charset=utf-8', body: renderFunnelCsv(funnel) },
        {
          name: 'report.html',
          contentType: 'text/html; charset=utf-8',
          body: renderFunnelHtml(funnel, {
            organizationName: organization.name,
            periodLabel: periodLabel(period),
          }),
        },
      ];
      for (const file of files) {
        const key = `${prefix}${file.name}`;
        await deps.objects.put(key, file.body, {
          contentType: file.contentType,
          metadata: { 'organization-id': organizationId, 'period-from': period.from, 'period-to': period.to },
        });
        objects.push({
          key,
          contentType: file.contentType,
          bytes: Buffer.byteLength(file.body),
          sha256: sha256(file.body),
        });
      }
      pushResults = await pushAll(organizationId, integrations, funnel, period);
    } catch (caught) {
      error = describeError(caught);
    }
    const status: ExportStatus = error
      ? 'failed'
      : pushResults.some((p) => p.status === 'failed')
        ? 'partial'
        : 'succeeded';
    const record: ExportRecord = {
      organizationId,
      periodFrom: period.from,
      periodTo: period.to,
      status,
      prefix,
      objects,
      pushResults,
      error,
    };
    const result: OrganizationExportResult = {
      organizationId,
      status,
      exportId: null,
      prefix,
      objects: objects.map((o) => o.key),
      pushes: pushResults,
      error,
    };
    try {
      const saved = await withTenant(deps.sql, organizationId, 'worker', (tx) => recordExport(tx, record));
      result.exportId = saved.exportId;
    } catch (caught) {
      // the export is not recorded: report it failed (the run is retried; every step is idempotent)
      result.status = 'failed';
      result.error = `not recorded: ${describeError(caught)}`;
      if (status !== 'failed') {
        try {
          const saved = await withTenant(deps.sql, organizationId, 'worker', (tx) =>
            recordExport(tx, { ...record, status: 'failed', error: result.error }),
          );
          result.exportId = saved.exportId;
        } catch {
          // nothing more to do here; logged below
        }
      }
    }
    const attributes = {
      organizationId,
      periodFrom: period.from,
      periodTo: period.to,
      status: result.status,
      objects: objects.length,
      pushesFailed: pushResults.filter((p) => p.status === 'failed').length,
      pushesSucceeded: pushResults.filter((p) => p.status === 'succeeded').length,
    };
    if (result.status === 'failed')
      log.error('analytics export failed', { ...attributes, error: result.error });
    else if (result.status === 'partial') log.warn('analytics export partial', attributes);
    else log.info('analytics export written', attributes);
    return result;
  }

  async function run(input: AnalyticsExportRequest): Promise<AnalyticsExportSummary> {
    const period = resolveExportPeriod(input, deps.clock.now(), windowDays);
    const organizations = await listOrganizations(deps.sql, input.organizationId);
    if (input.organizationId && organizations.length === 0)
      throw new DomainError('NOT_FOUND', 'organization not found');
    const results: OrganizationExportResult[] = new Array(organizations.length);
    let next = 0;
    const worker = async () => {
      while (next < organizations.length) {
        const index = next++;
        results[index] = await exportOrganization(organizations[index]!, period);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, organizations.length) }, worker));
    const counts: Record<ExportStatus, number> = { succeeded: 0, partial: 0, failed: 0 };
    for (const r of results) counts[r.status] += 1;
    const summary: AnalyticsExportSummary = {
      periodFrom: period.from,
      periodTo: period.to,
      organizations: results,
      counts,
    };
    log.info('analytics export run finished', { periodFrom: period.from, periodTo: period.to, ...counts });
    if (counts.failed > 0) throw new AnalyticsExportIncompleteError(summary);
    return summary;
  }

  return { run };
}

/** Exports the period for every organization (or the one named); throws when any of them failed. */
export function runAnalyticsExport(
  deps: AnalyticsExportDeps,
  input: AnalyticsExportRequest,
): Promise<AnalyticsExportSummary> {
  return analyticsExport(deps).run(input);
}
