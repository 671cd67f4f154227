import type { CanonicalRejectionReason } from '../../domain/canonical.js';
import type { AshbyArchiveReason } from './record-schemas.js';

/** Ashby's archive reasons: `text` names it, `reasonType` (RejectedByOrg, RejectedByCandidate, Other) groups it. */
export function toRejectionReason(raw: AshbyArchiveReason): CanonicalRejectionReason {
  return {
    remoteId: raw.id,
    name: raw.text ?? '',
    category: raw.reasonType ?? null,
    // Archive reasons carry no timestamps.
    remoteUpdatedAt: null,
  };
}
