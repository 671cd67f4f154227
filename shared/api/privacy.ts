/**
 * Schemas of the privacy routes (docs/api.md, "Privacy"; docs/privacy.md): erasure, its progress, the subject access
 * export and the organization's retention settings. Bodies are strict (an unknown field is a 400).
 */
import * as z from 'zod';
import { text, uuid } from './common.js';

export const eraseBody = z
  .object({
    /** Why (the request's reference, the legal ground); no personal data: it is kept with the erasure record. */
    reason: text(1000),
    /** Also ask the connected providers to anonymize the person where their APIs allow. */
    propagate: z.boolean(),
  })
  .strict();
export type EraseBody = z.infer<typeof eraseBody>;

export const erasureAccepted = z.object({ erasureId: uuid }).meta({ id: 'ErasureAccepted' });

export const erasureView = z
  .object({
    id: uuid,
    candidateId: uuid,
    state: z.enum(['queued', 'running', 'done', 'failed']),
    propagate: z.boolean(),
    steps: z.array(
      z.object({
        name: z.enum(['documents', 'raw_payloads', 'providers', 'database']),
        state: z.enum(['done', 'skipped', 'failed']),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
    /** Later syncs or portal submissions that named the erased person again (flagged, not re-created). */
    reappearances: z.number().int(),
    requestedAt: z.string(),
    completedAt: z.string().nullable(),
  })
  .meta({ id: 'Erasure' });

const rows = z.array(z.record(z.string(), z.unknown()));

export const candidateExport = z
  .object({
    exportedAt: z.string(),
    candidate: z.record(z.string(), z.unknown()),
    applications: rows,
    history: rows,
    notes: rows,
    interviews: rows,
    scorecards: rows,
    offers: rows,
    tags: z.array(z.string()),
    attachments: rows,
    documents: z.array(
      z.object({
        id: uuid,
        fileName: z.string(),
        contentType: z.string(),
        scanStatus: z.string(),
        /** A short-lived link to the file; null unless the scan found the file clean. */
        url: z.string().nullable(),
        urlExpiresAt: z.string().nullable(),
      }),
    ),
    externalRefs: rows,
    erasure: z.object({ id: uuid, state: z.string(), requestedAt: z.string() }).nullable(),
  })
  .meta({ id: 'CandidateExport' });

const days = z.number().int().min(1).max(3650).nullable();

export const retentionView = z
  .object({
    rawPayloadDays: days,
    rejectedDocumentDays: days,
    notificationBodyDays: days,
    analyticsExportDays: days,
  })
  .meta({ id: 'Retention' });

export const retentionBody = z
  .object({
    rawPayloadDays: days.optional(),
    rejectedDocumentDays: days.optional(),
    notificationBodyDays: days.optional(),
    analyticsExportDays: days.optional(),
  })
  .strict();
export type RetentionBody = z.infer<typeof retentionBody>;
