-- People of an organization (docs/api.md, "Users"): each has a role and personal API keys, and every history row
-- and note written with such a key records the acting user. Organization keys (no user) keep working unchanged.

create table users (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  email text not null check (length(email) between 3 and 320 and position('@' in email) > 1),
  name text not null check (length(name) between 1 and 200),
  role text not null check (role in ('admin', 'recruiter', 'hiring_manager', 'agency_recruiter')),
  created_at timestamptz not null default now(),
  -- a user is never deleted: history and notes keep naming them after they leave; active while this is null
  deactivated_at timestamptz,
  unique (organization_id, id)
);
-- one active user per e-mail address in an organization; a deactivated user's address may be given again
create unique index users_org_email_idx on users (organization_id, lower(email)) where deactivated_at is null;
create index users_org_created_idx on users (organization_id, created_at, id);

-- a personal key belongs to one user of the key's own organization
alter table api_keys add column user_id uuid;
alter table api_keys add constraint api_keys_user_fk
  foreign key (organization_id, user_id) references users (organization_id, id);
create index api_keys_user_idx on api_keys (organization_id, user_id) where user_id is not null;

-- who acts: the user of the request's key (`app.user_id`), unset for organization keys and the workers
create function app_user() returns uuid
  language sql stable parallel safe
  as $$ select nullif(current_setting('app.user_id', true), '')::uuid $$;

-- the acting user is taken from the transaction, so every writer of these rows records it without naming it
alter table application_stage_history add column actor_user_id uuid default app_user();
alter table application_stage_history add constraint application_stage_history_user_fk
  foreign key (organization_id, actor_user_id) references users (organization_id, id);
alter table notes add column author_user_id uuid default app_user();
alter table notes add constraint notes_author_user_fk
  foreign key (organization_id, author_user_id) references users (organization_id, id);

grant select, insert, update on users to hub_app;
alter table users enable row level security;
alter table users force row level security;
create policy owner_all on users to current_user using (true) with check (true);

-- every key of the organization may read names (history and notes show them); only admins add or deactivate
create policy tenant_read on users for select to hub_app
  using (organization_id = app_org());
create policy tenant_admin_insert on users for insert to hub_app
  with check (organization_id = app_org() and app_role() = 'admin');
create policy tenant_admin_update on users for update to hub_app
  using (organization_id = app_org() and app_role() = 'admin')
  with check (organization_id = app_org() and app_role() = 'admin');
-- resolving a key reads its user (is it still active?) before the tenant is known: exactly the presented key's user
create policy key_lookup on users for select to hub_app
  using (id in (select k.user_id from api_keys k where k.key_hash = current_setting('app.key_hash', true)));

-- a private note is its author's: the key that wrote it (as before), and with a personal key its user, whichever of
-- the user's keys reads it
drop policy tenant_notes on notes;
create policy tenant_notes on notes to hub_app
  using (
    organization_id = app_org() and app_role() in ('ats', 'admin', 'worker')
    and (visibility <> 'private' or app_role() = 'worker' or author_key_id = app_actor() or author_user_id = app_user())
  )
  -- written only in the acting key's own name, as before
  with check (
    organization_id = app_org() and app_role() in ('ats', 'admin', 'worker')
    and (visibility <> 'private' or app_role() = 'worker' or author_key_id = app_actor())
  );
