import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { medianSched, ratioFactors, type SchedAccount, scheduled } from '../../bench/sched-account.js';

const account = (mainCpu: number, serverCpu: number): SchedAccount => ({
  perUnit: {
    mainThread: { cpuMs: mainCpu, waitMs: 1 },
    otherThreads: { cpuMs: 0, waitMs: 0 },
    children: { cpuMs: 0, waitMs: 0 },
    server: { cpuMs: serverCpu, waitMs: 2 },
  },
});

describe('ratioFactors', () => {
  it('splits a throughput ratio into a cost factor and a use factor that multiply back to it', () => {
    const hub = { perSecond: 100, sched: account(6, 4) };
    const reference = { perSecond: 250, sched: account(1, 3) };

    const f = ratioFactors({ cores: 2, hub, reference });

    expect(f.cost).toBeCloseTo(0.4);
    expect(f.hubUse).toBeCloseTo(0.5);
    expect(f.refUse).toBeCloseTo(0.5);
    expect(f.cost * f.utilization).toBeCloseTo(hub.perSecond / reference.perSecond);
  });
});

describe('medianSched', () => {
  it('takes the median of each group and field over the runs', () => {
    const runs = [account(1, 10), account(3, 30), account(2, 20)];

    const m = medianSched(runs);

    expect(m?.perUnit.mainThread.cpuMs).toBe(2);
    expect(m?.perUnit.server.cpuMs).toBe(20);
  });

  it('has nothing to say when no run was measured', () => {
    expect(medianSched([undefined, undefined])).toBeUndefined();
  });
});

describe.runIf(existsSync('/proc/self/task'))('scheduled', () => {
  it('counts the CPU a busy main thread spent, per unit of work', async () => {
    const busyFor = async (ms: number) => {
      const end = performance.now() + ms;
      while (performance.now() < end) {
        // spin: CPU on this thread
      }
      return 10;
    };

    const { sched } = await scheduled(
      undefined,
      () => busyFor(100),
      (units) => units,
    );

    // 100 ms over 10 units: about 10 ms each, less only if the thread waited for a core
    expect(sched!.perUnit.mainThread.cpuMs + sched!.perUnit.mainThread.waitMs).toBeGreaterThan(5);
    expect(sched!.perUnit.server.cpuMs).toBe(0);
  });
});
