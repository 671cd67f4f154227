import type { ProviderPacing } from '../../ports/provider.js';
import { capabilities } from '../common/capabilities.js';

/**
 * Workday Recruiting through SOAP (docs/providers.md §5). Poll-first: no webhooks (§0 trap 9). Deletions come from the
 * transaction log (rescinds). Hire is not offered: hiring runs through Workday's own hire business process.
 * `analyticsPush` is false here and true on a client whose settings carry an `analyticsEndpoint`.
 */
export const workdayCapabilities = capabilities({
  deletedRecords: true,
  webhooks: false,
  hire: false,
  // `Count` up to 999 in practice (secondary, docs/providers.md §5.2).
  maxPageSize: 999,
});

/** Forum figures of 100–200 requests/min (unverified). */
export const workdayPacing: ProviderPacing = { capacity: 2, refillPerSecond: 1.5 };
