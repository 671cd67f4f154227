/**
 * The BambooHR fake as the write-back contract suite drives it (WriteBackFake in ../fixture.ts). BambooHR makes the
 * applicant, the application and the resume in one create, so every step's create is that one call: losing or
 * refusing "the attachment create" loses or refuses the whole create.
 */
import type { WriteBackFake } from '../fixture.js';
import type { BamboohrFake } from './server.js';
import { isCreate } from './submissions.js';

export function bamboohrWriteBack(fake: BamboohrFake): WriteBackFake {
  const { state } = fake;
  const open = () => state.jobs.filter((job) => job.status === 'Open');
  // BambooHR has no candidate without an application: a seeded candidate applied to a job the submissions do
  // not target (a closed one, else the last open one).
  const seedJob = () =>
    state.jobs.find((job) => job.status !== 'Open' && job.status !== 'Deleted') ?? open().at(-1)!;
  const applicationsOf = (email: string) =>
    state.liveApplications().filter((a) => a.applicant.email.toLowerCase() === email.toLowerCase());
  const resumesOf = (email: string) => {
    const ids = new Set(applicationsOf(email).map((a) => a.id));
    return fake.submissions.files.filter((f) => f.field === 'resume' && ids.has(f.applicationId));
  };
  return {
    openJobRemoteIds() {
      const jobs = open();
      const seed = seedJob();
      return (jobs.length > 1 ? jobs.filter((job) => job !== seed) : jobs).map((job) => String(job.id));
    },
    remoteCounts(email) {
      const applications = applicationsOf(email);
      return {
        candidates: new Set(applications.map((a) => a.applicant.id)).size,
        applications: applications.length,
        attachments: resumesOf(email).length,
      };
    },
    attachedFiles: (email) => resumesOf(email).map((f) => ({ fileName: f.fileName, content: f.content })),
    stageOf(applicationRemoteId) {
      const application = state.application(Number(applicationRemoteId));
      if (!application) throw new Error(`no application ${applicationRemoteId}`);
      return String(application.statusId);
    },
    seedCandidate(person) {
      const application = state.addApplication({
        jobId: seedJob().id,
        person: { ...person, phoneNumber: '' },
      });
      return String(application.applicant.id);
    },
    loseNextCreate: () => fake.failNext(1, { kind: 'lost' }, isCreate),
    denyNextCreate: () => fake.submissions.denyNext(),
    // The API key's owner is the actor (no acting-user field); the source is BambooHR's free-text `source`.
    writeBackSettings: { pushSubmissions: true, sourceId: 'Careers portal' },
  };
}
