/**
 * R22 Write-back storm (docs/reliability.md): 500 portal submissions (100 per provider fake) written back while
 * the network between the hub and the provider misbehaves. Every provider request may be refused before it is
 * sent (a 500 the hub never caused), or applied by the provider with its response lost (a timeout), and every
 * sync-queue message is delivered one to three times, shuffled, by concurrent workers on the real PostgreSQL.
 * Pass: every submission ends pushed; the provider holds exactly one candidate, one application and one
 * attachment with the same bytes per submission (0 duplicates, 0 lost).
 */
import '../support/quiet-logs.js';
import { expect, it } from 'vitest';
import type { OutboxMessage } from '../../shared/messages/queue-messages.js';
import { providerFixtures } from '../fakes/index.js';
import {
  deliver,
  pushMessages,
  type Submission,
  submit,
  uploadAndScan,
  type WriteBackWorld,
  writeBackWorlds,
} from '../integration/write-back/contract/world.js';
import {
  describeOnPostgres,
  figures,
  rng,
  runs,
  scaledNote,
  seedFor,
  shuffle,
} from '../support/reliability.js';

const PER_PROVIDER = runs(100);
const WORKERS = 6;
const FAULT_RATE = 0.15;

interface FaultCounts {
  refused: number;
  lost: number;
  passed: number;
}

/** Wraps the provider fetch: a share of requests fail before sending (500), another share lose their response. */
function flakyFetch(base: typeof fetch, random: () => number, counts: FaultCounts): typeof fetch {
  return async (input, init) => {
    const roll = random();
    if (roll < FAULT_RATE / 2) {
      counts.refused += 1;
      return new Response('{"message":"injected"}', { status: 500 });
    }
    const response = await base(input, init);
    if (roll < FAULT_RATE) {
      counts.lost += 1;
      await response.arrayBuffer();
      throw Object.assign(new Error('injected: response lost'), { name: 'TimeoutError' });
    }
    counts.passed += 1;
    return response;
  };
}

async function pendingPushes(world: WriteBackWorld): Promise<number> {
  const [row] = await world.w.db.owner<{ n: number }[]>`
    select count(*)::int as n from submission_pushes where state <> 'pushed'`;
  return row!.n;
}

describeOnPostgres('R22', 'Write-back storm', () => {
  const start = writeBackWorlds();

  it.each(providerFixtures)('$name: every submission exactly once at the provider', async (fixture) => {
    const world = await start(fixture);
    const random = rng(seedFor(`R22 ${fixture.name}`));
    world.w.deps.options = { ...world.w.deps.options, pushMaxAttempts: 10_000 };
    const submissions: Submission[] = [];
    for (let i = 0; i < PER_PROVIDER; i++) {
      const submission = await submit(world);
      await uploadAndScan(world.w, submission);
      submissions.push(submission);
    }
    const counts: FaultCounts = { refused: 0, lost: 0, passed: 0 };
    world.w.deps.fetch = flakyFetch(world.w.deps.fetch ?? fetch, random, counts);

    let deliveries = 0;
    let rounds = 0;
    while ((rounds === 0 || (await pendingPushes(world)) > 0) && rounds < 40) {
      rounds += 1;
      const messages: OutboxMessage[] = [];
      for (const s of submissions) {
        for (const message of await pushMessages(world.w, s.applicationId)) {
          const copies = 1 + Math.floor(random() * 3);
          for (let c = 0; c < copies; c++) messages.push(message);
        }
      }
      const queue = shuffle(messages, random);
      deliveries += queue.length;
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          for (let message = queue.pop(); message; message = queue.pop()) await deliver(world.w, message);
        }),
      );
      // a worker that died holding a lease is taken over once it expires
      world.fake.clock.advance(3 * 60_000);
    }

    const perEmail = submissions.map((s) => world.remote.remoteCounts(s.email));
    const duplicates = perEmail.reduce(
      (n, c) =>
        n + Math.max(0, c.candidates - 1) + Math.max(0, c.applications - 1) + Math.max(0, c.attachments - 1),
      0,
    );
    const lost = perEmail.filter(
      (c) => c.candidates === 0 || c.applications === 0 || c.attachments === 0,
    ).length;
    const sameBytes = submissions.filter((s) =>
      world.remote.attachedFiles(s.email).every((file) => file.content.equals(s.resume)),
    ).length;
    figures('R22', `write-back storm ${fixture.name}`, {
      submissions: `${PER_PROVIDER}${scaledNote(100, PER_PROVIDER)}`,
      deliveries,
      rounds,
      injected500: counts.refused,
      injectedLostResponses: counts.lost,
      duplicates,
      lost,
      pending: await pendingPushes(world),
    });
    expect({ duplicates, lost, sameBytes }).toEqual({ duplicates: 0, lost: 0, sameBytes: PER_PROVIDER });
  });
});
