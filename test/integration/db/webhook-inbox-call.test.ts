/**
 * The webhook inbox write as one function call (migration 0019, `recordDeliveryAsTenant`): it records a delivery
 * once, under the integration's organization, and refuses what the statement sent inside a tenant transaction
 * refused.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  type DeliveryInput,
  recordDeliveryAsTenant,
} from '../../../shared/db/repositories/webhook-deliveries.js';
import { seedTenantGraph } from '../../support/fixtures.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();

function delivery(overrides: Partial<DeliveryInput> = {}): DeliveryInput {
  return {
    organizationId: seeded.graph.organizationId,
    integrationId: seeded.graph.integrationId,
    deliveryId: `d-${randomUUID()}`,
    bodySha256: randomUUID(),
    eventType: 'candidate_stage_change',
    payload: '{"action":"candidate_stage_change"}',
    sourceTimestamp: new Date('2026-12-01T10:00:00Z'),
    ...overrides,
  };
}

const rowsFor = (deliveryId: string) =>
  seeded.db.owner<{ organization_id: string; source_timestamp: Date | null }[]>`
    select organization_id, source_timestamp from webhook_deliveries where delivery_id = ${deliveryId}`;

describe('the webhook inbox call', () => {
  it('records a new delivery under its organization and returns its row id', async () => {
    const input = delivery();

    const id = await recordDeliveryAsTenant(seeded.db.app, input);

    expect(id).toMatch(/^\d+$/);
    const rows = await rowsFor(input.deliveryId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.organization_id).toBe(seeded.graph.organizationId);
    expect(rows[0]!.source_timestamp?.toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });

  it('returns nothing for a delivery id already recorded, and keeps one row', async () => {
    const input = delivery();
    await recordDeliveryAsTenant(seeded.db.app, input);

    const again = await recordDeliveryAsTenant(seeded.db.app, { ...input, bodySha256: randomUUID() });

    expect(again).toBeUndefined();
    expect(await rowsFor(input.deliveryId)).toHaveLength(1);
  });

  it('returns nothing for a body already received under another id', async () => {
    const first = delivery();
    await recordDeliveryAsTenant(seeded.db.app, first);
    const second = delivery({ bodySha256: first.bodySha256 });

    const id = await recordDeliveryAsTenant(seeded.db.app, second);

    expect(id).toBeUndefined();
    expect(await rowsFor(second.deliveryId)).toHaveLength(0);
  });

  it("refuses another organization's integration, and writes nothing", async () => {
    const other = await seedTenantGraph(seeded.db.owner);
    const input = delivery({ integrationId: other.integrationId });

    await expect(recordDeliveryAsTenant(seeded.db.app, input)).rejects.toThrow();

    expect(await rowsFor(input.deliveryId)).toHaveLength(0);
  });

  it('leaves no tenant setting on the connection after the call', async () => {
    const connection = await seeded.db.app.reserve();
    try {
      await recordDeliveryAsTenant(connection, delivery());

      const [row] = await connection<{ org: string | null }[]>`
        select nullif(current_setting('app.organization_id', true), '') as org`;

      expect(row!.org).toBeNull();
    } finally {
      connection.release();
    }
  });
});
