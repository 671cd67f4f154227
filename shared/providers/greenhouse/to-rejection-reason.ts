import type { CanonicalRejectionReason } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { V3RejectionReason } from './record-schemas.js';

/** `type` groups reasons: "We rejected them", "They rejected us", "None specified", "Security concern". */
export function toRejectionReason(raw: V3RejectionReason): CanonicalRejectionReason {
  const type =
    typeof raw.type === 'string' ? raw.type : (raw.type?.name ?? raw.rejection_reason_type ?? null);
  return {
    remoteId: raw.id,
    name: raw.name ?? '',
    category: type ?? null,
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at),
  };
}
