/**
 * Schemas of `GET /analytics/funnel` (docs/api.md, "Analytics"): the query the route validates and the response
 * `computeFunnel` returns. Exported for the route, the OpenAPI document and the analytics export.
 */
import * as z from 'zod';

const isoDateTime = z.iso.datetime({ offset: true });

/** `?jobId=` (empty) means "no job", as a browser form would send it. */
const blankAsUndefined = (value: unknown) => (value === '' ? undefined : value);

export const funnelQuery = z
  .object({
    jobId: z.preprocess(blankAsUndefined, z.uuid().optional()),
    /** Applications created at or after this instant (inclusive). */
    from: z.preprocess(blankAsUndefined, isoDateTime.optional()),
    /** Applications created before this instant (exclusive). */
    to: z.preprocess(blankAsUndefined, isoDateTime.optional()),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  })
  .meta({ id: 'FunnelQuery' });

export type FunnelQuery = z.infer<typeof funnelQuery>;

export const funnelStage = z
  .object({
    name: z.string(),
    /** 0-based position in this funnel's stage list. */
    order: z.number().int().min(0),
    /** Active applications in the stage now. */
    current: z.number().int().min(0),
    /** Applications that ever entered the stage. */
    reached: z.number().int().min(0),
    /** reached(next) / reached(this), 4 decimals; null when reached is 0 and for the last stage. */
    conversionToNext: z.number().min(0).nullable(),
    /** Median of completed stays in hours, 2 decimals; null when no stay has completed. */
    medianHoursInStage: z.number().min(0).nullable(),
  })
  .meta({ id: 'FunnelStage' });

export const funnelResponse = z
  .object({
    generatedAt: isoDateTime,
    scope: z.object({
      jobId: z.uuid().nullable(),
      from: isoDateTime.nullable(),
      to: isoDateTime.nullable(),
    }),
    totals: z.object({
      applications: z.number().int().min(0),
      active: z.number().int().min(0),
      hired: z.number().int().min(0),
      rejected: z.number().int().min(0),
      withdrawn: z.number().int().min(0),
    }),
    stages: z.array(funnelStage),
    sources: z.array(
      z.object({
        source: z.string(),
        applications: z.number().int().min(0),
        hired: z.number().int().min(0),
      }),
    ),
    interviews: z.object({
      /** Interviews of the cohort that were not cancelled (scheduled, completed or no-show). */
      scheduled: z.number().int().min(0),
      completed: z.number().int().min(0),
      /** Applications with at least one completed interview. */
      applicationsInterviewed: z.number().int().min(0),
    }),
    offers: z.object({
      /** Offers that reached the candidate: a send time, or a status of sent, accepted or declined. */
      sent: z.number().int().min(0),
      accepted: z.number().int().min(0),
      /** accepted / sent, 4 decimals; null when nothing was sent. */
      acceptanceRate: z.number().min(0).nullable(),
    }),
    /** Median over applications of (first non-cancelled interview's start − application time), 2 decimals. */
    medianHoursToFirstInterview: z.number().min(0).nullable(),
    /** Rejected applications of the cohort per rejection reason name, most first; those without a reason are not listed. */
    rejectionReasons: z.array(z.object({ name: z.string(), count: z.number().int().min(1) })),
    /** Per submitting organization (docs/parties.md): how many it submitted, how far they got, the hires. */
    submitters: z.array(
      z.object({
        organizationId: z.uuid(),
        applicationType: z.enum(['direct', 'agency_submission', 'platform_referral']),
        applications: z.number().int().min(0),
        active: z.number().int().min(0),
        hired: z.number().int().min(0),
        rejected: z.number().int().min(0),
        withdrawn: z.number().int().min(0),
        stages: z.array(
          z.object({ name: z.string(), order: z.number().int().min(0), reached: z.number().int().min(0) }),
        ),
      }),
    ),
  })
  .meta({ id: 'Funnel' });

export type FunnelResponse = z.infer<typeof funnelResponse>;
export type FunnelStage = z.infer<typeof funnelStage>;

export interface FunnelScope {
  organizationId: string;
  jobId?: string | undefined;
  /** Inclusive lower bound on `applications.created_at`. */
  from?: Date | undefined;
  /** Exclusive upper bound on `applications.created_at`. */
  to?: Date | undefined;
  /** Only applications with `source = 'portal'` (the portal's own view). */
  portalOnly: boolean;
}

/** The route's glue: validated query + caller → scope. The portal sees only applications it submitted. */
export function funnelScopeFromQuery(
  query: FunnelQuery,
  principal: { organizationId: string; role: 'portal' | 'ats' | 'admin' },
): FunnelScope {
  return {
    organizationId: principal.organizationId,
    jobId: query.jobId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    portalOnly: principal.role === 'portal',
  };
}
