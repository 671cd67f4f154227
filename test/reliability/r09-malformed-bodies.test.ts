/**
 * R9 Malformed bodies, through the handlers in-process. First the fixed cases on every JSON route and the
 * webhook route: invalid JSON, invalid UTF-8, 10,000 levels of nesting, repeated keys, a leading BOM, a wrong
 * Content-Type, and bodies that disagree with `isBase64Encoded`. Then 10,000 property-based mutations
 * (fast-check, seeded) of valid payloads: values replaced by arbitrary JSON, fields dropped or added, strings
 * replaced by arbitrary Unicode (lone surrogates included), the serialised text and raw bytes edited, the
 * base64 flag flipped and the Content-Type changed; webhook mutations are re-signed so they reach the parser.
 * Pass: 5xx = 0; unhandled exceptions = 0; database writes from refused input = 0.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { logger } from '../../shared/observability/logger.js';
import type { TestDatabase } from '../support/db.js';
import { routeEvent } from '../support/factories.js';
import type { TenantGraph } from '../support/fixtures.js';
import { type HttpHandler, invoke, loadHandler } from '../support/handler-harness.js';
import { MemorySecretStore } from '../support/memory-secrets.js';
import { describeOnPostgres, figures, histogram, runs, scaled, seedFor } from '../support/reliability.js';
import {
  hmacHex,
  seedWebhookIntegrations,
  type WebhookIntegration,
  webhookEvent,
} from '../support/webhook-signing.js';
import { memoryAdapters, seededDatabase } from './support/suite.js';

const MUTATIONS = runs(10_000);
let db: TestDatabase;
let graph: TenantGraph;
let greenhouse: WebhookIntegration;
const handlers: Record<string, HttpHandler> = {};

type Target = 'portal' | 'stage' | 'job' | 'webhook';

interface Request {
  target: Target;
  body: Buffer | string;
  /** `mismatch`: the text is sent as it is but flagged `isBase64Encoded`. Byte bodies always go as base64. */
  encoding: 'plain' | 'base64' | 'mismatch';
  contentType: string;
}

function event(r: Request, appId: string): APIGatewayProxyEventV2 {
  const encode = r.encoding === 'base64' || Buffer.isBuffer(r.body);
  const body: string = encode
    ? (Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8')).toString('base64')
    : (r.body as string);
  const base = { body, isBase64Encoded: encode || r.encoding === 'mismatch' };
  const headers = (key: 'portal' | 'ats') => ({
    'content-type': r.contentType,
    authorization: `Bearer ${graph.keys[key]}`,
  });
  switch (r.target) {
    case 'portal':
      return routeEvent('POST /applications', { headers: headers('portal'), ...base });
    case 'stage':
      return routeEvent('POST /applications/{id}/stage', {
        params: { id: appId },
        headers: headers('portal'),
        ...base,
      });
    case 'job':
      return routeEvent('POST /jobs', { headers: headers('ats'), ...base });
    case 'webhook': {
      // re-signed over the bytes as received, so the mutation reaches the parser behind the signature check
      const raw = base.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
      const ev = webhookEvent('greenhouse', greenhouse.integrationId, {
        body: base.body,
        headers: {
          'content-type': r.contentType,
          signature: `sha256 ${hmacHex(greenhouse.secret, raw)}`,
          'greenhouse-event-id': randomUUID(),
        },
      });
      ev.isBase64Encoded = base.isBase64Encoded;
      return ev;
    }
  }
}

function valid(target: Target): Record<string, unknown> {
  switch (target) {
    case 'portal':
      return {
        jobId: graph.jobId,
        candidate: {
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: `r9-${randomUUID()}@example.com`,
          phone: '+1 555 0100',
        },
        externalPortalId: 'portal-cand-123',
        submittedBy: 'portal-user-456',
        resume: { fileName: 'cv.pdf', contentType: 'application/pdf', sizeBytes: 183000 },
      };
    case 'stage':
      return { toStage: 'Shortlist', expectedStage: 'Screening', note: 'strong profile' };
    case 'job':
      return { title: 'Engineer', employmentType: 'full_time', status: 'open', customStages: ['Assessment'] };
    case 'webhook':
      return {
        action: 'candidate_stage_change',
        payload: { application: { id: 1, last_activity_at: '2026-01-14T16:38:36Z' } },
      };
  }
}

function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const out: string[][] = prefix.length ? [prefix] : [];
  for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setPath(root: Record<string, unknown>, path: string[], value: unknown, remove = false): void {
  let node: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') return;
    node = next as Record<string, unknown>;
  }
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
}

