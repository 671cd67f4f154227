/**
 * A Standard Webhooks consumer written from the spec (providers.md §7 and §9 "Standard Webhooks receiver"),
 * independently of the hub's signer in shared/notifications/signing.ts, so that tests check the emitter
 * against the rules and not against itself. It follows the reference library
 * (standard-webhooks/libraries/javascript): headers `webhook-id`, `webhook-timestamp`, `webhook-signature`;
 * content `{id}.{timestamp}.{body}`; HMAC-SHA256 keyed with the base64-decoded secret (with or without
 * `whsec_`); any `v1,` entry of the space-separated list may match (others are skipped); constant-time
 * comparison; timestamps more than 300 s away from now in either direction are refused; each webhook-id
 * is accepted once.
 *
 * Also a tiny HTTP receiver on 127.0.0.1 with scripted answers, for the integration tests.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TOLERANCE_SECONDS = 5 * 60;

export type VerificationFailure =
  | 'missing_headers'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_matching_signature';

export class WebhookVerificationError extends Error {
  constructor(readonly reason: VerificationFailure) {
    super(reason);
    this.name = 'WebhookVerificationError';
  }
}

function keyOf(secret: string): Buffer {
  const raw = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(raw, 'base64');
  if (key.length === 0) throw new Error('empty secret');
  return key;
}

export interface Verified {
  id: string;
  timestamp: number;
  /** The verified bytes as text; JSON.parse it to read the event. */
  body: string;
}

/** Throws WebhookVerificationError, or returns what was verified. `nowSeconds` is the receiver's clock. */
export function verifyStandardWebhook(input: {
  secret: string;
  body: string | Buffer;
  headers: Record<string, string | string[] | undefined>;
  nowSeconds: number;
  toleranceSeconds?: number;
}): Verified {
  const header = (name: string) => {
    const entry = Object.entries(input.headers).find(([k]) => k.toLowerCase() === name)?.[1];
    return Array.isArray(entry) ? entry[0] : entry;
  };
  const id = header('webhook-id');
  const timestampText = header('webhook-timestamp');
  const signatures = header('webhook-signature');
  if (!id || !timestampText || !signatures) throw new WebhookVerificationError('missing_headers');
  if (!/^\d{1,12}$/.test(timestampText)) throw new WebhookVerificationError('invalid_timestamp');
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? TOLERANCE_SECONDS;
  if (input.nowSeconds - timestamp > tolerance) throw new WebhookVerificationError('timestamp_too_old');
  if (timestamp - input.nowSeconds > tolerance) throw new WebhookVerificationError('timestamp_too_new');
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const expected = createHmac('sha256', keyOf(input.secret))
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), body]))
    .digest();
  for (const entry of signatures.split(' ')) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(entry.slice(comma + 1), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { id, timestamp, body: body.toString('utf8') };
    }
  }
  throw new WebhookVerificationError('no_matching_signature');
}

/** Verification plus the consumer's idempotency: a webhook-id seen before is acknowledged, not applied. */
export class StandardWebhooksConsumer {
  private readonly seen = new Set<string>();
  applied: Verified[] = [];
  duplicates = 0;

  constructor(
    private readonly secret: string,
    private readonly nowSeconds: () => number,
  ) {}

  accept(body: string, headers: Record<string, string | string[] | undefined>): 'applied' | 'duplicate' {
    const verified = verifyStandardWebhook({
      secret: this.secret,
      body,
      headers,
      nowSeconds: this.nowSeconds(),
    });
    if (this.seen.has(verified.id)) {
      this.duplicates += 1;
      return 'duplicate';
    }
    this.seen.add(verified.id);
    this.applied.push(verified);
    return 'applied';
  }
}

// ------------------------------------------------------------------------------------------- HTTP receiver

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** `hang`: read the request and never answer (a timeout on the sender's side). */
export type ScriptedAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface TestReceiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  url(path?: string): string;
  requests: ReceivedRequest[];
  /** Replaces the script: called with each request and its 0-based index. */
  answer(script: (request: ReceivedRequest, index: number) => ScriptedAnswer): void;
  close(): Promise<void>;
}

export async function startTestReceiver(
  script: (request: ReceivedRequest, index: number) => ScriptedAnswer = () => ({ status: 204 }),
): Promise<TestReceiver> {
  let current = script;
  const requests: ReceivedRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const index = requests.push(received) - 1;
      const answer = current(received, index);
      if (answer === 'hang') return;
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path = '/hooks/hub') => `${origin}${path}`,
    requests,
    answer(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
