/** The Workday fake as the write-back contract suite drives it (`WriteBackFake`, ../fixture.ts). */
import type { WriteBackFake } from '../fixture.js';
import type { WorkdayFake } from './server.js';
import { writeStepOf } from './submissions.js';

export function workdayWriteBack(fake: WorkdayFake): WriteBackFake {
  const byEmail = (email: string) =>
    fake.state.liveCandidates().filter((c) => c.email.toLowerCase() === email.trim().toLowerCase());
  const attachmentsOf = (email: string) => {
    const ids = new Set(byEmail(email).map((c) => c.id));
    return fake.submissions.attachments.filter((a) => ids.has(a.candidateId));
  };
  return {
    openJobRemoteIds: () =>
      fake.state
        .liveRequisitions()
        .filter((r) => r.status === 'Open')
        .map((r) => r.id),
    remoteCounts(email) {
      const candidates = byEmail(email);
      return {
        candidates: candidates.length,
        applications: candidates.reduce((sum, c) => sum + c.applications.length, 0),
        attachments: attachmentsOf(email).length,
      };
    },
    attachedFiles: (email) => attachmentsOf(email).map((a) => ({ fileName: a.fileName, content: a.content })),
    stageOf(applicationRemoteId) {
      const application = fake.state.application(applicationRemoteId);
      if (!application) throw new Error(`no job application ${applicationRemoteId}`);
      return application.stepId;
    },
    seedCandidate: (person) => fake.state.addCandidate(person).candidateId,
    loseNextCreate(step) {
      fake.failNext(1, { kind: 'lost' }, (request) => writeStepOf(request) === step);
    },
    denyNextCreate: (step) => fake.submissions.denyNext(step),
    // Workday records the integration system user as acting (no on-behalf-of); the source is an Applicant_Source_ID.
    writeBackSettings: { pushSubmissions: true, actingUserId: null, sourceId: 'Career_Site' },
  };
}
