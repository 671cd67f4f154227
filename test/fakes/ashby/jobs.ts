/** The Ashby fake's jobs for the job-fields contract (../fixture.ts `JobFakeHooks`). */
import { HOUR, type JobFacts, type JobFakeHooks } from '../fixture.js';
import type { AshbyFake } from './server.js';

const STATUS: Record<string, JobFacts['status']> = {
  Draft: 'draft',
  Open: 'open',
  Closed: 'closed',
  Archived: 'closed',
};
const WORKPLACE = { OnSite: 'onsite', Remote: 'remote', Hybrid: 'hybrid' } as const;

export function ashbyJobs(fake: AshbyFake): JobFakeHooks {
  return {
    facts: () =>
      new Map(
        fake.state.jobs.map((job) => [
          job.id,
          // the department comes as an id only; no description or pay on job.list
          {
            status: STATUS[job.status]!,
            office: job.location.name,
            remotePolicy: WORKPLACE[job.location.workplaceType],
          },
        ]),
      ),
    closeJob() {
      fake.clock.advance(HOUR);
      const job = fake.state.jobs.find((j) => j.status === 'Open')!;
      job.status = 'Closed';
      job.updatedAt = fake.clock.nowMs();
      return job.id;
    },
  };
}
