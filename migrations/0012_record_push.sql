-- The push of hub-written notes and tag changes to the providers (docs/ats-record.md, "Pushing notes and tags"),
-- and two repairs of the sync engine's definer functions for the full ATS record.

-- One row per integration × outbox event: the push's inbox, its lease and its outcome. A note is created at the
-- provider at most once: the remote note id is stored the moment the provider answers (and linked in
-- external_refs), and an attempt that finds no stored id after an earlier attempt looks the note up first.
create table record_pushes (
  id bigint generated always as identity primary key,
  organization_id uuid not null,
  integration_id uuid not null,
  outbox_id bigint not null,
  kind text not null check (kind in ('note', 'tags')),
  candidate_id uuid not null,
  note_id uuid,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'refused', 'failed', 'skipped')),
  attempts integer not null default 0,
  remote_id text,
  last_error text check (length(last_error) <= 500),
  lease_token uuid,
  leased_until timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (integration_id, outbox_id),
  foreign key (organization_id, integration_id) references integrations (organization_id, id) on delete cascade,
  foreign key (organization_id, candidate_id) references candidates (organization_id, id) on delete cascade,
  foreign key (organization_id, note_id) references notes (organization_id, id) on delete cascade
);
create index record_pushes_note_idx on record_pushes (organization_id, note_id) where note_id is not null;

grant select, insert, update, delete on record_pushes to hub_app;
alter table record_pushes enable row level security;
alter table record_pushes force row level security;
do $$
begin
  execute format('create policy owner_all on record_pushes to %I using (true) with check (true)', current_user);
end
$$;
create policy tenant_staff on record_pushes to hub_app
  using (organization_id = app_org() and app_role() in ('ats', 'admin', 'worker'))
  with check (organization_id = app_org() and app_role() in ('ats', 'admin', 'worker'));

-- statistics after a first import of rejection reasons and notes' candidates too
create or replace function sync_refresh_stats(object_type text) returns void
  language plpgsql security definer set search_path = public
  as $$
begin
  if object_type = 'job' then
    analyze jobs;
    analyze job_stages;
  elsif object_type = 'candidate' then
    analyze candidates;
    analyze candidate_tags;
    analyze candidate_attachments;
    analyze tags;
  elsif object_type = 'application' then
    analyze applications;
    analyze application_stage_history;
  elsif object_type = 'rejection_reason' then
    analyze rejection_reasons;
  elsif object_type = 'interview' then
    analyze interviews;
  elsif object_type = 'scorecard' then
    analyze scorecards;
  elsif object_type = 'offer' then
    analyze offers;
  elsif object_type = 'note' then
    analyze notes;
  end if;
  analyze external_refs;
end
$$;
