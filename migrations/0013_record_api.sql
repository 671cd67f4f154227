-- The hub's copy of an attachment (candidate_attachments.document_id) pointed at candidate_documents by id alone:
-- the one foreign key between tenant tables that did not carry the organization. Like every other, it now
-- includes it, so an attachment can only name a document of its own organization (docs/reliability.md §6.6).
alter table candidate_documents add constraint candidate_documents_org_id_key unique (organization_id, id);

alter table candidate_attachments drop constraint candidate_attachments_document_id_fkey;
alter table candidate_attachments add constraint candidate_attachments_document_fkey
  foreign key (organization_id, document_id) references candidate_documents (organization_id, id)
  on delete set null (document_id);
