import type { ProviderPacing } from '../../ports/provider.js';
import { capabilities } from '../common/capabilities.js';

// No delete feed: deletions arrive only as delete_application / delete_candidate / merge_candidate webhooks.
// Every write goes through Harvest v3 (v1/v2 were removed on 30 August 2026).
export const greenhouseCapabilities = capabilities({ maxPageSize: 500 });

/** 50 requests per 10 s window: at most 1 + 4.9 × 10 = 50 in any window. */
export const greenhousePacing: ProviderPacing = { capacity: 1, refillPerSecond: 4.9, limitWindowSeconds: 10 };
