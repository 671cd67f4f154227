/**
 * R10 Signature matrix, through the webhook-intake handler (fixed clock). Per provider (docs/providers.md §1.2):
 * valid deliveries, Greenhouse's `sha256 ` prefix over a body with escaped Unicode, Ashby's `sha256=`, Lever's
 * signature over `token + triggeredAt`, BambooHR's body + timestamp, the other providers' formats, re-serialised
 * bodies, wrong secrets, truncated and doubled signatures (Stripe-style multiple entries), rotated secrets
 * (current and previous inside the grace period; previous after it), signed timestamps at ±299 s / ±301 s, and
 * unsigned requests. Then the Standard Webhooks negative cases (docs/providers.md §7) against what the hub emits
 * (shared/notifications/signing.ts), checked with a spec verifier.
 * Pass: false accepts = 0; false rejects = 0; unsigned requests → 401 in 100 %; no 5xx.
 */
import '../support/quiet-logs.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { WebhookSecretState } from '../../shared/domain/webhook-secrets.js';
import { webhookSecretName } from '../../shared/integrations/secret-names.js';
import {
  generateSigningSecret,
  signPayload,
  standardWebhookHeaders,
} from '../../shared/notifications/signing.js';
import type { TestDatabase } from '../support/db.js';
import { standardWebhookVerdict } from '../support/factories.js';
import type { TenantGraph } from '../support/fixtures.js';
import { type HttpHandler, invoke } from '../support/handler-harness.js';
import type { MemorySecretStore } from '../support/memory-secrets.js';
import { describeOnPostgres, figures, histogram } from '../support/reliability.js';
import {
  hmacHex,
  type SignedDelivery,
  type SignedProvider,
  signDelivery,
  webhookEvent,
} from '../support/webhook-signing.js';
import { fixedClock, webhookIntakeSuite } from './support/suite.js';

const NOW = Math.floor(Date.now() / 1000) * 1000;
let db: TestDatabase;
let graph: TenantGraph;
let secrets: MemorySecretStore;
let handler: HttpHandler;

interface Case {
  provider: SignedProvider;
  name: string;
  expect: 'accept' | 'reject' | 'unsigned';
  integration: { id: string; secret: string };
  delivery: SignedDelivery;
}

async function integration(provider: SignedProvider, state?: (secret: string) => WebhookSecretState) {
  const id = randomUUID();
  const secret = randomBytes(24).toString('base64url');
  await db.owner`insert into integrations (id, organization_id, provider, secret_ref)
    values (${id}, ${graph.organizationId}, ${provider}, ${`integrations/${id}`})`;
  const value: WebhookSecretState = state ? state(secret) : { current: secret, previous: [] };
  await secrets.put(webhookSecretName(id), { ...value });
  return { id, secret };
}

const withHeader = (d: SignedDelivery, name: string, value: string | undefined): SignedDelivery => {
  const headers = { ...d.headers };
  if (value === undefined) delete headers[name];
  else headers[name] = value;
  return { body: d.body, headers };
};

/** The same JSON under the same headers, re-serialised with `indent` spaces: the signed bytes changed. */
const reserialised = (d: SignedDelivery, indent: number): SignedDelivery => ({
  ...d,
  body: JSON.stringify(JSON.parse(d.body), null, indent),
});

