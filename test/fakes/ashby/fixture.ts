/** The Ashby fake as the provider contract suite drives it (see ../fixture.ts). */
import { provider } from '../../../shared/providers/ashby/index.js';
import { loopbackParts } from '../common/fixture-parts.js';
import { countWhere, distinctCounts, HOUR, type ProviderFixture } from '../fixture.js';
import { ashbyJobs } from './jobs.js';
import { ashbyRecordFacts } from './record-facts.js';
import { startAshbyFake } from './server.js';
import type { AbApplication } from './state.js';
import { ashbyWriteBack } from './submissions.js';

/** A per-key window above the hub's default Ashby pace (burst 3 + 3/s: at most 33 in any 10 s). */
const WINDOW = { limit: 35, windowSeconds: 10 };

export const ashbyFixture: ProviderFixture = {
  name: 'ashby',
  module: provider,
  sizes: { large: { records: 10_000, jobs: 20 }, push: { records: 40, jobs: 2 } },
  window: { ms: 10_000, status: 429 },
  staleWrites: 0,
  options: { maxPagesPerInvocation: 1_000 },
  async start(size) {
    const fake = await startAshbyFake({
      jobs: size.jobs ?? 4,
      candidates: size.records,
      rateLimit: size.throttled === false ? false : WINDOW,
    });
    const planOf = (app: AbApplication) => {
      const job = fake.state.jobs.find((j) => j.id === app.jobId)!;
      return fake.state.stages.filter((s) => s.interviewPlanId === job.interviewPlanId);
    };
    const otherStages = (app: AbApplication) =>
      planOf(app).filter(
        (s) => (s.type === 'Active' || s.type === 'PreInterviewScreen') && s.id !== app.stageId,
      );
    return {
      ...loopbackParts(fake, { followUp: (r) => r.path.endsWith('.list') && r.body.includes('"cursor"') }),
      credentials: { apiKey: fake.apiKey },
      // notes too: the record-objects contract reads them (a sync still pulls only the objects it is set to)
      settings: {
        baseUrl: fake.url,
        requestTimeoutMs: 10_000,
        pageSize: size.pageSize ?? 100,
        candidateNotes: true,
      },
      expected: () =>
        distinctCounts(fake.state.jobs.length, fake.state.candidates.length, fake.state.applications.length),
      firstPageReads: () =>
        countWhere(fake.requests, (r) => r.path.endsWith('.list') && !r.body.includes('"cursor"')),
      limited: () => countWhere(fake.requests, (r) => r.status === 429),
      change() {
        fake.clock.advance(HOUR);
        fake.touchCandidate(fake.state.candidates[3]!.id);
        for (const app of fake.state.applications.slice(10, 12))
          fake.changeStage(app.id, otherStages(app)[0]!.id);
        return 3;
      },
      remove() {
        fake.clock.advance(HOUR);
        // the candidate, and with it its one application
        fake.deleteCandidate(fake.state.candidates[7]!.id);
        return 2;
      },
      refused: { credentials: { apiKey: 'nope' }, status: 403 },
      writeBack: ashbyWriteBack(fake),
      jobs: ashbyJobs(fake),
      records: ashbyRecordFacts(fake),
      async spoilCursor() {
        fake.expireSyncTokens();
      },
      async exhaustWindow() {
        // partner-wide 429s: another integration of the partner spent the window
        fake.throttlePartner(3);
      },
      pushCase(skip) {
        const app = fake.state.applications[skip]!;
        const [target, elsewhere] = otherStages(app);
        return {
          remoteId: app.id,
          toStage: target!.title,
          targetId: target!.id,
          stageAtProvider: () => app.stageId,
          moveElsewhere() {
            fake.changeStage(app.id, elsewhere!.id);
            return elsewhere!.id;
          },
          writes: () =>
            countWhere(
              fake.requests,
              (r) => r.path === '/application.changeStage' && JSON.parse(r.body).applicationId === app.id,
            ),
        };
      },
    };
  },
};
