/**
 * The funnel as one rectangular CSV table (RFC 4180, CRLF, header row, UTF-8 without BOM), so that it
 * loads in a spreadsheet and in any CSV reader alike. Pure.
 *
 * Columns: section, name, order, current, reached, conversion_to_next, median_hours_in_stage,
 * applications, active, hired, rejected, withdrawn, scheduled, completed, applications_interviewed,
 * median_hours_to_first_interview, sent, accepted, acceptance_rate, count, submitting_organization_id. Rows:
 * - `stage`: one per funnel stage, in order (name, order, current, reached, conversion, median);
 * - `totals`: one row named `all` (applications, active, hired, rejected, withdrawn);
 * - `source`: one per source (name = source, applications, hired);
 * - `interviews`: one row named `all` (scheduled, completed, applications_interviewed,
 *   median_hours_to_first_interview);
 * - `offers`: one row named `all` (sent, accepted, acceptance_rate);
 * - `rejection_reason`: one per reason (name, count);
 * - `submitter`: one per submitting organization (submitting_organization_id, name = its application type,
 *   applications, active, hired, rejected, withdrawn), then `submitter_stage`: one per submitter × stage
 *   (submitting_organization_id, name, order, reached).
 * Cells that do not apply, and null ratios/medians, are empty.
 */
import { stringify } from 'csv-stringify/sync';
import type { FunnelResponse } from './funnel-schema.js';

export const CSV_COLUMNS = [
  'section',
  'name',
  'order',
  'current',
  'reached',
  'conversion_to_next',
  'median_hours_in_stage',
  'applications',
  'active',
  'hired',
  'rejected',
  'withdrawn',
  'scheduled',
  'completed',
  'applications_interviewed',
  'median_hours_to_first_interview',
  'sent',
  'accepted',
  'acceptance_rate',
  'count',
  'submitting_organization_id',
] as const;

type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | null>>;

/**
 * Spreadsheets execute a cell that starts with = + - @ (or a tab/CR before one) as a formula; stage names
 * are user input, so such text is prefixed with an apostrophe (OWASP "CSV injection").
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function renderFunnelCsv(funnel: FunnelResponse): string {
  const rows: CsvRow[] = [
    ...funnel.stages.map((s) => ({
      section: 'stage',
      name: neutralizeFormula(s.name),
      order: s.order,
      current: s.current,
      reached: s.reached,
      conversion_to_next: s.conversionToNext,
      median_hours_in_stage: s.medianHoursInStage,
    })),
    { section: 'totals', name: 'all', ...funnel.totals },
    ...funnel.sources.map((s) => ({
      section: 'source',
      name: neutralizeFormula(s.source),
      applications: s.applications,
      hired: s.hired,
    })),
    {
      section: 'interviews',
      name: 'all',
      scheduled: funnel.interviews.scheduled,
      completed: funnel.interviews.completed,
      applications_interviewed: funnel.interviews.applicationsInterviewed,
      median_hours_to_first_interview: funnel.medianHoursToFirstInterview,
    },
    {
      section: 'offers',
      name: 'all',
      sent: funnel.offers.sent,
      accepted: funnel.offers.accepted,
      acceptance_rate: funnel.offers.acceptanceRate,
    },
    ...funnel.rejectionReasons.map((r) => ({
      section: 'rejection_reason',
      name: neutralizeFormula(r.name),
      count: r.count,
    })),
    ...funnel.submitters.flatMap((s) => [
      {
        section: 'submitter',
        submitting_organization_id: s.organizationId,
        name: s.applicationType,
        applications: s.applications,
        active: s.active,
        hired: s.hired,
        rejected: s.rejected,
        withdrawn: s.withdrawn,
      },
      ...s.stages.map((stage) => ({
        section: 'submitter_stage',
        submitting_organization_id: s.organizationId,
        name: neutralizeFormula(stage.name),
        order: stage.order,
        reached: stage.reached,
      })),
    ]),
  ];
  return stringify(rows, {
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: 'windows',
    cast: { number: (n) => String(n) },
  });
}
