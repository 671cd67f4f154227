/**
 * The canonical model every provider maps into (`to-<entity>` mappers in shared/providers/<provider>/).
 * Everything outside a provider's folder speaks only these shapes.
 */
import type { ApplicationStatus } from './pipeline.js';

/** Pulled in dependency order: jobs, candidates and applications first, then what hangs off them. */
export const syncObjectTypes = [
  'job',
  'candidate',
  'application',
  'rejection_reason',
  'interview',
  'scorecard',
  'offer',
  'note',
] as const;

export type SyncObjectType = (typeof syncObjectTypes)[number];

/** The objects of the full ATS record (docs/ats-record.md): each hangs off an application or a candidate. */
export type RecordObjectType = Exclude<SyncObjectType, 'job' | 'candidate' | 'application'>;

export interface CanonicalStage {
  remoteId: string;
  name: string;
  position: number;
}

export interface CanonicalJob {
  remoteId: string;
  title: string;
  status: 'draft' | 'open' | 'paused' | 'closed';
  employmentType: 'full_time' | 'part_time' | 'contract' | 'temporary' | 'intern' | 'eor' | null;
  /** The job's pipeline at the provider, in order, when the provider exposes it. */
  stages: CanonicalStage[];
  /** Absent: the provider does not report it (the hub keeps what it has). */
  description?: string | null;
  department?: string | null;
  office?: string | null;
  remotePolicy?: 'remote' | 'hybrid' | 'onsite' | null;
  salaryRange?: { min: number; max: number; currency: string } | null;
  remoteUpdatedAt: string | null;
}

export interface ContactPoint {
  value: string;
  /** The provider's label, lower-cased (`personal`, `work`, `mobile`, `other`). */
  type: string;
}

export type AttachmentType = 'resume' | 'cover_letter' | 'portfolio' | 'offer_letter' | 'other';

/** Attachment metadata only: the provider's file URLs expire (Greenhouse: 7 days) and are never stored. */
export interface CanonicalAttachment {
  remoteId: string;
  fileName: string;
  type: AttachmentType;
  applicationRemoteId: string | null;
}

export interface CanonicalCandidate {
  remoteId: string;
  firstName: string;
  lastName: string;
  /** Primary email; candidates without one cannot be matched to portal submissions. */
  email: string | null;
  phone: string | null;
  /** Every email and phone the provider holds, primary first. Absent: not reported. */
  emails?: ContactPoint[];
  phones?: ContactPoint[];
  company?: string | null;
  title?: string | null;
  /** The candidate's tags at the provider (the whole set). Absent: the provider reports no tags here. */
  tags?: string[];
  /** Attachment metadata at the provider (the whole set). Absent: not reported with the candidate. */
  attachments?: CanonicalAttachment[];
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

export interface CanonicalRejectionReason {
  remoteId: string;
  name: string;
  /** The provider's type or group (Greenhouse `rejection_reason_type`, Lever `type`). */
  category: string | null;
  remoteUpdatedAt: string | null;
}

export interface CanonicalPerson {
  name: string;
  email: string | null;
}

export type InterviewStatus = 'scheduled' | 'completed' | 'cancelled' | 'no_show';

export interface CanonicalInterview {
  remoteId: string;
  applicationRemoteId: string;
  title: string;
  /** The job stage the interview belongs to, when the provider says. */
  stage: { remoteId: string | null; name: string } | null;
  startAt: string;
  endAt: string;
  location: string | null;
  status: InterviewStatus;
  interviewers: CanonicalPerson[];
  remoteUpdatedAt: string | null;
}

export type Recommendation = 'strong_yes' | 'yes' | 'no' | 'strong_no' | 'no_decision';

export interface CanonicalScorecard {
  remoteId: string;
  applicationRemoteId: string;
  interviewRemoteId: string | null;
  interviewer: CanonicalPerson;
  recommendation: Recommendation;
  submittedAt: string;
  attributes: { name: string; rating: string }[];
  remoteUpdatedAt: string | null;
}

export type OfferStatus = 'draft' | 'sent' | 'accepted' | 'declined' | 'withdrawn';

export interface CanonicalOffer {
  remoteId: string;
  applicationRemoteId: string;
  status: OfferStatus;
  sentAt: string | null;
  resolvedAt: string | null;
  /** A date (YYYY-MM-DD). */
  startsAt: string | null;
  remoteUpdatedAt: string | null;
}

export type NoteVisibility = 'private' | 'organization' | 'shared';

export interface CanonicalNote {
  remoteId: string;
  candidateRemoteId: string;
  /** Null for a note on the candidate rather than one application. */
  applicationRemoteId: string | null;
  body: string;
  /** The provider user's display name. */
  author: string | null;
  visibility: NoteVisibility;
  createdAt: string;
  remoteUpdatedAt: string | null;
}

export type CanonicalRecord =
  | { objectType: 'job'; record: CanonicalJob }
  | { objectType: 'candidate'; record: CanonicalCandidate }
  | { objectType: 'application'; record: CanonicalApplication }
  | { objectType: 'rejection_reason'; record: CanonicalRejectionReason }
  | { objectType: 'interview'; record: CanonicalInterview }
  | { objectType: 'scorecard'; record: CanonicalScorecard }
  | { objectType: 'offer'; record: CanonicalOffer }
  | { objectType: 'note'; record: CanonicalNote };

/** A record object as a webhook reports it. */
export type CanonicalRecordObject = Extract<CanonicalRecord, { objectType: RecordObjectType }>;

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
  /** An interview, scorecard, offer, note or rejection reason created or changed at the provider. */
  | { kind: 'record.upserted'; object: CanonicalRecordObject; occurredAt: string }
  | { kind: 'record.deleted'; objectType: RecordObjectType; remoteId: string; occurredAt: string }
  /**
   * The provider names a record without its content (Lever's interview webhooks carry ids only): the hub reads the
   * parent's list of that object back and applies it like `record.upserted`. `remoteId` null: every record read.
   */
  | {
      kind: 'record.reread';
      objectType: RecordObjectType;
      parentRemoteId: string;
      remoteId: string | null;
      occurredAt: string;
    }
  | { kind: 'ignored'; eventType: string };
