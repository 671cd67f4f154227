import type { ProviderPacing } from '../../ports/provider.js';
import { capabilities } from '../common/capabilities.js';

// No delete feed: deletions arrive only as delete_application / delete_candidate / merge_candidate webhooks (and
// interview_deleted / scorecard_deleted / offer_deleted for the record). Every read and write goes through Harvest v3
// (v1/v2 were removed on 30 August 2026); each record object has a global v3 list (docs/ats-record.md "Greenhouse").
export const greenhouseCapabilities = capabilities({
  maxPageSize: 500,
  objects: ['job', 'candidate', 'application', 'rejection_reason', 'interview', 'scorecard', 'offer', 'note'],
});

/** 50 requests per 10 s window: at most 1 + 4.9 × 10 = 50 in any window. */
export const greenhousePacing: ProviderPacing = { capacity: 1, refillPerSecond: 4.9, limitWindowSeconds: 10 };
