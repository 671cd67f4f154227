/**
 * Notes and rejection reasons as the API reads and writes them (docs/ats-record.md). The notes policy hides a
 * private note from every key but its author's (`app.actor_id`), so these queries need no visibility filter.
 */
import type { Tx } from '../tenant.js';
import { keyset, timeOrderedPage } from './record-keys.js';

export interface NoteRow {
  id: string;
  application_id: string | null;
  body: string;
  author: string | null;
  author_user_id: string | null;
  visibility: 'private' | 'organization' | 'shared';
  source: string;
  created_at: Date;
  sort_at: string;
}

const NOTE_COLUMNS =
  'n.id, n.application_id, n.body, n.author, n.author_user_id, n.visibility, n.source, n.created_at';

/** The application's notes and its candidate's notes on no application, by (created_at, id). */
export function listApplicationNotes(
  tx: Tx,
  application: { id: string; candidateId: string },
  limit: number,
  after?: readonly string[],
) {
  return timeOrderedPage<NoteRow>(
    tx,
    {
      columns: NOTE_COLUMNS,
      from: 'notes n',
      time: 'n.created_at',
      id: 'n.id',
      where: tx`n.candidate_id = ${application.candidateId} and n.deleted_at is null
        and (n.application_id = ${application.id} or n.application_id is null)`,
    },
    limit,
    after,
  );
}

export interface NewNote {
  candidateId: string;
  applicationId: string;
  body: string;
  author: string;
  authorKeyId: string;
  visibility: NoteRow['visibility'];
}

export async function insertNote(tx: Tx, input: NewNote): Promise<Omit<NoteRow, 'sort_at'>> {
  const [row] = await tx<NoteRow[]>`
    insert into notes as n (organization_id, candidate_id, application_id, body, author, author_key_id, visibility,
      source)
    values (app_org(), ${input.candidateId}, ${input.applicationId}, ${input.body}, ${input.author},
      ${input.authorKeyId}, ${input.visibility}, 'hub')
    returning ${tx.unsafe(NOTE_COLUMNS)}`;
  return row!;
}

export interface RejectionReasonRow {
  id: string;
  name: string;
  category: string | null;
  source: string;
  created_at: Date;
}

const REASON_COLUMNS = 'id, name, category, source, created_at';

/** Live reasons by lower-cased name, then id; `after` is the previous page's last (lower(name), id). */
export async function listRejectionReasons(
  tx: Tx,
  limit: number,
  after?: readonly string[],
): Promise<RejectionReasonRow[]> {
  const [afterName, afterId] = keyset(after);
  return tx<RejectionReasonRow[]>`
    select ${tx.unsafe(REASON_COLUMNS)} from rejection_reasons
    where organization_id = app_org() and deleted_at is null
      and (${afterName}::text is null or (lower(name), id) > (${afterName}::text, ${afterId}::uuid))
    order by lower(name), id
    limit ${limit + 1}`;
}

export async function insertRejectionReason(
  tx: Tx,
  input: { name: string; category: string | null },
): Promise<RejectionReasonRow> {
  const [row] = await tx<RejectionReasonRow[]>`
    insert into rejection_reasons (organization_id, name, category, source)
    values (app_org(), ${input.name}, ${input.category}, 'hub')
    returning ${tx.unsafe(REASON_COLUMNS)}`;
  return row!;
}

/** An event of the record, written in the same transaction as its cause (the relay publishes it). */
export async function insertRecordEvent(
  tx: Tx,
  event: { aggregateType: string; aggregateId: string; eventType: string; payload: Record<string, unknown> },
): Promise<void> {
  await tx`
    insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
    values (app_org(), ${event.aggregateType}, ${event.aggregateId}, ${event.eventType},
      ${tx.json(event.payload as never)}::jsonb)`;
}