const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    key: fc.string({ maxLength: 12 }),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
  fc.record({
    kind: fc.constant('string' as const),
    pick: fc.nat(),
    value: fc.string({ unit: 'binary', maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    pick: fc.nat(),
    value: fc.oneof(fc.double(), fc.bigInt().map(String), fc.constantFrom(1e308, -0, 2 ** 53 + 1)),
  }),
  fc.record({
    kind: fc.constant('text' as const),
    at: fc.nat(),
    remove: fc.nat({ max: 6 }),
    insert: fc.string({ unit: 'binary', maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('flip-base64' as const) }),
  fc.record({
    kind: fc.constant('content-type' as const),
    value: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      '',
      'application/json; charset=latin1',
      'application/vnd.api+json',
      'APPLICATION/JSON',
      'application/jsonp',
    ),
  }),
);

const caseArb = fc.record({
  target: fc.constantFrom<Target>('portal', 'portal', 'stage', 'job', 'webhook'),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
});

type Case = typeof caseArb extends fc.Arbitrary<infer C> ? C : never;

function apply(target: Target, mutations: Case['mutations']): Request {
  const value = valid(target);
  const all = paths(value);
  let flips = 0;
  let contentType = 'application/json';
  let text: string | undefined;
  let bytes: Buffer | undefined;
  for (const m of mutations) {
    const path = 'pick' in m ? all[m.pick % all.length]! : [];
    switch (m.kind) {
      case 'set':
      case 'string':
      case 'number':
        if (path.length) setPath(value, path, m.value);
        break;
      case 'delete':
        if (path.length) setPath(value, path, undefined, true);
        break;
      case 'add':
        value[m.key] = m.value;
        break;
      case 'text': {
        const t = text ?? JSON.stringify(value);
        const at = m.at % (t.length + 1);
        text = t.slice(0, at) + m.insert + t.slice(at + m.remove);
        break;
      }
      case 'bytes': {
        const b = bytes ?? Buffer.from(text ?? JSON.stringify(value), 'utf8');
        const at = m.at % (b.length + 1);
        bytes = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at + m.bytes.length)]);
        break;
      }
      case 'flip-base64':
        flips++;
        break;
      case 'content-type':
        contentType = m.value;
        break;
    }
  }
  const body = bytes ?? text ?? JSON.stringify(value);
  // one flip: encoded as base64 (agreeing); two: the flag set on plain text (disagreeing)
  const encoding = flips === 0 ? 'plain' : flips === 1 ? 'base64' : 'mismatch';
  return { target, body, encoding, contentType };
}

async function writeMarks() {
  const [row] = await db.owner<{ m: string }[]>`
    select concat_ws(',', (select count(*) from applications), (select count(*) from candidates), (select count(*) from jobs),
      (select coalesce(max(id), 0) from outbox), (select coalesce(max(id), 0) from webhook_deliveries),
      (select coalesce(max(id), 0) from application_stage_history), (select count(*) from idempotency_keys),
      (select count(*) from candidate_documents)) as m`;
  return row!.m;
}

