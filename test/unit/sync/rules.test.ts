import { describe, expect, it } from 'vitest';
import { placeholderEmail } from '../../../shared/db/repositories/sync-candidates.js';
import { customStageNames } from '../../../shared/db/repositories/sync-jobs.js';
import type { OutboxMessage } from '../../../shared/messages/queue-messages.js';
import { ProviderError } from '../../../shared/ports/provider.js';
import { countsAgainstBreaker } from '../../../shared/sync/circuit-breaker.js';
import { rawPayloadKey } from '../../../shared/sync/raw-payloads.js';
import { isRetryable } from '../../../shared/sync/retry-policy.js';
import { operationOf } from '../../../shared/sync/status-push.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const message = (eventType: string, payload: Record<string, unknown>): OutboxMessage => ({
  type: 'outbox',
  outboxId: '1',
  organizationId: A,
  eventType,
  aggregateType: 'application',
  aggregateId: A,
  payload,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('retries and the breaker', () => {
  it.each([
    ['rate_limited', true],
    ['transient', true],
    ['auth', false],
    ['refused', false],
    ['permanent', false],
    ['cursor_expired', false],
  ] as const)('retries %s: %s', (kind, expected) => {
    expect(isRetryable(new ProviderError('x', kind))).toBe(expected);
  });

  it('counts provider and connection failures against the breaker, not refusals or missing records', () => {
    expect(countsAgainstBreaker(new ProviderError('x', 'transient'))).toBe(true);
    expect(countsAgainstBreaker(new ProviderError('x', 'auth'))).toBe(true);
    expect(countsAgainstBreaker(new ProviderError('x', 'refused'))).toBe(false);
    expect(countsAgainstBreaker(new ProviderError('x', 'not_found'))).toBe(false);
    expect(countsAgainstBreaker(new Error('bug'))).toBe(false);
  });
});

describe('status push operations', () => {
  it('pushes a stage change as a move and a move into Offer Accepted as a hire', () => {
    expect(
      operationOf(message('application.stage_changed', { toStageId: B, fromStageId: A, status: 'active' })),
    ).toEqual({
      op: 'move',
      toStageId: B,
      fromStageId: A,
    });
    expect(
      operationOf(message('application.stage_changed', { toStageId: B, fromStageId: A, status: 'hired' })),
    ).toEqual({
      op: 'hire',
      fromStageId: A,
    });
  });

  it('pushes rejection and withdrawal as a reject, and nothing else', () => {
    expect(
      operationOf(message('application.status_changed', { status: 'withdrawn', stageId: A, reasonId: null })),
    ).toMatchObject({
      op: 'reject',
      withdrawn: true,
    });
    expect(operationOf(message('application.created', { applicationId: A }))).toBeNull();
  });
});

describe('import mapping', () => {
  it('turns provider stages into custom stages, leaving the hub’s fixed stages and duplicates out', () => {
    const stages = [
      { remoteId: '1', name: 'Phone Screen', position: 1 },
      { remoteId: '2', name: 'Application Review', position: 0 },
      { remoteId: '3', name: 'offer', position: 3 },
      { remoteId: '4', name: 'phone screen', position: 2 },
      { remoteId: '5', name: '  ', position: 4 },
    ];
    expect(customStageNames(stages)).toEqual(['Application Review', 'Phone Screen']);
  });

  it('gives a candidate without email a stable address that can never be delivered or matched', () => {
    const one = placeholderEmail(A, '42');
    expect(one).toBe(placeholderEmail(A, '42'));
    expect(one).not.toBe(placeholderEmail(B, '42'));
    expect(one).toMatch(/^no-email-[0-9a-f]{32}@sync\.invalid$/);
  });

  it('stores raw pages under raw/<org>/<integration>/<object>/<run>/<page>.json', () => {
    expect(
      rawPayloadKey({ organizationId: A, integrationId: B, objectType: 'candidate', syncRunId: A, page: 3 }),
    ).toBe(`raw/${A}/${B}/candidate/${A}/3.json`);
  });
});
