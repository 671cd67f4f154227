-- Write-back of portal submissions (docs/write-back.md). One row per application whose job came from a provider:
-- the push's state as the caller sees it (GET /applications/{id} `push`), the remote ids each step produced, and
-- the lease that keeps two workers from running the same push at once. A step's remote id is stored in its own
-- transaction right after the provider answered; a retry looks the provider up before creating anything.
create table submission_pushes (
  application_id uuid primary key,
  organization_id uuid not null,
  integration_id uuid not null,
  state text not null default 'pending' check (state in ('pending', 'pushed', 'failed')),
  attempts integer not null default 0 check (attempts >= 0),
  last_error_code text,
  last_error_message text,
  candidate_remote_id text,
  application_remote_id text,
  attachment_remote_id text,
  lease_token uuid,
  leased_until timestamptz,
  pushed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((state = 'pushed') = (pushed_at is not null)),
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade,
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade
);
create index submission_pushes_integration_idx on submission_pushes (organization_id, integration_id, state);

-- attachments pushed to a provider are linked like every other object
alter table external_refs drop constraint external_refs_object_type_check;
alter table external_refs add constraint external_refs_object_type_check
  check (object_type in ('job', 'stage', 'candidate', 'application', 'rejection_reason', 'user', 'attachment'));

grant select, insert, update, delete on submission_pushes to hub_app;
alter table submission_pushes enable row level security;
alter table submission_pushes force row level security;
do $$
begin
  execute format('create policy owner_all on submission_pushes to %I using (true) with check (true)', current_user);
end
$$;
-- every role of the tenant reads the state (routes decide who sees which application); workers and admins write it
create policy tenant_read on submission_pushes for select to hub_app using (organization_id = app_org());
create policy tenant_write on submission_pushes for insert to hub_app
  with check (organization_id = app_org() and app_role() in ('worker', 'admin'));
create policy tenant_update on submission_pushes for update to hub_app
  using (organization_id = app_org() and app_role() in ('worker', 'admin'))
  with check (organization_id = app_org() and app_role() in ('worker', 'admin'));
