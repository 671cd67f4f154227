/** The Greenhouse fake as the write-back contract suite drives it (`WriteBackFake`, ../fixture.ts). */

import type { FakeRequest } from '../common/loopback-server.js';
import type { WriteBackFake, WriteBackStep } from '../fixture.js';
import type { GreenhouseFake } from './server.js';
import { GH_SOURCES, ghForbidden } from './submissions.js';

const CREATE_PATHS: Record<WriteBackStep, string> = {
  candidate: '/v3/candidates',
  application: '/v3/applications',
  attachment: '/v3/attachments',
};

/** The create request of `step`: a candidate's nested application is the `candidate` step's create. */
export const matchCreateOf = (step: WriteBackStep) => (request: FakeRequest) =>
  request.method === 'POST' && request.path === CREATE_PATHS[step];

export function greenhouseWriteBack(fake: GreenhouseFake): WriteBackFake {
  const { state, submissions } = fake;
  const candidatesOf = (email: string) => {
    const wanted = email.toLowerCase();
    return state.candidates.filter((c) => c.emails.some((e) => e.toLowerCase() === wanted));
  };
  const attachmentsOf = (email: string) => {
    const ids = new Set(candidatesOf(email).map((c) => c.id));
    return submissions.attachments.filter((a) => ids.has(a.candidateId));
  };
  return {
    openJobRemoteIds: () => state.jobs.filter((j) => j.status === 'open').map((j) => String(j.id)),
    remoteCounts(email) {
      const ids = new Set(candidatesOf(email).map((c) => c.id));
      return {
        candidates: ids.size,
        applications: state.applications.filter((a) => ids.has(a.candidateId)).length,
        attachments: attachmentsOf(email).length,
      };
    },
    attachedFiles: (email) => attachmentsOf(email).map((a) => ({ fileName: a.filename, content: a.content })),
    stageOf: (applicationRemoteId) => String(state.applicationById.get(Number(applicationRemoteId))?.stageId),
    seedCandidate: (person) => String(submissions.seedCandidate(person).id),
    loseNextCreate: (step) => fake.failNext(1, { kind: 'lost' }, matchCreateOf(step)),
    // The refusal Greenhouse gives an acting user without the permission: 403, nothing created.
    denyNextCreate: (step) => {
      const refusal = ghForbidden('the user cannot perform this action');
      fake.failNext(1, { kind: 'status', status: refusal.status, body: refusal.body }, matchCreateOf(step));
    },
    // a recruiter other than the credential's default user, so writes show the `sub` switch
    writeBackSettings: { actingUserId: '102', sourceId: String(GH_SOURCES[0]!.id) },
  };
}
