import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One Powertools logger per execution environment. Personal data and secrets never reach it: callers log
 * ids, counts and codes only; `redact` is a last line of defence for keys that must never appear.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ats-hub' });

const SENSITIVE =
  /(authorization|password|secret|token|api[-_]?key|email|phone|first_?name|last_?name|credentials|signature)/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      SENSITIVE.test(k) ? [k, '[redacted]'] : [k, redact(v, depth + 1)],
    ),
  );
}
