import type { ProviderPacing } from '../../ports/provider.js';
import { capabilities } from '../common/capabilities.js';

export const leverCapabilities = capabilities({
  // GET /opportunities/deleted (secondary).
  deletedRecords: true,
  maxPageSize: 100,
});

/** Lever's token bucket: 10/s steady, burst 20. */
export const leverPacing: ProviderPacing = { capacity: 10, refillPerSecond: 9.5 };
