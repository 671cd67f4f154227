/**
 * When the webhook inbox call goes with its values inlined (`inlinedDeliveryCall`): only while the statement stays
 * under 16 KB, measured in UTF-8 bytes as sent (RDS Proxy pins a session on a larger text), and only for values
 * an SQL constant can carry exactly.
 */
import { describe, expect, it } from 'vitest';
import {
  type DeliveryInput,
  inlinedDeliveryCall,
} from '../../../shared/db/repositories/webhook-deliveries.js';
import { MAX_INLINED_STATEMENT_BYTES } from '../../../shared/db/single-call.js';

function delivery(overrides: Partial<DeliveryInput> = {}): DeliveryInput {
  return {
    organizationId: '0b8f5c1e-2f44-4b53-9d2a-1c1f6f1e9a01',
    integrationId: '7d1c2a55-95a3-4d0f-8c1e-3a8b9f0c2d44',
    deliveryId: 'd-1',
    bodySha256: 'ab'.repeat(32),
    eventType: 'candidate_stage_change',
    payload: '{"notes":""}',
    sourceTimestamp: null,
    ...overrides,
  };
}

/** A delivery whose inlined statement would have exactly `bytes` bytes (ASCII padding). */
function withStatementBytes(bytes: number): DeliveryInput {
  const base = delivery();
  const padding = bytes - Buffer.byteLength(inlinedDeliveryCall(base)!, 'utf8');
  return { ...base, payload: `{"notes":"${'x'.repeat(padding)}"}` };
}

describe('the inlined webhook inbox call', () => {
  it('is used for a statement one byte under 16 KB', () => {
    const input = withStatementBytes(MAX_INLINED_STATEMENT_BYTES - 1);

    const text = inlinedDeliveryCall(input);

    expect(Buffer.byteLength(text!, 'utf8')).toBe(MAX_INLINED_STATEMENT_BYTES - 1);
  });

  it('is not used for a statement of 16 KB', () => {
    const input = withStatementBytes(MAX_INLINED_STATEMENT_BYTES);

    expect(inlinedDeliveryCall(input)).toBeUndefined();
  });

  it('counts bytes, not characters: 6,000 euro signs are 18,000 bytes', () => {
    const input = delivery({ payload: '€'.repeat(6000) });

    expect(inlinedDeliveryCall(input)).toBeUndefined();
  });

  it('counts the doubled quotes and backslashes of the escaped text', () => {
    const input = withStatementBytes(MAX_INLINED_STATEMENT_BYTES - 1);
    const escaped = { ...input, payload: `${input.payload.slice(0, -3)}'"}` };

    expect(inlinedDeliveryCall(escaped)).toBeUndefined();
  });

  it('doubles every quote and backslash inside an E constant', () => {
    const input = delivery({ payload: "O'Brien \\' \\\\" });

    const text = inlinedDeliveryCall(input);

    expect(text).toContain(`E'O''Brien \\\\'' \\\\\\\\'::text`);
  });

  it('writes the source timestamp as the ISO text a Date parameter is sent as', () => {
    const input = delivery({ sourceTimestamp: new Date('2026-12-01T10:00:00Z') });

    expect(inlinedDeliveryCall(input)).toContain(`'2026-12-01T10:00:00.000Z'::timestamptz`);
  });

  it('is not used for a value holding NUL, which the parameterised call refuses as before', () => {
    const input = delivery({ deliveryId: 'd-\u0000' });

    expect(inlinedDeliveryCall(input)).toBeUndefined();
  });

  it('is not used for an organization id that is not a UUID', () => {
    const input = delivery({ organizationId: "x'::uuid, null); --" });

    expect(inlinedDeliveryCall(input)).toBeUndefined();
  });
});
