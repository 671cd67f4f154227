/** The provider webhook route of docs/api.md as data: authenticated by the provider's signature, not a key. */
import * as z from 'zod';
import type { OpenRouteContract } from '../http/types.js';
import { errorBody } from './common.js';

/**
 * Declared here, not with the integration schemas: importing shared/api/integrations.ts would build all of its
 * schemas at webhook-intake's init (about 10 ms of CPU on Node 22, docs/performance-results.md B3).
 */
const webhookParams = z.object({ provider: z.string().max(50), integrationId: z.string().max(100) });

const err = (description: string) => ({ description, schema: errorBody });

export const receiveWebhook: OpenRouteContract<unknown, unknown, z.infer<typeof webhookParams>> = {
  method: 'POST',
  path: '/webhooks/{provider}/{integrationId}',
  summary: 'Provider webhook, authenticated by the provider signature over the raw body',
  access: 'signature',
  bodyKind: 'raw',
  bodyLimitBytes: 1024 * 1024,
  params: webhookParams,
  responses: {
    200: { description: 'received (new or already seen)', schema: z.object({ received: z.literal(true) }) },
    400: err('malformed signature timestamp'),
    401: err('UNAUTHORIZED: signature missing or wrong'),
    404: err('NOT_FOUND: unknown integration'),
    413: err('PAYLOAD_TOO_LARGE'),
  },
};
