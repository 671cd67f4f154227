import type { ProviderPacing } from '../../ports/provider.js';
import { capabilities } from '../common/capabilities.js';

/**
 * BambooHR applicant tracking (docs/providers.md §6). Incremental reads use `newSince` on applications. There is no
 * applicant delete feed (`/employees/changed?type=deleted` covers employees; see client.ts), so
 * `deletedRecords` is false; deleted jobs are reported when the jobs list shows them (status "Deleted").
 * Webhooks exist but are employee-scoped. Status writes (move, reject, hire) map to status ids (unverified).
 */
export const bamboohrCapabilities = capabilities({
  // The page size of GET /applicant_tracking/applications is chosen by BambooHR (unverified figure).
  maxPageSize: 100,
});

/** Limits not published; throttles with 503 + Retry-After (secondary). */
export const bamboohrPacing: ProviderPacing = { capacity: 2, refillPerSecond: 2 };
