import type { ProviderCapabilities } from '../../ports/provider.js';

/**
 * BambooHR applicant tracking (providers.md §6). Incremental reads use `newSince` on applications. There is no
 * applicant delete feed (`/employees/changed?type=deleted` covers employees; see client.ts), so
 * `deletedRecords` is false; deleted jobs are reported when the jobs list shows them (status "Deleted").
 * Webhooks exist but are employee-scoped. Status writes (move, reject, hire) map to status ids (unverified).
 */
export const bamboohrCapabilities: ProviderCapabilities = {
  objects: ['job', 'candidate', 'application'],
  incremental: true,
  deletedRecords: false,
  webhooks: true,
  moveStage: true,
  reject: true,
  hire: true,
  analyticsPush: false,
  // The page size of GET /applicant_tracking/applications is chosen by BambooHR (unverified figure).
  maxPageSize: 100,
};
