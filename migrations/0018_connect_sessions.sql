-- Connect links (docs/connect.md): a one-time link an admin hands to a customer, who connects a provider on the
-- hub's hosted page. Only the SHA-256 of the link's token is stored. The page knows nothing but the token, so a
-- lookup policy shows exactly the row whose hash is presented (like api_keys' key_lookup); everything after the
-- lookup runs as the session's organization. OAuth states carry the PKCE code verifier for the callback: found
-- the same way, by the hash of the `state` the provider hands back. Both expire and are single use.

create table connect_sessions (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references organizations (id) on delete cascade,
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  -- the provider the admin preselected; null lets the customer pick
  provider text check (provider ~ '^[a-z0-9-]{1,40}$'),
  redirect_url text not null check (length(redirect_url) between 1 and 2000),
  created_by_key_id uuid,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  integration_id uuid,
  unique (organization_id, id),
  foreign key (organization_id, integration_id) references integrations (organization_id, id)
    on delete set null (integration_id)
);
create index connect_sessions_org_idx on connect_sessions (organization_id, created_at);

create table connect_oauth_states (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null,
  session_id uuid not null,
  state_hash text not null unique check (state_hash ~ '^[0-9a-f]{64}$'),
  provider text not null check (provider ~ '^[a-z0-9-]{1,40}$'),
  -- RFC 7636: 43 to 128 characters of [A-Za-z0-9-._~]
  code_verifier text not null check (code_verifier ~ '^[A-Za-z0-9._~-]{43,128}$'),
  -- the endpoints the authorization went to, so the code is exchanged at the same server
  endpoints jsonb not null default '{}'::jsonb check (jsonb_typeof(endpoints) = 'object'),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz,
  unique (organization_id, id),
  foreign key (organization_id, session_id) references connect_sessions (organization_id, id) on delete cascade
);
create index connect_oauth_states_session_idx on connect_oauth_states (organization_id, session_id);

grant select, insert, update, delete on connect_sessions, connect_oauth_states to hub_app;

do $$
declare
  t text;
begin
  foreach t in array array['connect_sessions', 'connect_oauth_states'] loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy owner_all on %I to %I using (true) with check (true)', t, current_user);
    execute format(
      'create policy tenant_admin on %I to hub_app using (organization_id = app_org() and app_role() = ''admin'') '
      'with check (organization_id = app_org() and app_role() = ''admin'')', t);
  end loop;
end
$$;

-- the hosted page presents the hash of the token in its URL, the OAuth callback the hash of `state`
create policy token_lookup on connect_sessions for select to hub_app
  using (token_hash = current_setting('app.connect_token', true));
create policy state_lookup on connect_oauth_states for select to hub_app
  using (state_hash = current_setting('app.connect_state', true));
