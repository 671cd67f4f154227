/** The Lever fake as the provider contract suite drives it (see ../fixture.ts). */
import { provider } from '../../../shared/providers/lever/index.js';
import { loopbackParts, spendWindow } from '../common/fixture-parts.js';
import { basicAuth } from '../common/lifecycle.js';
import { countWhere, distinctCounts, HOUR, type ProviderFixture } from '../fixture.js';
import { leverJobs } from './jobs.js';
import { leverRecordFacts } from './record-facts.js';
import { startLeverFake } from './server.js';
import { leverWriteBack } from './submissions.js';

export const leverFixture: ProviderFixture = {
  name: 'lever',
  module: provider,
  sizes: { large: { records: 10_000, jobs: 20 }, push: { records: 40, jobs: 4 } },
  window: { ms: 1_000, status: 429 },
  reportsDeletions: true,
  staleWrites: 0,
  options: { maxPagesPerInvocation: 1_000 },
  // the bucket refills 10 per second: retries must wait longer than the suite's fast default
  paceOptions: { retry: { maxAttempts: 6, initialDelayMs: 100, maxDelayMs: 2_000 } },
  async start(size) {
    const fake = await startLeverFake({
      postings: size.jobs ?? 4,
      contacts: size.records,
      ...(size.throttled === false ? { rateLimit: false as const } : {}),
    });
    const otherStages = (id: string) => {
      const o = fake.state.opportunityById.get(id)!;
      return fake.state.stages.filter((s) => s.id !== o.stageId && s.text !== 'Offer');
    };
    const opportunities = () => fake.requests.filter((r) => r.path === '/v1/opportunities');
    return {
      ...loopbackParts(fake, {
        followUp: (r) => r.path === '/v1/opportunities' && r.query.has('offset'),
        api: (r) => r.path !== '/oauth/token',
      }),
      credentials: { apiKey: fake.apiKey },
      settings: {
        baseUrl: fake.url,
        authUrl: fake.authUrl,
        requestTimeoutMs: 10_000,
        pageSize: size.pageSize ?? 100,
      },
      // postings, distinct contacts, opportunities (one per contact × posting)
      expected: () =>
        distinctCounts(
          fake.state.postings.length,
          new Set(fake.state.opportunities.map((o) => o.contact)).size,
          fake.state.opportunities.length,
        ),
      firstPageReads: () => opportunities().filter((r) => !r.query['offset']).length,
      limited: () => fake.rateLimitRejections,
      change() {
        fake.clock.advance(2 * HOUR);
        // three single-opportunity contacts move stage: each re-read as a contact and as an application
        for (const o of fake.state.opportunities.slice(0, 3))
          fake.changeStage(o.id, otherStages(o.id)[0]!.id);
        return 6;
      },
      remove() {
        fake.clock.advance(HOUR);
        // contact 0 has a single opportunity: the contact goes with it
        fake.deleteOpportunity(fake.state.opportunities[0]!.id);
        return 2;
      },
      removeViaFeed() {
        fake.clock.advance(HOUR);
        fake.deleteOpportunity(fake.state.opportunities[0]!.id);
        return 1;
      },
      refused: { credentials: { apiKey: 'nope' }, status: 401 },
      writeBack: leverWriteBack(fake),
      jobs: leverJobs(fake),
      records: leverRecordFacts(fake),
      async exhaustWindow() {
        // another client of the same API key used the whole burst a moment ago
        const auth = basicAuth(fake.apiKey);
        await spendWindow(20, `${fake.url}/stages`, { headers: { authorization: auth } });
      },
      pushCase(skip) {
        const o = fake.state.opportunities[skip + 1]!;
        const [target, elsewhere] = otherStages(o.id);
        return {
          remoteId: o.id,
          toStage: target!.text,
          targetId: target!.id,
          stageAtProvider: () => fake.state.opportunityById.get(o.id)!.stageId,
          moveElsewhere() {
            fake.changeStage(o.id, elsewhere!.id);
            return elsewhere!.id;
          },
          writes: () =>
            countWhere(
              fake.requests,
              (r) => r.method === 'PUT' && r.path === `/v1/opportunities/${o.id}/stage`,
            ),
        };
      },
    };
  },
};
