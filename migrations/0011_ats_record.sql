-- The full ATS record (docs/ats-record.md): interviews, scorecards, offers, notes, candidate attachments, tags and
-- synced rejection reasons, plus the richer candidate. Every row carries organization_id, every foreign key
-- includes it, and every table forces row-level security like the core tables. Synced rows keep their remote id
-- in external_refs and `source_updated_at`, the out-of-order guard: an older provider state never overwrites a
-- newer one. Interviewers and attribute ratings live in jsonb arrays of their parent row, so a re-sync of an
-- unchanged object compares one row (`is distinct from`) and rewrites nothing.

-- who acts: the API key of the request (private notes are readable only by their author)
create function app_actor() returns uuid
  language sql stable parallel safe
  as $$ select nullif(current_setting('app.actor_id', true), '')::uuid $$;

alter table candidates
  add column emails jsonb not null default '[]'::jsonb check (jsonb_typeof(emails) = 'array'),
  add column phones jsonb not null default '[]'::jsonb check (jsonb_typeof(phones) = 'array'),
  add column company text check (length(company) <= 300),
  add column title text check (length(title) <= 300);

-- candidates.emails now shadows this function's parameter of the same name inside its SQL body (a column wins over
-- a parameter there): name the parameter by position instead
create or replace function sync_candidates_by_email(emails text[]) returns table (id uuid, email_key text, deleted boolean)
  language sql stable security definer set search_path = public
  as $$
    select c.id, lower(c.email), c.deleted_at is not null from candidates c
    where c.organization_id = app_org() and lower(c.email) = any (array(select lower(e) from unnest($1) as e))
  $$;

alter table rejection_reasons
  add column category text check (length(category) <= 100),
  add column source text not null default 'hub',
  add column updated_at timestamptz not null default now(),
  add column source_updated_at timestamptz,
  add column deleted_at timestamptz;
alter table rejection_reasons add constraint rejection_reasons_name_check check (length(name) between 1 and 200);
create index rejection_reasons_org_idx on rejection_reasons (organization_id, lower(name)) where deleted_at is null;

create table interviews (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  application_id uuid not null,
  title text not null check (length(title) between 1 and 300),
  stage_id uuid,
  stage_name text,
  start_at timestamptz not null,
  end_at timestamptz not null,
  location text check (length(location) <= 500),
  status text not null default 'scheduled' check (status in ('scheduled', 'completed', 'cancelled', 'no_show')),
  -- [{"name", "email"}], in the provider's order
  interviewers jsonb not null default '[]'::jsonb check (jsonb_typeof(interviewers) = 'array'),
  source text not null,
  created_by_key_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_updated_at timestamptz,
  deleted_at timestamptz,
  check (end_at >= start_at),
  unique (organization_id, id),
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade
);
create index interviews_application_idx on interviews (organization_id, application_id, start_at, id)
  where deleted_at is null;

create table scorecards (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  application_id uuid not null,
  interview_id uuid,
  interviewer_name text not null check (length(interviewer_name) between 1 and 200),
  interviewer_email text,
  recommendation text not null
    check (recommendation in ('strong_yes', 'yes', 'no', 'strong_no', 'no_decision')),
  submitted_at timestamptz not null,
  -- [{"name", "rating"}]
  attributes jsonb not null default '[]'::jsonb check (jsonb_typeof(attributes) = 'array'),
  source text not null,
  created_by_key_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_updated_at timestamptz,
  deleted_at timestamptz,
  unique (organization_id, id),
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade,
  foreign key (organization_id, interview_id) references interviews (organization_id, id) on delete set null (interview_id)
);
create index scorecards_application_idx on scorecards (organization_id, application_id, submitted_at, id)
  where deleted_at is null;
create index scorecards_interview_idx on scorecards (organization_id, interview_id) where interview_id is not null;

create table offers (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  application_id uuid not null,
  status text not null check (status in ('draft', 'sent', 'accepted', 'declined', 'withdrawn')),
  sent_at timestamptz,
  resolved_at timestamptz,
  starts_at date,
  source text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_updated_at timestamptz,
  deleted_at timestamptz,
  unique (organization_id, id),
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade
);
create index offers_application_idx on offers (organization_id, application_id, created_at, id) where deleted_at is null;