async function casesFor(provider: SignedProvider): Promise<Case[]> {
  const main = await integration(provider);
  const oldSecret = randomBytes(24).toString('base64url');
  const rotated = await integration(provider, (current) => ({
    current,
    previous: [{ secret: oldSecret, validUntil: new Date(NOW + 3600_000).toISOString() }],
  }));
  const expired = await integration(provider, (current) => ({
    current,
    previous: [{ secret: oldSecret, validUntil: new Date(NOW - 1000).toISOString() }],
  }));
  const sign = (secret: string, extra: Partial<Parameters<typeof signDelivery>[1]> = {}) =>
    signDelivery(provider, { secret, nowMs: NOW, ...extra });
  const c = (
    name: string,
    expectation: Case['expect'],
    on: { id: string; secret: string },
    delivery: SignedDelivery,
  ): Case => ({
    provider,
    name,
    expect: expectation,
    integration: on,
    delivery,
  });
  const valid = sign(main.secret);
  const out: Case[] = [
    c('valid', 'accept', main, valid),
    c('wrong secret', 'reject', main, sign(randomBytes(24).toString('base64url'))),
    c('rotated: current secret', 'accept', rotated, sign(rotated.secret)),
    c('rotated: previous secret inside grace', 'accept', rotated, sign(oldSecret)),
    c('rotated: previous secret after grace', 'reject', expired, sign(oldSecret)),
    c('rotated: current secret after grace', 'accept', expired, sign(expired.secret)),
  ];
  switch (provider) {
    case 'greenhouse': {
      // Greenhouse escapes HTML-significant characters and signs the text as sent
      const escaped =
        '{"action":"candidate_stage_change","payload":{"application":{"id":1,"note":"\\u003cp\\u003eh\\u00e9\\u003c/p\\u003e"}}}';
      const esc = sign(main.secret, { rawText: escaped });
      out.push(
        c('escaped Unicode, signed as sent', 'accept', main, esc),
        c('escaped Unicode, body re-serialised', 'reject', main, {
          ...esc,
          body: JSON.stringify(JSON.parse(escaped)),
        }),
        c(
          'upper-case hex digest',
          'accept',
          main,
          withHeader(valid, 'signature', `sha256 ${valid.headers.signature!.slice(7).toUpperCase()}`),
        ),
        c(
          'Ashby format sha256=',
          'reject',
          main,
          withHeader(valid, 'signature', valid.headers.signature!.replace('sha256 ', 'sha256=')),
        ),
        c(
          'truncated digest',
          'reject',
          main,
          withHeader(valid, 'signature', valid.headers.signature!.slice(0, -2)),
        ),
        c(
          'two signatures, one valid',
          'reject',
          main,
          withHeader(valid, 'signature', `sha256 ${'0'.repeat(64)},${valid.headers.signature!}`),
        ),
        c('no signature header', 'unsigned', main, withHeader(valid, 'signature', undefined)),
        c('empty signature header', 'unsigned', main, withHeader(valid, 'signature', '')),
      );
      break;
    }
    case 'ashby': {
      const sig = valid.headers['ashby-signature']!;
      out.push(
        c('body re-serialised', 'reject', main, reserialised(valid, 2)),
        c(
          'Greenhouse format "sha256 "',
          'reject',
          main,
          withHeader(valid, 'ashby-signature', sig.replace('sha256=', 'sha256 ')),
        ),
        c(
          'bare hex digest',
          'reject',
          main,
          withHeader(valid, 'ashby-signature', sig.replace('sha256=', '')),
        ),
        c(
          'sha1= algorithm',
          'reject',
          main,
          withHeader(valid, 'ashby-signature', sig.replace('sha256=', 'sha1=')),
        ),
        c('no signature header', 'unsigned', main, withHeader(valid, 'ashby-signature', undefined)),
      );
      break;
    }
    case 'lever': {
      const body = JSON.parse(valid.body) as Record<string, unknown>;
      const tokenSig = (token: string, at: number, secret = main.secret) => hmacHex(secret, `${token}${at}`);
      const variant = (patch: Record<string, unknown>) => ({
        ...valid,
        body: JSON.stringify({ ...body, ...patch }),
      });
      out.push(
        // the body outside token/triggeredAt is not signed by Lever: accepted, the worker re-fetches the entity
        c(
          'unsigned data changed (re-fetched by design)',
          'accept',
          main,
          variant({ data: { opportunityId: 'other' } }),
        ),
        c('token changed', 'reject', main, variant({ token: `${body.token as string}x` })),
        c('triggeredAt changed', 'reject', main, variant({ triggeredAt: (body.triggeredAt as number) + 1 })),
        c(
          'signature over body instead of token+triggeredAt',
          'reject',
          main,
          variant({ signature: hmacHex(main.secret, valid.body) }),
        ),
        c(
          'triggeredAt 24 h − 1 s old',
          'accept',
          main,
          variant({
            triggeredAt: NOW - 86_399_000,
            signature: tokenSig(body.token as string, NOW - 86_399_000),
          }),
        ),
        c(
          'triggeredAt 24 h + 1 s old',
          'reject',
          main,
          variant({
            triggeredAt: NOW - 86_401_000,
            signature: tokenSig(body.token as string, NOW - 86_401_000),
          }),
        ),
        c(
          'triggeredAt +299 s',
          'accept',
          main,
          variant({ triggeredAt: NOW + 299_000, signature: tokenSig(body.token as string, NOW + 299_000) }),
        ),
        c(
          'triggeredAt +301 s',
          'reject',
          main,
          variant({ triggeredAt: NOW + 301_000, signature: tokenSig(body.token as string, NOW + 301_000) }),
        ),
        c('no signature field', 'unsigned', main, variant({ signature: undefined })),
        c('empty signature field', 'unsigned', main, variant({ signature: '' })),
      );
      break;
    }
    case 'bamboohr': {
      const at = (offsetSeconds: number, order: 'body+ts' | 'ts+body' | 'body.ts' = 'body+ts') => {
        const ts = String(NOW / 1000 + offsetSeconds);
        const parts =
          order === 'body+ts'
            ? [valid.body, ts]
            : order === 'ts+body'
              ? [ts, valid.body]
              : [valid.body, `.${ts}`];
        return {
          body: valid.body,
          headers: {
            ...valid.headers,
            'x-bamboohr-timestamp': ts,
            'x-bamboohr-signature': hmacHex(main.secret, ...parts),
          },
        };
      };
      out.push(
        c('timestamp −299 s', 'accept', main, at(-299)),
        c('timestamp +299 s', 'accept', main, at(299)),
        c('timestamp −301 s', 'reject', main, at(-301)),
        c('timestamp +301 s', 'reject', main, at(301)),
        c('signed timestamp + body (wrong order)', 'reject', main, at(0, 'ts+body')),
        c('signed body.timestamp (separator)', 'reject', main, at(0, 'body.ts')),
        c('body re-serialised', 'reject', main, reserialised(valid, 1)),
        c(
          'timestamp changed after signing',
          'reject',
          main,
          withHeader(valid, 'x-bamboohr-timestamp', String(NOW / 1000 - 5)),
        ),
        c(
          'sha256= prefix',
          'reject',
          main,
          withHeader(valid, 'x-bamboohr-signature', `sha256=${valid.headers['x-bamboohr-signature']!}`),
        ),
        c('no signature header', 'unsigned', main, withHeader(valid, 'x-bamboohr-signature', undefined)),
      );
      break;
    }
  }
  return out;
}

