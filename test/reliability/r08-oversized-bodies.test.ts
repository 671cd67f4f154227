/**
 * R8 Oversized bodies, on the webhook route (1 MiB) and a JSON route (portal submission, 256 KiB): 0 B,
 * limit − 1, limit, limit + 1, 1 MB, and just over the Lambda synchronous payload quota (6 MB), as text and as
 * base64 (`isBase64Encoded`), plus a gzip bomb (`Content-Encoding: gzip`; the hub never decompresses, so the
 * bytes are what they are). Over-limit bodies must get 413 PAYLOAD_TOO_LARGE before any secret is read (so
 * before HMAC), before JSON.parse and without a database write.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createLambdaContext } from '../../infra/local/lambda-context.js';
import { JSON_BODY_LIMIT } from '../../shared/http/middleware/body-limit.js';
import type { TestDatabase } from '../support/db.js';
import type { TenantGraph } from '../support/fixtures.js';
import { type HttpHandler, loadHandler } from '../support/handler-harness.js';
import { MemorySecretStore } from '../support/memory-secrets.js';
import { describeOnPostgres, figures, percentile } from '../support/reliability.js';
import {
  hmacHex,
  seedWebhookIntegrations,
  type WebhookIntegration,
  webhookEvent,
} from '../support/webhook-signing.js';
import { memoryAdapters, portalSubmission, seededDatabase } from './support/suite.js';

const WEBHOOK_LIMIT = 1024 * 1024;
const LAMBDA_SYNC_QUOTA = 6 * 1024 * 1024;
let db: TestDatabase;
let graph: TenantGraph;
let secrets: MemorySecretStore;
let greenhouse: WebhookIntegration;
let webhooks: HttpHandler;
let portal: HttpHandler;

/** A valid JSON text of exactly `size` bytes (padded with whitespace), or raw bytes when JSON cannot be that small. */
function jsonOfSize(value: unknown, size: number): string {
  const text = JSON.stringify(value);
  if (size < text.length) return 'x'.repeat(size);
  return text + ' '.repeat(size - text.length);
}

async function call(handler: HttpHandler, event: APIGatewayProxyEventV2) {
  const parse = vi.spyOn(JSON, 'parse');
  const gets = secrets.gets;
  const started = performance.now();
  const result = await handler(event, createLambdaContext({ functionName: 'r8', timeoutSeconds: 10 }));
  const ms = performance.now() - started;
  const parses = parse.mock.calls.length;
  parse.mockRestore();
  const body = JSON.parse(result.body ?? '{}') as { error?: { code: string } };
  return {
    status: result.statusCode ?? 200,
    code: body.error?.code,
    ms,
    parses,
    secretReads: secrets.gets - gets,
  };
}

async function rowCounts() {
  const [row] = await db.owner<{ n: number }[]>`
    select ((select count(*) from webhook_deliveries) + (select count(*) from applications)
      + (select count(*) from candidates) + (select count(*) from outbox))::int as n`;
  return row!.n;
}

