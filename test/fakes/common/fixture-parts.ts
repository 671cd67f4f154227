/** The parts of a contract fixture's running world (../fixture.ts) that every loopback fake fills the same way. */
import type { ControllableClock } from './controllable-clock.js';
import type { FakeRequest, Fault, RecordedRequest } from './loopback-server.js';

interface LoopbackFake {
  clock: ControllableClock;
  requests: RecordedRequest[];
  failNext(count: number, fault: Fault, match?: (request: FakeRequest) => boolean): void;
  stop(): Promise<void>;
}

/**
 * Clock, request log, fault injection and stop of `fake`: `followUp` picks the list requests of a later page
 * (failFollowUpPages), `api` the requests a read may fail on (failNextRead; all by default, token calls excluded
 * where the provider has them).
 */
export function loopbackParts(
  fake: LoopbackFake,
  reads: { followUp: (r: FakeRequest) => boolean; api?: (r: FakeRequest) => boolean },
) {
  return {
    clock: fake.clock,
    requests: fake.requests,
    failFollowUpPages: (times: number) =>
      fake.failNext(times, { kind: 'status', status: 503 }, reads.followUp),
    failNextRead: (fault: Fault) => fake.failNext(1, fault, reads.api ?? (() => true)),
    stop: () => fake.stop(),
  };
}

/** Another client of the account spends `n` requests of the window a moment ago. */
export async function spendWindow(n: number, url: string, init?: RequestInit): Promise<void> {
  for (let i = 0; i < n; i += 1) await fetch(url, init).then((r) => r.arrayBuffer());
}
