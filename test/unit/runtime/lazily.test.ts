import { describe, expect, it, vi } from 'vitest';
import { lazily } from '../../../shared/runtime/aws-adapters.js';

describe('lazily', () => {
  it('loads once however often it is asked', async () => {
    const load = vi.fn(async () => ({ loaded: true }));
    const get = lazily(load);

    const [a, b] = await Promise.all([get(), get()]);
    const c = await get();

    expect(load).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('tries again after a failed load', async () => {
    const load = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new Error('chunk missing'))
      .mockResolvedValueOnce('module');
    const get = lazily(load);

    await expect(get()).rejects.toThrow('chunk missing');
    const second = await get();

    expect(second).toBe('module');
    expect(load).toHaveBeenCalledTimes(2);
  });
});
