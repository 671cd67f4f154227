/**
 * A refused `Move_Candidate` reports the step the application is in, read back through its candidate: a retried
 * move whose first write landed finds the target step, a stale move the step a recruiter moved it to.
 */
import { describe, expect, it } from 'vitest';
import { provider } from '../../../shared/providers/workday/index.js';
import { fakeLifecycle } from '../../fakes/common/lifecycle.js';
import { startWorkdayFake, type WorkdayFake } from '../../fakes/workday/index.js';
import { type ClientOverrides, clientWith } from './client-harness.js';

const { start: startFake } = fakeLifecycle(startWorkdayFake, { seed: 11, candidates: 40 });

const clientFor = (f: WorkdayFake, overrides: ClientOverrides = {}) =>
  clientWith(
    provider,
    {
      credentials: { username: f.username, password: f.password, tenant: f.tenant },
      settings: { baseUrl: f.url, dispositionStepId: 'STEP-DISPOSITION' },
      clock: f.clock,
    },
    overrides,
  );

/** An open application in the review step, with its candidate's id. */
function reviewApplication(f: WorkdayFake) {
  for (const candidate of f.state.liveCandidates()) {
    const application = candidate.applications.find((a) => a.stepId === 'STEP-REVIEW' && !a.dispositionId);
    if (application) return { candidateId: candidate.id, applicationId: application.id };
  }
  throw new Error('the seed has no open application in review');
}

interface RefusedMove {
  /** Where the application is at Workday when the hub's move arrives. */
  providerStep: string;
  from: string;
  to: string;
  /** The push knows the application's candidate (default true). */
  withCandidate?: boolean;
  settings?: Record<string, unknown>;
}

/** Moves a review application to `providerStep` at Workday, then sends the hub's move from `from` to `to`. */
async function moveAfter(move: RefusedMove) {
  const f = await startFake();
  const { candidateId, applicationId } = reviewApplication(f);
  f.state.moveApplication(applicationId, move.providerStep);
  const result = await clientFor(f, { settings: move.settings ?? {} }).moveStage({
    applicationRemoteId: applicationId,
    jobRemoteId: null,
    fromStageRemoteId: move.from,
    toStageRemoteId: move.to,
    ...(move.withCandidate === false ? {} : { candidateRemoteId: candidateId }),
  });
  return { f, result };
}

describe('Workday refused moves', () => {
  it('reports the target step when the application is already in it (a retried move that landed)', async () => {
    const { result } = await moveAfter({
      providerStep: 'STEP-SCREEN',
      from: 'STEP-REVIEW',
      to: 'STEP-SCREEN',
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused', currentStageRemoteId: 'STEP-SCREEN' });
  });

  it('reports the step a stale move found the application in', async () => {
    const { result } = await moveAfter({
      providerStep: 'STEP-INTERVIEW',
      from: 'STEP-REVIEW',
      to: 'STEP-SCREEN',
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused', currentStageRemoteId: 'STEP-INTERVIEW' });
  });

  it('reports the recruiting stage when moves go by Recruiting_Stage_Reference', async () => {
    const { result } = await moveAfter({
      providerStep: 'STEP-SCREEN',
      from: 'Review',
      to: 'Screen',
      settings: { moveStageReference: 'Recruiting_Stage_Reference' },
    });

    expect(result).toMatchObject({ ok: false, kind: 'refused', currentStageRemoteId: 'Screen' });
  });

  it('reads nothing back without the candidate', async () => {
    const { f, result } = await moveAfter({
      providerStep: 'STEP-SCREEN',
      from: 'STEP-REVIEW',
      to: 'STEP-SCREEN',
      withCandidate: false,
    });

    expect({
      current: result.ok ? 'moved' : result.kind === 'refused' ? result.currentStageRemoteId : result.kind,
      reads: f.operations.filter((o) => o.operation === 'Get_Candidates').length,
    }).toEqual({ current: undefined, reads: 0 });
  });
});
