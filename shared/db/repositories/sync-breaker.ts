import type { Tx } from '../tenant.js';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** The circuit-breaker columns of an integration, as every reader of the breaker selects them. */
export interface BreakerColumns {
  breaker_state: BreakerState;
  breaker_failures: number;
  breaker_open_until: Date | null;
}

export interface BreakerRow extends BreakerColumns {
  health: 'healthy' | 'degraded' | 'unhealthy';
}

export async function readBreaker(tx: Tx, integrationId: string): Promise<BreakerRow | undefined> {
  const [row] = await tx<BreakerRow[]>`
    select breaker_state, breaker_failures, breaker_open_until, health from integrations where id = ${integrationId}`;
  return row;
}

/**
 * One failed provider operation (after its retries). The failure that reaches the threshold, or any failure
 * of a half-open probe, opens the breaker until `now + cooldown` and marks the integration unhealthy; the
 * transition to unhealthy writes `integration.unhealthy` to the outbox in the same statement.
 */
export async function recordBreakerFailure(
  tx: Tx,
  input: {
    integrationId: string;
    provider: string;
    now: Date;
    reason: string;
    threshold: number;
    cooldownMs: number;
  },
): Promise<BreakerRow | undefined> {
  const [row] = await tx<BreakerRow[]>`
    with current as (
      select id, organization_id, health as previous_health, breaker_failures + 1 as failures,
        (breaker_state <> 'closed' or breaker_failures + 1 >= ${input.threshold}) as opens
      from integrations where id = ${input.integrationId} for update
    ), updated as (
      update integrations i set
        breaker_failures = c.failures,
        breaker_state = case when c.opens then 'open' else 'closed' end,
        breaker_opened_at = case when c.opens and i.breaker_state <> 'open' then ${input.now}::timestamptz else i.breaker_opened_at end,
        breaker_open_until = case when c.opens
          then ${input.now}::timestamptz + make_interval(secs => ${input.cooldownMs / 1000}::float8
            * least(16, power(2, greatest(0, c.failures - ${input.threshold}))))
          else i.breaker_open_until end,
        health = case when c.opens then 'unhealthy' else i.health end,
        health_detail = i.health_detail || jsonb_build_object('breaker', jsonb_build_object(
          'state', case when c.opens then 'open' else 'closed' end, 'failures', c.failures,
          'lastFailure', ${input.reason}::text, 'at', ${input.now.toISOString()}::text)),
        updated_at = now()
      from current c
      where i.id = c.id
      returning i.id, i.organization_id, i.breaker_state, i.breaker_failures, i.breaker_open_until, i.health,
        c.previous_health
    ), event as (
      insert into outbox (organization_id, aggregate_type, aggregate_id, event_type, payload)
      select u.organization_id, 'integration', u.id, 'integration.unhealthy',
        jsonb_build_object('integrationId', u.id, 'provider', ${input.provider}::text, 'health', 'unhealthy',
          'reason', ${input.reason}::text, 'since', ${input.now.toISOString()}::text)
      from updated u where u.health = 'unhealthy' and u.previous_health <> 'unhealthy'
    )
    select breaker_state, breaker_failures, breaker_open_until, health from updated`;
  return row;
}

/** A successful operation closes the breaker and clears the health it caused; a no-op when already closed. */
export async function recordBreakerSuccess(tx: Tx, integrationId: string): Promise<void> {
  await tx`
    update integrations set
      breaker_state = 'closed', breaker_failures = 0, breaker_open_until = null,
      health = case when breaker_state <> 'closed' then 'healthy' else health end,
      health_detail = health_detail - 'breaker',
      updated_at = now()
    where id = ${integrationId} and (breaker_state <> 'closed' or breaker_failures > 0)`;
}
