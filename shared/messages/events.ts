import * as z from 'zod';

/**
 * The catalogue of business events. Each is written to the outbox by the code that causes it, in the same
 * transaction as its cause; the relay hands them to the queues (shared/outbox/routing.ts) and the notifier
 * turns them into outbound webhooks and chat messages. Payloads carry ids and aggregates, never personal data.
 */
const base = { organizationId: z.uuid().optional() };

export const applicationCreated = z.object({
  ...base,
  applicationId: z.uuid(),
  jobId: z.uuid(),
  candidateId: z.uuid(),
  stage: z.string(),
  source: z.string(),
});

export const applicationStageChanged = z.object({
  ...base,
  applicationId: z.uuid(),
  jobId: z.uuid(),
  candidateId: z.uuid(),
  fromStage: z.string().nullable(),
  fromStageId: z.uuid().nullable(),
  toStage: z.string(),
  toStageId: z.uuid(),
  toStageKind: z.string(),
  status: z.enum(['active', 'rejected', 'withdrawn', 'hired']),
  actorRole: z.string(),
  source: z.string(),
  version: z.number().int(),
  occurredAt: z.string(),
});

/** The portal endorsed a candidate to the client: the application is now the ATS side's. */
export const applicationHandoff = applicationStageChanged;

export const applicationStatusChanged = z.object({
  ...base,
  applicationId: z.uuid(),
  jobId: z.uuid(),
  candidateId: z.uuid(),
  stage: z.string(),
  stageId: z.uuid(),
  fromStatus: z.string(),
  status: z.enum(['active', 'rejected', 'withdrawn', 'hired']),
  reasonId: z.uuid().nullable(),
  actorRole: z.string(),
  source: z.string(),
  version: z.number().int(),
  occurredAt: z.string(),
});

/** A resume's scan verdict changed: wakes the write-back of its application (docs/write-back.md). */
export const documentScanned = z.object({
  ...base,
  applicationId: z.uuid(),
  documentId: z.uuid(),
  status: z.enum(['clean', 'infected', 'failed', 'rejected']),
});

/** An admin asked to retry a failed write-back now (`POST /applications/{id}/push`). */
export const applicationPushRequested = z.object({ ...base, applicationId: z.uuid() });

const pushTarget = {
  applicationId: z.uuid(),
  jobId: z.uuid(),
  integrationId: z.uuid(),
  provider: z.string(),
};

/** A portal submission exists at the provider: candidate, application and (when clean) resume. */
export const applicationPushed = z.object({
  ...base,
  ...pushTarget,
  candidateRemoteId: z.string(),
  applicationRemoteId: z.string(),
  attachmentRemoteId: z.string().nullable(),
});

/** A write-back ended failed: the provider refused, or the retry budget is spent. */
export const applicationPushFailed = z.object({
  ...base,
  ...pushTarget,
  attempts: z.number().int(),
  code: z.string(),
  message: z.string(),
});

// ---- the full ATS record (docs/ats-record.md): `source` is "hub" or the provider's name

export const interviewScheduled = z.object({
  ...base,
  applicationId: z.uuid(),
  interviewId: z.uuid(),
  startAt: z.string(),
  endAt: z.string(),
  source: z.string(),
});

export const scorecardSubmitted = z.object({
  ...base,
  applicationId: z.uuid(),
  scorecardId: z.uuid(),
  interviewId: z.uuid().nullable(),
  recommendation: z.enum(['strong_yes', 'yes', 'no', 'strong_no', 'no_decision']),
  source: z.string(),
});

const offerRef = { applicationId: z.uuid(), offerId: z.uuid(), source: z.string() };
export const offerCreated = z.object({
  ...base,
  ...offerRef,
  status: z.enum(['draft', 'sent', 'accepted', 'declined', 'withdrawn']),
});
export const offerAccepted = z.object({ ...base, ...offerRef });

/**
 * An operator's retry of a failed status, note or tag push (POST /push-log/{id}/retry): the sync worker runs the
 * original event again under the push's own guards (sync queue only).
 */
