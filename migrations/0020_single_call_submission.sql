-- The portal submission as one function call (functions/portal-submission, docs/performance-results.md "B1"): the
-- caller's settings, the idempotency lookup, the job check, the candidate upsert, the application, its first
-- history row, the resume document, the outbox event, the stored idempotent response and the reappearance flag of
-- an erased person's email, in one statement. As in 0019: a single statement is its own transaction (no BEGIN or
-- COMMIT round trips), PL/pgSQL keeps the plans of the statements inside for the connection's life, and security
-- invoker keeps the caller's role and the tenant policies. The settings are transaction-local and end with the call.
--
-- A second ACTIVE application of the person to the job raises the unique violation of
-- applications_one_active_email_idx (or applications_one_active_idx) and the whole call writes nothing; a
-- concurrent twin with the same idempotency key raises idempotency_keys' key. The caller tells those apart
-- afterwards (rare, off the hot path), so no exception block (a subtransaction per call) is needed here.
--
-- p: { organizationId, role, actorId?, userId?, jobId, candidateId, applicationId, firstName, lastName, email,
--      phone?, externalPortalId?, submittedBy?, actor, document?: { id, s3Key, fileName, contentType, sizeBytes },
--      idempotencyKey?, requestHash?, responseExtra }
-- returns: { prior } (an idempotent replay: request_hash, status_code, response), or { jobStatus } (no job: null;
--          a job not open: its status), or { response, receivingOrganizationId } (created). No RETURNING on the outbox
-- insert: an agency may write the receiving organization's event but not read it back.
-- The erasure a submission's email reappears in belongs to the organization that receives the application, which
-- for an agency is the employer, whose erasures the agency cannot read: security definer, limited to an
-- application the caller itself submitted, and answering nothing. The hashes are salted per organization
-- (privacy_email_hashes, 0015), so they are computed with the receiving organization's salt.
create function privacy_flag_submission_reappearance(application_id uuid, emails text[]) returns void
  language sql volatile security definer set search_path = public
  as $$
    update erasures e set reappearances = e.reappearances + 1, last_reappeared_at = now()
    where e.id = (
      select x.id from applications a
        join organization_privacy p on p.organization_id = a.organization_id
        join erasures x on x.organization_id = a.organization_id
      where a.id = $1 and a.submitting_organization_id = app_org()
        and x.email_hashes && array(
          select encode(sha256(convert_to(p.email_salt || lower(trim(e)), 'UTF8')), 'hex')
          from unnest($2) as e where e is not null and trim(e) <> '')
      order by x.requested_at limit 1)
  $$;
revoke all on function privacy_flag_submission_reappearance(uuid, text[]) from public;
grant execute on function privacy_flag_submission_reappearance(uuid, text[]) to hub_app;

create function hub_submit_application(p jsonb) returns jsonb
  language plpgsql volatile security invoker set search_path = public
as $$
declare
  v_key text := p ->> 'idempotencyKey';
  v_doc jsonb := nullif(p -> 'document', 'null'::jsonb);
  v_prior jsonb;
  v_job record;
  v_candidate uuid;
  v_app record;
  v_response jsonb;
