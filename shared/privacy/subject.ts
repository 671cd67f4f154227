/**
 * What the hub knows of the person an erasure is about, read while it still knows it: their names, emails and phones
 * (to find them in text), their remote ids per integration (to find them in raw pages and at the providers), and the
 * keys of their documents.
 */
import type { Tx } from '../db/tenant.js';
import type { PersonMarkers } from '../domain/privacy.js';

export interface RemoteRef {
  integrationId: string;
  objectType: 'candidate' | 'application';
  remoteId: string;
}

export interface ErasureSubject {
  candidateId: string;
  applicationIds: string[];
  person: PersonMarkers;
  refs: RemoteRef[];
}

export async function readSubject(tx: Tx, candidateId: string): Promise<ErasureSubject | undefined> {
  const [row] = await tx<
    {
      first_name: string;
      last_name: string;
      emails: string[];
      phones: string[];
      application_ids: string[];
    }[]
  >`
    select c.first_name, c.last_name,
      array[c.email] || array(select e ->> 'value' from jsonb_array_elements(c.emails) e) as emails,
      array_remove(array[c.phone], null) || array(select p ->> 'value' from jsonb_array_elements(c.phones) p) as phones,
      array(select a.id from applications a where a.candidate_id = c.id order by a.id) as application_ids
    from candidates c where c.id = ${candidateId}`;
  if (!row) return undefined;
  const refs = await tx<
    { integration_id: string; object_type: RemoteRef['objectType']; remote_id: string }[]
  >`
    select integration_id, object_type, remote_id from external_refs
    where (object_type = 'candidate' and local_id = ${candidateId})
       or (object_type = 'application' and local_id = any(${row.application_ids}::uuid[]))
    order by integration_id, object_type, remote_id`;
  return {
    candidateId,
    applicationIds: row.application_ids,
    person: {
      firstName: row.first_name,
      lastName: row.last_name,
      emails: row.emails.filter((e) => e && !e.endsWith('.invalid')),
      phones: row.phones.filter(Boolean),
    },
    refs: refs.map((r) => ({
      integrationId: r.integration_id,
      objectType: r.object_type,
      remoteId: r.remote_id,
    })),
  };
}

/** The remote ids of the subject, by integration. */
export function remoteIdsByIntegration(refs: readonly RemoteRef[]): Map<string, string[]> {
  const by = new Map<string, string[]>();
  for (const ref of refs) by.set(ref.integrationId, [...(by.get(ref.integrationId) ?? []), ref.remoteId]);
  return by;
}

/** Object keys of the candidate's documents in the bucket. */
export async function documentKeys(tx: Tx, candidateId: string): Promise<string[]> {
  const rows = await tx<{ s3_key: string }[]>`
    select s3_key from candidate_documents where candidate_id = ${candidateId} order by s3_key`;
  return rows.map((r) => r.s3_key);
}
