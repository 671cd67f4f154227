-- Richer jobs (docs/ats-record.md, "Jobs"): description, department, office, remote policy, salary range and the
-- `paused` status. A paused job is still published at the hub but refuses portal submissions like a closed one.
-- The salary range is all or nothing: min, max and an ISO 4217 currency together, min <= max. Synced jobs fill
-- what their provider reports; the sync compares these columns too, so an unchanged re-sync writes nothing.
alter table jobs drop constraint jobs_status_check;
alter table jobs add constraint jobs_status_check check (status in ('draft', 'open', 'paused', 'closed'));

alter table jobs
  add column description text check (length(description) <= 100000),
  add column department text check (length(department) between 1 and 200),
  add column office text check (length(office) between 1 and 200),
  add column remote_policy text check (remote_policy in ('remote', 'hybrid', 'onsite')),
  add column salary_min numeric(14, 2) check (salary_min >= 0),
  add column salary_max numeric(14, 2),
  add column salary_currency text check (salary_currency ~ '^[A-Z]{3}$'),
  add constraint jobs_salary_range_check check (
    (salary_min is null and salary_max is null and salary_currency is null)
    or (salary_min is not null and salary_max is not null and salary_currency is not null and salary_min <= salary_max)
  );

-- 0011 gives candidates an `emails` column, which this function's `emails` parameter then names ambiguously: in
-- a SQL function a column wins over a parameter, so `unnest(emails)` read the jsonb column and every candidate
-- sync failed. The body is resolved at call time, so naming the parameter by position fixes it in any order.
create or replace function sync_candidates_by_email(emails text[]) returns table (id uuid, email_key text, deleted boolean)
  language sql stable security definer set search_path = public
  as $$
    select c.id, lower(c.email), c.deleted_at is not null from candidates c
    where c.organization_id = app_org() and lower(c.email) = any (array(select lower(e) from unnest($1) as e))
  $$;
