/**
 * Greenhouse's limit: `X-RateLimit-Limit` requests per 10 s window (default 50). Successful answers carry
 * `X-RateLimit-Limit`/`X-RateLimit-Remaining`; a 429 carries neither, only `Retry-After` (s) and
 * `X-RateLimit-Reset` (Unix s) (docs/providers.md §2.4).
 */
export interface RateWindowOptions {
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export function createRateWindow(options: RateWindowOptions | false, now: () => number) {
  let windowStart = 0;
  let used = 0;
  let rejected = 0;
  return {
    get rejectedCount() {
      return rejected;
    },
    take(): RateDecision {
      if (options === false) return { allowed: true, headers: {} };
      const windowMs = options.windowSeconds * 1000;
      const current = Math.floor(now() / windowMs) * windowMs;
      if (current !== windowStart) {
        windowStart = current;
        used = 0;
      }
      const resetMs = windowStart + windowMs;
      if (used >= options.limit) {
        rejected += 1;
        return {
          allowed: false,
          headers: {
            'retry-after': String(Math.max(1, Math.ceil((resetMs - now()) / 1000))),
            'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
          },
        };
      }
      used += 1;
      return {
        allowed: true,
        headers: {
          'x-ratelimit-limit': String(options.limit),
          'x-ratelimit-remaining': String(options.limit - used),
        },
      };
    },
  };
}
