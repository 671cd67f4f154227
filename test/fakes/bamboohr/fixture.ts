/** The BambooHR fake as the provider contract suite drives it (see ../fixture.ts). */
import { provider } from '../../../shared/providers/bamboohr/index.js';
import { loopbackParts, spendWindow } from '../common/fixture-parts.js';
import { applicationHistory, countWhere, HOUR, noRecordObjects, type ProviderFixture } from '../fixture.js';
import { bamboohrJobs } from './jobs.js';
import { type BamboohrFake, startBamboohrFake } from './server.js';
import { bamboohrWriteBack } from './write-back.js';

// BambooHR publishes no figures (docs/providers.md §6.4): the fake throttles at 25 requests per 10 s, 503 + Retry-After
const WINDOW = { limit: 25, windowMs: 10_000 };
const LIST = '/api/gateway.php/acme/v1/applicant_tracking/applications';

/** What the fake holds: jobs, applicants, and applications as the hub keeps them (one open per applicant × job). */
export function bamboohrCounts(fake: BamboohrFake) {
  const applications = fake.state.liveApplications();
  // the stock statuses' groups: `new` and `active` ones map to an open application (settings' default codes)
  const open = (statusId: number) => ['new', 'active'].includes(fake.state.status(statusId)?.group ?? '');
  const history = applicationHistory(
    applications.map((a) => ({ pair: `${a.applicant.id}:${a.jobId}`, active: open(a.statusId) })),
  );
  return {
    counts: {
      jobs: fake.state.jobs.filter((j) => j.status !== 'Deleted').length,
      candidates: new Set(applications.map((a) => a.applicant.id)).size,
      applications: history.applications,
    },
    duplicates: history.duplicates,
  };
}

export const bamboohrFixture: ProviderFixture = {
  name: 'bamboohr',
  module: provider,
  sizes: { large: { records: 10_000, jobs: 30 }, push: { records: 60, jobs: 3, seed: 4 } },
  window: { ms: WINDOW.windowMs, status: 503 },
  reportsDeletions: true,
  staleWrites: 0,
  async start(size) {
    const fake = await startBamboohrFake({
      seed: size.seed ?? 9,
      applications: size.records,
      jobs: size.jobs ?? 6,
      ...(size.pageSize ? { pageSize: size.pageSize } : {}),
      throttle: size.throttled ? WINDOW : null,
      // (unverified) applicants merged by email, so reusing a candidate shows at the provider (§4.2)
      submissions: { mergeApplicantsByEmail: true },
    });
    const perApplicant = () => {
      const jobs = new Map<number, number[]>();
      for (const a of fake.state.liveApplications())
        jobs.set(a.applicant.id, [...(jobs.get(a.applicant.id) ?? []), a.jobId]);
      return jobs;
    };
    /** An application that is its applicant's only one (so the hub stored it). */
    const sole = (skip: number, statusId?: number) => {
      const jobs = perApplicant();
      const found = fake.state
        .liveApplications()
        .filter(
          (a) =>
            jobs.get(a.applicant.id)!.length === 1 &&
            (statusId === undefined || a.statusId === statusId) &&
            a.jobId !== fake.state.jobs[0]!.id,
        )[skip];
      if (!found) throw new Error('the seed has no such application');
      return found;
    };
    return {
      ...loopbackParts(fake, { followUp: (r) => r.path === LIST && r.query.get('page') !== '1' }),
      credentials: { apiKey: fake.apiKey, companyDomain: fake.companyDomain },
      settings: { baseUrl: fake.url, requestTimeoutMs: 10_000 },
      expected: () => bamboohrCounts(fake),
      firstPageReads: () => countWhere(fake.requests, (r) => r.path === LIST && r.query['page']?.[0] === '1'),
      limited: () => fake.throttledCount(),
      change() {
        fake.clock.advance(2 * HOUR);
        // newSince covers creations: a returning applicant's second application and a new applicant's first
        const existing = sole(0);
        const otherJob = fake.state.jobs.find((j) => j.id !== existing.jobId)!;
        fake.state.addApplication({ applicantId: existing.applicant.id, jobId: otherJob.id });
        fake.state.addApplication({ jobId: otherJob.id });
        // 1 new applicant and 2 new applications, and their 3 external refs
        return 6;
      },
      remove() {
        // an applicant with applications to two jobs keeps the other one (and stays listed)
        const jobs = perApplicant();
        const gone = fake.state
          .liveApplications()
          .find(
            (a) => new Set(jobs.get(a.applicant.id)).size === 2 && jobs.get(a.applicant.id)!.length === 2,
          )!;
        fake.state.deleteApplication(gone.id);
        return 1;
      },
      removeViaFeed() {
        // the jobs list reports the job as Deleted
        fake.state.setJobStatus(fake.state.jobs[2]!.id, 'Deleted');
        return 1;
      },
      writeBack: bamboohrWriteBack(fake),
      jobs: bamboohrJobs(fake),
      records: noRecordObjects,
      refused: { credentials: { apiKey: 'not-a-key', companyDomain: fake.companyDomain }, status: 401 },
      async exhaustWindow() {
        // throttling is per account: another client of the same account spends the whole window
        await spendWindow(WINDOW.limit, `${fake.apiBase}/applicant_tracking/jobs`);
      },
      pushCase(skip) {
        const app = sole(skip, 1);
        return {
          remoteId: String(app.id),
          toStage: 'Reviewed',
          targetId: '2',
          stageAtProvider: () => String(fake.state.application(app.id)!.statusId),
          moveElsewhere() {
            fake.state.setStatus(app.id, 4);
            return '4';
          },
          writes: () =>
            countWhere(
              fake.requests,
              (r) => r.method === 'POST' && r.path.endsWith(`/applications/${app.id}/status`),
            ),
        };
      },
    };
  },
};
