/**
 * The Ashby fake's door: POST only, Basic API keys (key as user name, empty password) with per-endpoint
 * permissions (`missing_endpoint_permission`), and 429s per key window or partner-wide with
 * `X-RateLimit-Scope: integration-partner`.
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeRequest, FakeResponse } from '../common/loopback-server.js';
import { ASHBY_RECORD_PERMISSIONS } from './records.js';
import { ASHBY_SUBMISSION_PERMISSIONS } from './submissions.js';

export type AshbyPermission =
  | 'candidatesRead'
  | 'candidatesWrite'
  | 'jobsRead'
  | 'interviewsRead'
  | 'hiringProcessMetadataRead'
  | 'hiringProcessMetadataWrite'
  | 'offersRead'
  | 'organizationRead';
export const ALL_PERMISSIONS: AshbyPermission[] = [
  'candidatesRead',
  'candidatesWrite',
  'jobsRead',
  'interviewsRead',
  'hiringProcessMetadataRead',
  'hiringProcessMetadataWrite',
  'offersRead',
  'organizationRead',
];

const ENDPOINT_PERMISSIONS: Record<string, AshbyPermission> = {
  'candidate.list': 'candidatesRead',
  'application.list': 'candidatesRead',
  'application.info': 'candidatesRead',
  'application.changeStage': 'candidatesWrite',
  'application.change_stage': 'candidatesWrite',
  'application.create': 'candidatesWrite',
  'job.list': 'jobsRead',
  'interviewStage.list': 'interviewsRead',
  'archiveReason.list': 'hiringProcessMetadataRead',
  ...ASHBY_SUBMISSION_PERMISSIONS,
  ...ASHBY_RECORD_PERMISSIONS,
};

const refusal = (status: number, code: string, message: string): FakeResponse => ({
  status,
  body: { success: false, errorInfo: { code, message } },
});

export function createAshbyGate(options: {
  apiKeys: Record<string, AshbyPermission[]>;
  rateLimit: { limit: number; windowSeconds: number } | false | undefined;
  clock: ControllableClock;
}) {
  const { apiKeys, clock } = options;
  const windows = new Map<string, { start: number; used: number }>();
  let partnerThrottle = 0;

  const takeRate = (key: string): FakeResponse | null => {
    if (partnerThrottle > 0) {
      partnerThrottle -= 1;
      return {
        ...refusal(429, 'rate_limit_exceeded', 'Partner rate limit exceeded'),
        headers: { 'x-ratelimit-scope': 'integration-partner' },
      };
    }
    if (options.rateLimit === false || options.rateLimit === undefined) return null;
    const windowMs = options.rateLimit.windowSeconds * 1000;
    const start = Math.floor(clock.nowMs() / windowMs) * windowMs;
    const window = windows.get(key);
    const current = window && window.start === start ? window : { start, used: 0 };
    windows.set(key, current);
    if (current.used >= options.rateLimit.limit) {
      return {
        ...refusal(429, 'rate_limit_exceeded', 'Rate limit exceeded'),
        headers: { 'retry-after': String(Math.max(1, Math.ceil((start + windowMs - clock.nowMs()) / 1000))) },
      };
    }
    current.used += 1;
    return null;
  };

  return {
    /** The refusal of a request that may not reach `method`, or null. */
    check(request: FakeRequest, method: string): FakeResponse | null {
      const header = request.headers.authorization;
      if (!header?.startsWith('Basic ')) return refusal(401, 'unauthenticated', 'Missing API key');
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const key = decoded.slice(0, Math.max(0, decoded.indexOf(':')));
      const permissions = apiKeys[key];
      if (!permissions) return refusal(403, 'invalid_api_key', 'Invalid API key');
      const needed = ENDPOINT_PERMISSIONS[method];
      if (!needed) return refusal(404, 'endpoint_not_found', `No endpoint ${method}`);
      if (!permissions.includes(needed)) {
        return {
          status: 403,
          body: {
            success: false,
            errors: ['missing_endpoint_permission'],
            errorInfo: { code: 'missing_endpoint_permission', message: `Requires ${needed}` },
          },
        };
      }
      return takeRate(key);
    },
    /** The next `count` requests get a partner-wide 429 with X-RateLimit-Scope: integration-partner. */
    throttlePartner(count: number) {
      partnerThrottle += count;
    },
  };
}
