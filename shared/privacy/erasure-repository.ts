/**
 * The erasure record (migrations/0015_privacy.sql): created once per candidate, claimed by one delivery at a time
 * under a lease, its steps recorded one by one. SQL only; the order of the steps is shared/domain/privacy.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/tenant.js';
import type { ErasureState, ErasureStep } from '../domain/privacy.js';

export interface ErasureRow {
  id: string;
  candidate_id: string;
  state: ErasureState;
  propagate: boolean;
  steps: ErasureStep[];
  reappearances: number;
  requested_at: Date;
  completed_at: Date | null;
}

const COLUMNS = 'id, candidate_id, state, propagate, steps, reappearances, requested_at, completed_at';

/**
 * The candidate's erasure, created on the first request: with the hashes of every email the candidate has now, and
 * the organization's privacy row (its salt) created if need be. Undefined when the candidate is not visible.
 */
export async function requestErasure(
  tx: Tx,
  input: { candidateId: string; keyId: string | null; reason: string; propagate: boolean; now: Date },
): Promise<{ erasure: ErasureRow; created: boolean } | undefined> {
  const [candidate] = await tx<{ id: string }[]>`
    select id from candidates where id = ${input.candidateId}`;
  if (!candidate) return undefined;
  await tx`insert into organization_privacy (organization_id) values (app_org()) on conflict do nothing`;
  const inserted = await tx<ErasureRow[]>`
    insert into erasures (organization_id, candidate_id, requested_by_key_id, reason, propagate, email_hashes,
      requested_at)
    select c.organization_id, c.id, ${input.keyId}, ${input.reason}, ${input.propagate},
      privacy_email_hashes(array[c.email] || array(select e ->> 'value' from jsonb_array_elements(c.emails) e)),
      ${input.now}
    from candidates c where c.id = ${input.candidateId}
    on conflict (organization_id, candidate_id) do nothing
    returning ${tx.unsafe(COLUMNS)}`;
  if (inserted[0]) return { erasure: inserted[0], created: true };
  const [existing] = await tx<ErasureRow[]>`
    select ${tx.unsafe(COLUMNS)} from erasures where candidate_id = ${input.candidateId}`;
  return existing ? { erasure: existing, created: false } : undefined;
}

export async function findErasure(tx: Tx, id: string): Promise<ErasureRow | undefined> {
  const [row] = await tx<ErasureRow[]>`select ${tx.unsafe(COLUMNS)} from erasures where id = ${id}`;
  return row;
}

export async function findErasureOfCandidate(tx: Tx, candidateId: string): Promise<ErasureRow | undefined> {
  const [row] = await tx<ErasureRow[]>`
    select ${tx.unsafe(COLUMNS)} from erasures where candidate_id = ${candidateId}`;
  return row;
}

export interface Claim {
  erasure: ErasureRow;
  token: string;
}

/**
 * Takes the erasure for one delivery until `leaseUntil`: nothing when it is done or another delivery holds a live
 * lease (that one finishes it; if it dies, its message comes back after the lease ran out).
 */
export async function claimErasure(
  tx: Tx,
  input: { id: string; now: Date; leaseUntil: Date },
): Promise<Claim | undefined> {
  const token = randomUUID();
  const [row] = await tx<ErasureRow[]>`
    update erasures set state = 'running', attempts = attempts + 1, lease_token = ${token},
      lease_until = ${input.leaseUntil}
    where id = ${input.id} and state <> 'done' and (lease_until is null or lease_until <= ${input.now})
    returning ${tx.unsafe(COLUMNS)}`;
  return row ? { erasure: row, token } : undefined;
}

/** Stores the steps so far (and, with `state`, the erasure's state); false when the lease was lost. */
export async function saveSteps(
  tx: Tx,
  input: { id: string; token: string; steps: ErasureStep[]; state?: ErasureState; now: Date },
): Promise<boolean> {
  const done = input.state === 'done';
  const release = input.state !== undefined;
  const rows = await tx`
    update erasures set steps = ${tx.json(input.steps as never)}::jsonb,
      state = coalesce(${input.state ?? null}, state),
      completed_at = case when ${done} then ${input.now}::timestamptz else completed_at end,
      lease_token = case when ${release} then null else lease_token end,
      lease_until = case when ${release} then null else lease_until end
    where id = ${input.id} and lease_token = ${input.token}`;
  return rows.count === 1;
}
