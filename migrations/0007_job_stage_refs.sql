-- One stage ref per job stage. Workday workflow steps, BambooHR statuses and Lever stages are account-wide:
-- one remote stage id is the stage of that name in every job. Unique on (integration, type, remote id), only
-- the first job's stage could be linked, and the push and the webhook fell back to a same-named stage of
-- another job. Stage refs are now unique per (integration, remote id, local stage) instead; a local stage
-- still has one remote id (the (integration, type, local id) constraint stays), other objects keep a
-- one-to-one mapping.
alter table external_refs drop constraint external_refs_integration_id_object_type_remote_id_key;
create unique index external_refs_remote_key on external_refs (integration_id, object_type, remote_id)
  where object_type <> 'stage';
create unique index external_refs_stage_remote_key on external_refs (integration_id, object_type, remote_id, local_id)
  where object_type = 'stage';

-- The stages the old constraint left unlinked get the ref the fallback resolved them to: the ref of the
-- same-named stage of another job of the integration, for the providers whose stage ids are account-wide.
insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
select distinct on (s.id) r.organization_id, r.integration_id, 'stage', s.id, r.remote_id
from external_refs r
join integrations i on i.id = r.integration_id and i.provider in ('workday', 'bamboohr', 'lever')
join job_stages rs on rs.id = r.local_id
join external_refs jr on jr.integration_id = r.integration_id and jr.object_type = 'job'
join job_stages s on s.job_id = jr.local_id and lower(s.name) = lower(rs.name) and s.id <> rs.id
where r.object_type = 'stage'
  and not exists (select 1 from external_refs x
    where x.integration_id = r.integration_id and x.object_type = 'stage' and x.local_id = s.id)
order by s.id, r.id
on conflict do nothing;
