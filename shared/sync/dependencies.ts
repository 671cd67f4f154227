import type { Sql } from 'postgres';
import type { SyncObjectType } from '../domain/canonical.js';
import type { Clock } from '../ports/clock.js';
import type { ObjectStore } from '../ports/object-store.js';
import type { ProviderLookup } from '../ports/provider.js';
import type { Queue } from '../ports/queue.js';
import type { SecretStore } from '../ports/secrets.js';
import type { SyncOptions } from './options.js';

/** What one written page looked like (CLI progress, tests). No record content. */
export interface PageEvent {
  syncRunId: string;
  objectType: SyncObjectType;
  page: number;
  records: number;
  created: number;
  updated: number;
  deleted: number;
  failed: number;
  last: boolean;
}

export interface SyncHooks {
  /** After a page's transaction committed. A throw here behaves like a crash between pages. */
  afterPage?(event: PageEvent): void | Promise<void>;
  /** A wait imposed by the shared rate limiter. */
  onRateLimitWait?(ms: number): void;
}

export interface SyncDependencies {
  sql: Sql;
  objectStore: ObjectStore;
  /** Where continuation messages go; undefined in the foreground CLI (it never hands work over). */
  syncQueue: Queue | undefined;
  secrets: SecretStore;
  /** Production: shared/providers/registry.ts's `findProvider` (each adapter is imported on first use). */
  providers: ProviderLookup;
  clock: Clock;
  /** Waits of the rate limiter; tests move a fake clock instead of sleeping. */
  sleep: (ms: number) => Promise<void>;
  /** Passed to provider clients (tests, instrumentation); defaults to global fetch. */
  fetch?: typeof fetch;
  options: SyncOptions;
  hooks?: SyncHooks;
}

/** Lambda time left to this piece of work. */
export interface WorkBudget {
  remainingMs(): number;
}

export const unlimitedBudget: WorkBudget = { remainingMs: () => Number.POSITIVE_INFINITY };

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
