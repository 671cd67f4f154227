import type { Tx } from '../tenant.js';

export interface BucketConfig {
  /** Requests that may go out back to back. */
  capacity: number;
  refillPerSecond: number;
}

/**
 * Reserves one request slot of the integration's token bucket in ONE statement, shared by every Lambda
 * environment: refills by the time elapsed, takes a token (the balance may go negative: later callers queue
 * behind earlier reservations) and returns how long this caller must wait, including any block the provider
 * imposed (Retry-After, an exhausted window). The bucket runs at the configured pace, or at the tighter pace the
 * provider's own limit header taught an earlier invocation (`learned_*`).
 */
export async function reserveRequestSlot(
  tx: Tx,
  input: { organizationId: string; integrationId: string; now: Date; config: BucketConfig },
): Promise<number> {
  const { capacity, refillPerSecond } = input.config;
  const [row] = await tx<{ wait_ms: number }[]>`
    insert into rate_limits as r (organization_id, integration_id, tokens, capacity, refill_per_second, refilled_at)
    values (${input.organizationId}, ${input.integrationId}, ${capacity - 1}, ${capacity}, ${refillPerSecond}, ${input.now})
    on conflict (integration_id) do update set
      tokens = least(least(excluded.capacity, coalesce(r.learned_capacity, excluded.capacity)), r.tokens
        + greatest(0, extract(epoch from (excluded.refilled_at - r.refilled_at)))
          * least(excluded.refill_per_second, coalesce(r.learned_refill_per_second, excluded.refill_per_second))) - 1,
      refilled_at = greatest(r.refilled_at, excluded.refilled_at),
      capacity = least(excluded.capacity, coalesce(r.learned_capacity, excluded.capacity)),
      refill_per_second = least(excluded.refill_per_second, coalesce(r.learned_refill_per_second, excluded.refill_per_second)),
      updated_at = now()
    returning greatest(0,
      extract(epoch from (r.refilled_at - ${input.now}::timestamptz)) * 1000
        + case when r.tokens < 0 then -r.tokens / r.refill_per_second * 1000 else 0 end,
      coalesce(extract(epoch from (r.blocked_until - ${input.now}::timestamptz)) * 1000, 0))::float8 as wait_ms`;
  return Math.ceil(row?.wait_ms ?? 0);
}

/**
 * Feeds what the provider said back into the shared bucket: `remaining` caps the balance; a block (Retry-After,
 * or an exhausted window with a known reset) empties it, holds every caller until then and lets no tokens
 * accrue meanwhile (refilling restarts at the block's end, so no burst follows it).
 */
export async function observeProviderLimit(
  tx: Tx,
  input: { integrationId: string; capTokensAt: number | null; blockedUntil: Date | null },
): Promise<void> {
  await tx`
    update rate_limits set
      tokens = case when ${input.capTokensAt}::float8 is null then tokens else least(tokens, ${input.capTokensAt}::float8) end,
      blocked_until = case when ${input.blockedUntil}::timestamptz is null then blocked_until
        else greatest(coalesce(blocked_until, ${input.blockedUntil}::timestamptz), ${input.blockedUntil}::timestamptz) end,
      refilled_at = case when ${input.blockedUntil}::timestamptz is null then refilled_at
        else greatest(refilled_at, ${input.blockedUntil}::timestamptz) end,
      updated_at = now()
    where integration_id = ${input.integrationId}`;
}

/**
 * Stores the pace the provider's limit header allows (null: no tighter than configured), for every later
 * invocation of this integration; the bucket's current pace follows at once.
 */
export async function storeLearnedPace(
  tx: Tx,
  input: { integrationId: string; learned: BucketConfig | null },
): Promise<void> {
  const capacity = input.learned?.capacity ?? null;
  const refill = input.learned?.refillPerSecond ?? null;
  await tx`
    update rate_limits set
      learned_capacity = ${capacity}::float8,
      learned_refill_per_second = ${refill}::float8,
      capacity = coalesce(least(capacity, ${capacity}::float8), capacity),
      refill_per_second = coalesce(least(refill_per_second, ${refill}::float8), refill_per_second),
      updated_at = now()
    where integration_id = ${input.integrationId}
      and (learned_capacity, learned_refill_per_second) is distinct from (${capacity}::float8, ${refill}::float8)`;
}
