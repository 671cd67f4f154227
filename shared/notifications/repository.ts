import type { Tx } from '../db/tenant.js';

/**
 * SQL of subscriptions and the delivery log (migrations/0005_notifications.sql). Every statement runs in a
 * transaction opened by withTenant (RLS: admin or worker of the organization) or, for the sweep, withSystem.
 * Times come from the caller's clock, never from the database, so retry timing is testable.
 */

export type SubscriptionKind = 'webhook' | 'slack' | 'teams';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface SubscriptionRow {
  id: string;
  organization_id: string;
  kind: SubscriptionKind;
  url: string;
  event_types: string[];
  include_candidate_names: boolean;
  secret_ref: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  created_at: Date;
}

const SUBSCRIPTION_COLUMNS = `id, organization_id, kind, url, event_types, include_candidate_names, secret_ref, enabled,
  disabled_reason, created_at`;

export async function insertSubscription(
  tx: Tx,
  input: {
    id: string;
    organizationId: string;
    kind: SubscriptionKind;
    url: string;
    eventTypes: string[];
    includeCandidateNames: boolean;
    secretRef: string | null;
    createdBy: string;
    now: Date;
  },
): Promise<SubscriptionRow> {
  const [row] = await tx<SubscriptionRow[]>`
    insert into subscriptions (id, organization_id, kind, url, event_types, include_candidate_names, secret_ref,
      created_by, created_at, updated_at)
    values (${input.id}, ${input.organizationId}, ${input.kind}, ${input.url}, ${input.eventTypes}::text[],
      ${input.includeCandidateNames}, ${input.secretRef}, ${input.createdBy}, ${input.now}, ${input.now})
    returning ${tx.unsafe(SUBSCRIPTION_COLUMNS)}`;
  return row!;
}

export function listSubscriptions(tx: Tx): Promise<SubscriptionRow[]> {
  return tx<
    SubscriptionRow[]
  >`select ${tx.unsafe(SUBSCRIPTION_COLUMNS)} from subscriptions order by created_at, id`;
}

export async function findSubscription(tx: Tx, id: string): Promise<SubscriptionRow | undefined> {
  const [row] = await tx<
    SubscriptionRow[]
  >`select ${tx.unsafe(SUBSCRIPTION_COLUMNS)} from subscriptions where id = ${id}`;
  return row;
}

/** Deletes the subscription and, by cascade, its delivery log; returns the secret reference to wipe. */
export async function deleteSubscription(
  tx: Tx,
  id: string,
): Promise<{ secret_ref: string | null } | undefined> {
  const [row] = await tx<
    { secret_ref: string | null }[]
  >`delete from subscriptions where id = ${id} returning secret_ref`;
  return row;
}

export async function disableSubscription(tx: Tx, id: string, reason: 'endpoint_gone' | 'manual', now: Date) {
  await tx`update subscriptions set enabled = false, disabled_reason = ${reason}, disabled_at = ${now}, updated_at = ${now}
    where id = ${id} and enabled`;
}

// ---------------------------------------------------------------------------------------------- fan-out

/** The consumer inbox (processed_messages): true the first time this outbox event reaches the notifier. */
export async function markEventProcessed(tx: Tx, organizationId: string, outboxId: string): Promise<boolean> {
  const rows = await tx`insert into processed_messages (organization_id, consumer, message_key)
    values (${organizationId}, 'notifier', ${`outbox:${outboxId}`}) on conflict do nothing returning 1`;
  return rows.length > 0;
}

export function subscriptionsFor(tx: Tx, eventType: string): Promise<Pick<SubscriptionRow, 'id'>[]> {
  return tx<Pick<SubscriptionRow, 'id'>[]>`select id from subscriptions
    where enabled and ${eventType} = any(event_types) order by id`;
}

export interface NewDelivery {
  organization_id: string;
  subscription_id: string;
  outbox_id: string;
  message_id: string;
  event_type: string;
  event_timestamp: Date;
  body: string;
  next_attempt_at: Date;
  created_at: Date;
  updated_at: Date;
}

