/** Lever's limiter: a token bucket per API key, 10 req/s steady with bursts up to 20 (docs/providers.md §3.4). */
export interface TokenBucketOptions {
  ratePerSecond: number;
  burst: number;
}

export function createTokenBuckets(options: TokenBucketOptions | false, now: () => number) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let rejected = 0;
  return {
    get rejectedCount() {
      return rejected;
    },
    take(key: string): boolean {
      if (options === false) return true;
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: options.burst, at: t };
      bucket.tokens = Math.min(
        options.burst,
        bucket.tokens + ((t - bucket.at) / 1000) * options.ratePerSecond,
      );
      bucket.at = t;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) {
        rejected += 1;
        return false;
      }
      bucket.tokens -= 1;
      return true;
    },
  };
}
