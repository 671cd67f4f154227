/**
 * The demo's stage: the local runtime (no schedules: the demo ticks them) with a fake Greenhouse and a fake
 * Workday started in this process, an owner connection for peeking into the database, and a small API client.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { createDbClient } from '../shared/db/client.js';
import { createControllableClock } from '../test/fakes/common/controllable-clock.js';
import { startGreenhouseFake } from '../test/fakes/greenhouse/index.js';
import { startWorkdayFake } from '../test/fakes/workday/index.js';

export type DemoStage = Awaited<ReturnType<typeof startDemoStage>>;

export async function startDemoStage(port: number) {
  const localDir = await mkdtemp(join(tmpdir(), 'hub-demo-'));
  const runtime = await startLocalRuntime({ port, localDir, schedules: false });
  // the fakes' clocks run at real time, so the hub's incremental cursors and the fakes' timestamps agree
  const greenhouse = await startGreenhouseFake({
    candidates: 300,
    jobs: 3,
    clock: createControllableClock(Date.now()),
  });
  const workday = await startWorkdayFake({ candidates: 120, clock: createControllableClock(Date.now()) });
  const owner = createDbClient({ url: runtime.ownerUrl, max: 1 });
  const admin = runtime.credentials.organizations[0]!;

  async function api<T>(method: string, path: string, body?: unknown, key = admin.keys.admin): Promise<T> {
    const res = await fetch(`${runtime.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json().catch(() => undefined)) as T;
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** Lets the scheduler enqueue and the workers drain, a few rounds (a sync run enqueues follow-ups). */
  async function settle() {
    for (let i = 0; i < 3; i++) {
      await runtime.runSchedule('sync-tick');
      await runtime.drainQueues(120_000);
    }
  }

  async function stop() {
    await owner.end();
    await greenhouse.stop();
    await workday.stop();
    await runtime.stop();
    await rm(localDir, { recursive: true, force: true });
  }

  return { runtime, greenhouse, workday, owner, admin, api, settle, stop };
}
