-- Several parties (docs/parties.md): agencies submit candidates through a platform to employers. An application
-- still lives in the receiving (employer's) organization, with its job, stages, history and documents, so every
-- employer path works unchanged; it also names the organization that submitted it and the platform that brokered
-- it, and the policies below let those parties see (and the agency act on) exactly their own submissions.

-- organizations: a type and the platform they belong to ------------------------------------------------------
alter table organizations
  add column type text not null default 'employer' check (type in ('employer', 'agency', 'platform')),
  add column parent_organization_id uuid references organizations (id) on delete cascade,
  add constraint organizations_platform_root check (type <> 'platform' or parent_organization_id is null);
create index organizations_parent_idx on organizations (parent_organization_id)
  where parent_organization_id is not null;

-- Definer helpers: a policy on a table may not query the same table under its own policies (infinite recursion),
-- and the party checks below must read rows the caller cannot see. Each answers a yes/no about the caller only.
create function app_org_type() returns text
  language sql stable security definer set search_path = public
  as $$ select type from organizations where id = app_org() $$;

create function app_platform() returns uuid
  language sql stable security definer set search_path = public
  as $$ select parent_organization_id from organizations where id = app_org() $$;

-- partnerships: an employer lets an agency submit to named jobs ------------------------------------------------
create table partnerships (
  id uuid primary key default gen_random_uuid(),
  -- the employer
  organization_id uuid not null references organizations (id) on delete cascade,
  agency_organization_id uuid not null references organizations (id) on delete cascade,
  created_at timestamptz not null default now(),
  -- ended: no new submissions, the existing ones stay
  ended_at timestamptz,
  unique (organization_id, id),
  check (agency_organization_id <> organization_id)
);
create index partnerships_agency_idx on partnerships (agency_organization_id, organization_id);

create table partnership_jobs (
  organization_id uuid not null,
  partnership_id uuid not null,
  job_id uuid not null,
  primary key (partnership_id, job_id),
  foreign key (organization_id, partnership_id) references partnerships (organization_id, id) on delete cascade,
  foreign key (organization_id, job_id) references jobs (organization_id, id) on delete cascade
);
create index partnership_jobs_job_idx on partnership_jobs (job_id, partnership_id);

-- is the caller an agency partnered on this job (live: the partnership has not ended)?
create function partner_job(job uuid, live boolean) returns boolean
  language sql stable security definer set search_path = public
  as $$
    select exists (select 1 from partnership_jobs pj join partnerships p on p.id = pj.partnership_id
      where pj.job_id = $1 and p.agency_organization_id = app_org() and (not $2 or p.ended_at is null))
  $$;

-- is this organization an agency under the caller's platform (one an employer may partner)?
create function sibling_agency(agency uuid) returns boolean
  language sql stable security definer set search_path = public
  as $$
    select exists (select 1 from organizations o
      where o.id = $1 and o.type = 'agency' and o.parent_organization_id = app_platform())
  $$;

-- candidates: each party keeps its own record of a person ----------------------------------------------------
alter table candidates add column submitting_organization_id uuid references organizations (id) on delete cascade;
update candidates set submitting_organization_id = organization_id;
alter table candidates alter column submitting_organization_id set not null;
drop index candidates_org_email_idx;
create unique index candidates_org_email_idx on candidates (organization_id, submitting_organization_id, lower(email));

-- applications: who submitted, who brokered (the receiving organization is organization_id, the job's), and the person's email for the conflict guard --------
alter table applications
  add column submitting_organization_id uuid references organizations (id) on delete cascade,
  add column platform_organization_id uuid references organizations (id) on delete set null,
  add column application_type text not null default 'direct'
    check (application_type in ('direct', 'agency_submission', 'platform_referral')),
  add column candidate_email text;
update applications a set submitting_organization_id = a.organization_id, candidate_email = lower(c.email)
  from candidates c where c.organization_id = a.organization_id and c.id = a.candidate_id;
alter table applications
  alter column submitting_organization_id set not null,
  alter column candidate_email set not null,
  add constraint applications_type_party check ((application_type = 'direct') = (submitting_organization_id = organization_id));
create index applications_submitting_idx on applications (submitting_organization_id, job_id)
  where submitting_organization_id <> organization_id;
create index applications_platform_idx on applications (platform_organization_id)
  where platform_organization_id is not null;

-- Every path that writes applications (portal, agencies, sync, webhooks, merges) gets the defaults here, so the
-- conflict guard below cannot be bypassed by a writer that forgot them.
create function candidates_party_default() returns trigger
  language plpgsql
  as $$
begin
  new.submitting_organization_id := coalesce(new.submitting_organization_id, new.organization_id);
  return new;
end
$$;
create trigger candidates_party_default before insert on candidates
  for each row execute function candidates_party_default();

-- The guard's key is the candidate's true email whoever writes (definer: an agency does not see every candidate of
-- the organization, and a trigger function cannot be called directly). A candidate that does not exist in the
-- organization gives '' and the foreign key refuses the row, after row-level security has had its say.
create function applications_party_defaults() returns trigger
  language plpgsql security definer set search_path = public
  as $$
begin
  new.submitting_organization_id := coalesce(new.submitting_organization_id, new.organization_id);
  new.candidate_email := coalesce((select lower(c.email) from candidates c
    where c.organization_id = new.organization_id and c.id = new.candidate_id), '');
  return new;
end
$$;
create trigger applications_party_defaults before insert or update of candidate_id on applications
  for each row execute function applications_party_defaults();

create function candidates_email_follow() returns trigger
  language plpgsql
  as $$
begin
  update applications set candidate_email = lower(new.email)
  where organization_id = new.organization_id and candidate_id = new.id;
  return null;
end
$$;
create trigger candidates_email_follow after update of email on candidates
  for each row when (lower(old.email) is distinct from lower(new.email))
  execute function candidates_email_follow();

-- Conflict prevention: one ACTIVE application per person (lower-cased email) × job, whoever submitted it. A
-- unique index cannot race: of two concurrent submissions the second waits for the first and then fails.
create unique index applications_one_active_email_idx on applications (job_id, candidate_email)
  where status = 'active' and deleted_at is null;

-- an agency's (or platform's) part in an application; volatile, so a statement that inserts the application and
-- its history together sees the application it has just written
create function party_application(application uuid, submitter_only boolean) returns boolean
  language sql volatile security definer set search_path = public
  as $$
    select exists (select 1 from applications a where a.id = $1 and a.organization_id <> app_org()
      and (a.submitting_organization_id = app_org() or (not $2 and a.platform_organization_id = app_org())))
  $$;

-- is this organization one of the application's parties (receiving, submitting or brokering)?
create function application_party(application uuid, organization uuid) returns boolean
  language sql stable security definer set search_path = public
  as $$
    select exists (select 1 from applications a where a.id = $1
      and $2 in (a.organization_id, a.submitting_organization_id, a.platform_organization_id))
  $$;

create function party_candidate(candidate uuid) returns boolean
  language sql stable security definer set search_path = public
  as $$
    select exists (select 1 from applications a where a.candidate_id = $1 and a.platform_organization_id = app_org())
  $$;

create function party_job(job uuid) returns boolean
  language sql stable security definer set search_path = public
  as $$
    select partner_job($1, false)
      or exists (select 1 from applications a where a.job_id = $1 and a.platform_organization_id = app_org())
  $$;

-- messages between the parties of an application -----------------------------------------------------------
create table messages (
  id uuid primary key default gen_random_uuid(),
  -- the application's (receiving) organization
  organization_id uuid not null,
  application_id uuid not null,
  from_organization_id uuid not null references organizations (id) on delete cascade,
  -- null: every party of the application
  to_organization_id uuid references organizations (id) on delete cascade,
  body text not null check (length(body) between 1 and 20000),
  author_key_id uuid,
  -- the acting user of a personal key (0016's app_user()); null for an organization key. No foreign key: the
  -- user belongs to the sender, not to the row's tenant, and every tenant foreign key here carries the tenant
  author_user_id uuid default app_user(),
  created_at timestamptz not null default now(),
  unique (organization_id, id),
  foreign key (organization_id, application_id) references applications (organization_id, id) on delete cascade
);
create index messages_application_idx on messages (organization_id, application_id, created_at, id);

create table message_receipts (
  organization_id uuid not null,
  message_id uuid not null,
  recipient_organization_id uuid not null references organizations (id) on delete cascade,
  read_at timestamptz,
  primary key (message_id, recipient_organization_id),
  foreign key (organization_id, message_id) references messages (organization_id, id) on delete cascade
);

-- grants and row-level security --------------------------------------------------------------------------------
grant insert on organizations to hub_app;
grant select, insert, update, delete on partnerships, partnership_jobs, messages, message_receipts to hub_app;

do $$
declare
  t text;
begin
  foreach t in array array['partnerships', 'partnership_jobs', 'messages', 'message_receipts'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy owner_all on %I to %I using (true) with check (true)', t, current_user);
  end loop;
end
$$;

-- a platform sees the organizations it created, and its admin creates employers and agencies and their keys
create policy platform_children on organizations for select to hub_app
  using (parent_organization_id = app_org());
create policy platform_create on organizations for insert to hub_app
  with check (parent_organization_id = app_org() and app_role() = 'admin' and app_org_type() = 'platform'
    and type in ('employer', 'agency'));
create policy platform_child_keys on api_keys to hub_app
  using (app_role() = 'admin' and organization_id in (select id from organizations where parent_organization_id = app_org()))
  with check (app_role() = 'admin'
    and organization_id in (select id from organizations where parent_organization_id = app_org()));

-- partnerships: the employer's admin manages them; the agency reads its own
create policy tenant_partnerships on partnerships to hub_app
  using (organization_id = app_org() and app_role() in ('ats', 'admin'))
  with check (organization_id = app_org() and app_role() = 'admin' and sibling_agency(agency_organization_id));
create policy agency_partnerships on partnerships for select to hub_app
  using (agency_organization_id = app_org());
create policy tenant_partnership_jobs on partnership_jobs to hub_app
  using (organization_id = app_org() and app_role() in ('ats', 'admin'))
  with check (organization_id = app_org() and app_role() = 'admin');
create policy agency_partnership_jobs on partnership_jobs for select to hub_app
  using (partnership_id in (select id from partnerships where agency_organization_id = app_org()));

-- Party policies. Each starts with `organization_id <> app_org()`: for the employer's own rows the tenant policy
-- already answers and the party check is never evaluated. The names sort after tenant_isolation for the same reason.
create policy tenant_party_read on jobs for select to hub_app
  using (organization_id <> app_org() and party_job(id));
create policy tenant_party_read on job_stages for select to hub_app
  using (organization_id <> app_org() and party_job(job_id));

-- the agency's own record of the person; the platform reads the people it brokered
create policy tenant_party_read on candidates for select to hub_app
  using (organization_id <> app_org() and (submitting_organization_id = app_org() or party_candidate(id)));
create policy tenant_party_write on candidates for insert to hub_app
  with check (organization_id <> app_org() and submitting_organization_id = app_org() and app_role() = 'portal'
    and exists (select 1 from partnerships p
      where p.organization_id = candidates.organization_id and p.agency_organization_id = app_org()
        and p.ended_at is null));
create policy tenant_party_update on candidates for update to hub_app
  using (organization_id <> app_org() and submitting_organization_id = app_org() and app_role() = 'portal')
  with check (organization_id <> app_org() and submitting_organization_id = app_org() and app_role() = 'portal');

create policy tenant_party_read on applications for select to hub_app
  using (organization_id <> app_org()
    and (submitting_organization_id = app_org() or platform_organization_id = app_org()));
-- an agency submits only to a job of a live partnership, under its own platform
create policy tenant_party_submit on applications for insert to hub_app
  with check (organization_id <> app_org() and submitting_organization_id = app_org() and app_role() = 'portal'
    and application_type = 'agency_submission' and partner_job(job_id, true)
    and platform_organization_id is not distinct from app_platform());
-- and moves its own submissions (the pipeline's ownership rules keep it to the portal stages)
create policy tenant_party_move on applications for update to hub_app
  using (organization_id <> app_org() and submitting_organization_id = app_org() and app_role() = 'portal')
  with check (organization_id <> app_org() and submitting_organization_id = app_org() and app_role() = 'portal');

create policy tenant_party_read on application_stage_history for select to hub_app
  using (organization_id <> app_org() and party_application(application_id, false));
create policy tenant_party_write on application_stage_history for insert to hub_app
  with check (organization_id <> app_org() and app_role() = 'portal' and party_application(application_id, true));

create policy tenant_party_read on candidate_documents for select to hub_app
  using (organization_id <> app_org() and party_application(application_id, true));
create policy tenant_party_write on candidate_documents for insert to hub_app
  with check (organization_id <> app_org() and app_role() = 'portal' and party_application(application_id, true));

-- shared notes only: private and organization notes, scorecards, offers and interviews stay the employer's
create policy tenant_party_read on notes for select to hub_app
  using (organization_id <> app_org() and visibility = 'shared' and application_id is not null
    and party_application(application_id, false));

-- the events of an agency's submission and moves belong to the employer's outbox (its write-back and notifications)
create policy tenant_party_write on outbox for insert to hub_app
  with check (organization_id <> app_org() and aggregate_type = 'application'
    and party_application((payload ->> 'applicationId')::uuid, true));
-- a message's event goes to each recipient party's outbox, so its notifications reach that party
create policy tenant_party_message on outbox for insert to hub_app
  with check (organization_id <> app_org() and aggregate_type = 'message'
    and application_party((payload ->> 'applicationId')::uuid, app_org())
    and application_party((payload ->> 'applicationId')::uuid, organization_id));

-- messages: a party reads what is addressed to all parties, to it, or sent by it
create policy tenant_party_messages on messages to hub_app
  using ((organization_id = app_org() or party_application(application_id, false))
    and (to_organization_id is null or to_organization_id = app_org() or from_organization_id = app_org()))
  with check (from_organization_id = app_org()
    and (organization_id = app_org() or party_application(application_id, false)));
create policy tenant_party_receipts on message_receipts for select to hub_app
  using (message_id in (select id from messages));
create policy tenant_party_receipts_send on message_receipts for insert to hub_app
  with check (message_id in (select id from messages where from_organization_id = app_org()));
create policy tenant_party_receipts_read on message_receipts for update to hub_app
  using (recipient_organization_id = app_org()) with check (recipient_organization_id = app_org());
