/**
 * R21 Clock skew and edges, through the webhook-intake handler on a fixed clock. Providers that sign a
 * timestamp: BambooHR (seconds, 300 s either way) and Lever (`triggeredAt` in ms: 24 h into the past — Lever
 * retries keep the original time — and 300 s into the future). Signed timestamps at now ± (tolerance − 1 s) must
 * be accepted, at now ± (tolerance + 1 s) refused; non-numeric or otherwise malformed timestamps must be answered
 * 400 (VALIDATION_FAILED), without a database write.
 */
import '../support/quiet-logs.js';
import { expect, it } from 'vitest';
import type { TestDatabase } from '../support/db.js';
import { type HttpHandler, invoke } from '../support/handler-harness.js';
import { describeOnPostgres, figures, histogram } from '../support/reliability.js';
import {
  hmacHex,
  type SignedProvider,
  samplePayload,
  type WebhookIntegration,
  webhookEvent,
} from '../support/webhook-signing.js';
import { fixedClock, webhookIntakeSuite } from './support/suite.js';

const NOW = Math.floor(Date.now() / 1000) * 1000;
let db: TestDatabase;
let handler: HttpHandler;
let integrations: Record<SignedProvider, WebhookIntegration>;

function bamboo(timestamp: string) {
  const { secret } = integrations.bamboohr;
  const body = JSON.stringify(samplePayload('bamboohr'));
  return webhookEvent('bamboohr', integrations.bamboohr.integrationId, {
    body,
    headers: {
      'content-type': 'application/json',
      'x-bamboohr-timestamp': timestamp,
      'x-bamboohr-signature': hmacHex(secret, body, timestamp),
    },
  });
}

function lever(triggeredAt: unknown) {
  const { secret } = integrations.lever;
  const token = `tok${Math.random().toString(36).slice(2)}`;
  const body = JSON.stringify({
    ...samplePayload('lever'),
    token,
    triggeredAt,
    signature: hmacHex(secret, `${token}${String(triggeredAt)}`),
  });
  return webhookEvent('lever', integrations.lever.integrationId, {
    body,
    headers: { 'content-type': 'application/json' },
  });
}

describeOnPostgres('R21', 'clock skew and edges', () => {
  webhookIntakeSuite(2, { clock: fixedClock(NOW) }, (state) => {
    ({ db, handler, integrations } = state);
  });

  it('accepts inside the window, refuses outside it and answers malformed timestamps 400', async () => {
    const s = NOW / 1000;
    const inside = [
      ['bamboohr now−299s', bamboo(String(s - 299))],
      ['bamboohr now+299s', bamboo(String(s + 299))],
      ['bamboohr now', bamboo(String(s))],
      ['lever now−(24h−1s)', lever(NOW - 86_399_000)],
      ['lever now+299s', lever(NOW + 299_000)],
      ['lever now', lever(NOW)],
    ] as const;
    const outside = [
      ['bamboohr now−301s', bamboo(String(s - 301))],
      ['bamboohr now+301s', bamboo(String(s + 301))],
      ['bamboohr epoch 0', bamboo('0')],
      ['lever now−(24h+1s)', lever(NOW - 86_401_000)],
      ['lever now+301s', lever(NOW + 301_000)],
      ['lever negative', lever(-1)],
    ] as const;
    const malformed = [
      ['bamboohr non-numeric', bamboo('yesterday')],
      ['bamboohr ISO 8601', bamboo(new Date(NOW).toISOString())],
      ['bamboohr empty', bamboo('')],
      ['bamboohr fractional', bamboo(`${s}.5`)],
      ['bamboohr negative', bamboo(`-${s}`)],
      ['bamboohr exponent', bamboo('1.7e9')],
      ['bamboohr hex', bamboo('0x6553f100')],
      ['bamboohr milliseconds', bamboo(String(NOW))],
      ['bamboohr Arabic-Indic digits', bamboo('١٧٠٠٠٠٠٠٠٠')],
      ['bamboohr embedded NUL', bamboo(`${s}\u0000`)],
      ['lever non-numeric', lever('yesterday')],
      ['lever numeric string', lever(String(NOW))],
      ['lever fractional', lever(NOW + 0.5)],
      ['lever null', lever(null)],
      ['lever huge', lever(1e300)],
    ] as const;
    const [before] = await db.owner<{ n: number }[]>`select count(*)::int as n from webhook_deliveries`;
    const run = async (list: readonly (readonly [string, ReturnType<typeof bamboo>])[]) => {
      const out: { name: string; status: number; code?: string }[] = [];
      for (const [name, event] of list) {
        const res = await invoke(handler, event);
        out.push({ name, status: res.status, code: res.body?.error?.code });
      }
      return out;
    };
    const insideResults = await run(inside);
    const [afterInside] = await db.owner<{ n: number }[]>`select count(*)::int as n from webhook_deliveries`;
    const outsideResults = await run(outside);
    const malformedResults = await run(malformed);
    const [after] = await db.owner<{ n: number }[]>`select count(*)::int as n from webhook_deliveries`;
    const rejectedWrites = after!.n - afterInside!.n;

    figures('R21', 'clock skew and edges', {
      insideAccepted: `${insideResults.filter((r) => r.status === 200).length}/${inside.length}`,
      outsideAccepted: `${outsideResults.filter((r) => r.status === 200).length}/${outside.length}`,
      outsideStatuses: histogram(outsideResults.map((r) => r.status)),
      malformed400: `${malformedResults.filter((r) => r.status === 400).length}/${malformed.length}`,
      malformedStatuses: histogram(malformedResults.map((r) => `${r.status} ${r.code}`)),
      insideWrites: afterInside!.n - before!.n,
      dbWritesFromRefused: rejectedWrites,
    });
    expect(insideResults.filter((r) => r.status !== 200)).toEqual([]);
    expect(outsideResults.filter((r) => r.status !== 401)).toEqual([]);
    expect(malformedResults.filter((r) => r.status !== 400)).toEqual([]);
    expect(rejectedWrites).toBe(0);
  });
});
