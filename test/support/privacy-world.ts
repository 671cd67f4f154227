/**
 * The privacy tests' world: an embedded database with two seeded organizations, the candidate-privacy handler over
 * memory adapters, and a person who is everywhere the hub keeps people (rows, documents, raw pages, webhook and
 * notification bodies, the outbox), linked to a Greenhouse integration whose client counts anonymize calls.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { providerCredentialsSecret } from '../../shared/integrations/secret-names.js';
import { lookupIn, type ProviderModule } from '../../shared/ports/provider.js';
import type { ErasureDependencies } from '../../shared/privacy/erasure-run.js';
import { syncOptions } from '../../shared/sync/options.js';
import { createControllableClock } from '../fakes/common/controllable-clock.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { routeEvent } from './factories.js';
import { seedTenantGraph, type TenantGraph } from './fixtures.js';
import { type HttpHandler, invoke, loadHandler } from './handler-harness.js';
import { MemoryObjectStore } from './memory-object-store.js';
import { MemoryQueue } from './memory-queue.js';
import { MemorySecretStore } from './memory-secrets.js';

export interface Person {
  candidateId: string;
  applicationId: string;
  remoteCandidateId: string;
  documentKey: string;
  rawKey: string;
  markers: { firstName: string; lastName: string; email: string; phone: string; otherEmail: string };
}

/** A provider module whose client anonymizes by counting (the Greenhouse fake is the e2e's). */
export function countingProvider(outcome: () => Promise<{ action: 'anonymized' | 'not_found' }>) {
  const calls: string[] = [];
  const module = {
    name: 'greenhouse',
    createClient: () => ({
      provider: 'greenhouse',
      privacy: {
        anonymizeCandidate: async ({ candidateRemoteId }: { candidateRemoteId: string }) => {
          calls.push(candidateRemoteId);
          return outcome();
        },
      },
    }),
  } as unknown as ProviderModule;
  return { calls, module };
}

