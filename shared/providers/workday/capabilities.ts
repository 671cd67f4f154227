import type { ProviderCapabilities } from '../../ports/provider.js';

/**
 * Workday Recruiting through SOAP (providers.md §5). Poll-first: no webhooks (§0 trap 9). Deletions come from the
 * transaction log (rescinds). Hire is not offered: hiring runs through Workday's own hire business process.
 * `analyticsPush` is false here and true on a client whose settings carry an `analyticsEndpoint`.
 */
export const workdayCapabilities: ProviderCapabilities = {
  objects: ['job', 'candidate', 'application'],
  incremental: true,
  deletedRecords: true,
  webhooks: false,
  moveStage: true,
  reject: true,
  hire: false,
  analyticsPush: false,
  // `Count` up to 999 in practice (secondary, providers.md §5.2).
  maxPageSize: 999,
};
