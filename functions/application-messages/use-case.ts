import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import type { SendMessageBody } from '../../shared/api/parties.js';
import { iso, isoOrNull } from '../../shared/api/views.js';
import type { QueueName } from '../../shared/config/resources.js';
import {
  findApplicationParties,
  findMessage,
  insertMessage,
  listMessages,
  type MessageRow,
  markRead,
} from '../../shared/db/repositories/messages.js';
import { withCaller, withTenant } from '../../shared/db/tenant.js';
import { notFound } from '../../shared/domain/errors.js';
import { recipientsOf } from '../../shared/domain/parties.js';
import type { Principal } from '../../shared/http/types.js';
import { publishSoon } from '../../shared/outbox/publisher.js';
import type { Queue } from '../../shared/ports/queue.js';

export interface MessagesDependencies {
  sql: Sql;
  /** Publishes each recipient's outbox row at once, so its notification does not wait for the tick. */
  queues?: Readonly<Record<QueueName, Queue | undefined>>;
}

function messageView(row: MessageRow) {
  return {
    id: row.id,
    applicationId: row.application_id,
    fromOrganizationId: row.from_organization_id,
    to: row.to_organization_id ?? 'all_parties',
    body: row.body,
    authorUserId: row.author_user_id,
    createdAt: iso(row.created_at),
    receipts: row.receipts.map((r) => ({ organizationId: r.organization_id, readAt: isoOrNull(r.read_at) })),
  };
}

export async function sendMessage(
  deps: MessagesDependencies,
  principal: Principal,
  applicationId: string,
  body: SendMessageBody,
) {
  const sender = principal.organizationId;
  const { row, recipients } = await withCaller(deps.sql, principal, async (tx) => {
    const app = await findApplicationParties(tx, applicationId);
    if (!app) throw notFound('application');
    const recipients = recipientsOf(app, sender, body.to);
    const row = await insertMessage(tx, {
      id: randomUUID(),
      application: app,
      to: body.to === 'all_parties' ? null : body.to,
      recipients,
      body: body.body,
      authorKeyId: principal.keyId,
    });
    return { row, recipients };
  });
  for (const organizationId of recipients) {
    await publishSoon(deps.sql, deps.queues, { organizationId, aggregateId: row.id });
  }
  return messageView(row);
}

export async function getMessages(deps: MessagesDependencies, principal: Principal, applicationId: string) {
  return withTenant(deps.sql, principal.organizationId, principal.role, async (tx) => {
    if (!(await findApplicationParties(tx, applicationId))) throw notFound('application');
    return { items: (await listMessages(tx, applicationId)).map(messageView) };
  });
}

/** Marks the message read for the caller's organization; the sender (no receipt of its own) gets it unchanged. */
export async function readMessage(deps: MessagesDependencies, principal: Principal, messageId: string) {
  return withTenant(deps.sql, principal.organizationId, principal.role, async (tx) => {
    if (!(await findMessage(tx, messageId))) throw notFound('message');
    await markRead(tx, messageId);
    return messageView((await findMessage(tx, messageId))!);
  });
}
