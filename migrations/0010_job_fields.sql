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
