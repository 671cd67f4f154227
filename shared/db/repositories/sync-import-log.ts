import type { Tx } from '../tenant.js';

export interface ImportLogEntry {
  objectType: string;
  /** Remote id only: never a name, an email or any other record content. */
  remoteId: string | null;
  action: 'created' | 'updated' | 'deleted' | 'skipped' | 'failed';
  /** A short reason code or sentence without personal data. */
  message: string;
}

export async function insertImportLog(
  tx: Tx,
  scope: { integrationId: string; syncRunId: string | null },
  entries: readonly ImportLogEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  await importLogInsert(tx, scope, entries);
}

/** insertImportLog's INSERT, also inside the page's closing statement. */
export function importLogInsert(
  tx: Tx,
  scope: { integrationId: string; syncRunId: string | null },
  entries: readonly ImportLogEntry[],
) {
  return tx`
    insert into import_log (organization_id, integration_id, sync_run_id, object_type, remote_id, action, message)
    select app_org(), ${scope.integrationId}, ${scope.syncRunId}, t.object_type, t.remote_id, t.action, left(t.message, 300)
    from unnest(${entries.map((e) => e.objectType)}::text[], ${entries.map((e) => e.remoteId)}::text[],
      ${entries.map((e) => e.action)}::text[], ${entries.map((e) => e.message)}::text[])
      as t(object_type, remote_id, action, message)`;
}