export async function insertDeliveries(tx: Tx, rows: NewDelivery[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await tx`insert into notification_deliveries ${tx(
    rows,
    'organization_id',
    'subscription_id',
    'outbox_id',
    'message_id',
    'event_type',
    'event_timestamp',
    'body',
    'next_attempt_at',
    'created_at',
    'updated_at',
  )} on conflict (subscription_id, outbox_id) do nothing returning id`;
  return inserted.length;
}

// ---------------------------------------------------------------------------------------------- attempts

export interface PendingDelivery {
  id: string;
  outbox_id: string;
  event_type: string;
  event_timestamp: Date;
  next_attempt_at: Date;
  locked_until: Date | null;
  wake_at: Date | null;
}

export function pendingDeliveries(
  tx: Tx,
  target: { outboxId: string } | { deliveryId: string },
): Promise<PendingDelivery[]> {
  const outboxId = 'outboxId' in target ? target.outboxId : null;
  const deliveryId = 'deliveryId' in target ? target.deliveryId : null;
  return tx<PendingDelivery[]>`
    select id, outbox_id::text, event_type, event_timestamp, next_attempt_at, locked_until, wake_at
    from notification_deliveries
    where status = 'pending'
      and (${outboxId}::bigint is null or outbox_id = ${outboxId}::bigint)
      and (${deliveryId}::uuid is null or id = ${deliveryId}::uuid)
    order by id`;
}

export interface ClaimedDelivery {
  id: string;
  subscription_id: string;
  outbox_id: string;
  message_id: string;
  event_type: string;
  body: string;
  attempts: number;
  schedule_offset: number;
  locked_until: Date;
  kind: SubscriptionKind;
  url: string;
  enabled: boolean;
  secret_ref: string | null;
  include_candidate_names: boolean;
}

/**
 * Takes one due delivery for one attempt: conditional on it being pending, due and not owned by another
 * attempt, so two consumers of the same message never send the same delivery twice at the same time.
 */
export async function claimDelivery(
  tx: Tx,
  id: string,
  input: { now: Date; dueBy: Date; lockedUntil: Date },
): Promise<ClaimedDelivery | undefined> {
  const [row] = await tx<ClaimedDelivery[]>`
    update notification_deliveries d
    set locked_until = ${input.lockedUntil}, attempts = d.attempts + 1, last_attempt_at = ${input.now},
      wake_at = null, updated_at = ${input.now}
    from subscriptions s
    where d.id = ${id} and s.id = d.subscription_id and s.organization_id = d.organization_id
      and d.status = 'pending' and d.next_attempt_at <= ${input.dueBy}
      and (d.locked_until is null or d.locked_until < ${input.now})
    returning d.id, d.subscription_id, d.outbox_id::text, d.message_id, d.event_type, d.body, d.attempts,
      d.schedule_offset, d.locked_until, s.kind, s.url, s.enabled, s.secret_ref, s.include_candidate_names`;
  return row;
}

export type AttemptRecord =
  | { status: 'delivered'; statusCode: number }
  | { status: 'failed'; statusCode: number | null; error: string }
  | { status: 'pending'; statusCode: number | null; error: string; nextAttemptAt: Date; wakeAt: Date };

/** Writes an attempt's result, only while this attempt still owns the row. */
export async function recordAttempt(
  tx: Tx,
  claim: { id: string; lockedUntil: Date },
  result: AttemptRecord,
  now: Date,
): Promise<boolean> {
  const error = result.status === 'delivered' ? null : result.error.slice(0, 500);
  const nextAttemptAt = result.status === 'pending' ? result.nextAttemptAt : null;
  const wakeAt = result.status === 'pending' ? result.wakeAt : null;
  const deliveredAt = result.status === 'delivered' ? now : null;
  const rows = await tx`
    update notification_deliveries
    set status = ${result.status}, last_status_code = ${result.statusCode}, last_error = ${error},
      next_attempt_at = ${nextAttemptAt}, wake_at = ${wakeAt}, delivered_at = ${deliveredAt},
      locked_until = null, updated_at = ${now}
    where id = ${claim.id} and locked_until = ${claim.lockedUntil}
    returning 1`;
  return rows.length > 0;
}

/** After a 410 or a deletion: the subscription's waiting deliveries will not be attempted. */
export async function failPendingOfSubscription(tx: Tx, subscriptionId: string, error: string, now: Date) {
  await tx`update notification_deliveries
    set status = 'failed', last_error = ${error}, next_attempt_at = null, wake_at = null, updated_at = ${now}
    where subscription_id = ${subscriptionId} and status = 'pending' and (locked_until is null or locked_until < ${now})`;
}

/**
 * Claims the duty of waking the notifier for a delivery that is not due yet: only when no wake-up message
 * is on its way already (wake_at unset or reached), so duplicate queue messages do not multiply the chain.
 */
export async function claimWake(
  tx: Tx,
  id: string,
  input: { now: Date; reachedBy: Date; wakeAt: Date },
): Promise<boolean> {
  const rows =
    await tx`update notification_deliveries set wake_at = ${input.wakeAt}, updated_at = ${input.now}
    where id = ${id} and status = 'pending' and (wake_at is null or wake_at <= ${input.reachedBy})
      and (locked_until is null or locked_until < ${input.now})
    returning 1`;
  return rows.length > 0;
}

/** The wake-up message could not be sent: let the next message or the sweep take the duty. */
export async function releaseWake(tx: Tx, id: string, wakeAt: Date) {
  await tx`update notification_deliveries set wake_at = null where id = ${id} and wake_at = ${wakeAt}`;
}

export interface ApplicationContextRow {
  job_title: string | null;
  first_name: string | null;
  last_name: string | null;
}

/** Job title, plus the candidate's first and last name only when asked (never e-mail or phone). */
export async function applicationContext(
  tx: Tx,
  input: { jobId: string | null; candidateId: string | null; withNames: boolean },
): Promise<ApplicationContextRow> {
  const [row] = await tx<ApplicationContextRow[]>`
    select (select title from jobs where id = ${input.jobId}::uuid) as job_title,
      (select first_name from candidates where ${input.withNames} and id = ${input.candidateId}::uuid) as first_name,
      (select last_name from candidates where ${input.withNames} and id = ${input.candidateId}::uuid) as last_name`;
  return row ?? { job_title: null, first_name: null, last_name: null };
}

// ---------------------------------------------------------------------------------------------- routes

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  outbox_id: string;
  message_id: string;
  event_type: string;
  event_timestamp: Date;
  status: DeliveryStatus;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  /** created_at with microseconds, for the keyset cursor. */
  created_key: string;
}

