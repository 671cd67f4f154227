/**
 * Signed webhook deliveries as each provider sends them (docs/providers.md §1.2), as HTTP API events for the
 * webhook-intake handler, plus the fixtures the reliability tests need (integrations of every provider with
 * their secrets in a MemorySecretStore).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Sql } from 'postgres';
import type { WebhookSecretState } from '../../shared/domain/webhook-secrets.js';
import { webhookSecretName } from '../../shared/integrations/secret-names.js';
import { httpEvent } from './factories.js';
import type { MemorySecretStore } from './memory-secrets.js';

export type SignedProvider = 'greenhouse' | 'lever' | 'ashby' | 'bamboohr';
export const SIGNED_PROVIDERS: readonly SignedProvider[] = ['greenhouse', 'lever', 'ashby', 'bamboohr'];

export const hmacHex = (secret: string, ...parts: (string | Buffer)[]) => {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

export function samplePayload(provider: SignedProvider): Record<string, unknown> {
  const file = {
    greenhouse: 'events/providers/greenhouse/candidate_stage_change.json',
    lever: 'events/providers/lever/candidateStageChange.json',
    ashby: 'events/providers/ashby/candidateStageChange.json',
    bamboohr: 'events/providers/bamboohr/webhook-employees.json',
  }[provider];
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

export interface SignOptions {
  secret: string;
  /** Greenhouse-Event-ID; Lever token. Random when absent. */
  deliveryId?: string;
  /** Signed timestamp: Lever triggeredAt (ms), BambooHR seconds. Defaults to now. */
  nowMs?: number;
  /** Replaces the payload (JSON value or raw text). */
  payload?: unknown;
  rawText?: string;
}

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

/** A JSON body signed over itself alone (HMAC-SHA256), the hex digest in `header` after `prefix`. */
function bodySigned(
  options: SignOptions,
  payload: unknown,
  [header, prefix]: [string, string],
  extra: Record<string, string> = {},
): SignedDelivery {
  const body = options.rawText ?? JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [header]: `${prefix}${hmacHex(options.secret, body)}`,
      ...extra,
    },
  };
}

/** A correctly signed delivery of the provider's sample event. */
export function signDelivery(provider: SignedProvider, options: SignOptions): SignedDelivery {
  const nowMs = options.nowMs ?? Date.now();
  const payload = (options.payload ?? samplePayload(provider)) as Record<string, unknown>;
  switch (provider) {
    case 'greenhouse':
      return bodySigned(options, payload, ['signature', 'sha256 '], {
        'greenhouse-event-id': options.deliveryId ?? randomUUID(),
      });
    case 'ashby':
      return bodySigned(options, payload, ['ashby-signature', 'sha256=']);
    case 'lever': {
      const token = options.deliveryId ?? randomBytes(24).toString('hex');
      const triggeredAt = Math.round(nowMs);
      const body =
        options.rawText ??
        JSON.stringify({
          ...payload,
          token,
          triggeredAt,
          signature: hmacHex(options.secret, `${token}${triggeredAt}`),
        });
      return { body, headers: { 'content-type': 'application/json', 'user-agent': 'Lever-Webhooks' } };
    }
    case 'bamboohr': {
      const body = options.rawText ?? JSON.stringify(payload);
      const timestamp = String(Math.floor(nowMs / 1000));
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-bamboohr-timestamp': timestamp,
          'x-bamboohr-signature': hmacHex(options.secret, body, timestamp),
        },
      };
    }
  }
}

export function webhookEvent(
  provider: string,
  integrationId: string,
  delivery: { body: string | Buffer; headers: Record<string, string> },
): APIGatewayProxyEventV2 {
  return httpEvent({
    routeKey: 'POST /webhooks/{provider}/{integrationId}',
    path: `/webhooks/${provider}/${integrationId}`,
    pathParameters: { provider, integrationId },
    headers: delivery.headers,
    body: delivery.body,
  });
}

export interface WebhookIntegration {
  provider: SignedProvider;
  integrationId: string;
  secret: string;
}

/** One integration per signed provider for the organization, each with its webhook secret in `secrets`. */
export async function seedWebhookIntegrations(
  owner: Sql,
  secrets: MemorySecretStore,
  organizationId: string,
): Promise<Record<SignedProvider, WebhookIntegration>> {
  const out = {} as Record<SignedProvider, WebhookIntegration>;
  for (const provider of SIGNED_PROVIDERS) {
    const integrationId = randomUUID();
    const secret = randomBytes(24).toString('base64url');
    await owner`insert into integrations (id, organization_id, provider, secret_ref)
      values (${integrationId}, ${organizationId}, ${provider}, ${`integrations/${integrationId}`})`;
    await secrets.put(webhookSecretName(integrationId), {
      current: secret,
      previous: [],
    } satisfies WebhookSecretState);
    out[provider] = { provider, integrationId, secret };
  }
  return out;
}
