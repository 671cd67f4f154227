import type { ProviderPacing } from '../../ports/provider.js';
import { capabilities } from '../common/capabilities.js';

export const ashbyCapabilities = capabilities({
  // No `note`: candidate.listNotes reads one candidate at a time (docs/ats-record.md "Ashby").
  objects: ['job', 'candidate', 'application', 'rejection_reason', 'interview', 'scorecard', 'offer'],
  // No delete feed: candidateDelete / candidateMerge webhooks and full syncs after token loss.
  deletedRecords: false,
  // Hiring through the API is not covered (docs/providers.md §1.3).
  hire: false,
  maxPageSize: 100,
});

/** Limits not published (unverified). */
export const ashbyPacing: ProviderPacing = { capacity: 3, refillPerSecond: 3 };