describeOnPostgres('R9', 'malformed bodies', () => {
  beforeAll(async () => {
    ({ db, graph } = await seededDatabase(2));
    const secrets = new MemorySecretStore();
    greenhouse = (await seedWebhookIntegrations(db.owner, secrets, graph.organizationId)).greenhouse;
    const overrides = memoryAdapters(db.app, { secrets });
    handlers.portal = await loadHandler('portal-submission', overrides);
    handlers.stage = await loadHandler('stage-advance', overrides);
    handlers.job = await loadHandler('job-admin', overrides);
    handlers.webhook = await loadHandler('webhook-intake', overrides);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('answers every malformed body with a 4xx, never a 5xx, and writes nothing for it', async () => {
    const errorLog = vi.spyOn(logger, 'error');
    const stats = { requests: 0, fiveXx: 0, unhandled: 0, writesFromRefused: 0, accepted: 0 };
    const fourXx: string[] = [];
    const failures: string[] = [];
    let marks = await writeMarks();
    let appId = graph.applicationId;
    const send = async (r: Request, label: string) => {
      stats.requests++;
      let status: number;
      let code = '';
      try {
        const res = await invoke(handlers[r.target]!, event(r, appId));
        status = res.status;
        code = res.body?.error?.code ?? '';
      } catch {
        stats.unhandled++;
        failures.push(`${label}: threw`);
        return;
      }
      const after = await writeMarks();
      if (status >= 500) {
        stats.fiveXx++;
        failures.push(`${label}: ${status}`);
      }
      if (status >= 400) {
        fourXx.push(`${status} ${code}`);
        if (after !== marks) {
          stats.writesFromRefused++;
          failures.push(`${label}: wrote on ${status}`);
        }
      } else {
        stats.accepted++;
        if (r.target === 'stage') {
          // the move succeeded: the next stage mutations get a fresh Screening application
          appId = randomUUID();
          const candidateId = randomUUID();
          await db.owner`insert into candidates (id, organization_id, first_name, last_name, email)
            values (${candidateId}, ${graph.organizationId}, 'R', 'Nine', ${`r9-${appId}@example.com`})`;
          await db.owner`insert into applications (id, organization_id, candidate_id, job_id, stage_id, source)
            values (${appId}, ${graph.organizationId}, ${candidateId}, ${graph.jobId}, ${graph.stageIds[0]!}, 'portal')`;
        }
      }
      marks = await writeMarks();
    };

    // fixed cases on every route
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    for (const target of ['portal', 'stage', 'job', 'webhook'] as const) {
      const json = JSON.stringify(valid(target));
      const fixed: [string, Request][] = [
        ['invalid JSON', { target, body: '{"jobId": ', encoding: 'plain', contentType: 'application/json' }],
        [
          'invalid UTF-8',
          {
            target,
            body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
            encoding: 'base64',
            contentType: 'application/json',
          },
        ],
        [
          'overlong UTF-8 encoding',
          {
            target,
            body: Buffer.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
            encoding: 'base64',
            contentType: 'application/json',
          },
        ],
        [
          '10,000 nested arrays',
          { target, body: deep(10_000), encoding: 'plain', contentType: 'application/json' },
        ],
        [
          '10,000 nested objects',
          { target, body: deepObject(10_000), encoding: 'plain', contentType: 'application/json' },
        ],
        [
          'repeated keys',
          {
            target,
            body: `${json.slice(0, -1)},${json.slice(1)}`,
            encoding: 'plain',
            contentType: 'application/json',
          },
        ],
        [
          'leading BOM',
          { target, body: `\ufeff${json}`, encoding: 'plain', contentType: 'application/json' },
        ],
        ['wrong Content-Type', { target, body: json, encoding: 'plain', contentType: 'text/plain' }],
        [
          'base64 flag on plain text',
          { target, body: json, encoding: 'mismatch', contentType: 'application/json' },
        ],
        [
          'plain flag on base64 text',
          {
            target,
            body: Buffer.from(json).toString('base64'),
            encoding: 'plain',
            contentType: 'application/json',
          },
        ],
        ['empty body', { target, body: '', encoding: 'plain', contentType: 'application/json' }],
        ['JSON null', { target, body: 'null', encoding: 'plain', contentType: 'application/json' }],
        ['JSON array', { target, body: '[]', encoding: 'plain', contentType: 'application/json' }],
        [
          'lone surrogate escape',
          { target, body: json.replace('"', '"\\ud800'), encoding: 'plain', contentType: 'application/json' },
        ],
      ];
      for (const [name, r] of fixed) await send(r, `${target}/${name}`);
    }
    const fixedRequests = stats.requests;

    // property-based mutations of valid payloads
    const seed = seedFor('R9');
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        await send(apply(c.target, c.mutations), `${c.target}/mutation`);
        return true;
      }),
      { seed, numRuns: MUTATIONS, endOnFailure: true },
    );
    const unhandledLogged = errorLog.mock.calls.filter((c) => c[0] === 'unhandled error').length;
    errorLog.mockRestore();

    figures('R9', 'malformed bodies', {
      fixedCases: fixedRequests,
      mutations: scaled(10_000, MUTATIONS),
      seed,
      requests: stats.requests,
      fiveXx: stats.fiveXx,
      unhandledExceptions: stats.unhandled + unhandledLogged,
      dbWritesFromInvalid: stats.writesFromRefused,
      accepted2xx: stats.accepted,
      fourXx: histogram(fourXx),
    });
    expect(failures.slice(0, 20)).toEqual([]);
    expect(stats).toMatchObject({ fiveXx: 0, unhandled: 0, writesFromRefused: 0 });
    expect(unhandledLogged).toBe(0);
  });
});
