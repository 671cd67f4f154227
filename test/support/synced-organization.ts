/** An e2e organization with admin and ats keys, connected to a provider and fully synced over HTTP. */
import { expect } from 'vitest';
import type { Sql } from '../../shared/db/client.js';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import { apiClient, pollUntil, type TestRuntime } from './local-runtime.js';

/** A new organization connected to the provider, fully synced over HTTP; its ats key and run outcome. */
export async function syncedOrganization(t: TestRuntime, owner: Sql, connection: Record<string, unknown>) {
  const [org] = await owner<
    { id: string }[]
  >`insert into organizations (name) values ('Record e2e') returning id`;
  const key = async (role: 'ats' | 'admin') =>
    (await insertApiKey(owner, { organizationId: org!.id, role, label: `e2e ${role}` })).key;
  const admin = apiClient(t.runtime.baseUrl, await key('admin'));
  const ats = apiClient(t.runtime.baseUrl, await key('ats'));
  const connected = await admin('POST', '/integrations', connection);
  expect(connected.status).toBe(201);
  const integrationId = connected.body.id as string;
  const requested = await admin('POST', `/integrations/${integrationId}/sync`, { mode: 'full' });
  const runId = requested.body.syncRunId as string;
  const run = await pollUntil(
    `sync run ${runId}`,
    async () => {
      const runs = await admin<{ items: { id: string; status: string; recordsFailed: number }[] }>(
        'GET',
        `/integrations/${integrationId}/runs`,
      );
      const found = runs.body.items.find((r) => r.id === runId);
      return found && ['succeeded', 'partial', 'failed'].includes(found.status) ? found : undefined;
    },
    { waitMs: 120_000, pollMs: 100 },
  );
  /** The hub's id of the object synced from this remote one. */
  const hubId = async (objectType: string, remoteId: string) => {
    const [ref] = await owner<{ local_id: string }[]>`
      select local_id from external_refs
      where integration_id = ${integrationId} and object_type = ${objectType} and remote_id = ${remoteId}`;
    return ref!.local_id;
  };
  const hubApplication = (remoteId: string) => hubId('application', remoteId);
  return { ats, admin, run, hubApplication, hubId };
}
