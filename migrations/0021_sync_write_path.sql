-- The sync worker's write path (docs/performance-results.md, "B2: sync writes").

-- Greenhouse lists a candidate's attachments with the candidate's page, before the run reaches the applications
-- they belong to: on a first import the application is not synced yet. The attachment keeps the provider's
-- application id while its link is pending, and the application's own upsert links it, so the next pass finds
-- the row as the provider has it and writes nothing. Null once linked (and for attachments without one).
alter table candidate_attachments add column pending_application_remote_id text;

-- The attachment of a pushed document is found by its document (the sync's link, and the foreign key's
-- `on delete set null` when the retention sweep removes documents): without an index each probe read the table.
create index candidate_attachments_document_idx on candidate_attachments (document_id) where document_id is not null;
