-- Sync engine state (shared/sync/): the persisted circuit breaker, the pass in progress per integration ×
-- object, the run lease that keeps one driver per run, the per-integration token bucket shared by every
-- Lambda environment, and the ids seen by a full pass (reconciliation marks the rest deleted only after a
-- complete pass).

-- circuit breaker per integration, visible to every environment (health/health_detail show it to people)
alter table integrations
  add column breaker_state text not null default 'closed' check (breaker_state in ('closed', 'open', 'half_open')),
  add column breaker_failures integer not null default 0 check (breaker_failures >= 0),
  add column breaker_opened_at timestamptz,
  add column breaker_open_until timestamptz;

-- the pass in progress for an integration × object: committed with the page it covers
alter table sync_cursors
  add column pass_id uuid,
  add column pass_run_id uuid,
  add column pass_mode text check (pass_mode in ('full', 'incremental')),
  add column page_token text,
  add column pages_done integer not null default 0 check (pages_done >= 0),
  add column pass_started_at timestamptz,
  add column pass_restarts integer not null default 0,
  add column last_completed_run_id uuid;

-- one driver per run: a lease token handed from one bounded piece to the next (continuation messages)
alter table sync_runs
  add column lease_token text,
  add column lease_until timestamptz,
  add column pages_fetched integer not null default 0,
  add column rate_limit_waits integer not null default 0,
  add column rate_limit_wait_ms bigint not null default 0;
create index sync_runs_active_idx on sync_runs (integration_id, lease_until) where status in ('queued', 'running');

-- the scheduler re-enqueues deliveries still unapplied, with a growing pause
alter table webhook_deliveries
  add column enqueue_count integer not null default 0,
  add column last_enqueued_at timestamptz;
create index webhook_deliveries_received_idx on webhook_deliveries (received_at) where status = 'received';

-- token bucket per integration; one statement reserves a token and returns how long to wait
create table rate_limits (
  organization_id uuid not null,
  integration_id uuid not null primary key,
  tokens double precision not null,
  capacity double precision not null check (capacity >= 1),
  refill_per_second double precision not null check (refill_per_second > 0),
  refilled_at timestamptz not null,
  blocked_until timestamptz,
  updated_at timestamptz not null default now(),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);

-- remote ids seen per page of a full pass (one row per page, so a re-processed page replaces itself)
create table sync_seen (
  organization_id uuid not null,
  integration_id uuid not null,
  pass_id uuid not null,
  object_type text not null check (object_type in ('job', 'candidate', 'application')),
  page integer not null check (page >= 1),
  remote_ids text[] not null,
  created_at timestamptz not null default now(),
  primary key (pass_id, object_type, page),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);
create index sync_seen_integration_idx on sync_seen (organization_id, integration_id);

grant select, insert, update, delete on rate_limits, sync_seen to hub_app;

do $$
declare
  t text;
begin
  foreach t in array array['rate_limits', 'sync_seen'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy owner_all on %I to %I using (true) with check (true)', t, current_user);
    execute format(
      'create policy tenant_isolation on %I to hub_app using (organization_id = app_org()) '
      'with check (organization_id = app_org())', t);
  end loop;
end
$$;

-- the scheduler's cross-tenant sweeps: stale runs (watchdog) and deliveries never applied
create policy system_read on sync_runs for select to hub_app using (app_role() = 'system');
create policy system_read on webhook_deliveries for select to hub_app using (app_role() = 'system');
create policy system_touch on webhook_deliveries for update to hub_app
  using (app_role() = 'system') with check (app_role() = 'system');

-- Planner statistics after a bulk import: a first full sync fills tables faster than autovacuum analyzes
-- them, and without statistics the planner may probe the wrong unique index for every row. The runtime role
-- owns no table and cannot ANALYZE, so this narrowly scoped definer function does it for the sync engine.
create function sync_refresh_stats(object_type text) returns void
  language plpgsql security definer set search_path = public
  as $$
begin
  if object_type = 'job' then
    analyze jobs;
    analyze job_stages;
  elsif object_type = 'candidate' then
    analyze candidates;
  elsif object_type = 'application' then
    analyze applications;
    analyze application_stage_history;
  end if;
  analyze external_refs;
end
$$;
revoke all on function sync_refresh_stats(text) from public;
grant execute on function sync_refresh_stats(text) to hub_app;

-- Candidate match by email for the sync engine. Under row-level security a predicate on lower(email) cannot
-- use candidates_org_email_idx (lower() is not leakproof, so it may not run before the policy), which makes
-- every lookup a scan of the organization's candidates. This definer function filters by the caller's own
-- organization (app_org()) and so returns exactly what the policy would show, through the index.
create function sync_candidates_by_email(emails text[]) returns table (id uuid, email_key text, deleted boolean)
  language sql stable security definer set search_path = public
  as $$
    select c.id, lower(c.email), c.deleted_at is not null from candidates c
    where c.organization_id = app_org() and lower(c.email) = any (array(select lower(e) from unnest(emails) as e))
  $$;
revoke all on function sync_candidates_by_email(text[]) from public;
grant execute on function sync_candidates_by_email(text[]) to hub_app;
