/** B7's attribution of the unused request budget to the windows where the sync switched lists or handed over. */
import { describe, expect, it } from 'vitest';
import { handoverGaps, type PacedRequest, windowPace } from '../../bench/window-pace.js';

const WINDOW = 10_000;
const burst = (window: number, count: number, list: string): PacedRequest[] =>
  Array.from({ length: count }, (_, i) => ({ at: window * WINDOW + i * 10, list }));

describe('windowPace', () => {
  it('finds no shortfall when every full window used the limit', () => {
    const requests = [0, 1, 2, 3].flatMap((w) => burst(w, 5, '/v3/candidates'));

    const pace = windowPace(requests, [], 5, WINDOW);

    expect([pace.fullWindows, pace.shortfall, pace.windowsAtLimit]).toEqual([2, 0, 2]);
  });

  it('puts the shortfall of a window where the list changed on the switch', () => {
    const requests = [
      ...burst(0, 5, '/v3/candidates'),
      ...burst(1, 2, '/v3/candidates'),
      ...burst(1, 1, '/v3/interviews').map((r) => ({ ...r, at: r.at + 5_000 })),
      ...burst(2, 5, '/v3/interviews'),
      ...burst(3, 5, '/v3/interviews'),
    ];

    const pace = windowPace(requests, [], 5, WINDOW);

    expect([pace.shortfall, pace.atListSwitch, pace.atHandover]).toEqual([2, 1, 0]);
  });

  it('puts the shortfall of a window with a handover on the handover', () => {
    const requests = [0, 2, 3]
      .flatMap((w) => burst(w, 5, '/v3/candidates'))
      .concat(burst(1, 3, '/v3/candidates'));
    requests.sort((a, b) => a.at - b.at);

    const pace = windowPace(requests, [1 * WINDOW + 5_000], 5, WINDOW);

    expect([pace.shortfall, pace.atHandover, pace.atListSwitch]).toEqual([2, 1, 0]);
  });
});

describe('handoverGaps', () => {
  it('measures the silence around each handover apart from the other intervals', () => {
    const requests = [0, 200, 400, 1_400, 1_600, 1_800].map((at) => ({ at, list: '/v3/candidates' }));

    const gaps = handoverGaps(requests, [900]);

    expect(gaps).toEqual({ medianAtHandoverMs: 1_000, medianElsewhereMs: 200 });
  });
});
