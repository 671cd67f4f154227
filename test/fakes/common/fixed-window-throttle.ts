/**
 * A fixed-window request counter on a fake's own clock, for providers that publish no numbers (Workday,
 * BambooHR): N requests per window, then a refusal carrying `Retry-After` until the window ends. Configurable
 * at any time; `null` turns throttling off.
 */
export interface ThrottleConfig {
  limit: number;
  windowMs: number;
}

export interface ThrottleDecision {
  allowed: boolean;
  /** Whole seconds until the window resets (≥ 1) when refused. */
  retryAfterSeconds: number;
}

export function createFixedWindowThrottle(initial: ThrottleConfig | null, now: () => number) {
  let config = initial;
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  let refused = 0;
  return {
    get refusedCount() {
      return refused;
    },
    configure(next: ThrottleConfig | null) {
      config = next;
      windowStart = Number.NEGATIVE_INFINITY;
      used = 0;
    },
    take(): ThrottleDecision {
      if (!config) return { allowed: true, retryAfterSeconds: 0 };
      const at = now();
      if (at >= windowStart + config.windowMs) {
        windowStart = at;
        used = 0;
      }
      if (used >= config.limit) {
        refused += 1;
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil((windowStart + config.windowMs - at) / 1000)),
        };
      }
      used += 1;
      return { allowed: true, retryAfterSeconds: 0 };
    },
  };
}
