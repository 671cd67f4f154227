import type { ProviderCapabilities } from '../../ports/provider.js';

export const ashbyCapabilities: ProviderCapabilities = {
  objects: ['job', 'candidate', 'application'],
  incremental: true,
  // No delete feed: candidateDelete / candidateMerge webhooks and full syncs after token loss.
  deletedRecords: false,
  webhooks: true,
  moveStage: true,
  reject: true,
  // Hiring through the API is not covered (providers.md §1.3).
  hire: false,
  analyticsPush: false,
  maxPageSize: 100,
};
