import type { Sql } from 'postgres';
import type { Tx } from '../tenant.js';

export interface DeliveryInput {
  organizationId: string;
  integrationId: string;
  deliveryId: string;
  bodySha256: string;
  eventType: string;
  payload: string;
  sourceTimestamp: Date | null;
}

/**
 * The inbox write: one row per integration × delivery id, and none for a body already received under
 * another id (providers without stable delivery ids). Returns the new row id, or undefined for a duplicate.
 */
export async function recordDelivery(tx: Tx, input: DeliveryInput): Promise<string | undefined> {
  const [row] = await tx<{ id: string }[]>`
    insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256, event_type, payload,
      source_timestamp)
    select ${input.organizationId}, ${input.integrationId}, ${input.deliveryId}, ${input.bodySha256},
      ${input.eventType}, ${input.payload}, ${input.sourceTimestamp}
    where not exists (
      select 1 from webhook_deliveries where integration_id = ${input.integrationId} and body_sha256 = ${input.bodySha256})
    on conflict (integration_id, delivery_id) do nothing
    returning id::text`;
  return row?.id;
}

/**
 * The same inbox write as one call of `hub_record_webhook_delivery` (migration 0019), which sets the tenant
 * (role `worker`) transaction-locally itself: one statement in its own transaction, no BEGIN or COMMIT round
 * trips, its plan kept by PL/pgSQL for the connection's life (webhook intake's hot path, B5).
 */
export async function recordDeliveryAsTenant(sql: Sql, input: DeliveryInput): Promise<string | undefined> {
  const [row] = await sql<{ id: string | null }[]>`
    select hub_record_webhook_delivery(${input.organizationId}::uuid, ${input.integrationId}::uuid,
      ${input.deliveryId}, ${input.bodySha256}, ${input.eventType}, ${input.payload},
      ${input.sourceTimestamp}::timestamptz) as id`;
  return row?.id ?? undefined;
}
