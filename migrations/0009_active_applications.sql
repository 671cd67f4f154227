-- One ACTIVE application per candidate × job, not one ever (docs/architecture.md, "Applications"). An ATS keeps
-- every application a candidate made to a job: a re-application after a rejection or a withdrawal is a second
-- application, and an import brings both. The hub stores the whole history and refuses only a second application
-- that is still open: the portal answers it 409 DUPLICATE_APPLICATION, a sync logs it failed.
alter table applications drop constraint applications_organization_id_candidate_id_job_id_key;

create unique index applications_one_active_idx on applications (organization_id, candidate_id, job_id)
  where status = 'active' and deleted_at is null;

-- 0011 gives candidates an `emails` column: inside this function an unqualified `emails` would then name that
-- column instead of the parameter (SQL functions resolve columns first), so the parameter is named in full.
create or replace function sync_candidates_by_email(emails text[]) returns table (id uuid, email_key text, deleted boolean)
  language sql stable security definer set search_path = public
  as $$
    select c.id, lower(c.email), c.deleted_at is not null from candidates c
    where c.organization_id = app_org()
      and lower(c.email) = any (array(select lower(e) from unnest(sync_candidates_by_email.emails) as e))
  $$;
