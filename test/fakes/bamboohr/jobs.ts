/** The BambooHR fake's job openings for the job-fields contract (../fixture.ts `JobFakeHooks`). */
import type { JobFacts, JobFakeHooks } from '../fixture.js';
import type { BamboohrFake } from './server.js';
import type { JobStatus } from './state.js';

const STATUS: Record<JobStatus, JobFacts['status']> = {
  Open: 'open',
  Draft: 'draft',
  'On Hold': 'paused',
  Filled: 'closed',
  Canceled: 'closed',
  Deleted: 'closed',
};

export function bamboohrJobs(fake: BamboohrFake): JobFakeHooks {
  return {
    facts: () =>
      new Map(
        fake.state.jobs
          .filter((job) => job.status !== 'Deleted')
          .map((job) => [
            String(job.id),
            { status: STATUS[job.status], department: job.department, office: job.location },
          ]),
      ),
    closeJob() {
      const job = fake.state.jobs.find((j) => j.status === 'Open')!;
      fake.state.setJobStatus(job.id, 'Filled');
      return String(job.id);
    },
  };
}
