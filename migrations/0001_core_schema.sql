-- Core data model of the hub (docs/architecture.md, "Data model").
-- Every tenant row carries organization_id, and every foreign key between tenant tables includes it,
-- so a row can never point at another organization's row even if a policy were wrong.

create table organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create table api_keys (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  role text not null check (role in ('portal', 'ats', 'admin')),
  -- sha256 hex of the key; the key itself is shown once and never stored
  key_hash text not null unique check (key_hash ~ '^[0-9a-f]{64}$'),
  key_prefix text not null,
  label text not null default '',
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index api_keys_org_idx on api_keys (organization_id);

create table jobs (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  title text not null check (length(title) between 1 and 300),
  employment_type text not null
    check (employment_type in ('full_time', 'part_time', 'contract', 'temporary', 'intern', 'eor')),
  status text not null default 'open' check (status in ('draft', 'open', 'closed')),
  source text not null default 'hub',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_updated_at timestamptz,
  deleted_at timestamptz,
  unique (organization_id, id)
);
create index jobs_org_status_idx on jobs (organization_id, status, created_at desc) where deleted_at is null;

create table job_stages (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  job_id uuid not null,
  name text not null check (length(name) between 1 and 100),
  position integer not null check (position >= 0),
  kind text not null
    check (kind in ('screening', 'shortlist', 'client_endorsement', 'custom', 'offer', 'offer_accepted')),
  owner text not null check (owner in ('portal', 'ats')),
  fixed boolean not null,
  unique (organization_id, job_id, id),
  unique (job_id, position),
  foreign key (organization_id, job_id) references jobs (organization_id, id) on delete cascade
);
create unique index job_stages_name_idx on job_stages (job_id, lower(name));

create table candidates (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  first_name text not null,
  last_name text not null,
  email text not null check (position('@' in email) > 1),
  phone text,
  external_portal_id text,
  source text not null default 'portal',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_updated_at timestamptz,
  deleted_at timestamptz,
  unique (organization_id, id)
);
create unique index candidates_org_email_idx on candidates (organization_id, lower(email));

create table rejection_reasons (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null,
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);

create table applications (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  candidate_id uuid not null,
  job_id uuid not null,
  stage_id uuid not null,
  status text not null default 'active' check (status in ('active', 'rejected', 'withdrawn', 'hired')),
  source text not null
    check (source in ('portal', 'ats', 'greenhouse', 'lever', 'ashby', 'workday', 'bamboohr')),
  version integer not null default 1 check (version >= 1),
  external_portal_id text,
  submitted_by text,
  rejection_reason_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  stage_entered_at timestamptz not null default now(),
  -- newest provider timestamp applied; an older event never overwrites a newer state
  source_updated_at timestamptz,
  deleted_at timestamptz,
  unique (organization_id, id),
  unique (organization_id, candidate_id, job_id),
  foreign key (organization_id, candidate_id) references candidates (organization_id, id) on delete cascade,
  foreign key (organization_id, job_id) references jobs (organization_id, id) on delete cascade,
  -- the current stage must be a stage of this application's own job
  foreign key (organization_id, job_id, stage_id) references job_stages (organization_id, job_id, id),
  foreign key (organization_id, rejection_reason_id) references rejection_reasons (organization_id, id)
);
create index applications_job_idx on applications (organization_id, job_id, created_at desc, id desc)
  where deleted_at is null;
create index applications_job_stage_idx on applications (organization_id, job_id, stage_id, status)
  where deleted_at is null;
create index applications_candidate_idx on applications (organization_id, candidate_id);

create table application_stage_history (
  id bigint generated always as identity primary key,
  organization_id uuid not null,
  application_id uuid not null,
  from_stage_id uuid,
  to_stage_id uuid not null,
  from_status text,
  to_status text not null check (to_status in ('active', 'rejected', 'withdrawn', 'hired')),
  actor_role text not null check (actor_role in ('portal', 'ats', 'admin', 'provider', 'system')),
  actor text,
  source text not null,
  note text,
  occurred_at timestamptz not null default now(),
  recorded_at timestamptz not null default now(),
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade
);
create index stage_history_app_idx on application_stage_history (organization_id, application_id, id);

create table candidate_documents (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  candidate_id uuid not null,
  application_id uuid,
  s3_key text not null unique,
  document_type text not null default 'resume' check (document_type in ('resume', 'other')),
  file_name text not null,
  content_type text not null,
  size_bytes bigint not null check (size_bytes between 1 and 10485760),
  scan_status text not null default 'pending_upload'
    check (scan_status in ('pending_upload', 'uploaded', 'clean', 'infected', 'failed', 'rejected')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (organization_id, candidate_id) references candidates (organization_id, id) on delete cascade,
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade
);
create index candidate_documents_app_idx on candidate_documents (organization_id, application_id);

create table idempotency_keys (
  organization_id uuid not null references organizations (id) on delete cascade,
  idempotency_key text not null check (length(idempotency_key) between 1 and 200),
  request_hash text not null,
  status_code integer not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (organization_id, idempotency_key)
);

create table integrations (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  provider text not null check (provider in ('greenhouse', 'lever', 'ashby', 'workday', 'bamboohr')),
  enabled boolean not null default true,
  settings jsonb not null default '{}'::jsonb,
  secret_ref text not null,
  health text not null default 'healthy' check (health in ('healthy', 'degraded', 'unhealthy')),
  health_detail jsonb not null default '{}'::jsonb,
  sync_interval_seconds integer not null default 900 check (sync_interval_seconds >= 60),
  full_sync_interval_seconds integer not null default 604800 check (full_sync_interval_seconds >= 3600),
  last_incremental_enqueued_at timestamptz,
  last_full_enqueued_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id)
);
create index integrations_org_idx on integrations (organization_id);

create table external_refs (
  id bigint generated always as identity primary key,
  organization_id uuid not null,
  integration_id uuid not null,
  object_type text not null
    check (object_type in ('job', 'stage', 'candidate', 'application', 'rejection_reason', 'user')),
  local_id uuid not null,
  remote_id text not null,
  remote_updated_at timestamptz,
  created_at timestamptz not null default now(),
  unique (integration_id, object_type, remote_id),
  unique (integration_id, object_type, local_id),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);

create table sync_cursors (
  organization_id uuid not null,
  integration_id uuid not null,
  object_type text not null,
  cursor jsonb not null default '{}'::jsonb,
  updated_at timestamptz not null default now(),
  primary key (integration_id, object_type),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);

create table sync_runs (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  integration_id uuid not null,
  mode text not null check (mode in ('full', 'incremental')),
  status text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'partial', 'failed')),
  records_processed integer not null default 0,
  records_created integer not null default 0,
  records_updated integer not null default 0,
  records_deleted integer not null default 0,
  records_failed integer not null default 0,
  requested_by text not null default 'schedule',
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  unique (organization_id, id),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);
create index sync_runs_integration_idx on sync_runs (organization_id, integration_id, created_at desc);