describeOnPostgres('R10', 'signature matrix', () => {
  // the suite's own per-provider integrations go unused: each case below creates the integration it needs
  webhookIntakeSuite(2, { clock: fixedClock(NOW) }, (state) => {
    ({ db, graph, secrets, handler } = state);
  });

  it('accepts exactly the correctly signed deliveries and answers unsigned ones 401', async () => {
    const cases = (
      await Promise.all((['greenhouse', 'ashby', 'lever', 'bamboohr'] as const).map(casesFor))
    ).flat();
    const falseAccepts: string[] = [];
    const falseRejects: string[] = [];
    const unsignedStatuses: number[] = [];
    const statuses: number[] = [];
    for (const k of cases) {
      const res = await invoke(handler, webhookEvent(k.provider, k.integration.id, k.delivery));
      statuses.push(res.status);
      const label = `${k.provider}: ${k.name} → ${res.status}`;
      if (k.expect === 'accept' && res.status !== 200) falseRejects.push(label);
      if (k.expect !== 'accept' && res.status < 400) falseAccepts.push(label);
      if (k.expect === 'unsigned') unsignedStatuses.push(res.status);
    }

    // Standard Webhooks (what the hub emits), reference negative cases
    const secret = generateSigningSecret();
    const body = JSON.stringify({
      type: 'application.stage_changed',
      timestamp: new Date(NOW).toISOString(),
      data: {},
    });
    const nowS = NOW / 1000;
    const headers = standardWebhookHeaders(secret, 'msg_1_abc', new Date(NOW), body);
    const at = (offset: number) =>
      standardWebhookHeaders(secret, 'msg_1_abc', new Date(NOW + offset * 1000), body);
    const other = generateSigningSecret();
    const sw: [string, boolean, ReturnType<typeof standardWebhookVerdict>][] = [
      ['valid', true, standardWebhookVerdict(secret, headers, body, nowS)],
      ['secret without whsec_ prefix', true, standardWebhookVerdict(secret.slice(6), headers, body, nowS)],
      [
        'missing id',
        false,
        standardWebhookVerdict(secret, { ...headers, 'webhook-id': undefined }, body, nowS),
      ],
      [
        'missing timestamp',
        false,
        standardWebhookVerdict(secret, { ...headers, 'webhook-timestamp': undefined }, body, nowS),
      ],
      [
        'missing signature',
        false,
        standardWebhookVerdict(secret, { ...headers, 'webhook-signature': undefined }, body, nowS),
      ],
      [
        'invalid timestamp',
        false,
        standardWebhookVerdict(secret, { ...headers, 'webhook-timestamp': 'soon' }, body, nowS),
      ],
      [
        'partial signature v1,',
        false,
        standardWebhookVerdict(secret, { ...headers, 'webhook-signature': 'v1,' }, body, nowS),
      ],
      ['wrong secret', false, standardWebhookVerdict(other, headers, body, nowS)],
      [
        'body re-serialised',
        false,
        standardWebhookVerdict(secret, headers, JSON.stringify(JSON.parse(body), null, 1), nowS),
      ],
      ['timestamp −(tolerance − 1 s)', true, standardWebhookVerdict(secret, at(-299), body, nowS)],
      ['timestamp +(tolerance − 1 s)', true, standardWebhookVerdict(secret, at(299), body, nowS)],
      ['timestamp −(tolerance + 1 s)', false, standardWebhookVerdict(secret, at(-301), body, nowS)],
      ['timestamp +(tolerance + 1 s)', false, standardWebhookVerdict(secret, at(301), body, nowS)],
      [
        'several signatures, one valid (rotation)',
        true,
        standardWebhookVerdict(
          secret,
          {
            ...headers,
            'webhook-signature': `${signPayload(other, 'msg_1_abc', nowS, body)} ${headers['webhook-signature']}`,
          },
          body,
          nowS,
        ),
      ],
    ];
    const swFalse = sw
      .filter(([, ok, verdict]) => (verdict === 'ok') !== ok)
      .map(([name, , v]) => `${name}: ${v}`);

    figures('R10', 'signature matrix', {
      cases: cases.length,
      falseAccepts: falseAccepts.length,
      falseRejects: falseRejects.length,
      unsigned401: `${unsignedStatuses.filter((s) => s === 401).length}/${unsignedStatuses.length}`,
      statuses: histogram(statuses),
      standardWebhooksCases: sw.length,
      standardWebhooksMismatches: swFalse.length,
    });
    expect(falseAccepts).toEqual([]);
    expect(falseRejects).toEqual([]);
    expect(unsignedStatuses.every((s) => s === 401)).toBe(true);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(swFalse).toEqual([]);
  });
});
