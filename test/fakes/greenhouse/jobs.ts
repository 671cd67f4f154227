/** The Greenhouse fake's jobs for the job-fields contract (../fixture.ts `JobFakeHooks`). */
import { HOUR, type JobFakeHooks } from '../fixture.js';
import type { GreenhouseFake } from './server.js';

export function greenhouseJobs(fake: GreenhouseFake): JobFakeHooks {
  return {
    facts: () =>
      new Map(
        fake.state.jobs.map((job) => [
          String(job.id),
          // description (job posts), remote policy and pay (custom fields) are not on the job: left out
          { status: job.status, department: job.department.name, office: job.office?.name ?? null },
        ]),
      ),
    closeJob() {
      fake.clock.advance(HOUR);
      const job = fake.state.jobs.find((j) => j.status === 'open')!;
      job.status = 'closed';
      job.updatedAt = fake.clock.nowMs();
      return String(job.id);
    },
  };
}
