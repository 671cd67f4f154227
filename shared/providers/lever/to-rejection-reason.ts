import type { CanonicalRejectionReason } from '../../domain/canonical.js';
import type { LeverArchiveReason } from './schemas.js';

/**
 * A Lever archive reason is the hub's rejection reason; its `type` (`hired` / `non-hired`) is the category. Lever
 * reports no change time on reasons, so the list is read in full every pass.
 */
export function toRejectionReason(raw: LeverArchiveReason): CanonicalRejectionReason {
  return {
    remoteId: raw.id,
    name: raw.text ?? '',
    category: raw.type ?? null,
    remoteUpdatedAt: null,
  };
}
