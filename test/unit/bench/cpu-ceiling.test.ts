import { describe, expect, it } from 'vitest';
import { cpuCeiling } from '../../bench/cpu-account.js';

describe('cpuCeiling', () => {
  it('divides the cores by the hub and database CPU of one request', () => {
    const text = cpuCeiling({ cores: 2, referenceTps: 200, hubClientMs: 6, hubServerMs: 4 });

    expect(text).toBe('2 cores carry at most 200 hub requests/s: ratio ≤ 1.00');
  });

  it('says n/a when the server CPU could not be read', () => {
    const text = cpuCeiling({ cores: 2, referenceTps: 200, hubClientMs: 6, hubServerMs: Number.NaN });

    expect(text).toBe('CPU ceiling n/a');
  });
});
