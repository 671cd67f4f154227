/** The Greenhouse fake as the provider contract suite drives it (see ../fixture.ts). */
import { provider } from '../../../shared/providers/greenhouse/index.js';
import { loopbackParts, spendWindow } from '../common/fixture-parts.js';
import { countWhere, distinctCounts, HOUR, type ProviderFixture } from '../fixture.js';
import { greenhouseJobs } from './jobs.js';
import { greenhouseRecordFacts } from './record-facts.js';
import { startGreenhouseFake } from './server.js';
import { greenhouseWriteBack } from './write-back.js';

export const greenhouseFixture: ProviderFixture = {
  name: 'greenhouse',
  module: provider,
  sizes: { large: { records: 10_000, jobs: 20 }, push: { records: 40, jobs: 2 } },
  window: { ms: 10_000, status: 429 },
  // the from_stage_id guard: Greenhouse itself refuses the stale move
  staleWrites: 1,
  options: { maxPagesPerInvocation: 1_000 },
  async start(size) {
    const fake = await startGreenhouseFake({
      candidates: size.records,
      jobs: size.jobs ?? 4,
      ...(size.throttled === false ? { rateLimit: false as const } : {}),
    });
    const otherStages = (appId: number) => {
      const app = fake.state.applicationById.get(appId)!;
      return fake.state.jobById
        .get(app.jobId)!
        .stages.filter((s) => s.id !== app.stageId && s.name !== 'Offer');
    };
    return {
      ...loopbackParts(fake, {
        followUp: (r) => r.path.startsWith('/v3/') && r.query.has('cursor'),
        api: (r) => r.path.startsWith('/v3/'),
      }),
      credentials: fake.credentials,
      settings: {
        baseUrl: fake.url,
        authUrl: fake.authUrl,
        requestTimeoutMs: 5_000,
        perPage: size.pageSize ?? 500,
      },
      expected: () =>
        distinctCounts(fake.state.jobs.length, fake.state.candidates.length, fake.state.applications.length),
      firstPageReads: () =>
        countWhere(
          fake.requests,
          (r) => r.path.startsWith('/v3/') && r.method === 'GET' && !r.query['cursor'],
        ),
      limited: () => fake.rateLimitRejections,
      change() {
        fake.clock.advance(2 * HOUR);
        for (const app of fake.state.applications.slice(0, 3))
          fake.moveApplication(app.id, otherStages(app.id)[0]!.id);
        fake.touchCandidate(fake.state.candidates[10]!.id);
        return 4;
      },
      remove() {
        fake.deleteApplication(fake.state.applications[5]!.id);
        return 1;
      },
      writeBack: greenhouseWriteBack(fake),
      jobs: greenhouseJobs(fake),
      records: greenhouseRecordFacts(fake),
      refused: { credentials: { ...fake.credentials, clientSecret: 'wrong' }, status: 401 },
      async exhaustWindow() {
        // another client of the account spent the 50 requests of the window a moment ago
        await spendWindow(50, `${fake.url}/v3/jobs`, { headers: fake.bearerHeaders() });
      },
      pushCase(skip) {
        const app = fake.state.applications[skip]!;
        const [target, elsewhere] = otherStages(app.id);
        return {
          remoteId: String(app.id),
          toStage: target!.name,
          targetId: String(target!.id),
          stageAtProvider: () => String(fake.state.applicationById.get(app.id)!.stageId),
          moveElsewhere() {
            fake.moveApplication(app.id, elsewhere!.id);
            return String(elsewhere!.id);
          },
          writes: () => countWhere(fake.requests, (r) => r.path.endsWith(`/${app.id}/move`)),
        };
      },
    };
  },
};
