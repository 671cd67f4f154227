import {
  applyChange,
  findApplicationState,
  stageChangedPayload,
  statusChangedPayload,
} from '../db/repositories/applications.js';
import type { Tx } from '../db/tenant.js';
import {
  type ApplicationStatus,
  type Decision,
  decideStageMove,
  decideStatusChange,
  isNewerSourceEvent,
  type StageRef,
} from '../domain/pipeline.js';

export type ProviderChange =
  | { kind: 'stage'; toStageId: string }
  | { kind: 'status'; status: Exclude<ApplicationStatus, 'active'> }
  /** The provider reopened a closed application: the hub's rules never allow it, so it is recorded as skipped. */
  | { kind: 'reopen' };

export type ChangeOutcome =
  | { outcome: 'applied' }
  | { outcome: 'unchanged' }
  | { outcome: 'skipped'; reason: string };

const skip = (reason: string): ChangeOutcome => ({ outcome: 'skipped', reason });

function denied<T>(decision: Decision<T>): string | null {
  return decision.ok ? null : `${decision.code}: ${decision.reason}`;
}

/**
 * Applies a stage or status change a provider reported, as the ATS side would (actor `provider`): the
 * ownership rules decide, `applyChange` writes state + history + outbox in one compare-and-set statement, and
 * an event older than the state already applied (`source_updated_at`) never overwrites it. Forbidden moves come
 * back as `skipped` with the rule's reason; nothing is thrown.
 */
export async function applyProviderChange(
  tx: Tx,
  input: { applicationId: string; change: ProviderChange; provider: string; sourceTimestamp: Date | null },
): Promise<ChangeOutcome> {
  const [guard] = await tx<{ source_updated_at: Date | null }[]>`
    select source_updated_at from applications where id = ${input.applicationId} and deleted_at is null`;
  if (!guard) return skip('application not found');
  if (input.sourceTimestamp && !isNewerSourceEvent(input.sourceTimestamp, guard.source_updated_at)) {
    return skip('older than the state already applied');
  }
  const state = await findApplicationState(tx, input.applicationId);
  if (!state) return skip('application not found');
  /** The provider's newer event agrees with the hub: nothing changes but its time, so an older event cannot win later. */
  const unchanged = async (): Promise<ChangeOutcome> => {
    if (input.sourceTimestamp) {
      await tx`
        update applications set source_updated_at = ${input.sourceTimestamp}
        where id = ${input.applicationId}
          and (source_updated_at is null or source_updated_at < ${input.sourceTimestamp})`;
    }
    return { outcome: 'unchanged' };
  };
  const { change } = input;
  if (change.kind === 'reopen') {
    return state.status === 'active'
      ? unchanged()
      : skip(`INVALID_TRANSITION: application is ${state.status}`);
  }

  let target: StageRef = state.stage;
  let toStatus: ApplicationStatus;
  if (change.kind === 'stage' || (change.kind === 'status' && change.status === 'hired')) {
    const found =
      change.kind === 'stage'
        ? state.stages.find((s) => s.id === change.toStageId)
        : state.stages.find((s) => s.kind === 'offer_accepted');
    if (!found) return skip('stage not found on the job');
    if (found.id === state.stage.id && (change.kind === 'stage' || state.status === 'hired'))
      return unchanged();
    const decision = decideStageMove('provider', state, found);
    const reason = denied(decision);
    if (reason || !decision.ok) return skip(reason ?? 'denied');
    target = found;
    toStatus = decision.value.status;
  } else {
    if (state.status === change.status) return unchanged();
    if (change.status === 'hired') return skip('hire needs an offer accepted stage');
    const decision = decideStatusChange('provider', state, change.status);
    const reason = denied(decision);
    if (reason || !decision.ok) return skip(reason ?? 'denied');
    toStatus = decision.value;
  }

  const stageEvent = target.id !== state.stage.id;
  const by = { actorRole: 'provider', source: input.provider } as const;
  const changed = await applyChange(tx, {
    applicationId: state.id,
    expectedStageId: state.stage.id,
    expectedVersion: state.version,
    toStageId: target.id,
    toStatus,
    rejectionReasonId: null,
    ...by,
    actor: null,
    note: null,
    eventTypes: [stageEvent ? 'application.stage_changed' : 'application.status_changed'],
    eventPayload: stageEvent
      ? stageChangedPayload(state, target, toStatus, by)
      : statusChangedPayload(state, toStatus, null, by),
    sourceTimestamp: input.sourceTimestamp,
  });
  return changed ? { outcome: 'applied' } : skip('a concurrent change won');
}
