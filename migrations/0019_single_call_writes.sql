-- Hot writes as one function call (docs/performance.md §2.1, §7.4): a call is one statement, so it needs no
-- BEGIN/COMMIT round trips of its own, and PL/pgSQL keeps the plans of the statements inside it for the life of
-- the connection, so a repeated call is not planned again. Security invoker: the caller's role and the tenant
-- policies apply exactly as for the same statements sent one by one; the tenant settings are transaction-local
-- (set_config(..., true)) and end with the call's own transaction.

-- The webhook inbox write with its tenant settings (functions/webhook-intake): one row per integration × delivery
-- id, none for a body already received under another id; returns the new row id, or null for a duplicate.
create function hub_record_webhook_delivery(
  p_organization_id uuid,
  p_integration_id uuid,
  p_delivery_id text,
  p_body_sha256 text,
  p_event_type text,
  p_payload text,
  p_source_timestamp timestamptz
) returns text
  language plpgsql volatile security invoker set search_path = public
as $$
declare
  v_id text;
begin
  perform set_config('app.organization_id', p_organization_id::text, true),
    set_config('app.role', 'worker', true);
  insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256, event_type, payload,
    source_timestamp)
  select p_organization_id, p_integration_id, p_delivery_id, p_body_sha256, p_event_type, p_payload,
    p_source_timestamp
  where not exists (
    select 1 from webhook_deliveries where integration_id = p_integration_id and body_sha256 = p_body_sha256)
  on conflict (integration_id, delivery_id) do nothing
  returning id::text into v_id;
  return v_id;
end
$$;
revoke all on function hub_record_webhook_delivery(uuid, uuid, text, text, text, text, timestamptz) from public;
grant execute on function hub_record_webhook_delivery(uuid, uuid, text, text, text, text, timestamptz) to hub_app;
