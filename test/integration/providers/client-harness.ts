/**
 * What the provider client tests share: building a client with per-test overrides, reading a whole pass page by
 * page, and catching the ProviderError.
 */
import type { SyncObjectType } from '../../../shared/domain/canonical.js';
import {
  type ListPage,
  type ProviderClient,
  type ProviderContext,
  ProviderError,
  type ProviderModule,
  type SyncCursor,
} from '../../../shared/ports/provider.js';

/** A test's changes to its default context: credentials replace, settings add to the defaults. */
export type ClientOverrides = Partial<Omit<ProviderContext, 'settings'>> & {
  settings?: Record<string, unknown>;
};

/** A client of `module` on the test's default context `base`, with `overrides` applied. */
export function clientWith(module: ProviderModule, base: ProviderContext, overrides: ClientOverrides = {}) {
  const { settings, ...rest } = overrides;
  return module.createClient({ ...base, ...rest, settings: { ...base.settings, ...settings } });
}

export interface PassOptions {
  mode?: 'full' | 'incremental';
  cursor?: SyncCursor | null;
  pageSize?: number;
  /** Runs after each page, before the next is asked for. */
  between?: () => void;
}

/** Every page of one pass; the cursor is the one the last page hands over. */
export async function readPass<T extends SyncObjectType>(
  client: ProviderClient,
  objectType: T,
  options: PassOptions = {},
) {
  const pages: ListPage<T>[] = [];
  let pageToken: string | null = null;
  do {
    const page: ListPage<T> = await client.listPage(objectType, {
      mode: options.mode ?? 'full',
      cursor: options.cursor ?? null,
      pageToken,
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    });
    pages.push(page);
    pageToken = page.nextPageToken;
    options.between?.();
  } while (pageToken);
  return {
    pages,
    records: pages.flatMap((p) => p.records),
    deleted: pages.flatMap((p) => p.deletedRemoteIds),
    cursor: pages.at(-1)?.nextCursor ?? null,
  };
}

/** The positional form the Greenhouse, Lever and Ashby tests use. */
export const drain = <T extends SyncObjectType>(
  client: ProviderClient,
  objectType: T,
  mode: 'full' | 'incremental' = 'full',
  cursor: SyncCursor | null = null,
  pageSize?: number,
) => readPass(client, objectType, { mode, cursor, ...(pageSize ? { pageSize } : {}) });

export async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

/** One page of a full pass: the first unless `pageToken` names another. */
export const fullPage = <T extends SyncObjectType>(
  client: ProviderClient,
  objectType: T,
  options: { pageToken?: string | null; pageSize?: number } = {},
) =>
  client.listPage(objectType, {
    mode: 'full',
    cursor: null,
    pageToken: options.pageToken ?? null,
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  });

/** The error of a full pass's second page asked for after `wait` (a page cursor left to expire). */
export async function followUpError(client: ProviderClient, objectType: SyncObjectType, wait: () => void) {
  const first = await fullPage(client, objectType, { pageSize: 10 });
  wait();
  return caught(fullPage(client, objectType, { pageToken: first.nextPageToken }));
}