export function privacyWorld() {
  const w = {
    clock: createControllableClock(Date.UTC(2026, 5, 1, 12)),
    store: new MemoryObjectStore(),
    queue: new MemoryQueue(),
    secrets: new MemorySecretStore(),
  } as {
    db: TestDatabase;
    graph: TenantGraph;
    other: TenantGraph;
    clock: ReturnType<typeof createControllableClock>;
    store: MemoryObjectStore;
    queue: MemoryQueue;
    secrets: MemorySecretStore;
  };
  let handler: HttpHandler;
  beforeAll(async () => {
    w.db = await createTestDatabase();
    w.graph = await seedTenantGraph(w.db.owner);
    w.other = await seedTenantGraph(w.db.owner, 'Other');
    await w.secrets.put(providerCredentialsSecret(w.graph.integrationId), {
      clientId: 'x',
      clientSecret: 'y',
    });
    handler = await loadHandler('candidate-privacy', {
      sql: w.db.app,
      objectStore: w.store,
      queues: { privacy: w.queue },
      secrets: w.secrets,
      clock: w.clock,
    });
  });
  afterAll(async () => {
    await w.db?.close();
  });

  async function call(
    routeKey: string,
    key: string,
    input: { params?: Record<string, string>; body?: unknown } = {},
  ) {
    const event = routeEvent(routeKey, {
      ...(input.params ? { params: input.params } : {}),
      headers: {
        authorization: `Bearer ${key}`,
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(input.body === undefined ? {} : { body: input.body }),
    });
    return invoke(handler, event);
  }

  function workerDeps(providers: Record<string, ProviderModule> = {}): ErasureDependencies {
    return {
      sql: w.db.app,
      objectStore: w.store,
      syncQueue: undefined,
      secrets: w.secrets,
      providers: lookupIn(providers),
      clock: w.clock,
      sleep: async () => {},
      options: syncOptions(),
    };
  }

  /** A person with a unique name, everywhere the hub keeps people. */
  async function seedPerson(graph: TenantGraph = w.graph): Promise<Person> {
    const tag = randomUUID().slice(0, 8);
    const markers = {
      firstName: `Zebulon${tag}`,
      lastName: `Quarrington${tag}`,
      email: `zq-${tag}@example.com`,
      phone: `+44 7700 ${tag.slice(0, 6)}`,
      otherEmail: `zq-work-${tag}@example.org`,
    };
    const candidateId = randomUUID();
    const applicationId = randomUUID();
    const remoteCandidateId = String(900000 + Math.floor(Math.random() * 99999));
    const documentKey = `resumes/${graph.organizationId}/${applicationId}/${randomUUID()}`;
    const rawKey = `raw/${graph.organizationId}/${graph.integrationId}/candidate/${randomUUID()}/1.json`;
    const fullName = `${markers.firstName} ${markers.lastName}`;
    await w.db.owner.begin(async (tx) => {
      await tx`insert into candidates (id, organization_id, first_name, last_name, email, phone, emails, phones,
          company, title, source)
        values (${candidateId}, ${graph.organizationId}, ${markers.firstName}, ${markers.lastName}, ${markers.email},
          ${markers.phone}, ${tx.json([
            { value: markers.email, type: 'personal' },
            { value: markers.otherEmail, type: 'work' },
          ])},
          ${tx.json([{ value: markers.phone, type: 'mobile' }])}, 'Analytical Engines Ltd', 'Countess', 'greenhouse')`;
      await tx`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source, submitted_by)
        values (${applicationId}, ${graph.organizationId}, ${candidateId}, ${graph.jobId}, ${graph.stageIds[1]!},
          'greenhouse', ${markers.email})`;
      await tx`insert into application_stage_history (organization_id, application_id, to_stage_id, to_status,
          actor_role, source, note)
        values (${graph.organizationId}, ${applicationId}, ${graph.stageIds[1]!}, 'active', 'ats', 'hub',
          ${`shortlisted ${markers.firstName} after the call`})`;
      await tx`insert into notes (organization_id, candidate_id, application_id, body, visibility, source)
        values (${graph.organizationId}, ${candidateId}, ${applicationId}, ${`${fullName} was great`}, 'private', 'greenhouse')`;
      await tx`insert into interviews (organization_id, application_id, title, start_at, end_at, source)
        values (${graph.organizationId}, ${applicationId}, ${`Interview with ${fullName}`}, now(), now() + interval '1 hour', 'hub')`;
      await tx`insert into candidate_documents (organization_id, candidate_id, application_id, s3_key, file_name,
          content_type, size_bytes, scan_status)
        values (${graph.organizationId}, ${candidateId}, ${applicationId}, ${documentKey},
          ${`${markers.lastName}-cv.pdf`}, 'application/pdf', 100, 'clean')`;
      await tx`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
        values (${graph.organizationId}, ${graph.integrationId}, 'candidate', ${candidateId}, ${remoteCandidateId}),
          (${graph.organizationId}, ${graph.integrationId}, 'application', ${applicationId}, ${`app-${remoteCandidateId}`})`;
      await tx`insert into raw_payload_pages (object_key, organization_id, integration_id, remote_ids)
        values (${rawKey}, ${graph.organizationId}, ${graph.integrationId}, ${[remoteCandidateId, '1']}::text[])`;
      await tx`insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256, payload, status)
        values (${graph.organizationId}, ${graph.integrationId}, ${`d-${tag}`}, ${tag}, ${JSON.stringify({
          action: 'update_candidate',
          payload: {
            candidate: {
              id: Number(remoteCandidateId),
              first_name: markers.firstName,
              last_name: markers.lastName,
            },
          },
        })}, 'applied')`;
      const [outbox] = await tx<{ id: string }[]>`
        insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
        values (${graph.organizationId}, 'application', ${applicationId}, 'application.stage_changed',
          ${tx.json({ candidate: { name: fullName, email: markers.email } })}) returning id::text`;
      const [subscription] = await tx<{ id: string }[]>`
        select id from subscriptions where organization_id = ${graph.organizationId} limit 1`;
      await tx`insert into notification_deliveries (organization_id, subscription_id, outbox_id, message_id, event_type,
          event_timestamp, body, status, last_error)
        values (${graph.organizationId}, ${subscription!.id}, ${outbox!.id}, ${`msg_${outbox!.id}_p`}, 'application.stage_changed',
          now(), ${JSON.stringify({ text: `${fullName} moved` })}, 'failed', 'x')`;
    });
    await w.store.put(documentKey, 'first version');
    await w.store.put(documentKey, 'second version');
    // an older version (a retried page) and the current one
    await w.store.put(
      rawKey,
      JSON.stringify([{ id: Number(remoteCandidateId), first_name: markers.firstName }]),
    );
    await w.store.put(
      rawKey,
      JSON.stringify([
        { id: Number(remoteCandidateId), first_name: markers.firstName, emails: [markers.email] },
        { id: 1, first_name: 'Other', emails: ['other@example.com'] },
      ]),
    );
    return { candidateId, applicationId, remoteCandidateId, documentKey, rawKey, markers };
  }

  return { w, call, workerDeps, seedPerson };
}

export const personMarkers = (p: Person) => [
  p.markers.firstName,
  p.markers.lastName,
  p.markers.email,
  p.markers.phone,
  p.markers.otherEmail,
];
