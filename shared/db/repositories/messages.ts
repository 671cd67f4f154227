import type { Tx } from '../tenant.js';

/** The parties of an application the caller can see: receiving, submitting and (when brokered) the platform. */
export interface ApplicationParties {
  id: string;
  organization_id: string;
  job_id: string;
  submitting_organization_id: string;
  platform_organization_id: string | null;
}

export async function findApplicationParties(
  tx: Tx,
  applicationId: string,
): Promise<ApplicationParties | undefined> {
  const [row] = await tx<ApplicationParties[]>`
    select id, organization_id, job_id, submitting_organization_id, platform_organization_id
    from applications where id = ${applicationId} and deleted_at is null`;
  return row;
}

export interface MessageRow {
  id: string;
  application_id: string;
  from_organization_id: string;
  to_organization_id: string | null;
  body: string;
  author_user_id: string | null;
  created_at: Date;
  receipts: { organization_id: string; read_at: string | null }[];
}

const messageColumns = (tx: Tx) => tx`
  m.id, m.application_id, m.from_organization_id, m.to_organization_id, m.body, m.author_user_id, m.created_at,
  coalesce((select json_agg(json_build_object('organization_id', r.recipient_organization_id, 'read_at', r.read_at)
      order by r.recipient_organization_id)
    from message_receipts r where r.message_id = m.id), '[]'::json) as receipts`;

export interface NewMessage {
  id: string;
  application: ApplicationParties;
  to: string | null;
  recipients: string[];
  body: string;
  authorKeyId: string;
}

/**
 * The message, then (a second statement, so the receipts' policy sees the message) a receipt and a
 * `message.created` outbox row per recipient organization: each party's notifications fire from its own outbox.
 */
export async function insertMessage(tx: Tx, input: NewMessage): Promise<MessageRow> {
  const app = input.application;
  await tx`
    insert into messages (id, organization_id, application_id, from_organization_id, to_organization_id, body,
      author_key_id)
    values (${input.id}, ${app.organization_id}, ${app.id}, app_org(), ${input.to}, ${input.body}, ${input.authorKeyId})`;
  await tx`
    with receipts as (
      insert into message_receipts (organization_id, message_id, recipient_organization_id)
      select ${app.organization_id}, ${input.id}, r from unnest(${input.recipients}::uuid[]) as r
    )
    insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
    select r, 'message', ${input.id}, 'message.created',
      jsonb_build_object('applicationId', ${app.id}::uuid, 'jobId', ${app.job_id}::uuid, 'messageId', ${input.id}::uuid,
        'fromOrganizationId', app_org(), 'toOrganizationId', ${input.to}::uuid)
    from unnest(${input.recipients}::uuid[]) as r`;
  return (await findMessage(tx, input.id))!;
}

export async function findMessage(tx: Tx, id: string): Promise<MessageRow | undefined> {
  const [row] = await tx<MessageRow[]>`select ${messageColumns(tx)} from messages m where m.id = ${id}`;
  return row;
}

/** What the caller's organization may read of an application's thread (the policy decides), oldest first. */
export async function listMessages(tx: Tx, applicationId: string): Promise<MessageRow[]> {
  return tx<MessageRow[]>`
    select ${messageColumns(tx)} from messages m
    where m.application_id = ${applicationId} order by m.created_at, m.id`;
}

/** The caller's organization's receipt, marked read once; false when it is not a recipient. */
export async function markRead(tx: Tx, messageId: string): Promise<boolean> {
  const rows = await tx`
    update message_receipts set read_at = coalesce(read_at, now())
    where message_id = ${messageId} and recipient_organization_id = app_org() returning 1`;
  return rows.length > 0;
}