create table import_log (
  id bigint generated always as identity primary key,
  organization_id uuid not null,
  integration_id uuid not null,
  sync_run_id uuid,
  object_type text not null,
  remote_id text,
  action text not null check (action in ('created', 'updated', 'deleted', 'skipped', 'failed')),
  message text,
  created_at timestamptz not null default now(),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade,
  foreign key (organization_id, sync_run_id) references sync_runs (organization_id, id) on delete cascade
);
create index import_log_run_idx on import_log (organization_id, sync_run_id);

create table outbox (
  id bigint generated always as identity primary key,
  organization_id uuid not null references organizations (id) on delete cascade,
  aggregate_type text not null,
  aggregate_id uuid not null,
  event_type text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  published_at timestamptz,
  publish_attempts integer not null default 0
);
create index outbox_pending_idx on outbox (id) where published_at is null;
create index outbox_org_idx on outbox (organization_id, id);

create table status_push_log (
  id bigint generated always as identity primary key,
  organization_id uuid not null,
  integration_id uuid not null,
  application_id uuid not null,
  outbox_id bigint not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'refused', 'failed', 'skipped')),
  attempts integer not null default 0,
  last_error text,
  remote_response jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- one push per change per integration, ever
  unique (integration_id, outbox_id),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade,
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade
);

create table webhook_deliveries (
  id bigint generated always as identity primary key,
  organization_id uuid not null,
  integration_id uuid not null,
  delivery_id text not null,
  body_sha256 text not null,
  event_type text,
  payload text not null,
  status text not null default 'received' check (status in ('received', 'applied', 'ignored', 'failed')),
  source_timestamp timestamptz,
  received_at timestamptz not null default now(),
  applied_at timestamptz,
  unique (integration_id, delivery_id),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);
create index webhook_deliveries_body_idx on webhook_deliveries (integration_id, body_sha256);

-- queue-consumer inbox: one row per applied message key, written in the effect's transaction
create table processed_messages (
  organization_id uuid not null references organizations (id) on delete cascade,
  consumer text not null,
  message_key text not null,
  processed_at timestamptz not null default now(),
  primary key (organization_id, consumer, message_key)
);

create table analytics_exports (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  period_from date not null,
  period_to date not null,
  status text not null check (status in ('succeeded', 'partial', 'failed')),
  s3_prefix text not null,
  objects jsonb not null default '[]'::jsonb,
  push_results jsonb not null default '[]'::jsonb,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, period_from, period_to),
  check (period_from <= period_to)
);
