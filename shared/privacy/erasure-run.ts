/**
 * One delivery of an erasure message: claims the erasure under a lease, then runs its remaining steps in order
 * (shared/domain/privacy.ts), recording each outcome before the next. The database step is last and ends the erasure
 * in its own transaction. A crash anywhere leaves the steps done so far recorded; the redelivered message goes on from
 * there, and every step is idempotent, so the result is the same.
 */
import { type Tx, withTenant } from '../db/tenant.js';
import { type ErasureStep, type ErasureStepName, nextErasureStep, withStep } from '../domain/privacy.js';
import type { SyncDependencies } from '../sync/dependencies.js';
import { LeaseLostError } from '../sync/errors.js';
import { safeErrorFields } from '../triggers/schedule-stack.js';
import { anonymizeSubject } from './anonymize.js';
import { type Claim, claimErasure, findErasure, saveSteps } from './erasure-repository.js';
import { eraseDocuments, eraseRawPayloads, propagateErasure, type StepContext } from './erasure-steps.js';
import type { ErasureMessage } from './messages.js';
import { readSubject } from './subject.js';

export interface ErasureDependencies extends SyncDependencies {
  /** How long one delivery holds the erasure; more than the function's timeout, less than the visibility timeout. */
  erasureLeaseMs?: number;
  /** After a step's outcome is stored (reliability tests crash here). */
  afterErasureStep?: (step: ErasureStepName) => Promise<void>;
}

export type ErasureRunOutcome = 'done' | 'already_done' | 'busy' | 'missing';

const DEFAULT_LEASE_MS = 10 * 60_000;

export async function runErasure(
  deps: ErasureDependencies,
  message: Pick<ErasureMessage, 'organizationId' | 'erasureId'>,
): Promise<ErasureRunOutcome> {
  const org = message.organizationId;
  const worker = <T>(fn: (tx: Tx) => Promise<T>) => withTenant(deps.sql, org, 'worker', fn);
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + (deps.erasureLeaseMs ?? DEFAULT_LEASE_MS));
  const claim = await worker((tx) => claimErasure(tx, { id: message.erasureId, now, leaseUntil }));
  if (!claim) {
    const current = await worker((tx) => findErasure(tx, message.erasureId));
    if (!current) return 'missing';
    return current.state === 'done' ? 'already_done' : 'busy';
  }
  const subject = await worker((tx) => readSubject(tx, claim.erasure.candidate_id));
  if (!subject) return 'missing';
  const ctx: StepContext = { sql: deps.sql, organizationId: org, subject };
  let steps: ErasureStep[] = claim.erasure.steps;
  for (let name = nextErasureStep(steps); name !== null; name = nextErasureStep(steps)) {
    try {
      if (name === 'database') {
        await finish(deps, ctx, claim, steps);
        return 'done';
      }
      steps = withStep(steps, await runStep(deps, ctx, claim, name));
      await save(deps, org, claim, steps);
      await deps.afterErasureStep?.(name);
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      const failed: ErasureStep = { name, state: 'failed', detail: safeErrorFields(error) };
      await save(deps, org, claim, withStep(steps, failed), 'failed');
      throw error;
    }
  }
  return 'done';
}

async function runStep(
  deps: ErasureDependencies,
  ctx: StepContext,
  claim: Claim,
  name: Exclude<ErasureStepName, 'database'>,
): Promise<ErasureStep> {
  if (name === 'documents')
    return { name, state: 'done', detail: await eraseDocuments(ctx, deps.objectStore) };
  if (name === 'raw_payloads') {
    return { name, state: 'done', detail: await eraseRawPayloads(ctx, deps.objectStore) };
  }
  if (!claim.erasure.propagate) return { name, state: 'skipped', detail: { reason: 'propagate is false' } };
  return { name, state: 'done', detail: { ...(await propagateErasure(ctx, deps)) } };
}

async function save(
  deps: ErasureDependencies,
  org: string,
  claim: Claim,
  steps: ErasureStep[],
  state?: 'failed',
): Promise<void> {
  const saved = await withTenant(deps.sql, org, 'worker', (tx) =>
    saveSteps(tx, {
      id: claim.erasure.id,
      token: claim.token,
      steps,
      now: deps.clock.now(),
      ...(state ? { state } : {}),
    }),
  );
  if (!saved) throw new LeaseLostError('the erasure lease was taken over');
}

/** The database step and the end of the erasure, in one transaction. */
async function finish(deps: ErasureDependencies, ctx: StepContext, claim: Claim, steps: ErasureStep[]) {
  await withTenant(deps.sql, ctx.organizationId, 'worker', async (tx) => {
    const counts = await anonymizeSubject(tx, ctx.subject);
    const final = withStep(steps, { name: 'database', state: 'done', detail: counts });
    const saved = await saveSteps(tx, {
      id: claim.erasure.id,
      token: claim.token,
      steps: final,
      state: 'done',
      now: deps.clock.now(),
    });
    if (!saved) throw new LeaseLostError('the erasure lease was taken over');
  });
}
