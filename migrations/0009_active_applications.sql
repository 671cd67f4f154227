-- One ACTIVE application per candidate × job, not one ever (docs/architecture.md, "Applications"). An ATS keeps
-- every application a candidate made to a job: a re-application after a rejection or a withdrawal is a second
-- application, and an import brings both. The hub stores the whole history and refuses only a second application
-- that is still open: the portal answers it 409 DUPLICATE_APPLICATION, a sync logs it failed.
alter table applications drop constraint applications_organization_id_candidate_id_job_id_key;

create unique index applications_one_active_idx on applications (organization_id, candidate_id, job_id)
  where status = 'active' and deleted_at is null;

