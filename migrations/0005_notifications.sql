-- Notifications: outbound endpoints per organization (signed Standard Webhooks, Slack, Teams) and the
-- delivery log, one row per subscription × outbox event with its retry state (docs/providers.md §7).

create table subscriptions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  kind text not null check (kind in ('webhook', 'slack', 'teams')),
  url text not null check (length(url) between 10 and 2000 and url ~ '^https?://'),
  event_types text[] not null check (cardinality(event_types) between 1 and 50),
  include_candidate_names boolean not null default false,
  -- name in the secrets store of the Standard Webhooks signing secret (webhooks only)
  secret_ref text check (length(secret_ref) between 1 and 300),
  enabled boolean not null default true,
  disabled_reason text check (disabled_reason in ('endpoint_gone', 'manual')),
  disabled_at timestamptz,
  created_by text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organization_id, id),
  check ((kind = 'webhook') = (secret_ref is not null)),
  check (enabled = (disabled_reason is null))
);
create index subscriptions_org_idx on subscriptions (organization_id, created_at, id);

create table notification_deliveries (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  subscription_id uuid not null,
  outbox_id bigint not null,
  -- the webhook-id: the same on every retry and manual replay
  message_id text not null check (message_id ~ '^msg_[A-Za-z0-9_]{1,96}$'),
  event_type text not null check (length(event_type) between 1 and 100),
  event_timestamp timestamptz not null,
  -- the exact bytes signed and sent (Standard Webhooks envelope), at most 20 kB
  body text not null check (octet_length(body) <= 20480),
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  -- attempts made before the last manual replay; the retry schedule restarts from there
  schedule_offset integer not null default 0 check (schedule_offset between 0 and attempts),
  last_status_code integer check (last_status_code between 100 and 599),
  last_error text check (length(last_error) <= 500),
  last_attempt_at timestamptz,
  next_attempt_at timestamptz,
  -- an attempt in flight owns the row until then (a crashed attempt is taken over afterwards)
  locked_until timestamptz,
  -- a delayed queue message is on its way to wake the notifier for this row at about this time
  wake_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- one delivery per event per subscription, ever: a redelivered queue message never fans out twice
  unique (subscription_id, outbox_id),
  unique (organization_id, id),
  check ((status = 'pending') = (next_attempt_at is not null)),
  check ((status = 'delivered') = (delivered_at is not null)),
  foreign key (organization_id, subscription_id) references subscriptions (organization_id, id) on delete cascade
);
-- GET /subscriptions/{id}/deliveries: newest first, keyset pagination
create index notification_deliveries_log_idx
  on notification_deliveries (organization_id, subscription_id, created_at desc, id desc);
-- the notifier: deliveries of one outbox event
create index notification_deliveries_outbox_idx on notification_deliveries (organization_id, outbox_id);
-- the sweep: overdue pending deliveries across tenants
create index notification_deliveries_due_idx on notification_deliveries (next_attempt_at) where status = 'pending';

grant select, insert, update, delete on subscriptions, notification_deliveries to hub_app;

do $$
declare
  t text;
begin
  foreach t in array array['subscriptions', 'notification_deliveries'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy owner_all on %I to %I using (true) with check (true)', t, current_user);
    -- admins manage subscriptions and read the log; the notifier (worker) delivers; nobody else sees them
    execute format(
      'create policy tenant_isolation on %I to hub_app '
      'using (organization_id = app_org() and app_role() in (''admin'', ''worker'')) '
      'with check (organization_id = app_org() and app_role() in (''admin'', ''worker''))', t);
  end loop;
end
$$;

-- the sweep (called by the scheduler) finds overdue deliveries across tenants and stamps wake_at
create policy system_sweep on notification_deliveries for select to hub_app
  using (app_role() = 'system');
create policy system_sweep_touch on notification_deliveries for update to hub_app
  using (app_role() = 'system') with check (app_role() = 'system');
