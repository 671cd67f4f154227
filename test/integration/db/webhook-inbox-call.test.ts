/**
 * The webhook inbox write as one function call (migration 0019, `recordDeliveryAsTenant`): it records a delivery
 * once, under the integration's organization, and refuses what the statement sent inside a tenant transaction
 * refused. Every behaviour holds on both of its branches: under 16 KB the values go inlined in the statement
 * (one round trip), above it as parameters (RDS Proxy pins a session on a larger text).
 */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import {
  type DeliveryInput,
  inlinedDeliveryCall,
  recordDeliveryAsTenant,
} from '../../../shared/db/repositories/webhook-deliveries.js';
import { MAX_INLINED_STATEMENT_BYTES } from '../../../shared/db/single-call.js';
import { seedTenantGraph } from '../../support/fixtures.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();

/** Quotes, backslashes, E'' and dollar quoting, an injection attempt, control and non-ASCII characters. */
const HOSTILE =
  '{"q":"O\'Brien \'\' \\\' E\'x\' \\\\ \\x41 \\\\\' $$ $t$","sql":"\'); drop table webhook_deliveries; --",' +
  '"u":"Zoë ✓ 漢字 𝔘 \u2028","c":"line\nbreak\ttab\u0001\u007f"}';

function delivery(overrides: Partial<DeliveryInput> = {}): DeliveryInput {
  return {
    organizationId: seeded.graph.organizationId,
    integrationId: seeded.graph.integrationId,
    deliveryId: `d-${randomUUID()}`,
    bodySha256: randomUUID(),
    eventType: 'candidate_stage_change',
    payload: HOSTILE,
    sourceTimestamp: new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  };
}

/** The same delivery with its payload padded so that the inlined statement would be just over the limit. */
function overLimit(input: DeliveryInput): DeliveryInput {
  const bytes = Buffer.byteLength(inlinedDeliveryCall(input)!, 'utf8');
  return { ...input, payload: `${input.payload}${' '.repeat(MAX_INLINED_STATEMENT_BYTES - bytes)}` };
}

const branches = [
  { branch: 'inlined', make: (o: Partial<DeliveryInput> = {}) => delivery(o) },
  { branch: 'parameterised', make: (o: Partial<DeliveryInput> = {}) => overLimit(delivery(o)) },
];

const rowsFor = (deliveryId: string) =>
  seeded.db.owner<
    { organization_id: string; source_timestamp: Date | null; payload: Buffer; event_type: string }[]
  >`
    select organization_id, source_timestamp, convert_to(payload, 'UTF8') as payload, event_type
    from webhook_deliveries where delivery_id = ${deliveryId}`;

/** What the call sent: its statements with their parameters, through a client of its own. */
async function traced(input: DeliveryInput) {
  const sent: { query: string; parameters: unknown[] }[] = [];
  const client = postgres(seeded.db.appUrl, {
    max: 1,
    prepare: false,
    onnotice: () => {},
    debug: (_connection, query, parameters) => sent.push({ query, parameters: [...parameters] }),
  });
  try {
    await recordDeliveryAsTenant(client, input);
  } finally {
    await client.end({ timeout: 1 });
  }
  // the first statement on a connection is postgres.js's own array type lookup
  return sent.filter((s) => s.query.includes('hub_record_webhook_delivery'));
}

describe.each(branches)('the webhook inbox call, $branch', ({ branch, make }) => {
  it('takes the branch its statement size calls for', () => {
    const input = make();

    const inlined = inlinedDeliveryCall(input);

    expect(inlined !== undefined).toBe(branch === 'inlined');
  });

  it('sends one statement, with parameters only above the limit', async () => {
    const input = make();

    const sent = await traced(input);

    expect(sent).toHaveLength(1);
    expect(sent[0]!.parameters).toHaveLength(branch === 'inlined' ? 0 : 7);
  });

  it('records a new delivery under its organization and returns its row id', async () => {
    const input = make();

    const id = await recordDeliveryAsTenant(seeded.db.app, input);

    expect(id).toMatch(/^\d+$/);
    const rows = await rowsFor(input.deliveryId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.organization_id).toBe(seeded.graph.organizationId);
    expect(rows[0]!.source_timestamp?.toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('stores the payload, delivery id and event type byte for byte, hostile text included', async () => {
    const input = make({ deliveryId: `d-'\\'' ${randomUUID()} ✓`, eventType: "stage'\\change" });

    await recordDeliveryAsTenant(seeded.db.app, input);

    const [row] = await rowsFor(input.deliveryId);
    expect(row!.payload.equals(Buffer.from(input.payload, 'utf8'))).toBe(true);
    expect(row!.event_type).toBe(input.eventType);
  });

  it('records a delivery without a source timestamp', async () => {
    const input = make({ sourceTimestamp: null });

    await recordDeliveryAsTenant(seeded.db.app, input);

    const [row] = await rowsFor(input.deliveryId);
    expect(row!.source_timestamp).toBeNull();
  });

  it('returns nothing for a delivery id already recorded, and keeps one row', async () => {
    const input = make();
    await recordDeliveryAsTenant(seeded.db.app, input);

    const again = await recordDeliveryAsTenant(seeded.db.app, { ...input, bodySha256: randomUUID() });

    expect(again).toBeUndefined();
    expect(await rowsFor(input.deliveryId)).toHaveLength(1);
  });

  it('returns nothing for a body already received under another id', async () => {
    const first = make();
    await recordDeliveryAsTenant(seeded.db.app, first);
    const second = { ...make(), bodySha256: first.bodySha256 };

    const id = await recordDeliveryAsTenant(seeded.db.app, second);

    expect(id).toBeUndefined();
    expect(await rowsFor(second.deliveryId)).toHaveLength(0);
  });

  it("refuses another organization's integration, and writes nothing", async () => {
    const other = await seedTenantGraph(seeded.db.owner);
    const input = make({ integrationId: other.integrationId });

    await expect(recordDeliveryAsTenant(seeded.db.app, input)).rejects.toThrow();

    expect(await rowsFor(input.deliveryId)).toHaveLength(0);
  });

  it('leaves no tenant setting on the connection after the call', async () => {
    const connection = await seeded.db.app.reserve();
    try {
      await recordDeliveryAsTenant(connection, make());

      const [row] = await connection<{ org: string | null }[]>`
        select nullif(current_setting('app.organization_id', true), '') as org`;

      expect(row!.org).toBeNull();
    } finally {
      connection.release();
    }
  });
});
