/** The Lever fake's postings for the job-fields contract (../fixture.ts `JobFakeHooks`). */
import { HOUR, type JobFacts, type JobFakeHooks } from '../fixture.js';
import type { LeverFake } from './server.js';

const STATUS: Record<string, JobFacts['status']> = {
  published: 'open',
  internal: 'open',
  draft: 'draft',
  pending: 'draft',
  closed: 'closed',
  rejected: 'closed',
};

export function leverJobs(fake: LeverFake): JobFakeHooks {
  return {
    facts: () =>
      new Map(
        fake.state.postings.map((p) => [
          p.id,
          {
            status: STATUS[p.state]!,
            department: p.department ?? p.team,
            office: p.location,
            remotePolicy: p.workplaceType === 'unspecified' ? null : p.workplaceType,
            description: p.description,
            // a posting without pay leaves the field out: the hub keeps what it has
            ...(p.salaryRange
              ? {
                  salaryRange: {
                    min: p.salaryRange.min,
                    max: p.salaryRange.max,
                    currency: p.salaryRange.currency,
                  },
                }
              : {}),
          },
        ]),
      ),
    closeJob() {
      fake.clock.advance(HOUR);
      const posting = fake.state.postings.find((p) => p.state === 'published')!;
      posting.state = 'closed';
      posting.updatedAt = fake.clock.nowMs();
      return posting.id;
    },
  };
}
