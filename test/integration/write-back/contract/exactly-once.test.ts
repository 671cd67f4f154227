/**
 * Write-back contract, exactly once (docs/write-back.md): for every provider fake, a portal submission becomes one
 * remote candidate, one application and one attachment with the same bytes, whatever is lost, crashed or delivered
 * again between the hub and the provider. Each scenario prints the provider's counts.
 */
import { describe, expect, it } from 'vitest';
import type { WriteBackStep } from '../../../fakes/fixture.js';
import { providerFixtures } from '../../sync/contract/world.js';
import * as wb from './world.js';

const start = wb.writeBackWorlds();

function countsOf(world: wb.WriteBackWorld, email: string, label: string) {
  const counts = world.remote.remoteCounts(email);
  console.info(`${label}: ${JSON.stringify(counts)}`);
  return counts;
}

type Counts = ReturnType<wb.WriteBackWorld['remote']['remoteCounts']>;

/** A seeded candidate exists already: the submission adds its application and resume, never a candidate. */
const oneApplicationMore = { candidates: 0, applications: 1, attachments: 1 };

/** What the provider gained for the email since `before` (a seeded candidate may come with its own records). */
function createdSince(world: wb.WriteBackWorld, email: string, before: Counts, label: string): Counts {
  const after = countsOf(world, email, label);
  return {
    candidates: after.candidates - before.candidates,
    applications: after.applications - before.applications,
    attachments: after.attachments - before.attachments,
  };
}

/** Submit with a resume, upload it, scan it clean: the messages the worker will see. */
async function submittedAndClean(world: wb.WriteBackWorld, email?: string) {
  const submission = await wb.submit(world, email ? { email } : {});
  await wb.uploadAndScan(world.w, submission);
  return submission;
}

describe.each(providerFixtures)('$name write-back', (fixture) => {
  it('creates one candidate, one application and one attachment with the same bytes', async () => {
    const world = await start(fixture);
    const submission = await submittedAndClean(world);

    await wb.deliverAll(world.w, submission.applicationId);

    expect(countsOf(world, submission.email, `${fixture.name} happy path`)).toEqual(wb.exactlyOnce);
    expect(world.remote.attachedFiles(submission.email).map((f) => f.content)).toEqual([submission.resume]);
    expect(await wb.pushRowOf(world.w, submission.applicationId)).toMatchObject({ state: 'pushed' });
    expect(await wb.outboxCount(world.w, submission.applicationId, 'application.pushed')).toBe(1);
  });

  it('creates nothing more when every message is delivered again', async () => {
    const world = await start(fixture);
    const submission = await submittedAndClean(world);
    await wb.deliverAll(world.w, submission.applicationId);

    await wb.deliverAll(world.w, submission.applicationId);
    await wb.deliverAll(world.w, submission.applicationId);

    expect(countsOf(world, submission.email, `${fixture.name} redelivered`)).toEqual(wb.exactlyOnce);
    expect(await wb.outboxCount(world.w, submission.applicationId, 'application.pushed')).toBe(1);
  });

  it('reuses the candidate the provider already has for the email', async () => {
    const world = await start(fixture);
    const email = `known-${fixture.name}@example.test`;
    const known = world.remote.seedCandidate({ firstName: 'Ada', lastName: 'Applicant', email });
    const before = world.remote.remoteCounts(email);
    const submission = await submittedAndClean(world, email);

    await wb.deliverAll(world.w, submission.applicationId);

    expect(createdSince(world, email, before, `${fixture.name} reuse`)).toEqual(oneApplicationMore);
    expect(await wb.pushRowOf(world.w, submission.applicationId)).toMatchObject({
      candidate_remote_id: known,
    });
  });

  it.each<[WriteBackStep, boolean]>([
    ['candidate', false],
    ['application', true],
    ['attachment', false],
  ])('adopts a %s whose create response was lost (existing candidate: %s)', async (step, existing) => {
    const world = await start(fixture);
    const email = `lost-${step}-${fixture.name}@example.test`;
    if (existing) world.remote.seedCandidate({ firstName: 'Ada', lastName: 'Applicant', email });
    const before = world.remote.remoteCounts(email);
    const submission = await submittedAndClean(world, email);
    world.remote.loseNextCreate(step);

    const first = await wb.deliverAll(world.w, submission.applicationId);
    const second = await wb.deliverAll(world.w, submission.applicationId);

    console.info(`${fixture.name} lost ${step}: first ${first.join(',')}, then ${second.join(',')}`);
    expect(createdSince(world, email, before, `${fixture.name} lost ${step}`)).toEqual(
      existing ? oneApplicationMore : wb.exactlyOnce,
    );
    expect(await wb.pushRowOf(world.w, submission.applicationId)).toMatchObject({ state: 'pushed' });
  });

  it('resumes after a worker crashed holding the push, once its lease has expired', async () => {
    const world = await start(fixture);
    const submission = await submittedAndClean(world);
    const [created] = await wb.pushMessages(world.w, submission.applicationId);
    const get = world.w.objects.get.bind(world.w.objects);
    world.w.objects.get = async () => {
      throw new Error('worker crashed');
    };
    await expect(wb.deliver(world.w, created!)).rejects.toThrow('worker crashed');
    world.w.objects.get = get;

    const whileLeased = await wb.deliver(world.w, created!);
    world.fake.clock.advance(3 * 60_000);
    await wb.deliverAll(world.w, submission.applicationId);

    expect(whileLeased).toBe('retry');
    expect(countsOf(world, submission.email, `${fixture.name} crash`)).toEqual(wb.exactlyOnce);
  });

  it('lets one of two racing workers push and the other wait', async () => {
    const world = await start(fixture);
    const submission = await submittedAndClean(world);
    const messages = await wb.pushMessages(world.w, submission.applicationId);
    const last = messages[messages.length - 1]!;

    const outcomes = await Promise.all([wb.deliver(world.w, last), wb.deliver(world.w, last)]);
    await wb.deliverAll(world.w, submission.applicationId);

    console.info(`${fixture.name} race: ${outcomes.join(',')}`);
    expect(countsOf(world, submission.email, `${fixture.name} race`)).toEqual(wb.exactlyOnce);
  });
});
