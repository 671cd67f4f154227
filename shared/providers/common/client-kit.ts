/**
 * What every provider client needs from the port and the common helpers, in one place, so a client's imports
 * say which provider pieces it uses rather than repeating the same port and helper list.
 */
export type { SyncObjectType } from '../../domain/canonical.js';
export type {
  AnalyticsPushPayload,
  CanonicalOf,
  ListPage,
  ListPageRequest,
  ProviderCapabilities,
  ProviderClient,
  ProviderContext,
  RejectWrite,
  StageWrite,
  WriteResult,
} from '../../ports/provider.js';

import type { SyncObjectType as ObjectType } from '../../domain/canonical.js';
import { ProviderError } from '../../ports/provider.js';

export {
  assertSameOrigin,
  basicAuth,
  errorForStatus,
  type HttpReply,
  httpCall,
  parseJsonBody,
  replyMessage,
} from './http-call.js';
export { decodePageToken, encodePageToken } from './page-token.js';
export { isoInstant, numericId, parseEach, parseOrFail } from './parse.js';
export { observeRateLimit } from './rate-limit-observation.js';
export { parseRetryAfter } from './retry-after.js';
export { ProviderError };

/** A sync asked a provider for an object its API does not offer: its capabilities should not have listed it. */
export function objectNotOffered(provider: string, objectType: ObjectType): never {
  throw new ProviderError(`${provider} offers no ${objectType} list`, 'permanent');
}