describeOnPostgres('R8', 'oversized bodies', () => {
  beforeAll(async () => {
    ({ db, graph } = await seededDatabase(2));
    secrets = new MemorySecretStore();
    greenhouse = (await seedWebhookIntegrations(db.owner, secrets, graph.organizationId)).greenhouse;
    const overrides = memoryAdapters(db.app, { secrets });
    webhooks = await loadHandler('webhook-intake', overrides);
    portal = await loadHandler('portal-submission', overrides);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('refuses every over-limit body with 413 before verification, parsing or any write', async () => {
    const sizes = (limit: number) => ({
      '0B': 0,
      'limit-1': limit - 1,
      limit,
      'limit+1': limit + 1,
      '1MB': 1_000_000,
      'over-6MB': LAMBDA_SYNC_QUOTA + 1,
    });
    const results: Record<string, unknown> = {};
    const overLimit: { status: number; secretReads: number; parses: number; written: number }[] = [];
    const rejectionMs: number[] = [];
    let peakRss = process.memoryUsage().rss;
    const sample = () => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    };

    for (const encoding of ['text', 'base64'] as const) {
      for (const [label, size] of Object.entries(sizes(WEBHOOK_LIMIT))) {
        const body = jsonOfSize(
          { action: 'candidate_stage_change', payload: { application: { id: randomUUID() } } },
          size,
        );
        const headers = {
          'content-type': 'application/json',
          signature: `sha256 ${hmacHex(greenhouse.secret, body)}`,
          'greenhouse-event-id': randomUUID(),
        };
        const before = await rowCounts();
        const r = await call(
          webhooks,
          webhookEvent('greenhouse', greenhouse.integrationId, {
            body: encoding === 'base64' ? Buffer.from(body) : body,
            headers,
          }),
        );
        const written = (await rowCounts()) - before;
        sample();
        results[`webhook/${encoding}/${label}`] = r.status;
        if (size > WEBHOOK_LIMIT) {
          overLimit.push({ status: r.status, secretReads: r.secretReads, parses: r.parses, written });
          rejectionMs.push(r.ms);
        }
      }
      for (const [label, size] of Object.entries(sizes(JSON_BODY_LIMIT))) {
        const email = `r8-${randomUUID()}@example.com`;
        const body = jsonOfSize(
          { jobId: graph.jobId, candidate: { firstName: 'Big', lastName: 'Body', email } },
          size,
        );
        const before = await rowCounts();
        const r = await call(
          portal,
          portalSubmission(graph, encoding === 'base64' ? Buffer.from(body) : body),
        );
        const written = (await rowCounts()) - before;
        sample();
        results[`json/${encoding}/${label}`] = r.status;
        if (size > JSON_BODY_LIMIT) {
          overLimit.push({ status: r.status, secretReads: 0, parses: r.parses, written });
          rejectionMs.push(r.ms);
        }
      }
    }

    // gzip bomb: 64 MiB of zeros in ~64 KiB; the hub treats the bytes as the body and never inflates them
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const rssBeforeBomb = process.memoryUsage().rss;
    const bombWebhook = await call(
      webhooks,
      webhookEvent('greenhouse', greenhouse.integrationId, {
        body: bomb,
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          signature: `sha256 ${hmacHex(greenhouse.secret, bomb)}`,
        },
      }),
    );
    const bombJson = await call(portal, portalSubmission(graph, bomb, { 'content-encoding': 'gzip' }));
    const bombRssGrowthMb = Math.round((process.memoryUsage().rss - rssBeforeBomb) / 1e6);
    sample();

    figures('R8', 'oversized bodies', {
      statusPerSize: results,
      overLimitRequests: overLimit.length,
      overLimit413: overLimit.filter((o) => o.status === 413).length,
      secretReadsBefore413: overLimit.reduce((n, o) => n + o.secretReads, 0),
      jsonParsesBefore413: overLimit.reduce((n, o) => n + o.parses, 0),
      dbWritesOverLimit: overLimit.reduce((n, o) => n + o.written, 0),
      gzipBomb: {
        bytes: bomb.length,
        inflatesTo: 64 * 1024 * 1024,
        webhook: bombWebhook.status,
        json: bombJson.status,
        rssGrowthMb: bombRssGrowthMb,
      },
      peakRssMb: Math.round(peakRss / 1e6),
      rejectionP50ms: percentile(rejectionMs, 50),
      rejectionP95ms: percentile(rejectionMs, 95),
    });
    expect(overLimit.every((o) => o.status === 413)).toBe(true);
    expect(overLimit.reduce((n, o) => n + o.secretReads + o.parses + o.written, 0)).toBe(0);
    // at and below the limit the size alone never refuses (valid bodies are accepted)
    for (const encoding of ['text', 'base64']) {
      expect(results[`webhook/${encoding}/limit`]).toBe(200);
      expect(results[`webhook/${encoding}/limit-1`]).toBe(200);
      expect(results[`webhook/${encoding}/1MB`]).toBe(200);
      expect(results[`json/${encoding}/limit`]).toBe(201);
      expect(results[`json/${encoding}/limit-1`]).toBe(201);
      expect([400, 401]).toContain(results[`webhook/${encoding}/0B`]);
      expect(results[`json/${encoding}/0B`]).toBe(400);
    }
    expect([bombWebhook.status, bombJson.status]).toEqual([400, 400]);
  });
});