create table notes (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  candidate_id uuid not null,
  -- null: a note on the candidate (Greenhouse's activity feed), shown with each of their applications
  application_id uuid,
  body text not null check (length(body) between 1 and 20000),
  -- a display name (provider user or API key label), never an email
  author text,
  author_key_id uuid,
  visibility text not null check (visibility in ('private', 'organization', 'shared')),
  source text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_updated_at timestamptz,
  deleted_at timestamptz,
  unique (organization_id, id),
  foreign key (organization_id, candidate_id) references candidates (organization_id, id) on delete cascade,
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade
);
create index notes_candidate_idx on notes (organization_id, candidate_id, created_at, id) where deleted_at is null;

-- like every foreign key between tenant tables, the attachment's link to the hub's document carries the organization
alter table candidate_documents add constraint candidate_documents_org_id_key unique (organization_id, id);

create table candidate_attachments (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  candidate_id uuid not null,
  application_id uuid,
  file_name text not null check (length(file_name) between 1 and 500),
  attachment_type text not null
    check (attachment_type in ('resume', 'cover_letter', 'portfolio', 'offer_letter', 'other')),
  -- the hub's own copy, when the file came through the portal
  document_id uuid,
  source text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  source_updated_at timestamptz,
  deleted_at timestamptz,
  unique (organization_id, id),
  foreign key (organization_id, candidate_id) references candidates (organization_id, id) on delete cascade,
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade,
  foreign key (organization_id, document_id) references candidate_documents (organization_id, id)
    on delete set null (document_id)
);
create index candidate_attachments_candidate_idx on candidate_attachments (organization_id, candidate_id)
  where deleted_at is null;

create table tags (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  name text not null check (length(name) between 1 and 100),
  source text not null default 'hub',
  created_at timestamptz not null default now(),
  unique (organization_id, id)
);
create unique index tags_org_name_idx on tags (organization_id, lower(name));

create table candidate_tags (
  organization_id uuid not null,
  candidate_id uuid not null,
  tag_id uuid not null,
  source text not null default 'hub',
  created_at timestamptz not null default now(),
  primary key (candidate_id, tag_id),
  foreign key (organization_id, candidate_id) references candidates (organization_id, id) on delete cascade,
  foreign key (organization_id, tag_id) references tags (organization_id, id) on delete cascade
);
create index candidate_tags_tag_idx on candidate_tags (organization_id, tag_id);

alter table external_refs drop constraint external_refs_object_type_check;
alter table external_refs add constraint external_refs_object_type_check
  check (object_type in ('job', 'stage', 'candidate', 'application', 'rejection_reason', 'user', 'attachment',
    'interview', 'scorecard', 'offer', 'note', 'tag'));

alter table sync_seen drop constraint sync_seen_object_type_check;
alter table sync_seen add constraint sync_seen_object_type_check
  check (object_type in ('job', 'candidate', 'application', 'rejection_reason', 'interview', 'scorecard', 'offer',
    'note'));

grant select, insert, update, delete on
  interviews, scorecards, offers, notes, candidate_attachments, tags, candidate_tags
  to hub_app;

do $$
declare
  t text;
begin
  foreach t in array array[
    'interviews', 'scorecards', 'offers', 'notes', 'candidate_attachments', 'tags', 'candidate_tags'
  ] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy owner_all on %I to %I using (true) with check (true)', t, current_user);
  end loop;
  -- the recruiting record is staff-only: the portal role reads none of it
  foreach t in array array['interviews', 'scorecards', 'offers', 'candidate_attachments', 'tags', 'candidate_tags']
  loop
    execute format(
      'create policy tenant_staff on %I to hub_app '
      'using (organization_id = app_org() and app_role() in (''ats'', ''admin'', ''worker'')) '
      'with check (organization_id = app_org() and app_role() in (''ats'', ''admin'', ''worker''))', t);
  end loop;
end
$$;

-- a private note is its author's alone: another key of the same organization, whatever its role, never reads it;
-- the sync worker stores the provider's private notes (with no author key, so no API caller reads them)
create policy tenant_notes on notes to hub_app
  using (
    organization_id = app_org() and app_role() in ('ats', 'admin', 'worker')
    and (visibility <> 'private' or app_role() = 'worker' or author_key_id = app_actor())
  )
  with check (
    organization_id = app_org() and app_role() in ('ats', 'admin', 'worker')
    and (visibility <> 'private' or app_role() = 'worker' or author_key_id = app_actor())
  );
