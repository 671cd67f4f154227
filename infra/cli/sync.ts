/**
 * Operator command: run one sync of one integration in the foreground, with the sync-worker's very engine.
 *
 *   npm run sync -- --integration <id> [--full] [--page-size N] [--s3] [--out-dir DIR]
 *
 * Database: `DATABASE_URL` (owner URL) is required; the engine runs as the runtime role hub_app (URL derived
 * with `appUrlFrom`, or `DATABASE_APP_URL`), so row-level security applies as in AWS.
 * Secrets: `SECRETS_FILE` (default `<LOCAL_DIR>/secrets.json`) through the local file store with prefix
 * `SECRETS_PREFIX` (default `hub`) when that file exists; otherwise Secrets Manager (on AWS).
 * Raw pages: to the bucket with `--s3` (or `S3_ENDPOINT` set), else as files under `--out-dir` (default
 * `<LOCAL_DIR>`). Nothing is handed to a queue: the run goes from first page to last in this process.
 *
 * Progress: one line (pages, records, created/updated/deleted/failed, rate-limit waits), then a summary.
 * Exit code: 0 succeeded, 2 partial (some records failed), 1 failed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { env } from '../../shared/config/env.js';
import { appUrlFrom, createDbClient } from '../../shared/db/client.js';
import { findIntegrationRoute, requestSync } from '../../shared/db/repositories/integrations.js';
import { readRun } from '../../shared/db/repositories/sync-runs.js';
import { withIntegrationRoute, withTenant } from '../../shared/db/tenant.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { ObjectStore } from '../../shared/ports/object-store.js';
import type { SecretStore } from '../../shared/ports/secrets.js';
import { findProvider } from '../../shared/providers/registry.js';
import { createObjectStore, createSecretStore } from '../../shared/runtime/aws-adapters.js';
import {
  type PageEvent,
  realSleep,
  type SyncDependencies,
  unlimitedBudget,
} from '../../shared/sync/dependencies.js';
import { syncOptions } from '../../shared/sync/options.js';
import { driveSync } from '../../shared/sync/run-driver.js';
import { FileSecretStore } from '../local/file-secrets.js';
import { DirectoryObjectStore } from './export.js';
import { runIfMain } from './run-main.js';

const USAGE = 'usage: npm run sync -- --integration <id> [--full] [--page-size N] [--s3] [--out-dir DIR]';

interface Progress {
  pages: number;
  records: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  waits: number;
  waitMs: number;
  object: string;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function progressLine(p: Progress): string {
  return (
    `${p.object.padEnd(11)} pages ${fmt(p.pages)} · records ${fmt(p.records)} · created ${fmt(p.created)} · ` +
    `updated ${fmt(p.updated)} · deleted ${fmt(p.deleted)} · failed ${fmt(p.failed)} · ` +
    `rate-limit waits ${fmt(p.waits)} (${(p.waitMs / 1000).toFixed(1)} s)`
  );
}

function secretStore(): SecretStore {
  const e = env();
  const file = e.SECRETS_FILE ?? join(e.LOCAL_DIR, 'secrets.json');
  if (existsSync(file))
    return new FileSecretStore({
      path: file,
      maxAgeSeconds: e.SECRETS_CACHE_SECONDS,
      prefix: e.SECRETS_PREFIX,
    });
  return createSecretStore(e);
}

function objectStore(useS3: boolean, outDir: string | undefined): ObjectStore {
  const e = env();
  if (useS3 || e.S3_ENDPOINT) return createObjectStore(e);
  return new DirectoryObjectStore(outDir ?? e.LOCAL_DIR);
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      integration: { type: 'string' },
      full: { type: 'boolean', default: false },
      'page-size': { type: 'string' },
      s3: { type: 'boolean', default: false },
      'out-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.integration) {
    console.error(USAGE);
    return values.help ? 0 : 1;
  }
  const e = env();
  if (!e.DATABASE_URL && !e.DATABASE_APP_URL) {
    console.error('DATABASE_URL (owner URL) must be set');
    return 1;
  }
  const pageSize = values['page-size'] ? Number(values['page-size']) : undefined;
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) {
    console.error('--page-size must be a positive integer');
    return 1;
  }
  const url = e.DATABASE_APP_URL ?? appUrlFrom(e.DATABASE_URL!, e.DATABASE_APP_USER, e.DATABASE_APP_PASSWORD);
  const sql = createDbClient({ url, max: 2, application: 'hub-sync-cli' });
  const integrationId = values.integration;
  try {
    const route = await withIntegrationRoute(sql, integrationId, (tx) =>
      findIntegrationRoute(tx, integrationId),
    ).catch(() => undefined);
    if (!route) {
      console.error(`no integration ${integrationId}`);
      return 1;
    }
    const mode = values.full ? 'full' : 'incremental';
    const started = await withTenant(sql, route.organization_id, 'worker', async (tx) => {
      const runId = await requestSync(tx, { integrationId, mode, requestedBy: 'cli' });
      const [row] = await tx<{ id: string }[]>`
        select id::text from outbox where event_type = 'sync.requested' and payload->>'syncRunId' = ${runId ?? null}`;
      return runId && row ? { runId, outboxId: row.id } : undefined;
    });
    if (!started) {
      console.error('the run could not be created');
      return 1;
    }
    const progress: Progress = {
      pages: 0,
      records: 0,
      created: 0,
      updated: 0,
      deleted: 0,
      failed: 0,
      waits: 0,
      waitMs: 0,
      object: '',
    };
    const tty = process.stdout.isTTY === true;
    const show = () => {
      if (tty) process.stdout.write(`\r${progressLine(progress)}`);
    };
    const deps: SyncDependencies = {
      sql,
      objectStore: objectStore(values.s3 === true, values['out-dir']),
      syncQueue: undefined,
      secrets: secretStore(),
      providers: findProvider,
      clock: systemClock,
      sleep: realSleep,
      options: syncOptions({ maxPagesPerInvocation: Number.POSITIVE_INFINITY, reserveMs: 0, pageSize }),
      hooks: {
        afterPage: (event: PageEvent) => {
          progress.object = event.objectType;
          progress.pages += 1;
          progress.records += event.records;
          progress.created += event.created;
          progress.updated += event.updated;
          progress.deleted += event.deleted;
          progress.failed += event.failed;
          if (tty) show();
          else console.log(progressLine(progress));
        },
        onRateLimitWait: (ms) => {
          progress.waits += 1;
          progress.waitMs += ms;
          show();
        },
      },
    };
    console.log(`${route.provider} ${mode} sync of integration ${integrationId} (run ${started.runId})`);
    const began = Date.now();
    const outcome = await driveSync(
      deps,
      { organizationId: route.organization_id, integrationId, syncRunId: started.runId, mode },
      { kind: 'start', outboxId: started.outboxId },
      unlimitedBudget,
    );
    if (tty) process.stdout.write('\n');
    const run = await withTenant(sql, route.organization_id, 'worker', (tx) => readRun(tx, started.runId));
    console.log(`\noutcome   ${outcome} in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    if (run) {
      console.log(`status    ${run.status}${run.error ? ` (${run.error})` : ''}`);
      console.log(`pages     ${fmt(run.pages_fetched)}`);
      console.log(
        `records   ${fmt(run.records_processed)} processed · ${fmt(run.records_created)} created · ${fmt(run.records_updated)} updated · ${fmt(run.records_deleted)} deleted · ${fmt(run.records_failed)} failed`,
      );
      console.log(
        `limits    ${fmt(run.rate_limit_waits)} rate-limit waits (${(Number(run.rate_limit_wait_ms) / 1000).toFixed(1)} s)`,
      );
    }
    if (run?.status === 'succeeded') return 0;
    return run?.status === 'partial' ? 2 : 1;
  } catch (error) {
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.error(`sync failed: ${(error as Error).name}: ${(error as Error).message}`);
    return 1;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

runIfMain(import.meta.url, main);
