/** The organization's retention settings (`organization_privacy`, migrations/0015_privacy.sql), in days. */
import type { Tx } from '../db/tenant.js';

export interface RetentionDays {
  rawPayloadDays: number | null;
  rejectedDocumentDays: number | null;
  notificationBodyDays: number | null;
  analyticsExportDays: number | null;
}

interface Row {
  raw_payload_days: number | null;
  rejected_document_days: number | null;
  notification_body_days: number | null;
  analytics_export_days: number | null;
}

const view = (row: Row | undefined): RetentionDays => ({
  rawPayloadDays: row?.raw_payload_days ?? null,
  rejectedDocumentDays: row?.rejected_document_days ?? null,
  notificationBodyDays: row?.notification_body_days ?? null,
  analyticsExportDays: row?.analytics_export_days ?? null,
});

export async function readRetention(tx: Tx): Promise<RetentionDays> {
  const [row] = await tx<Row[]>`
    select raw_payload_days, rejected_document_days, notification_body_days, analytics_export_days
    from organization_privacy where organization_id = app_org()`;
  return view(row);
}

/** Sets the given settings (null clears one); the others keep their value. */
export async function writeRetention(
  tx: Tx,
  change: Partial<RetentionDays>,
  now: Date,
): Promise<RetentionDays> {
  const has = (k: keyof RetentionDays) => change[k] !== undefined;
  const value = (k: keyof RetentionDays) => change[k] ?? null;
  const [row] = await tx<Row[]>`
    insert into organization_privacy as p (organization_id, raw_payload_days, rejected_document_days,
      notification_body_days, analytics_export_days, updated_at)
    values (app_org(), ${value('rawPayloadDays')}, ${value('rejectedDocumentDays')},
      ${value('notificationBodyDays')}, ${value('analyticsExportDays')}, ${now})
    on conflict (organization_id) do update set
      raw_payload_days = case when ${has('rawPayloadDays')} then excluded.raw_payload_days else p.raw_payload_days end,
      rejected_document_days = case when ${has('rejectedDocumentDays')} then excluded.rejected_document_days
        else p.rejected_document_days end,
      notification_body_days = case when ${has('notificationBodyDays')} then excluded.notification_body_days
        else p.notification_body_days end,
      analytics_export_days = case when ${has('analyticsExportDays')} then excluded.analytics_export_days
        else p.analytics_export_days end,
      updated_at = excluded.updated_at
    returning raw_payload_days, rejected_document_days, notification_body_days, analytics_export_days`;
  return view(row);
}
