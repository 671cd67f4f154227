/** The Workday fake's requisitions for the job-fields contract (../fixture.ts `JobFakeHooks`). */
import { HOUR, type JobFacts, type JobFakeHooks } from '../fixture.js';
import type { WorkdayFake } from './server.js';
import type { RequisitionStatus } from './state.js';

const STATUS: Record<RequisitionStatus, JobFacts['status']> = {
  Open: 'open',
  Closed: 'closed',
  Filled: 'closed',
  Frozen: 'paused',
};

export function workdayJobs(fake: WorkdayFake): JobFakeHooks {
  const now = () => ({ entryMs: fake.clock.nowMs(), effectiveMs: fake.clock.nowMs() });
  return {
    facts() {
      const facts = new Map<string, JobFacts>();
      for (const requisition of fake.state.requisitions) {
        const view = fake.state.requisitionView(requisition, now());
        if (!view) continue;
        // an element the requisition leaves out is not reported; department and pay are not read
        facts.set(view.id, {
          status: STATUS[view.status],
          ...(view.description === null ? {} : { description: view.description }),
          ...(view.location === null ? {} : { office: view.location.name }),
        });
      }
      return facts;
    },
    closeJob() {
      fake.clock.advance(HOUR);
      const open = fake.state.requisitions.find(
        (r) => fake.state.requisitionView(r, now())?.status === 'Open',
      )!;
      fake.state.setRequisitionStatus(open.id, 'Closed');
      // as the fixture's other changes: let the entry settle past the incremental window's lag
      fake.clock.advance(5 * 60_000);
      return open.id;
    },
  };
}
