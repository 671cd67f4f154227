/**
 * Lever's webhook sender: `{id, event, triggeredAt, token, signature, data}`, no signature header,
 * `signature` = hex HMAC-SHA256(signing token of the event type, token + triggeredAt), `User-Agent:
 * Lever-Webhooks`; any 2xx is success, everything else (3xx included) is retried five times with growing waits.
 */
import { createHmac } from 'node:crypto';
import type { ControllableClock } from '../common/controllable-clock.js';
import type { SeededRng } from '../common/seeded-rng.js';
import { postRawBytes } from '../common/webhook-post.js';
import type { LvInterview } from './records-state.js';
import type { LvOpportunity } from './state.js';

export interface LvWebhookOptions {
  /** (unverified) waits before retries 1–5, seconds; Lever only says "increasing". */
  retryDelaysSeconds?: number[];
}

export interface LvDelivery {
  body: string;
  token: string;
  triggeredAt: number;
  attempts: { attempt: number; status: number; at: string }[];
  delivered: boolean;
}

export function leverSignature(signingToken: string, token: string, triggeredAt: number): string {
  return createHmac('sha256', signingToken).update(`${token}${triggeredAt}`).digest('hex');
}

export async function deliverLeverWebhook(
  targetUrl: string,
  event: { event: string; data: unknown },
  signingToken: string,
  clock: ControllableClock,
  rng: SeededRng,
  options: LvWebhookOptions & { retry?: boolean; triggeredAt?: number; token?: string } = {},
): Promise<LvDelivery> {
  const token = options.token ?? rng.alnum(48);
  const triggeredAt = options.triggeredAt ?? clock.nowMs();
  const body = JSON.stringify({
    id: rng.uuid(),
    event: event.event,
    triggeredAt,
    token,
    signature: leverSignature(signingToken, token, triggeredAt),
    data: event.data,
  });
  const delays = options.retry ? (options.retryDelaysSeconds ?? [60, 300, 900, 3_600, 10_800]) : [];
  const attempts: LvDelivery['attempts'] = [];
  for (let attempt = 0; attempt <= delays.length; attempt += 1) {
    if (attempt > 0) clock.advance((delays[attempt - 1] ?? 0) * 1000);
    const outcome = await postRawBytes(targetUrl, Buffer.from(body), {
      'content-type': 'application/json',
      'user-agent': 'Lever-Webhooks',
    });
    attempts.push({ attempt: attempt + 1, status: outcome.status, at: clock.now().toISOString() });
    if (outcome.status >= 200 && outcome.status < 300)
      return { body, token, triggeredAt, attempts, delivered: true };
  }
  return { body, token, triggeredAt, attempts, delivered: false };
}

/**
 * The event bodies the fake's tests send. Interview events (beta) carry ids only: the opportunity, its contact, the
 * interview and its panel (as in events/providers/lever/interviewCreated.json); the receiver reads the rest.
 */
export function leverEvents() {
  const who = (o: LvOpportunity) => ({ opportunityId: o.id, candidateId: o.contact, contactId: o.contact });
  return {
    stageChange: (o: LvOpportunity, fromStageId: string) => ({
      event: 'candidateStageChange',
      data: { ...who(o), fromStageId, toStageId: o.stageId },
    }),
    archiveChange: (o: LvOpportunity, fromArchived: LvOpportunity['archived']) => ({
      event: 'candidateArchiveChange',
      data: { ...who(o), fromArchived, toArchived: o.archived },
    }),
    hired: (o: LvOpportunity) => ({ event: 'candidateHired', data: who(o) }),
    deleted: (id: string, contact: string) => ({
      event: 'candidateDeleted',
      data: { opportunityId: id, candidateId: contact, contactId: contact, deletedBy: null },
    }),
    interview: (
      kind: 'interviewCreated' | 'interviewUpdated' | 'interviewDeleted',
      o: LvOpportunity,
      interview: LvInterview,
    ) => ({
      event: kind,
      data: { ...who(o), interviewId: interview.id, panelId: interview.panel },
    }),
  };
}
