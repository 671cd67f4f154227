/**
 * A faithful Lever fake (docs/providers.md §9 "Lever"): Basic API keys and OAuth (consent, code exchange with PKCE,
 * rotating refresh tokens: ./oauth.ts),
 * `{data, next, hasNext}` pages whose offsets are only valid as issued, `updated_at_start/end` in epoch ms,
 * the deleted feed, a per-key token bucket, maintenance mode, stage/archive writes and the webhook sender.
 * Independent of shared/providers.
 */
import { randomBytes } from 'node:crypto';
import type { FakeRequest, FakeResponse, FakeServerOptions } from '../common/fake-server.js';
import { createControllableClock, startFakeServer } from '../common/fake-server.js';
import { createLeverOAuth } from './oauth.js';
import { createLeverRecordRoutes } from './records.js';
import { generateLeverState, type LvOpportunity, type LvState } from './state.js';
import { createLeverSubmissionRoutes } from './submissions.js';
import { createTokenBuckets, type TokenBucketOptions } from './token-bucket.js';
import { deliverLeverWebhook, type LvDelivery, type LvWebhookOptions, leverEvents } from './webhooks.js';

export interface LeverFakeOptions extends FakeServerOptions {
  postings?: number;
  contacts?: number;
  apiKeys?: string[];
  oauthClient?: { clientId: string; clientSecret: string };
  /** OAuth callback URLs registered for the client (default: any loopback URL). */
  callbackUrls?: string[];
  /** Refresh tokens valid at start. */
  refreshTokens?: string[];
  accessTokenLifetimeSeconds?: number;
  /** Default 10 req/s, burst 20, per key; `false` disables it. */
  rateLimit?: TokenBucketOptions | false;
  /** (unverified) whether a 429 carries Retry-After (seconds). Off by default: Lever documents none. */
  retryAfterOn429?: number;
  /** Signing token per event type (Lever keeps one per type). */
  signingTokens?: Record<string, string>;
  webhooks?: LvWebhookOptions;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  body,
  headers,
});
const bad = (message: string) => json(400, { code: 'BadRequestError', message });

function decodeBasic(header: string | undefined): string | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : decoded.slice(0, colon);
}