begin
  perform set_config('app.organization_id', (p ->> 'organizationId')::uuid::text, true),
    set_config('app.role', p ->> 'role', true),
    set_config('app.actor_id', coalesce((p ->> 'actorId')::uuid::text, ''), true),
    set_config('app.user_id', coalesce((p ->> 'userId')::uuid::text, ''), true);

  if v_key is not null then
    select jsonb_build_object('request_hash', k.request_hash, 'status_code', k.status_code, 'response', k.response)
      into v_prior
      from idempotency_keys k where k.organization_id = app_org() and k.idempotency_key = v_key;
    if v_prior is not null then
      return jsonb_build_object('prior', v_prior);
    end if;
  end if;

  -- a job of the caller, or (an agency) a job of a live partnership; the application belongs to the job owner
  select j.id, j.organization_id, j.status, s.id as stage_id, s.name as stage_name,
      j.organization_id <> app_org() as by_party
    into v_job
    from jobs j join job_stages s on s.job_id = j.id and s.kind = 'screening'
    where j.id = (p ->> 'jobId')::uuid and j.deleted_at is null
      and (j.organization_id = app_org() or partner_job(j.id, true));
  if not found or v_job.status <> 'open' then
    return jsonb_build_object('jobStatus', v_job.status);
  end if;

  -- one candidate per receiving organization × submitting party × lower-cased email
  insert into candidates (id, organization_id, submitting_organization_id, first_name, last_name, email, phone,
    external_portal_id, source)
  values ((p ->> 'candidateId')::uuid, v_job.organization_id, app_org(), p ->> 'firstName', p ->> 'lastName',
    p ->> 'email', p ->> 'phone', p ->> 'externalPortalId', 'portal')
  on conflict (organization_id, submitting_organization_id, lower(email))
    do update set updated_at = now(), deleted_at = null
  returning id into v_candidate;

  insert into applications (id, organization_id, candidate_id, job_id, stage_id, status, source,
    external_portal_id, submitted_by, submitting_organization_id, application_type, platform_organization_id)
  values ((p ->> 'applicationId')::uuid, v_job.organization_id, v_candidate, v_job.id, v_job.stage_id, 'active',
    'portal', p ->> 'externalPortalId', p ->> 'submittedBy', app_org(),
    case when v_job.by_party then 'agency_submission' else 'direct' end,
    case when v_job.by_party then app_platform() end)
  returning id, organization_id, candidate_id, job_id, created_at, submitting_organization_id, application_type
    into v_app;

  insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id,
    from_status, to_status, actor_role, actor, source, occurred_at)
  values (v_app.organization_id, v_app.id, null, v_job.stage_id, null, 'active', 'portal', p ->> 'actor', 'portal',
    v_app.created_at);

  if v_doc is not null then
    insert into candidate_documents (id, organization_id, candidate_id, application_id, s3_key, file_name,
      content_type, size_bytes)
    values ((v_doc ->> 'id')::uuid, v_app.organization_id, v_app.candidate_id, v_app.id, v_doc ->> 's3Key',
      v_doc ->> 'fileName', v_doc ->> 'contentType', (v_doc ->> 'sizeBytes')::bigint);
  end if;

  insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
  values (v_app.organization_id, 'application', v_app.id, 'application.created',
    jsonb_build_object('applicationId', v_app.id, 'jobId', v_app.job_id, 'candidateId', v_app.candidate_id,
      'stage', v_job.stage_name, 'source', 'portal'));

  v_response := jsonb_build_object('application', jsonb_build_object(
      'id', v_app.id, 'jobId', v_app.job_id, 'candidateId', v_app.candidate_id, 'stage', v_job.stage_name,
      'status', 'active', 'source', 'portal', 'version', 1,
      'submittingOrganizationId', v_app.submitting_organization_id,
      'receivingOrganizationId', v_app.organization_id,
      'applicationType', v_app.application_type,
      'createdAt', to_char(v_app.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
    || coalesce(p -> 'responseExtra', '{}'::jsonb);

  if v_key is not null then
    insert into idempotency_keys (organization_id, idempotency_key, request_hash, status_code, response)
    values (app_org(), v_key, coalesce(p ->> 'requestHash', ''), 201, v_response);
  end if;

  -- the email of an erased person: accepted, and flagged on the receiving organization's erasure (docs/privacy.md)
  perform privacy_flag_submission_reappearance(v_app.id, array[p ->> 'email']);

  return jsonb_build_object('response', v_response, 'receivingOrganizationId', v_app.organization_id);
end
$$;
revoke all on function hub_submit_application(jsonb) from public;
grant execute on function hub_submit_application(jsonb) to hub_app;
