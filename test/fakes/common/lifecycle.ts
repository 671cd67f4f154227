/**
 * What every test against a fake shares: starting it with per-test options over the file's defaults, a Basic
 * authorization header, and stopping everything a test started (fakes, webhook receivers) after it.
 */
import { afterEach } from 'vitest';
import { startWebhookReceiver } from './webhook-receiver.js';

/** `startFake` with `defaults`; each started fake, and each pushed cleanup, is undone after the test, last first. */
export function fakeLifecycle<O extends object, F extends { stop(): Promise<void> }>(
  startFake: (options: O) => Promise<F>,
  defaults: NoInfer<O>,
  /** Told of each fake started (a file keeps the current one for its helpers). */
  onStart: (fake: F) => void = () => {},
) {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    start: async (options: Partial<O> = {}): Promise<F> => {
      const fake = await startFake({ ...defaults, ...options });
      cleanups.push(() => fake.stop());
      onStart(fake);
      return fake;
    },
    /** A webhook receiver answering `statuses` in turn, then `fallback`; stopped after the test. */
    receiver: async (statuses: number[] = [], fallback = 200) => {
      const r = await startWebhookReceiver(statuses, fallback);
      cleanups.push(r.stop);
      return r;
    },
  };
}

/** An HTTP Basic authorization header; API-key schemes send the key as the user and no password. */
export const basicAuth = (user: string, password = '') =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
