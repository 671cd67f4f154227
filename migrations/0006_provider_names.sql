-- Provider names are no longer listed in the schema: adding a provider touches only its folder and the registry
-- (shared/providers/registry.ts). The application refuses unknown names at every boundary (zod enum from the
-- registry), so these CHECK constraints would only make each new provider a migration.
alter table integrations drop constraint integrations_provider_check;
alter table applications drop constraint applications_source_check;
