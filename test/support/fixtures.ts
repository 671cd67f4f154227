import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import { buildJobStages } from '../../shared/domain/pipeline.js';

export interface TenantGraph {
  organizationId: string;
  jobId: string;
  stageIds: string[];
  candidateId: string;
  applicationId: string;
  integrationId: string;
  keys: { portal: string; ats: string; admin: string };
}

/**
 * One row in every tenant table for one organization, written as the owner. The isolation tests check that
 * this covers every table with an organization_id, so a new table must be added here to be tested.
 */
export async function seedTenantGraph(owner: Sql, name = 'Org'): Promise<TenantGraph> {
  const organizationId = randomUUID();
  const jobId = randomUUID();
  const candidateId = randomUUID();
  const applicationId = randomUUID();
  const integrationId = randomUUID();
  const syncRunId = randomUUID();
  const reasonId = randomUUID();
  const stages = buildJobStages(['Interview']);
  const stageIds = stages.map(() => randomUUID());
  await owner.begin(async (tx) => {
    await tx`insert into organizations (id, name) values (${organizationId}, ${name})`;
    await tx`insert into jobs (id, organization_id, title, employment_type) values (${jobId}, ${organizationId}, 'Engineer', 'full_time')`;
    for (const [i, s] of stages.entries()) {
      await tx`insert into job_stages (id, organization_id, job_id, name, position, kind, owner, fixed)
        values (${stageIds[i]!}, ${organizationId}, ${jobId}, ${s.name}, ${s.position}, ${s.kind}, ${s.owner}, ${s.fixed})`;
    }
    await tx`insert into candidates (id, organization_id, first_name, last_name, email)
      values (${candidateId}, ${organizationId}, 'Ada', 'Lovelace', ${`ada-${organizationId}@example.com`})`;
    await tx`insert into rejection_reasons (id, organization_id, name) values (${reasonId}, ${organizationId}, 'Not a fit')`;
    await tx`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
      values (${applicationId}, ${organizationId}, ${candidateId}, ${jobId}, ${stageIds[0]!}, 'portal')`;
    await tx`insert into application_stage_history (organization_id, application_id, to_stage_id, to_status, actor_role, source)
      values (${organizationId}, ${applicationId}, ${stageIds[0]!}, 'active', 'portal', 'portal')`;
    // the recruiting record (docs/ats-record.md)
    const [interview] = await tx<{ id: string }[]>`
      insert into interviews (organization_id, application_id, title, start_at, end_at, source)
      values (${organizationId}, ${applicationId}, 'Interview', now(), now() + interval '1 hour', 'hub') returning id`;
    await tx`insert into scorecards (organization_id, application_id, interview_id, interviewer_name, recommendation,
        submitted_at, source)
      values (${organizationId}, ${applicationId}, ${interview!.id}, 'Interviewer', 'yes', now(), 'hub')`;
    await tx`insert into offers (organization_id, application_id, status, source)
      values (${organizationId}, ${applicationId}, 'draft', 'hub')`;
    await tx`insert into notes (organization_id, candidate_id, application_id, body, visibility, source)
      values (${organizationId}, ${candidateId}, ${applicationId}, 'note', 'organization', 'hub')`;
    await tx`insert into candidate_attachments (organization_id, candidate_id, file_name, attachment_type, source)
      values (${organizationId}, ${candidateId}, 'cv.pdf', 'resume', 'hub')`;
    const [tag] = await tx<{ id: string }[]>`
      insert into tags (organization_id, name) values (${organizationId}, 'fixture') returning id`;
    await tx`insert into candidate_tags (organization_id, candidate_id, tag_id)
      values (${organizationId}, ${candidateId}, ${tag!.id})`;
    await tx`insert into candidate_documents (organization_id, candidate_id, application_id, s3_key, file_name, content_type, size_bytes)
      values (${organizationId}, ${candidateId}, ${applicationId}, ${`resumes/${organizationId}/${applicationId}/x`}, 'cv.pdf', 'application/pdf', 100)`;
    await tx`insert into idempotency_keys (organization_id, idempotency_key, request_hash, status_code, response)
      values (${organizationId}, 'k1', 'h', 201, '{}')`;
    await tx`insert into integrations (id, organization_id, provider, secret_ref)
      values (${integrationId}, ${organizationId}, 'greenhouse', 'hub/test')`;
    await tx`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
      values (${organizationId}, ${integrationId}, 'application', ${applicationId}, 'r1')`;
    await tx`insert into sync_cursors (organization_id, integration_id, object_type) values (${organizationId}, ${integrationId}, 'application')`;
    await tx`insert into sync_runs (id, organization_id, integration_id, mode) values (${syncRunId}, ${organizationId}, ${integrationId}, 'full')`;
    await tx`insert into import_log (organization_id, integration_id, sync_run_id, object_type, action)
      values (${organizationId}, ${integrationId}, ${syncRunId}, 'application', 'created')`;
    const [outbox] = await tx<
      { id: string }[]
    >`insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      values (${organizationId}, 'application', ${applicationId}, 'application.created', '{}') returning id::text`;
    await tx`insert into status_push_log (organization_id, integration_id, application_id, outbox_id)
      values (${organizationId}, ${integrationId}, ${applicationId}, ${outbox!.id})`;
    await tx`insert into record_pushes (organization_id, integration_id, outbox_id, kind, candidate_id)
      values (${organizationId}, ${integrationId}, ${outbox!.id}, 'tags', ${candidateId})`;
    await tx`insert into submission_pushes (organization_id, application_id, integration_id)
      values (${organizationId}, ${applicationId}, ${integrationId})`;
    await tx`insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256, payload)
      values (${organizationId}, ${integrationId}, 'd1', 'abc', '{}')`;
    await tx`insert into processed_messages (organization_id, consumer, message_key) values (${organizationId}, 'test', 'm1')`;
    await tx`insert into rate_limits (organization_id, integration_id, tokens, capacity, refill_per_second, refilled_at)
      values (${organizationId}, ${integrationId}, 1, 1, 1, now())`;
    await tx`insert into sync_seen (organization_id, integration_id, pass_id, object_type, page, remote_ids)
      values (${organizationId}, ${integrationId}, ${randomUUID()}, 'application', 1, ${['r1']}::text[])`;
    await tx`insert into analytics_exports (organization_id, period_from, period_to, status, s3_prefix)
      values (${organizationId}, '2026-01-01', '2026-01-31', 'succeeded', 'exports/x')`;
    // several parties (0017): a partnership with an agency of its own, and a message with its receipt
    const agencyId = randomUUID();
    const partnershipId = randomUUID();
    const messageId = randomUUID();
    await tx`insert into organizations (id, name, type) values (${agencyId}, ${`${name} agency`}, 'agency')`;
    await tx`insert into partnerships (id, organization_id, agency_organization_id)
      values (${partnershipId}, ${organizationId}, ${agencyId})`;
    await tx`insert into partnership_jobs (organization_id, partnership_id, job_id)
      values (${organizationId}, ${partnershipId}, ${jobId})`;
    await tx`insert into messages (id, organization_id, application_id, from_organization_id, body)
      values (${messageId}, ${organizationId}, ${applicationId}, ${organizationId}, 'fixture')`;
    await tx`insert into message_receipts (organization_id, message_id, recipient_organization_id)
      values (${organizationId}, ${messageId}, ${organizationId})`;
    // privacy (docs/privacy.md): retention settings, an erasure still queued, an indexed raw page
    await tx`insert into organization_privacy (organization_id) values (${organizationId})`;
    await tx`insert into erasures (organization_id, candidate_id, reason, propagate)
      values (${organizationId}, ${candidateId}, 'fixture', false)`;
    await tx`insert into raw_payload_pages (object_key, organization_id, integration_id, remote_ids)
      values (${`raw/${organizationId}/${integrationId}/application/${syncRunId}/1.json`}, ${organizationId},
        ${integrationId}, ${['r1']}::text[])`;
    // disabled, with a failed delivery: fixture rows never make the notifier send anything
    const [subscription] = await tx<
      { id: string }[]
    >`insert into subscriptions (organization_id, kind, url, event_types,
        secret_ref, enabled, disabled_reason)
      values (${organizationId}, 'webhook', 'https://hooks.example.com/hub', '{application.handoff}', 'webhooks/subscriptions/x',
        false, 'manual')
      returning id`;
    await tx`insert into notification_deliveries (organization_id, subscription_id, outbox_id, message_id, event_type,
        event_timestamp, body, status, last_error)
      values (${organizationId}, ${subscription!.id}, ${outbox!.id}, ${`msg_${outbox!.id}_fixture`}, 'application.handoff',
        now(), '{}', 'failed', 'fixture')`;
    await tx`insert into users (organization_id, email, name, role)
      values (${organizationId}, ${`user-${organizationId}@example.com`}, 'Fixture User', 'recruiter')`;
    const [connect] = await tx<{ id: string }[]>`
      insert into connect_sessions (organization_id, token_hash, redirect_url, expires_at)
      values (${organizationId}, encode(sha256(${organizationId}::text::bytea), 'hex'), 'http://127.0.0.1:3000/console',
        now() + interval '30 minutes')
      returning id`;
    await tx`insert into connect_oauth_states (organization_id, session_id, state_hash, provider, code_verifier, expires_at)
      values (${organizationId}, ${connect!.id}, encode(sha256(${`state-${organizationId}`}::bytea), 'hex'), 'lever',
        ${'v'.repeat(43)}, now() + interval '10 minutes')`;
  });
  const keys = {
    portal: (await insertApiKey(owner, { organizationId, role: 'portal', label: 'portal' })).key,
    ats: (await insertApiKey(owner, { organizationId, role: 'ats', label: 'ats' })).key,
    admin: (await insertApiKey(owner, { organizationId, role: 'admin', label: 'admin' })).key,
  };
  return { organizationId, jobId, stageIds, candidateId, applicationId, integrationId, keys };
}

/** Every table with an organization_id column, plus organizations itself, read from the catalog. */
export async function tenantTables(sql: Sql): Promise<string[]> {
  const rows = await sql<{ table_name: string }[]>`
    select c.relname as table_name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
      and (c.relname = 'organizations' or exists (
        select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped))
    order by 1`;
  return rows.map((r) => r.table_name);
}
