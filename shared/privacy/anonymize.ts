/**
 * The database step of an erasure: in one transaction, every personal field of the person becomes a placeholder or
 * goes, in every table that holds it. Ids, stages, statuses, history rows and counts stay, so the funnel reads the
 * same. Rows about the person (their candidate, applications, notes, interviews, pushes) are scrubbed of every
 * marker, first and last name included; rows elsewhere in the organization (outbox, webhook bodies, notification
 * bodies, idempotent responses) only where they hold a strong marker (email, phone, full name) or name the person's
 * ids, since a first name alone is too common to hunt across unrelated rows.
 */
import type { Tx } from '../db/tenant.js';
import {
  allMarkers,
  ERASED_FIRST_NAME,
  ERASED_LAST_NAME,
  ERASED_TEXT,
  erasedEmail,
  escapeRegex,
  scrubPatterns,
  strongMarkers,
} from '../domain/privacy.js';
import type { ErasureSubject } from './subject.js';

/** A JSON-safe marker: one with a quote or backslash would not appear verbatim inside JSON text. */
const jsonSafe = (m: string) => !/["\\]/.test(m);

/** An id standing alone in text (not part of a longer id or number). */
const idPattern = (id: string) => `(^|[^0-9A-Za-z_-])${escapeRegex(id)}([^0-9A-Za-z_-]|$)`;

export async function anonymizeSubject(tx: Tx, subject: ErasureSubject): Promise<Record<string, number>> {
  const all = scrubPatterns(allMarkers(subject.person).filter(jsonSafe));
  const strong = scrubPatterns(strongMarkers(subject.person).filter(jsonSafe));
  const ids = [subject.candidateId, ...subject.applicationIds, ...subject.refs.map((r) => r.remoteId)];
  const finders = [...strong, ...ids.map(idPattern)];
  const candidateId = subject.candidateId;
  const apps = subject.applicationIds;
  const counts: Record<string, number> = {};
  const run = async (name: string, query: Promise<{ count: number }>) => {
    counts[name] = (await query).count;
  };

  await run(
    'candidates',
    tx`update candidates set first_name = ${ERASED_FIRST_NAME}, last_name = ${ERASED_LAST_NAME},
      email = ${erasedEmail(candidateId)}, phone = null, emails = '[]'::jsonb, phones = '[]'::jsonb,
      company = null, title = null, external_portal_id = null, updated_at = now()
    where id = ${candidateId}`,
  );
  await run(
    'applications',
    tx`update applications set submitted_by = null where id = any(${apps}::uuid[]) and submitted_by is not null`,
  );
  await run(
    'stageHistory',
    tx`update application_stage_history set note = privacy_scrub(note, ${all}::text[]),
      actor = privacy_scrub(actor, ${all}::text[])
    where application_id = any(${apps}::uuid[])
      and (note is not null or actor is not null)`,
  );
  await run('notes', tx`update notes set body = ${ERASED_TEXT} where candidate_id = ${candidateId}`);
  await run(
    'attachments',
    tx`update candidate_attachments set file_name = ${ERASED_TEXT} where candidate_id = ${candidateId}`,
  );
  await run('documents', tx`delete from candidate_documents where candidate_id = ${candidateId}`);
  await run('tags', tx`delete from candidate_tags where candidate_id = ${candidateId}`);
  await run(
    'interviews',
    tx`update interviews set title = privacy_scrub(title, ${all}::text[]),
      location = privacy_scrub(location, ${all}::text[])
    where application_id = any(${apps}::uuid[])`,
  );
  await run(
    'pushes',
    tx`update submission_pushes set last_error_message = privacy_scrub(last_error_message, ${all}::text[])
    where application_id = any(${apps}::uuid[]) and last_error_message is not null`,
  );
  await run(
    'statusPushes',
    tx`update status_push_log
    set remote_response = privacy_scrub(remote_response::text, ${all}::text[])::jsonb,
      last_error = privacy_scrub(last_error, ${all}::text[])
    where application_id = any(${apps}::uuid[])`,
  );
  await run(
    'recordPushes',
    tx`update record_pushes set last_error = privacy_scrub(last_error, ${all}::text[])
    where candidate_id = ${candidateId} and last_error is not null`,
  );
  // rows elsewhere in the organization that name the person
  await run(
    'outbox',
    tx`update outbox set payload = privacy_scrub(payload::text, ${all}::text[])::jsonb
    where organization_id = app_org()
      and (aggregate_id = ${candidateId} or aggregate_id = any(${apps}::uuid[]) or payload::text ~* any(${finders}::text[]))`,
  );
  await run(
    'notificationBodies',
    tx`update notification_deliveries set body = privacy_scrub(body, ${all}::text[])
    where organization_id = app_org()
      and (body ~* any(${finders}::text[])
        or outbox_id in (select id from outbox where organization_id = app_org()
          and (aggregate_id = ${candidateId} or aggregate_id = any(${apps}::uuid[]))))`,
  );
  await run(
    'webhookBodies',
    tx`update webhook_deliveries set payload = privacy_scrub(payload, ${all}::text[])
    where organization_id = app_org() and payload ~* any(${finders}::text[])`,
  );
  await run(
    'idempotentResponses',
    tx`update idempotency_keys set response = privacy_scrub(response::text, ${all}::text[])::jsonb
    where organization_id = app_org() and response::text ~* any(${finders}::text[])`,
  );
  await run(
    'erasureReason',
    tx`update erasures set reason = privacy_scrub(reason, ${all}::text[]) where candidate_id = ${candidateId}`,
  );
  return counts;
}
