/**
 * BambooHR webhook sending (docs/providers.md §6.3): headers `X-BambooHR-Timestamp` (Unix seconds, unverified unit)
 * and `X-BambooHR-Signature` = lowercase hex HMAC-SHA256(privateKey, rawBody + timestamp), body first, no
 * separator. The body is JSON written once and sent byte for byte.
 */
import { createHmac } from 'node:crypto';
import { postRawBytes } from '../common/webhook-post.js';

export interface BamboohrWebhookDelivery {
  targetUrl: string;
  rawBody: Buffer;
  headers: Record<string, string>;
  /** Receiver's answer; 0 when none came. */
  status: number;
}

export function bamboohrSignature(privateKey: string, rawBody: Buffer | string, timestamp: string): string {
  return createHmac('sha256', privateKey).update(rawBody).update(timestamp).digest('hex');
}

/** An employee webhook body as BambooHR sends it (only the configured fields are included). */
export function employeeWebhookPayload(
  entries: {
    id: number | string;
    action: 'Created' | 'Updated' | 'Deleted';
    changedFields?: string[];
    fields?: Record<string, unknown>;
  }[],
  timestamp: string,
) {
  return {
    employees: entries.map((entry) => ({
      id: String(entry.id),
      action: entry.action,
      timestamp,
      changedFields: entry.changedFields ?? [],
      fields: entry.fields ?? {},
    })),
  };
}

export async function sendBamboohrWebhook(
  targetUrl: string,
  payload: unknown,
  options: { privateKey: string; timestamp: number },
): Promise<BamboohrWebhookDelivery> {
  const rawBody = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  const timestamp = String(options.timestamp);
  const headers = {
    'content-type': 'application/json',
    'x-bamboohr-timestamp': timestamp,
    'x-bamboohr-signature': bamboohrSignature(options.privateKey, rawBody, timestamp),
  };
  const outcome = await postRawBytes(targetUrl, rawBody, headers);
  return { targetUrl, rawBody, headers, status: outcome.status };
}
