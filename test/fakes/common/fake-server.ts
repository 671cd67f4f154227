/**
 * What every provider fake's server module starts from: the loopback shell, the fake's own clock, and the
 * controls each fake hands its tests (recorded requests, failure and latency injection, stop).
 */
import type { ControllableClock } from './controllable-clock.js';
import { type FakeHandler, type LoopbackServer, startLoopbackServer } from './loopback-server.js';

export { type ControllableClock, createControllableClock } from './controllable-clock.js';
export type { FakeRequest, FakeResponse, LoopbackServer, RecordedRequest } from './loopback-server.js';

/** Options every fake takes. */
export interface FakeServerOptions {
  seed?: number;
  clock?: ControllableClock;
  latencyMs?: number;
}

/** The controls every fake hands its tests. */
export type FakeServerControls = Pick<LoopbackServer, 'requests' | 'failNext' | 'setLatency' | 'stop'>;

/** Starts `handler` on loopback; `controls` spreads into the fake's own handle. */
export async function startFakeServer(handler: FakeHandler, options: FakeServerOptions) {
  const server = await startLoopbackServer(handler, { latencyMs: options.latencyMs ?? 0 });
  const controls: FakeServerControls = {
    requests: server.requests,
    failNext: (count, fault, match) => server.failNext(count, fault, match),
    setLatency: (ms) => server.setLatency(ms),
    stop: () => server.stop(),
  };
  return { url: server.url, controls };
}
