/** The Workday fake as the provider contract suite drives it (see ../fixture.ts). */
import { provider } from '../../../shared/providers/workday/index.js';
import { loopbackParts, spendWindow } from '../common/fixture-parts.js';
import { applicationHistory, countWhere, HOUR, noRecordObjects, type ProviderFixture } from '../fixture.js';
import { workdayJobs } from './jobs.js';
import { startWorkdayFake, type WorkdayFake } from './server.js';
import { workdayWriteBack } from './write-back.js';

// Workday publishes no figures (docs/providers.md §5.6): the fake throttles at the forum's low end, 100 a minute
const PER_MINUTE = { limit: 100, windowMs: 60_000 };

/** What the fake holds: requisitions, candidates, and applications as the hub keeps them (one open per candidate × requisition). */
export function workdayCounts(fake: WorkdayFake) {
  const history = applicationHistory(
    fake.state.liveApplications().map((a) => ({
      pair: `${fake.state.candidateIdOfApplication(a.id)}:${a.requisitionId}`,
      active: !a.dispositionId,
    })),
  );
  return {
    counts: {
      jobs: fake.state.liveRequisitions().length,
      candidates: fake.state.liveCandidates().length,
      applications: history.applications,
    },
    duplicates: history.duplicates,
  };
}

/** Open applications, each its candidate's only one (so the hub stored it), in a step with a next step other than Offer. */
export function movableApplications(
  fake: WorkdayFake,
  n: number,
  excludeCandidates: Set<string> = new Set(),
) {
  const picked: { id: string; candidateId: string; nextStepId: string }[] = [];
  for (const candidate of fake.state.liveCandidates()) {
    const application = candidate.applications[0]!;
    if (
      excludeCandidates.has(candidate.id) ||
      candidate.applications.length !== 1 ||
      application.dispositionId
    )
      continue;
    const next = fake.state.workflow[fake.state.workflow.findIndex((s) => s.id === application.stepId) + 1];
    if (!next || next.id === 'STEP-OFFER') continue;
    picked.push({ id: application.id, candidateId: candidate.id, nextStepId: next.id });
    if (picked.length === n) break;
  }
  return picked;
}

/**
 * An open application in Review, its candidate's only one, on a requisition other than the first: step ids are
 * tenant-wide, and only the first requisition's stages hold them.
 */
export function reviewApplication(fake: WorkdayFake, skip = 0) {
  const first = fake.state.requisitions[0]!.id;
  const found = fake.state
    .liveCandidates()
    .filter(
      (c) =>
        c.applications.length === 1 &&
        c.applications[0]!.requisitionId !== first &&
        c.applications[0]!.stepId === 'STEP-REVIEW' &&
        !c.applications[0]!.dispositionId,
    )[skip];
  if (!found) throw new Error('the seed has no such application');
  return found.applications[0]!;
}

/**
 * Two hours on, three open applications move a step forward (returned) and one other candidate gets a new phone
 * number.
 */
export function moveThreeEditOne(fake: WorkdayFake) {
  fake.clock.advance(2 * HOUR);
  const moved = movableApplications(fake, 3);
  for (const m of moved) fake.state.moveApplication(m.id, m.nextStepId);
  const edited = fake.state.liveCandidates().find((c) => !moved.some((m) => m.candidateId === c.id))!;
  fake.state.editCandidate(edited.id, { phone: '+1 555 0100' });
  return moved;
}

export const workdayFixture: ProviderFixture = {
  name: 'workday',
  module: provider,
  sizes: { large: { records: 10_000, jobs: 40 }, push: { records: 40, jobs: 3, seed: 3 } },
  window: { ms: PER_MINUTE.windowMs, status: 429 },
  // only a forward step of an open application is valid: Workday refuses the stale Move_Candidate
  reportsDeletions: true,
  staleWrites: 1,
  async start(size) {
    const fake = await startWorkdayFake({
      seed: size.seed ?? 7,
      candidates: size.records,
      requisitions: size.jobs ?? 5,
      throttle: size.throttled ? PER_MINUTE : null,
    });
    /** A pass reads As_Of 60 s before the hub's clock (asOfSkewSeconds): let changes just made fall inside it. */
    const settle = () => fake.clock.advance(5 * 60_000);
    return {
      ...loopbackParts(fake, {
        followUp: (r) =>
          r.body.includes('Get_Candidates_Request') && !r.body.includes('<wd:Page>1</wd:Page>'),
      }),
      credentials: { username: fake.username, password: fake.password, tenant: fake.tenant },
      settings: {
        baseUrl: fake.url,
        requestTimeoutMs: 10_000,
        pageSize: size.pageSize ?? 999,
        dispositionStepId: 'STEP-DISPOSITION',
        workflowSteps: fake.state.workflow.map((s) => ({ id: s.id, name: s.name, stageId: s.stageId })),
      },
      expected: () => workdayCounts(fake),
      firstPageReads: () =>
        countWhere(
          fake.requests,
          (r) => r.body.includes('Get_Candidates_Request') && r.body.includes('<wd:Page>1</wd:Page>'),
        ),
      limited: () => fake.throttledCount(),
      writeBack: workdayWriteBack(fake),
      jobs: workdayJobs(fake),
      records: noRecordObjects,
      change() {
        moveThreeEditOne(fake);
        settle();
        // 3 applications moved, their candidates' transaction logs with them, 1 candidate edited
        return 3 + 3 + 1;
      },
      remove() {
        fake.clock.advance(HOUR);
        fake.state.rescindApplication(movableApplications(fake, 1)[0]!.id);
        settle();
        return 1;
      },
      removeViaFeed() {
        fake.clock.advance(HOUR);
        fake.state.rescindApplication(movableApplications(fake, 1)[0]!.id);
        settle();
        return 1;
      },
      // an authenticationError SOAP fault, which Workday sends as a 500
      refused: {
        credentials: { username: fake.username, password: 'wrong', tenant: fake.tenant },
        status: 500,
      },
      async exhaustWindow() {
        // throttling is per tenant (§5.6): another integration of the tenant spends the whole window
        await spendWindow(PER_MINUTE.limit, fake.serviceUrl, { method: 'POST', body: '' });
      },
      pushCase(skip) {
        const app = reviewApplication(fake, skip);
        return {
          remoteId: app.id,
          toStage: 'Screen',
          targetId: 'STEP-SCREEN',
          stageAtProvider: () => fake.state.application(app.id)!.stepId,
          moveElsewhere() {
            fake.state.moveApplication(app.id, 'STEP-INTERVIEW');
            return 'STEP-INTERVIEW';
          },
          writes: () =>
            countWhere(
              fake.requests,
              (r) => r.body.includes('Move_Candidate_Request') && r.body.includes(app.id),
            ),
        };
      },
    };
  },
};
