import { describe, expect, it } from 'vitest';
import { cpuCeiling } from '../../bench/machine.js';

describe('cpuCeiling', () => {
  it('divides the cores by the database and hub CPU of one request', () => {
    const text = cpuCeiling({ cores: 2, referenceTps: 200, referenceBusy: 0.5, hubCpuMs: 5 });

    expect(text).toBe(
      'database CPU 5.00 ms per transaction, so 2 cores carry at most 200 hub requests/s: ratio ≤ 1.00',
    );
  });

  it('says n/a when the busy share could not be read', () => {
    const text = cpuCeiling({ cores: 2, referenceTps: 200, referenceBusy: Number.NaN, hubCpuMs: 5 });

    expect(text).toBe('CPU ceiling n/a');
  });
});
