/**
 * A stub system of record for the status push (shared/sync/status-push.ts), plugged in as the provider module
 * of an integration: it keeps each application's current stage, counts the writes that changed it, and can
 * enforce a Greenhouse-style `from_stage_id` guard (a move whose from-stage is not the current stage is
 * refused, reporting the stage it found, as the clients' read-first guards do) or apply every write blindly (no provider-side guard). `onWrite` runs after a write took effect and
 * before the answer, so a test can make the caller time out or hang after the remote side changed.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import * as z from 'zod';
import { recordDelivery } from '../../shared/db/repositories/webhook-deliveries.js';
import { withTenant } from '../../shared/db/tenant.js';
import { providerCredentialsSecret } from '../../shared/integrations/secret-names.js';
import type { Clock } from '../../shared/ports/clock.js';
import {
  lookupIn,
  type ProviderModule,
  type StageWrite,
  type WriteResult,
} from '../../shared/ports/provider.js';
import type { SecretStore } from '../../shared/ports/secrets.js';
import { syncOptions } from '../../shared/sync/options.js';
import { MemoryObjectStore } from './memory-object-store.js';

export interface StubAts {
  module: ProviderModule;
  /** Current remote stage per application remote id. */
  stages: Map<string, string>;
  /** Writes that changed the remote state, per application remote id. */
  writes: Map<string, number>;
  /** Write calls received (effective or refused). */
  calls: number;
  refused: number;
  guard: boolean;
  onWrite: ((write: StageWrite) => Promise<void>) | undefined;
}

export function stubAts(options: { guard: boolean; name?: 'greenhouse' | 'lever' }): StubAts {
  const ats: StubAts = {
    stages: new Map(),
    writes: new Map(),
    calls: 0,
    refused: 0,
    guard: options.guard,
    onWrite: undefined,
    module: undefined as unknown as ProviderModule,
  };
  const move = async (write: StageWrite): Promise<WriteResult> => {
    ats.calls++;
    const current = ats.stages.get(write.applicationRemoteId) ?? null;
    if (
      ats.guard &&
      write.fromStageRemoteId !== null &&
      current !== null &&
      write.fromStageRemoteId !== current
    ) {
      ats.refused++;
      return {
        ok: false,
        kind: 'refused',
        message: 'from_stage_id is not the current stage',
        status: 422,
        currentStageRemoteId: current,
      };
    }
    ats.stages.set(write.applicationRemoteId, write.toStageRemoteId);
    ats.writes.set(write.applicationRemoteId, (ats.writes.get(write.applicationRemoteId) ?? 0) + 1);
    if (ats.onWrite) await ats.onWrite(write);
    return { ok: true, detail: { moved: true } };
  };
  const capabilities = {
    objects: ['job', 'candidate', 'application'] as const,
    incremental: true,
    deletedRecords: false,
    webhooks: false,
    moveStage: true,
    reject: true,
    hire: true,
    analyticsPush: false,
    maxPageSize: 100,
  };
  ats.module = {
    name: options.name ?? 'greenhouse',
    capabilities: { ...capabilities, objects: [...capabilities.objects] },
    credentialsSchema: z.record(z.string(), z.unknown()),
    hubGeneratesWebhookSecret: false,
    createClient: () => ({
      provider: options.name ?? 'greenhouse',
      capabilities: { ...capabilities, objects: [...capabilities.objects] },
      listPage: async () => ({
        records: [],
        raw: [],
        deletedRemoteIds: [],
        nextPageToken: null,
        nextCursor: null,
      }),
      moveStage: move,
      reject: async () => ({ ok: true }),
      hire: async () => ({ ok: true }),
    }),
  };
  return ats;
}

/**
 * The sync worker's dependencies with the stub as the integration's provider: no queues, no sleeping, and one
 * attempt per provider call, so a failure shows at once.
 */
export function stubAtsWorkerDeps(
  sql: Sql,
  ats: StubAts,
  secrets: SecretStore,
  clock: Clock = { now: () => new Date() },
) {
  return {
    sql,
    objectStore: new MemoryObjectStore(),
    syncQueue: undefined,
    queues: { sync: undefined, notify: undefined },
    secrets,
    providers: lookupIn({ [ats.module.name]: ats.module }),
    clock,
    sleep: async () => {},
    options: syncOptions({ retry: { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1 } }),
  };
}

/**
 * Applications of the organization linked to the integration (external refs for the applications and every
 * stage of the job), the integration's credentials in `secrets`; the stub knows each application's stage.
 */
export async function linkApplications(
  owner: Sql,
  secrets: SecretStore,
  ats: StubAts,
  input: {
    organizationId: string;
    integrationId: string;
    jobId: string;
    stageIds: string[];
    count: number;
    stageIndex: number;
  },
): Promise<{ applicationId: string; remoteId: string }[]> {
  await secrets.put(providerCredentialsSecret(input.integrationId), { token: 'stub' });
  for (const [i, stageId] of input.stageIds.entries()) {
    await owner`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
      values (${input.organizationId}, ${input.integrationId}, 'stage', ${stageId}, ${`stage-${i}`})
      on conflict do nothing`;
  }
  const out: { applicationId: string; remoteId: string }[] = [];
  for (let i = 0; i < input.count; i++) {
    const applicationId = randomUUID();
    const candidateId = randomUUID();
    const remoteId = `remote-${applicationId.slice(0, 8)}`;
    await owner`insert into candidates (id, organization_id, first_name, last_name, email)
      values (${candidateId}, ${input.organizationId}, 'Stub', 'Ats', ${`stub-${applicationId}@example.com`})`;
    await owner`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
      values (${applicationId}, ${input.organizationId}, ${candidateId}, ${input.jobId}, ${input.stageIds[input.stageIndex]!}, 'portal')`;
    await owner`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
      values (${input.organizationId}, ${input.integrationId}, 'application', ${applicationId}, ${remoteId})`;
    ats.stages.set(remoteId, `stage-${input.stageIndex}`);
    out.push({ applicationId, remoteId });
  }
  return out;
}

/** A Greenhouse `candidate_stage_change` body for a linked application (remote ids as linkApplications made them). */
export function greenhouseStageChange(
  remoteId: string,
  stageIndex: number,
  stageName: string,
  at: Date,
): string {
  return JSON.stringify({
    action: 'candidate_stage_change',
    payload: {
      application: {
        id: remoteId,
        status: 'active',
        current_stage: { id: `stage-${stageIndex}`, name: stageName },
        last_activity_at: at.toISOString(),
      },
    },
  });
}

/** What webhook-intake records for a verified delivery: the inbox row; returns its id (undefined: duplicate). */
export async function recordWebhook(
  app: Sql,
  input: {
    organizationId: string;
    integrationId: string;
    deliveryId: string;
    body: string;
    sourceTimestamp?: Date | null;
  },
): Promise<string | undefined> {
  return withTenant(app, input.organizationId, 'worker', (tx) =>
    recordDelivery(tx, {
      organizationId: input.organizationId,
      integrationId: input.integrationId,
      deliveryId: input.deliveryId,
      bodySha256: createHash('sha256').update(input.body).digest('hex'),
      eventType: 'candidate_stage_change',
      payload: input.body,
      sourceTimestamp: input.sourceTimestamp ?? null,
    }),
  );
}
