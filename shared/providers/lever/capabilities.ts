import type { ProviderCapabilities } from '../../ports/provider.js';

export const leverCapabilities: ProviderCapabilities = {
  objects: ['job', 'candidate', 'application'],
  incremental: true,
  // GET /opportunities/deleted (secondary).
  deletedRecords: true,
  webhooks: true,
  moveStage: true,
  reject: true,
  hire: true,
  analyticsPush: false,
  maxPageSize: 100,
};
