import type { SyncObjectType } from '../domain/canonical.js';
import type { ObjectStore } from '../ports/object-store.js';

/** `raw/<organizationId>/<integrationId>/<objectType>/<syncRunId>/<page>.json` (page counted from 1 per pass). */
export function rawPayloadKey(input: {
  organizationId: string;
  integrationId: string;
  objectType: SyncObjectType;
  syncRunId: string;
  page: number;
}): string {
  return `raw/${input.organizationId}/${input.integrationId}/${input.objectType}/${input.syncRunId}/${input.page}.json`;
}

/** Kept next to the normalised rows, written before the page's transaction (a retry overwrites the same key). */
export async function storeRawPage(store: ObjectStore, key: string, raw: readonly unknown[]): Promise<void> {
  await store.put(key, JSON.stringify(raw), { contentType: 'application/json' });
}