export async function startLeverFake(options: LeverFakeOptions = {}) {
  const clock = options.clock ?? createControllableClock();
  const apiKeys = new Set(options.apiKeys ?? ['lever-key']);
  const oauthClient = options.oauthClient ?? {
    clientId: 'lever-client',
    clientSecret: 'lever-client-secret',
  };
  const refreshTokens = new Set(options.refreshTokens ?? ['lever-refresh-0']);
  const accessLifetimeMs = (options.accessTokenLifetimeSeconds ?? 3600) * 1000;
  const accessTokens = new Map<string, number>();
  const state: LvState = generateLeverState({
    seed: options.seed ?? 1,
    postings: options.postings ?? 4,
    contacts: options.contacts ?? 30,
    now: clock.nowMs(),
  });
  const signingTokens: Record<string, string> = options.signingTokens ?? {};
  const buckets = createTokenBuckets(options.rateLimit ?? { ratePerSecond: 10, burst: 20 }, () =>
    clock.nowMs(),
  );
  const offsets = new Map<string, { resource: string; position: number }>();
  const deliveries: LvDelivery[] = [];
  let maintenance = false;

  const issueAccessToken = () => {
    const token = randomBytes(24).toString('base64url');
    accessTokens.set(token, clock.nowMs() + accessLifetimeMs);
    return token;
  };

  const oauth = createLeverOAuth({
    client: oauthClient,
    ...(options.callbackUrls ? { callbackUrls: options.callbackUrls } : {}),
    refreshTokens,
    issueAccessToken,
    accessLifetimeSeconds: accessLifetimeMs / 1000,
    nowMs: () => clock.nowMs(),
  });

  /** The rate-limit key: the API key, or the OAuth client for bearer tokens. */
  const authenticate = (request: FakeRequest): string | null => {
    const header = request.headers.authorization;
    const key = decodeBasic(header);
    if (key !== null) return apiKeys.has(key) ? `key:${key}` : null;
    if (header?.startsWith('Bearer ')) {
      const expiresAt = accessTokens.get(header.slice(7));
      return expiresAt !== undefined && clock.nowMs() < expiresAt ? `oauth:${oauthClient.clientId}` : null;
    }
    return null;
  };

  // --- pagination -------------------------------------------------------------------------------------------

  const issueOffset = (resource: string, position: number) => {
    const token = `0.${clock.nowMs()}.${state.rng.hex(8)}-${state.rng.hex(4)}`;
    offsets.set(token, { resource, position });
    return token;
  };

  const paged = <T>(
    request: FakeRequest,
    resource: string,
    rows: readonly T[],
    render: (row: T) => unknown,
  ): FakeResponse => {
    const limitRaw = request.query.get('limit');
    const limit = limitRaw === null ? 100 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return bad('limit must be between 1 and 100');
    let position = 0;
    const offset = request.query.get('offset');
    if (offset !== null) {
      const known = offsets.get(offset);
      // Only an offset previously returned in `next` is accepted.
      if (!known || known.resource !== resource) return bad('Invalid offset token');
      position = known.position;
    }
    const slice = rows.slice(position, position + limit);
    const hasNext = position + limit < rows.length;
    return json(200, {
      data: slice.map(render),
      ...(hasNext ? { next: issueOffset(resource, position + limit) } : {}),
      hasNext,
    });
  };

  const msFilter = (request: FakeRequest, name: string): number | null | 'invalid' => {
    const value = request.query.get(name);
    if (value === null) return null;
    return /^\d+$/.test(value) ? Number(value) : 'invalid';
  };

  const renderOpportunity = (o: LvOpportunity, expand: string[]) => {
    const stage = state.stages.find((s) => s.id === o.stageId);
    return {
      id: o.id,
      name: o.name,
      headline: o.headline,
      contact: o.contact,
      emails: o.emails,
      phones: o.phones,
      confidentiality: 'non-confidential',
      location: '',
      links: [],
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
      lastInteractionAt: o.updatedAt,
      lastAdvancedAt: o.updatedAt,
      archived: o.archived,
      stage: expand.includes('stage') && stage ? { id: stage.id, text: stage.text } : o.stageId,
      tags: o.tags,
      sources: [],
      origin: 'applied',
      applications: expand.includes('applications')
        ? [
            {
              id: o.applicationId,
              type: 'posting',
              posting: o.postingId,
              opportunityId: o.id,
              createdAt: o.createdAt,
            },
          ]
        : [o.applicationId],
    };
  };

  const listOpportunities = (request: FakeRequest): FakeResponse => {
    const start = msFilter(request, 'updated_at_start');
    const end = msFilter(request, 'updated_at_end');
    if (start === 'invalid' || end === 'invalid') return bad('updated_at filters are epoch milliseconds');
    const rows = state.opportunities.filter(
      (o) => (start === null || o.updatedAt >= start) && (end === null || o.updatedAt <= end),
    );
    const expand = request.query.getAll('expand');
    return paged(request, `opportunities:${start}:${end}`, rows, (o) => renderOpportunity(o, expand));
  };

  const listDeleted = (request: FakeRequest): FakeResponse => {
    const start = msFilter(request, 'deleted_at_start');
    if (start === 'invalid') return bad('deleted_at_start is epoch milliseconds');
    const rows = state.deleted.filter((d) => start === null || d.deletedAt >= start);
    return paged(request, `deleted:${start}`, rows, (d) => d);
  };

  const submissions = createLeverSubmissionRoutes({ state, clock, render: renderOpportunity, paged });
  const records = createLeverRecordRoutes({ state, clock, seed: options.seed ?? 1, paged });

  // --- writes -----------------------------------------------------------------------------------------------

  const readBody = (request: FakeRequest): Record<string, unknown> | null => {
    try {
      const value = JSON.parse(request.body || '{}');
      return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
    } catch {
      return null;
    }
  };

  const touch = (o: LvOpportunity) => {
    o.updatedAt = clock.nowMs();
  };

  const putStage = (o: LvOpportunity, request: FakeRequest): FakeResponse => {
    const body = readBody(request);
    if (!body || typeof body['stage'] !== 'string') return bad('stage is required');
    if (!state.stages.some((s) => s.id === body['stage'])) return bad('Unknown stage');
    o.stageId = body['stage'];
    touch(o);
    return json(200, { data: renderOpportunity(o, []) });
  };

  const putArchived = (o: LvOpportunity, request: FakeRequest): FakeResponse => {
    const body = readBody(request);
    if (!body || !('reason' in body)) return bad('reason is required (null to unarchive)');
    const reason = body['reason'];
    if (reason === null) {
      o.archived = null;
      o.hiredRequisitionId = null;
    } else {
      const known = state.archiveReasons.find((r) => r.id === reason);
      if (!known) return bad('Unknown archive reason');
      o.archived = { archivedAt: clock.nowMs(), reason: known.id };
      o.hiredRequisitionId =
        known.type === 'hired' && typeof body['requisitionId'] === 'string' ? body['requisitionId'] : null;
    }
    touch(o);
    return json(200, { data: renderOpportunity(o, []) });
  };

  // --- router -----------------------------------------------------------------------------------------------

  const handler = (request: FakeRequest): FakeResponse | Promise<FakeResponse> => {
    const authServer = oauth.route(request);
    if (authServer) return authServer;
    if (maintenance)
      return json(503, { code: 'ServiceUnavailable', message: 'Lever is down for maintenance' });
    if (!request.path.startsWith('/v1/')) return json(404, { code: 'NotFound', message: 'Not found' });
    const key = authenticate(request);
    if (!key) return json(401, { code: 'UnauthorizedError', message: 'Invalid API credentials' });
    if (!buckets.take(key)) {
      return json(
        429,
        { code: 'TooManyRequests', message: 'Too many requests' },
        options.retryAfterOn429 ? { 'retry-after': String(options.retryAfterOn429) } : {},
      );
    }
    const path = request.path.slice(3);
    const { method } = request;
    const written = submissions.route(request, path) ?? records.route(request, path);
    if (written) return written;
    if (method === 'GET' && path === '/opportunities') return listOpportunities(request);
    if (method === 'GET' && path === '/opportunities/deleted') return listDeleted(request);
    if (method === 'GET' && path === '/postings') {
      return paged(request, 'postings', state.postings, (p) => ({
        id: p.id,
        text: p.text,
        state: p.state,
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
        categories: {
          commitment: p.commitment,
          team: p.team,
          ...(p.department === null ? {} : { department: p.department }),
          location: p.location,
          allLocations: [p.location],
        },
        content: { description: p.description, descriptionHtml: `<p>${p.description}</p>`, lists: [] },
        workplaceType: p.workplaceType,
        ...(p.salaryRange === null ? {} : { salaryRange: p.salaryRange }),
      }));
    }
    if (method === 'GET' && path === '/stages') return paged(request, 'stages', state.stages, (s) => s);
    if (method === 'GET' && path === '/archive_reasons')
      return paged(request, 'archive_reasons', state.archiveReasons, (r) => r);
    const single = /^\/opportunities\/([^/]+)(?:\/(stage|archived))?$/.exec(path);
    if (single) {
      const opportunity = state.opportunityById.get(decodeURIComponent(single[1]!));
      if (!opportunity) return json(404, { code: 'ResourceNotFound', message: 'Opportunity not found' });
      if (method === 'GET' && !single[2])
        return json(200, { data: renderOpportunity(opportunity, request.query.getAll('expand')) });
      if (method === 'PUT' && single[2] === 'stage') return putStage(opportunity, request);
      if (method === 'PUT' && single[2] === 'archived') return putArchived(opportunity, request);
    }
    return json(404, { code: 'NotFound', message: 'Not found' });
  };

  const server = await startFakeServer(handler, options);

  const opportunity = (id: string) => {
    const found = state.opportunityById.get(id);
    if (!found) throw new Error(`no opportunity ${id}`);
    return found;
  };

  const events = leverEvents();

  return {
    url: `${server.url}/v1`,
    authUrl: `${server.url}/oauth/token`,
    /** Where the hub sends the customer's browser to consent (`GET /authorize`). */
    authorizeUrl: `${server.url}/authorize`,
    clock,
    state,
    ...server.controls,
    submissions,
    records,
    apiKey: [...apiKeys][0]!,
    oauthClient,
    /** Refresh tokens currently accepted (rotation removes used ones). */
    validRefreshTokens: () => [...refreshTokens],
    setMaintenance(on: boolean) {
      maintenance = on;
    },
    get rateLimitRejections() {
      return buckets.rejectedCount;
    },

    changeStage(id: string, stageId: string) {
      const o = opportunity(id);
      const from = o.stageId;
      o.stageId = stageId;
      touch(o);
      return events.stageChange(o, from);
    },
    archive(id: string, reasonId: string | null) {
      const o = opportunity(id);
      const from = o.archived;
      o.archived = reasonId === null ? null : { archivedAt: clock.nowMs(), reason: reasonId };
      touch(o);
      return events.archiveChange(o, from);
    },
    touch(id: string) {
      touch(opportunity(id));
    },
    /** Hard delete: disappears from lists and shows up in `GET /opportunities/deleted`. */
    deleteOpportunity(id: string) {
      const o = opportunity(id);
      state.opportunityById.delete(id);
      state.opportunities = state.opportunities.filter((x) => x.id !== id);
      state.deleted.push({ id, deletedAt: clock.nowMs() });
      return events.deleted(id, o.contact);
    },
    events,
    deliveries,
    async sendWebhook(
      targetUrl: string,
      event: { event: string; data: unknown },
      sendOptions: { signingToken?: string; retry?: boolean; triggeredAt?: number; token?: string } = {},
    ): Promise<LvDelivery> {
      const signingToken = sendOptions.signingToken ?? signingTokens[event.event];
      if (!signingToken) throw new Error(`no signing token for ${event.event}`);
      const delivery = await deliverLeverWebhook(targetUrl, event, signingToken, clock, state.rng, {
        ...(options.webhooks ?? {}),
        ...sendOptions,
      });
      deliveries.push(delivery);
      return delivery;
    },
  };
}

export type LeverFake = Awaited<ReturnType<typeof startLeverFake>>;
