/**
 * The canonical model every provider maps into (`to-<entity>` mappers in shared/providers/<provider>/).
 * Everything outside a provider's folder speaks only these shapes.
 */
import type { ApplicationStatus } from './pipeline.js';

export type SyncObjectType = 'job' | 'candidate' | 'application';

export interface CanonicalStage {
  remoteId: string;
  name: string;
  position: number;
}

export interface CanonicalJob {
  remoteId: string;
  title: string;
  status: 'draft' | 'open' | 'closed';
  employmentType: 'full_time' | 'part_time' | 'contract' | 'temporary' | 'intern' | 'eor' | null;
  /** The job's pipeline at the provider, in order, when the provider exposes it. */
  stages: CanonicalStage[];
  remoteUpdatedAt: string | null;
}

export interface CanonicalCandidate {
  remoteId: string;
  firstName: string;
  lastName: string;
  /** Primary email; candidates without one cannot be matched to portal submissions. */
  email: string | null;
  phone: string | null;
  remoteUpdatedAt: string | null;
}

export interface CanonicalApplication {
  remoteId: string;
  candidateRemoteId: string;
  jobRemoteId: string;
  /** Current stage at the provider; null when the provider clears it (e.g. Greenhouse after hire). */
  stage: { remoteId: string | null; name: string } | null;
  status: ApplicationStatus;
  rejectionReason: string | null;
  appliedAt: string | null;
  remoteUpdatedAt: string | null;
}

export type CanonicalRecord =
  | { objectType: 'job'; record: CanonicalJob }
  | { objectType: 'candidate'; record: CanonicalCandidate }
  | { objectType: 'application'; record: CanonicalApplication };

/** What a verified webhook means, in canonical terms. */
export type CanonicalWebhookEvent =
  | { kind: 'ping' }
  | {
      kind: 'application.stage_changed';
      applicationRemoteId: string;
      candidateRemoteId: string | null;
      jobRemoteId: string | null;
      /** Greenhouse reports only the new stage; Lever also the previous one. */
      fromStageRemoteId: string | null;
      toStage: { remoteId: string | null; name: string | null };
      occurredAt: string;
    }
  | {
      kind: 'application.status_changed';
      applicationRemoteId: string;
      status: ApplicationStatus;
      reason: string | null;
      occurredAt: string;
    }
  | {
      kind: 'application.upserted';
      application: CanonicalApplication;
      candidate: CanonicalCandidate | null;
      occurredAt: string;
    }
  | { kind: 'candidate.upserted'; candidate: CanonicalCandidate; occurredAt: string }
  | { kind: 'application.deleted'; applicationRemoteId: string; occurredAt: string }
  | { kind: 'candidate.deleted'; candidateRemoteId: string; occurredAt: string }
  | {
      kind: 'candidate.merged';
      survivingCandidateRemoteId: string;
      mergedCandidateRemoteIds: string[];
      deletedApplicationRemoteIds: string[];
      occurredAt: string;
    }
  | { kind: 'ignored'; eventType: string };
