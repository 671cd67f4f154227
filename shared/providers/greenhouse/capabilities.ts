import type { ProviderCapabilities } from '../../ports/provider.js';

export const greenhouseCapabilities: ProviderCapabilities = {
  objects: ['job', 'candidate', 'application'],
  incremental: true,
  // No delete feed: deletions arrive only as delete_application / delete_candidate / merge_candidate webhooks.
  deletedRecords: false,
  webhooks: true,
  moveStage: true,
  // Reject and hire go through Harvest v1 and need an `apiKey` in the credentials.
  reject: true,
  hire: true,
  analyticsPush: false,
  maxPageSize: 500,
};
