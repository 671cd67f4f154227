-- The sync's page statements at full size (docs/performance-results.md, "B2: sync writes").

-- Email owners: sync_candidates_by_email looks a page's emails up among all the organization's candidates,
-- whoever submitted them. candidates_org_email_idx leads with the submitting organization after the
-- organization, so it cannot serve that lookup and the planner read every candidate of the organization,
-- comparing each email with every email of the page (75 ms of an 82 ms statement at 6,000 candidates).
create index candidates_org_lower_email_idx on candidates (organization_id, lower(email));

-- The statistics refresh after a bulk import analyzes a table only when it has grown by half since its statistics
-- were taken (or never had any): the sync calls it as its import grows, and each call analyzed external_refs and
-- every table of the object type again, also when the table was many times larger than what the import added.
-- Growth is read from the table's size on disk against the pages its statistics saw, which is exact and current
-- (the activity counters lag behind the transactions that just committed).
create or replace function sync_refresh_stats(object_type text) returns void
  language plpgsql security definer set search_path = public
  as $$
declare
  tables text[] := case object_type
    when 'job' then array['jobs', 'job_stages']
    when 'candidate' then array['candidates', 'candidate_tags', 'candidate_attachments', 'tags']
    when 'application' then array['applications', 'application_stage_history']
    when 'rejection_reason' then array['rejection_reasons']
    when 'interview' then array['interviews']
    when 'scorecard' then array['scorecards']
    when 'offer' then array['offers']
    when 'note' then array['notes']
    else array[]::text[]
  end || array['external_refs'];
  t text;
begin
  foreach t in array tables loop
    if exists (select 1 from pg_class c where c.oid = format('public.%I', t)::regclass
        and (c.reltuples < 0
          or pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * 1.5)) then
      execute format('analyze %I', t);
    end if;
  end loop;
end
$$;
