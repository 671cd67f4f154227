/**
 * Subject access (docs/privacy.md, "Export"): everything the hub holds about one person as one JSON document, every
 * column of every row about them, and short-lived links to their clean files. Read in the worker role: a person's
 * right of access covers private notes too, which the notes policy otherwise shows only to their author's key.
 */
import { withTenant } from '../../shared/db/tenant.js';
import { notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';
import type { PrivacyDependencies } from './use-case.js';

/** Lifetime of the file links of an export. */
export const EXPORT_LINK_SECONDS = 300;

type Row = Record<string, unknown>;

export async function exportCandidate(deps: PrivacyDependencies, principal: Principal, candidateId: string) {
  const data = await withTenant(deps.sql, principal.organizationId, 'worker', async (tx) => {
    const [candidate] = await tx<{ row: Row }[]>`
      select to_jsonb(c) - 'organization_id' as row from candidates c where c.id = ${candidateId}`;
    if (!candidate) return undefined;
    const rows = async (query: Promise<{ row: Row }[]>) => (await query).map((r) => r.row);
    const applications = await rows(tx`
      select (to_jsonb(a) - 'organization_id') || jsonb_build_object('jobTitle', j.title, 'stageName', s.name) as row
      from applications a join jobs j on j.id = a.job_id join job_stages s on s.id = a.stage_id
      where a.candidate_id = ${candidateId} order by a.created_at, a.id`);
    const appIds = applications.map((a) => a['id'] as string);
    const byApplication = (table: string, order: string) =>
      rows(tx`select to_jsonb(t) - 'organization_id' as row from ${tx(table)} t
        where t.application_id = any(${appIds}::uuid[]) order by ${tx.unsafe(order)}`);
    const documents = await tx<
      { id: string; file_name: string; content_type: string; scan_status: string; s3_key: string }[]
    >`select id, file_name, content_type, scan_status, s3_key from candidate_documents
      where candidate_id = ${candidateId} order by created_at, id`;
    const [erasure] = await tx<{ id: string; state: string; requested_at: Date }[]>`
      select id, state, requested_at from erasures where candidate_id = ${candidateId}`;
    return {
      candidate: candidate.row,
      applications,
      history: await byApplication('application_stage_history', 't.id'),
      notes: await rows(tx`select to_jsonb(n) - 'organization_id' as row from notes n
        where n.candidate_id = ${candidateId} order by n.created_at, n.id`),
      interviews: await byApplication('interviews', 't.start_at, t.id'),
      scorecards: await byApplication('scorecards', 't.submitted_at, t.id'),
      offers: await byApplication('offers', 't.created_at, t.id'),
      tags: (
        await tx<{ name: string }[]>`select t.name from candidate_tags ct join tags t on t.id = ct.tag_id
          where ct.candidate_id = ${candidateId} order by lower(t.name)`
      ).map((t) => t.name),
      attachments: await rows(tx`select to_jsonb(x) - 'organization_id' as row from candidate_attachments x
        where x.candidate_id = ${candidateId} order by x.created_at, x.id`),
      externalRefs: await rows(tx`
        select jsonb_build_object('objectType', r.object_type, 'localId', r.local_id, 'remoteId', r.remote_id,
          'provider', i.provider, 'integrationId', r.integration_id) as row
        from external_refs r join integrations i on i.id = r.integration_id
        where (r.object_type = 'candidate' and r.local_id = ${candidateId})
           or (r.object_type = 'application' and r.local_id = any(${appIds}::uuid[]))
        order by r.object_type, r.remote_id`),
      documents,
      erasure: erasure
        ? { id: erasure.id, state: erasure.state, requestedAt: erasure.requested_at.toISOString() }
        : null,
    };
  });
  if (!data) throw notFound('candidate');
  const documents = [];
  for (const d of data.documents) {
    // the bucket serves a resume only once its scan found it clean: no link for the others
    const link =
      d.scan_status === 'clean' ? await deps.objectStore.presignGet(d.s3_key, EXPORT_LINK_SECONDS) : null;
    documents.push({
      id: d.id,
      fileName: d.file_name,
      contentType: d.content_type,
      scanStatus: d.scan_status,
      url: link?.url ?? null,
      urlExpiresAt: link?.expiresAt ?? null,
    });
  }
  return { exportedAt: deps.clock.now().toISOString(), ...data, documents };
}
