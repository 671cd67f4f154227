import { withTenant } from '../../shared/db/tenant.js';
import { type ChatContext, slackMessage, teamsMessage } from '../../shared/notifications/chat-format.js';
import type { PostRequest } from '../../shared/notifications/http-client.js';
import { parseEnvelope } from '../../shared/notifications/payload.js';
import { applicationContext, type ClaimedDelivery } from '../../shared/notifications/repository.js';
import { isSubscriptionSecret } from '../../shared/notifications/secrets.js';
import { standardWebhookHeaders } from '../../shared/notifications/signing.js';
import type { NotifierDependencies } from './use-case.js';

/** The request cannot be built (e.g. the signing secret is gone): recorded as the attempt's error. */
export class RequestSetupError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (v: unknown) => (typeof v === 'string' && UUID.test(v) ? v : null);

async function chatContext(
  deps: NotifierDependencies,
  organizationId: string,
  eventType: string,
  data: Record<string, unknown>,
  withNames: boolean,
): Promise<ChatContext> {
  if (!eventType.startsWith('application.')) return {};
  const jobId = uuidOrNull(data.jobId);
  const candidateId = uuidOrNull(data.candidateId);
  if (!jobId && !candidateId) return {};
  const row = await withTenant(deps.sql, organizationId, 'worker', (tx) =>
    applicationContext(tx, { jobId, candidateId, withNames }),
  );
  const name = [row.first_name, row.last_name]
    .filter((p): p is string => !!p && p.trim().length > 0)
    .join(' ');
  return { jobTitle: row.job_title, ...(withNames && name ? { candidateName: name } : {}) };
}

/** The HTTP request of one attempt: a signed standard webhook, or a Slack or Teams message. */
export async function buildRequest(
  deps: NotifierDependencies,
  organizationId: string,
  claim: ClaimedDelivery,
): Promise<PostRequest> {
  if (claim.kind === 'webhook') {
    const stored = claim.secret_ref ? await deps.secrets.get(claim.secret_ref) : undefined;
    if (!isSubscriptionSecret(stored)) throw new RequestSetupError('signing secret unavailable');
    // the timestamp is this attempt's; id and body are the same on every attempt
    return {
      url: claim.url,
      headers: standardWebhookHeaders(stored.secret, claim.message_id, deps.clock.now(), claim.body),
      body: claim.body,
    };
  }
  const envelope = parseEnvelope(claim.body);
  const ctx = await chatContext(
    deps,
    organizationId,
    envelope.type,
    envelope.data,
    claim.include_candidate_names,
  );
  const message = claim.kind === 'slack' ? slackMessage(envelope, ctx) : teamsMessage(envelope, ctx);
  return { url: claim.url, headers: {}, body: JSON.stringify(message) };
}
