-- The retention sweep deletes connect links a month after they expired (docs/privacy.md, "Retention"). Until now
-- only an organization's admin could see or delete its links, so expired ones stayed for good. The sweep runs as
-- the system role across organizations, and these policies show it expired links only: a live link is never
-- visible to it. Their OAuth states go with them (on delete cascade).
create policy system_sweep_read on connect_sessions for select to hub_app
  using (app_role() = 'system' and expires_at < now());
create policy system_sweep_delete on connect_sessions for delete to hub_app
  using (app_role() = 'system' and expires_at < now());
