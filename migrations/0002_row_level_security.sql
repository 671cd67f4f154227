-- Tenant isolation (docs/reliability.md §6): the runtime role hub_app owns nothing, is neither superuser nor
-- BYPASSRLS, and sees a row only when the transaction-local settings name its organization.

do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'hub_app') then
    create role hub_app login nosuperuser nobypassrls nocreatedb nocreaterole noinherit;
  end if;
  -- IAM database authentication in AWS (the role exists only on RDS/Aurora)
  if exists (select 1 from pg_roles where rolname = 'rds_iam') then
    execute 'grant rds_iam to hub_app';
  end if;
end
$$;

create function app_org() returns uuid
  language sql stable parallel safe
  as $$ select nullif(current_setting('app.organization_id', true), '')::uuid $$;

create function app_role() returns text
  language sql stable parallel safe
  as $$ select coalesce(nullif(current_setting('app.role', true), ''), 'none') $$;

create function app_integration() returns uuid
  language sql stable parallel safe
  as $$ select nullif(current_setting('app.integration_id', true), '')::uuid $$;

grant usage on schema public to hub_app;
grant select on organizations to hub_app;
grant select, insert, update, delete on
  api_keys, jobs, job_stages, candidates, rejection_reasons, applications, application_stage_history,
  candidate_documents, idempotency_keys, integrations, external_refs, sync_cursors, sync_runs, import_log,
  outbox, status_push_log, webhook_deliveries, processed_messages, analytics_exports
  to hub_app;

-- enable + force on every tenant table, a tenant policy for hub_app, and an allow-all policy for the
-- migrating owner (who could disable RLS anyway) so seeding works where the owner is not a superuser
do $$
declare
  t text;
begin
  foreach t in array array[
    'organizations', 'api_keys', 'jobs', 'job_stages', 'candidates', 'rejection_reasons', 'applications',
    'application_stage_history', 'candidate_documents', 'idempotency_keys', 'integrations', 'external_refs',
    'sync_cursors', 'sync_runs', 'import_log', 'outbox', 'status_push_log', 'webhook_deliveries',
    'processed_messages', 'analytics_exports'
  ] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy owner_all on %I to %I using (true) with check (true)', t, current_user);
  end loop;
end
$$;

create policy tenant_read on organizations for select to hub_app
  using (id = app_org() or app_role() = 'system');

-- keys: managed by admins; a presented key reveals exactly its own row (knowing the key is the capability)
create policy tenant_admin on api_keys to hub_app
  using (organization_id = app_org() and app_role() = 'admin')
  with check (organization_id = app_org() and app_role() = 'admin');
create policy key_lookup on api_keys for select to hub_app
  using (key_hash = current_setting('app.key_hash', true));

-- integrations: never visible to the portal; webhook intake resolves the one integration named in its URL
create policy tenant_staff on integrations to hub_app
  using (organization_id = app_org() and app_role() in ('ats', 'admin', 'worker'))
  with check (organization_id = app_org() and app_role() in ('ats', 'admin', 'worker'));
create policy webhook_route on integrations for select to hub_app
  using (id = app_integration());
create policy system_read on integrations for select to hub_app
  using (app_role() = 'system');
create policy system_touch on integrations for update to hub_app
  using (app_role() = 'system') with check (app_role() = 'system');

-- outbox relay runs across tenants from the scheduler
create policy system_relay on outbox to hub_app
  using (app_role() = 'system') with check (app_role() = 'system');

do $$
declare
  t text;
begin
  foreach t in array array[
    'jobs', 'job_stages', 'candidates', 'rejection_reasons', 'applications', 'application_stage_history',
    'candidate_documents', 'idempotency_keys', 'external_refs', 'sync_cursors', 'sync_runs', 'import_log',
    'outbox', 'status_push_log', 'webhook_deliveries', 'processed_messages', 'analytics_exports'
  ] loop
    execute format(
      'create policy tenant_isolation on %I to hub_app using (organization_id = app_org()) '
      'with check (organization_id = app_org())', t);
  end loop;
end
$$;