export const pushRetryRequested = z.object({
  ...base,
  kind: z.enum(['status', 'note', 'tags']),
  outboxId: z.string().regex(/^\d+$/),
});

/** A note written through the hub: pushed to the provider where its API takes notes (sync queue only). */
export const noteCreated = z.object({
  ...base,
  noteId: z.uuid(),
  candidateId: z.uuid(),
  applicationId: z.uuid().nullable(),
  visibility: z.enum(['private', 'organization', 'shared']),
});

/** A candidate's tag set changed through the hub: pushed where the provider takes tags (sync queue only). */
export const candidateTagsChanged = z.object({
  ...base,
  candidateId: z.uuid(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
});

/** A job edited through the hub (`PATCH /jobs/{jobId}`): the names of the fields that changed. */
export const jobUpdated = z.object({
  ...base,
  jobId: z.uuid(),
  status: z.enum(['draft', 'open', 'paused', 'closed']),
  changed: z.array(z.string()),
});

/** A message between the parties of an application (docs/parties.md): one event in each recipient's outbox. */
export const messageCreated = z.object({
  ...base,
  applicationId: z.uuid(),
  jobId: z.uuid(),
  messageId: z.uuid(),
  fromOrganizationId: z.uuid(),
  /** null: addressed to all parties. */
  toOrganizationId: z.uuid().nullable(),
});

export const syncRequested = z.object({
  syncRunId: z.uuid(),
  integrationId: z.uuid(),
  mode: z.enum(['full', 'incremental']),
});

const runCounts = {
  syncRunId: z.uuid(),
  integrationId: z.uuid(),
  provider: z.string(),
  mode: z.enum(['full', 'incremental']),
  recordsProcessed: z.number().int(),
  recordsCreated: z.number().int(),
  recordsUpdated: z.number().int(),
  recordsDeleted: z.number().int(),
  recordsFailed: z.number().int(),
  startedAt: z.string(),
  completedAt: z.string(),
};

export const syncCompleted = z.object({ ...runCounts, status: z.enum(['succeeded', 'partial']) });
export const syncFailed = z.object({ ...runCounts, status: z.literal('failed'), error: z.string() });
export const importErrors = z.object({
  syncRunId: z.uuid(),
  integrationId: z.uuid(),
  provider: z.string(),
  recordsFailed: z.number().int().min(1),
  /** Remote ids and short reasons, never record contents. */
  samples: z
    .array(z.object({ objectType: z.string(), remoteId: z.string().nullable(), message: z.string() }))
    .max(20),
});

export const integrationUnhealthy = z.object({
  integrationId: z.uuid(),
  provider: z.string(),
  health: z.enum(['degraded', 'unhealthy']),
  reason: z.string(),
  since: z.string(),
});

export const analyticsExported = z.object({
  ...base,
  periodFrom: z.string(),
  periodTo: z.string(),
  objects: z.array(z.string()),
  pushes: z.array(z.object({ integrationId: z.uuid(), provider: z.string(), ok: z.boolean() })).default([]),
});

export const analyticsExportFailed = z.object({
  ...base,
  periodFrom: z.string(),
  periodTo: z.string(),
  error: z.string(),
});

export const eventCatalog = {
  'application.created': applicationCreated,
  'application.stage_changed': applicationStageChanged,
  'application.handoff': applicationHandoff,
  'application.status_changed': applicationStatusChanged,
  'application.pushed': applicationPushed,
  'application.push_failed': applicationPushFailed,
  'interview.scheduled': interviewScheduled,
  'scorecard.submitted': scorecardSubmitted,
  'offer.created': offerCreated,
  'offer.accepted': offerAccepted,
  'job.updated': jobUpdated,
  'message.created': messageCreated,
  'sync.requested': syncRequested,
  'sync.completed': syncCompleted,
  'sync.failed': syncFailed,
  'import.errors': importErrors,
  'integration.unhealthy': integrationUnhealthy,
  'analytics.exported': analyticsExported,
  'analytics.export_failed': analyticsExportFailed,
} as const;

export type EventType = keyof typeof eventCatalog;
export type EventPayload<T extends EventType> = z.infer<(typeof eventCatalog)[T]>;
