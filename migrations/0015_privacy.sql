-- Privacy (docs/privacy.md): erasure of a candidate everywhere, per-organization retention, and the index of which raw
-- provider pages hold whom. Every table carries organization_id, every foreign key includes it, and row-level security
-- is forced like on every tenant table.

-- One row per organization: its retention settings (days; null keeps the data as long as the bucket's lifecycle
-- does) and the secret salt of its erased-email hashes. The salt never leaves the database: the hashes are computed
-- by privacy_email_hashes() below, so no caller ever reads it.
create table organization_privacy (
  organization_id uuid primary key references organizations (id) on delete cascade,
  -- 244 random bits from gen_random_uuid() (pg_strong_random), per organization: a hash of one organization's
  -- erasure matches nothing in another, and no table computed in advance applies
  email_salt text not null default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
  raw_payload_days integer check (raw_payload_days between 1 and 3650),
  rejected_document_days integer check (rejected_document_days between 1 and 3650),
  notification_body_days integer check (notification_body_days between 1 and 3650),
  analytics_export_days integer check (analytics_export_days between 1 and 3650),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- The erasure record: who asked, when, why, what was done (steps), and irreversible hashes of the person's emails
-- so that a later import or portal submission of the same person is recognised and flagged. No name, email or
-- phone is ever stored here.
create table erasures (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  candidate_id uuid not null,
  requested_by_key_id uuid,
  reason text not null check (length(reason) between 1 and 1000),
  propagate boolean not null,
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  -- [{"name", "state": "done"|"failed"|"skipped", "detail": {...}}], in the order the steps ran
  steps jsonb not null default '[]'::jsonb check (jsonb_typeof(steps) = 'array'),
  email_hashes text[] not null default '{}',
  attempts integer not null default 0 check (attempts >= 0),
  -- the delivery working on it (a duplicate delivery leaves it alone until the lease runs out)
  lease_token uuid,
  lease_until timestamptz,
  -- a later sync or portal submission that named the erased person again
  reappearances integer not null default 0 check (reappearances >= 0),
  last_reappeared_at timestamptz,
  requested_at timestamptz not null default now(),
  completed_at timestamptz,
  check ((state = 'done') = (completed_at is not null)),
  unique (organization_id, id),
  -- one erasure per candidate, ever: a repeated request answers the first one
  unique (organization_id, candidate_id),
  foreign key (organization_id, candidate_id) references candidates (organization_id, id) on delete cascade
);
create index erasures_email_hashes_idx on erasures using gin (email_hashes);
create index erasures_pending_idx on erasures (requested_at) where state in ('queued', 'running');

-- Which raw provider pages (raw/<org>/<integration>/<object>/<run>/<page>.json) name which remote candidates: an
-- erasure rewrites exactly those pages, and the retention sweep finds old pages without listing the bucket.
create table raw_payload_pages (
  object_key text primary key,
  organization_id uuid not null,
  integration_id uuid not null,
  -- remote ids of the candidates and applications the page names
  remote_ids text[] not null,
  stored_at timestamptz not null default now(),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);
create index raw_payload_pages_people_idx on raw_payload_pages using gin (remote_ids);
create index raw_payload_pages_age_idx on raw_payload_pages (organization_id, stored_at);

grant select, insert, update, delete on organization_privacy, erasures, raw_payload_pages to hub_app;

do $$
declare
  t text;
begin
  foreach t in array array['organization_privacy', 'erasures', 'raw_payload_pages'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy owner_all on %I to %I using (true) with check (true)', t, current_user);
    -- admins request erasures and set retention; the workers (sync, erasure, sweep) apply them
    execute format(
      'create policy tenant_privacy on %I to hub_app '
      'using (organization_id = app_org() and app_role() in (''admin'', ''worker'')) '
      'with check (organization_id = app_org() and app_role() in (''admin'', ''worker''))', t);
  end loop;
end
$$;

-- the retention sweep walks the organizations that set a retention
create policy system_read on organization_privacy for select to hub_app using (app_role() = 'system');

-- Irreversible hashes of emails under the organization's salt: sha256(salt || lower(trim(email))), hex. Security
-- definer so that no role reads the salt itself; null when the organization has no privacy row yet.
create function privacy_email_hashes(emails text[]) returns text[]
  language sql stable security definer set search_path = public
  as $$
    select array(
      select encode(sha256(convert_to(p.email_salt || lower(trim(e)), 'UTF8')), 'hex')
      from organization_privacy p, unnest($1) as e
      where p.organization_id = app_org() and e is not null and trim(e) <> ''
    )
  $$;
revoke all on function privacy_email_hashes(text[]) from public;
grant execute on function privacy_email_hashes(text[]) to hub_app;

-- The erasure (if any) whose hashes match one of these emails, for callers that may not read erasures (the portal):
-- it answers an id only, and counts the reappearance on the erasure.
create function privacy_flag_reappearance(emails text[]) returns uuid
  language sql volatile security definer set search_path = public
  as $$
    update erasures e set reappearances = e.reappearances + 1, last_reappeared_at = now()
    where e.id = (
      select x.id from erasures x
      where x.organization_id = app_org() and x.email_hashes && privacy_email_hashes($1)
      order by x.requested_at limit 1)
    returning e.id
  $$;
revoke all on function privacy_flag_reappearance(text[]) from public;
grant execute on function privacy_flag_reappearance(text[]) to hub_app;

-- Replaces every match of each (case-insensitive, already escaped) pattern by a placeholder.
create function privacy_scrub(t text, patterns text[]) returns text
  language plpgsql immutable
  as $$
declare
  p text;
begin
  if t is null then
    return null;
  end if;
  foreach p in array patterns loop
    t := regexp_replace(t, p, '[erased]', 'gi');
  end loop;
  return t;
end
$$;