const DELIVERY_COLUMNS = `id, subscription_id, outbox_id::text, message_id, event_type, event_timestamp, status, attempts,
  last_status_code, last_error, last_attempt_at, next_attempt_at, delivered_at, created_at,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

/** Newest first; `after` is the (created_key, id) of the last row of the previous page. */
export function listDeliveries(
  tx: Tx,
  subscriptionId: string,
  page: { limit: number; after?: { createdKey: string; id: string } },
): Promise<DeliveryRow[]> {
  const createdKey = page.after?.createdKey ?? null;
  const afterId = page.after?.id ?? null;
  return tx<DeliveryRow[]>`
    select ${tx.unsafe(DELIVERY_COLUMNS)} from notification_deliveries
    where subscription_id = ${subscriptionId}
      and (${createdKey}::text is null or (created_at, id) < (${createdKey}::text::timestamptz, ${afterId}::uuid))
    order by created_at desc, id desc
    limit ${page.limit}`;
}

export async function findDelivery(
  tx: Tx,
  subscriptionId: string,
  deliveryId: string,
): Promise<DeliveryRow | undefined> {
  const [row] = await tx<DeliveryRow[]>`select ${tx.unsafe(DELIVERY_COLUMNS)} from notification_deliveries
    where subscription_id = ${subscriptionId} and id = ${deliveryId}`;
  return row;
}

/**
 * A manual replay: the delivery is pending again and due now, with the same webhook-id and body; the
 * retry schedule restarts (schedule_offset), the attempt count keeps growing.
 */
export async function requestRedelivery(
  tx: Tx,
  deliveryId: string,
  now: Date,
): Promise<DeliveryRow | undefined> {
  const [row] = await tx<DeliveryRow[]>`
    update notification_deliveries
    set status = 'pending', next_attempt_at = ${now}, delivered_at = null, wake_at = ${now},
      schedule_offset = attempts, updated_at = ${now}
    where id = ${deliveryId}
    returning ${tx.unsafe(DELIVERY_COLUMNS)}`;
  return row;
}

// ---------------------------------------------------------------------------------------------- sweep

export interface OverdueDelivery {
  id: string;
  organization_id: string;
  outbox_id: string;
  event_type: string;
  event_timestamp: Date;
}

/**
 * Pending deliveries that nothing is going to wake: due for longer than `grace`, not owned by a live
 * attempt, and without a wake-up message expected after `overdueBefore`. Stamps wake_at so that concurrent
 * sweeps do not pick the same rows (FOR UPDATE SKIP LOCKED).
 */
export async function claimOverdue(
  tx: Tx,
  input: { now: Date; overdueBefore: Date; limit: number },
): Promise<OverdueDelivery[]> {
  return tx<OverdueDelivery[]>`
    with due as (
      select id from notification_deliveries
      where status = 'pending' and next_attempt_at <= ${input.overdueBefore}
        and (wake_at is null or wake_at <= ${input.overdueBefore})
        and (locked_until is null or locked_until < ${input.now})
      order by next_attempt_at
      limit ${input.limit}
      for update skip locked)
    update notification_deliveries d set wake_at = ${input.now}
    from due where d.id = due.id
    returning d.id, d.organization_id, d.outbox_id::text, d.event_type, d.event_timestamp`;
}

/** Undoes claimOverdue's stamp for rows whose wake-up message was not sent. */
export async function releaseOverdue(tx: Tx, ids: string[], stampedAt: Date) {
  await tx`update notification_deliveries set wake_at = null where id = any(${ids}::uuid[]) and wake_at = ${stampedAt}`;
}
