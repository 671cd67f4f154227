import type { ProviderPacing } from '../../ports/provider.js';
import { capabilities } from '../common/capabilities.js';

export const leverCapabilities = capabilities({
  /**
   * Lever's archive reasons, then each opportunity's interviews, feedback forms, offers and notes
   * (docs/ats-record.md, "Lever"): every object of the record has a Lever list.
   */
  objects: ['job', 'candidate', 'application', 'rejection_reason', 'interview', 'scorecard', 'offer', 'note'],
  // GET /opportunities/deleted (secondary).
  deletedRecords: true,
  maxPageSize: 100,
});

/** Lever's token bucket: 10/s steady, burst 20. */
export const leverPacing: ProviderPacing = { capacity: 10, refillPerSecond: 9.5 };
