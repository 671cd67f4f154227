import type { Sql } from 'postgres';
import {
  MAX_INLINED_STATEMENT_BYTES,
  renewingOnLoss,
  sendWithoutParameters,
  stringConstant,
} from '../single-call.js';
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The inbox call with every value inlined (shared/db/single-call.ts), or undefined when it must go with
 * parameters: a statement of 16 KB or more (RDS Proxy would pin the session), a value holding NUL, or an id that
 * is not a UUID (the parameterised call refuses those exactly as before). Each string is read back exactly, so
 * the stored payload is the same text either way; the `::text` and `::timestamptz` casts are the parameters'
 * types, and let the pgbench capture lift the values back out (test/bench/pgbench.ts).
 */
export function inlinedDeliveryCall(input: DeliveryInput): string | undefined {
  const texts = [input.deliveryId, input.bodySha256, input.eventType, input.payload];
  // UTF-16 units never outnumber UTF-8 bytes: a payload this long cannot fit, and is not escaped for nothing
  if (input.payload.length >= MAX_INLINED_STATEMENT_BYTES) return undefined;
  if (!UUID.test(input.organizationId) || !UUID.test(input.integrationId)) return undefined;
  if (texts.some((t) => t.includes('\u0000'))) return undefined;
  // toISOString is also what postgres.js sends for a Date parameter
  const at = input.sourceTimestamp === null ? 'null' : `'${input.sourceTimestamp.toISOString()}'`;
  const text = `select hub_record_webhook_delivery('${input.organizationId}'::uuid, '${input.integrationId}'::uuid, ${texts
    .map((t) => `${stringConstant(t)}::text`)
    .join(', ')}, ${at}::timestamptz) as id`;
  return Buffer.byteLength(text, 'utf8') < MAX_INLINED_STATEMENT_BYTES ? text : undefined;
}

/**
 * The same inbox write as one call of `hub_record_webhook_delivery` (migration 0019), which sets the tenant
 * (role `worker`) transaction-locally itself: one statement in its own transaction, no BEGIN or COMMIT round
 * trips, its plan kept by PL/pgSQL for the connection's life (webhook intake's hot path, B5). Under 16 KB it goes
 * without parameters, in one round trip with `prepare: false`; a larger body is bound as a parameter (two).
 */
export async function recordDeliveryAsTenant(sql: Sql, input: DeliveryInput): Promise<string | undefined> {
  const inlined = inlinedDeliveryCall(input);
  const [row] =
    inlined !== undefined
      ? await sendWithoutParameters<{ id: string | null }>(sql, inlined)
      : await renewingOnLoss(
          sql,
          () => sql<{ id: string | null }[]>`
            select hub_record_webhook_delivery(${input.organizationId}::uuid, ${input.integrationId}::uuid,
              ${input.deliveryId}, ${input.bodySha256}, ${input.eventType}, ${input.payload},
              ${input.sourceTimestamp}::timestamptz) as id`,
        );
  return row?.id ?? undefined;
}
