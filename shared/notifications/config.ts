import * as z from 'zod';

/**
 * Settings of the notification feature, read from process.env by this module only (shared/config/env.ts
 * stays untouched). Parsed once per execution environment; tests pass their own values to the use cases.
 *
 * - `NOTIFY_ALLOW_LOOPBACK=true` lets subscriptions point at `http://127.0.0.1`/`localhost` and lets the
 *   notifier connect to loopback addresses. Honoured only when `STAGE === 'local'` (the local runtime);
 *   in AWS it is ignored, so a misconfigured function can never reach its own network's loopback.
 * - `NOTIFY_REQUEST_TIMEOUT_MS`: one delivery attempt, DNS + connect + response headers (default 15 s,
 *   the low end of docs/providers.md §7's 15–30 s). At most 25 s: an attempt starts only when the invocation
 *   has this plus 3 s left, so it must stay below the notifier's 30 s timeout (infra/topology.ts).
 */
export interface NotificationConfig {
  allowLoopback: boolean;
  requestTimeoutMs: number;
}

const schema = z.object({
  STAGE: z.string().default('local'),
  NOTIFY_ALLOW_LOOPBACK: z.enum(['true', 'false']).default('false'),
  NOTIFY_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(50).max(25_000).default(15_000),
});

export function loadNotificationConfig(source: NodeJS.ProcessEnv = process.env): NotificationConfig {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`invalid environment: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  }
  return {
    allowLoopback: parsed.data.STAGE === 'local' && parsed.data.NOTIFY_ALLOW_LOOPBACK === 'true',
    requestTimeoutMs: parsed.data.NOTIFY_REQUEST_TIMEOUT_MS,
  };
}

let cached: NotificationConfig | undefined;

export function notificationConfig(): NotificationConfig {
  cached ??= loadNotificationConfig();
  return cached;
}

/** Tests and the local runtime change the environment before handlers load; this forgets the parse. */
export function resetNotificationConfig(): void {
  cached = undefined;
}
