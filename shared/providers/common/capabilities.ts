import type { ProviderCapabilities } from '../../ports/provider.js';

/**
 * The usual provider: all three objects, incremental reads, signed webhooks and every write, no delete feed and no
 * analytics push. A provider's capabilities.ts states only where it differs, with the reason.
 */
export function capabilities(
  differences: Partial<ProviderCapabilities> & Pick<ProviderCapabilities, 'maxPageSize'>,
): ProviderCapabilities {
  return {
    objects: ['job', 'candidate', 'application'],
    incremental: true,
    deletedRecords: false,
    webhooks: true,
    moveStage: true,
    reject: true,
    hire: true,
    analyticsPush: false,
    ...differences,
  };
}
