/**
 * The one funnel implementation (docs/api.md `GET /analytics/funnel`, the analytics export, the operator CLI).
 *
 * Everything is computed by ONE set-based SQL statement that returns the whole response as JSON: Node
 * receives exactly one row whatever the data size (docs/performance.md B4: rows pulled into Node ≤ rows
 * exported) and does no per-row work. The caller runs it inside `withTenant(...)`, so row-level security
 * applies; the statement filters on the organization as well.
 *
 * Definitions
 * - Scope. Applications of the organization that are not deleted (`deleted_at is null`); of one job when
 *   `jobId` is given; created within the period `[from, to)` (from inclusive, to exclusive, either bound
 *   optional) — the period selects a cohort of applications by creation time, and everything below is
 *   about that cohort (its whole history, not only the events inside the period); for the portal only
 *   applications with `source = 'portal'`.
 * - Stages, with a job: that job's stages ordered by position.
 * - Stages, without a job (aggregated across jobs):
 *   · the five fixed stages, matched by kind (their names are fixed), always listed, in the canonical
 *     order Screening, Shortlist, Client Endorsement, …, Offer, Offer Accepted;
 *   · custom stages of the jobs that have at least one application in scope, grouped by name
 *     case-insensitively (displayed with the most common spelling), placed between Client Endorsement
 *     and Offer, ordered by their typical position = the average of their `job_stages.position` over
 *     the jobs in scope that define them, then by name.
 *   A custom stage that only some jobs have can make a conversion exceed 1 (applications of the jobs
 *   without it go straight from the stage before to the stage after); that is the honest ratio of the
 *   definition, not an error.
 * - `order`: 0-based index in the returned list (equals the stage position for a job's funnel).
 * - `reached`: applications that ever entered the stage: any history row with `to_stage_id` in the
 *   stage (the creation row `null → Screening` included; an application that went back and forth counts
 *   once), plus the application's current stage (imported applications may come with an incomplete
 *   history; where they sit now they have certainly entered).
 * - `current`: applications with status `active` whose current stage is the stage now.
 * - `conversionToNext`: reached(next) / reached(this), rounded to 4 decimals; null when reached(this)
 *   is 0, and for the last stage (there is no next).
 * - `medianHoursInStage`: `percentile_cont(0.5)` over COMPLETED stays only, in hours rounded to 2
 *   decimals; null when no stay in the stage has completed. A stay starts at a history row that enters
 *   the stage (`from_stage_id` differs from `to_stage_id`; status-only rows such as a rejection do not
 *   start a stay) and ends at the application's next history row (ordered by `occurred_at`, then id):
 *   a move elsewhere, a rejection, a withdrawal. Ongoing stays are excluded (they would pull the median
 *   towards "time since the last change", which depends on when the export runs). Each stay counts,
 *   so an application that returned to a stage contributes one duration per visit.
 * - totals: count of applications in scope by status; sources: per `applications.source`, count and
 *   hires, most applications first.
 * - The recruiting record of the cohort (not deleted rows only; the portal role reads no interviews or offers
 *   under row-level security, so its figures are zero):
 *   · `interviews.scheduled`: interviews not cancelled; `completed`: status completed;
 *     `applicationsInterviewed`: applications with at least one completed interview;
 *   · `offers.sent`: offers with a send time or a status of sent, accepted or declined; `accepted`;
 *     `acceptanceRate` = accepted / sent, 4 decimals, null when nothing was sent;
 *   · `medianHoursToFirstInterview`: per application with a non-cancelled interview, the hours from the
 *     application's creation (the provider's applied-at for synced ones) to its earliest interview start,
 *     floored at 0 (an imported interview may predate the application); `percentile_cont(0.5)`, 2 decimals;
 *   · `rejectionReasons`: rejected applications per reason name, most first, then by name.
 * - `submitters` (docs/parties.md): per submitting organization (the organization itself for direct
 *   applications, each agency for its submissions), most applications first: the cohort's counts by status and,
 *   per funnel stage, how many of its applications reached it (`reached` as above).
 */

import type { Tx } from '../db/tenant.js';
import { notFound } from '../domain/errors.js';
import { FIXED_STAGE_NAMES, type StageKind } from '../domain/pipeline.js';
import type { FunnelResponse, FunnelScope } from './funnel-schema.js';

export type { FunnelResponse, FunnelScope } from './funnel-schema.js';

/** Canonical order of stage kinds; custom stages sit between Client Endorsement and Offer. */
const KIND_ORDER: readonly StageKind[] = [
  'screening',
  'shortlist',
  'client_endorsement',
  'custom',
  'offer',
  'offer_accepted',
];

const FIXED_KINDS = ['screening', 'shortlist', 'client_endorsement', 'offer', 'offer_accepted'] as const;

interface FunnelRow {
  funnel: Omit<FunnelResponse, 'generatedAt' | 'scope'> & { jobFound: boolean };
}

/**
 * Computes the funnel in one statement. Throws NOT_FOUND when `scope.jobId` names no job of the
 * organization (a foreign job is invisible under RLS and filtered here too).
 */
export async function computeFunnel(tx: Tx, scope: FunnelScope, now: Date): Promise<FunnelResponse> {
  const org = scope.organizationId;
  const jobId = scope.jobId;
  const jobScope = jobId !== undefined;
  const empty = tx``;

  const byJob = jobId !== undefined ? tx`and a.job_id = ${jobId}::uuid` : empty;
  const createdFrom = scope.from !== undefined ? tx`and a.created_at >= ${scope.from}::timestamptz` : empty;
  const createdBefore = scope.to !== undefined ? tx`and a.created_at < ${scope.to}::timestamptz` : empty;
  const portal = scope.portalOnly ? tx`and a.source = 'portal'` : empty;

  const scopeJobs =
    jobId !== undefined
      ? tx`select j.id from jobs j
           where j.organization_id = ${org}::uuid and j.id = ${jobId}::uuid and j.deleted_at is null`
      : tx`select distinct a.job_id as id from apps a`;

  // with a job every stage is its own group; across jobs fixed stages group by kind, custom ones by name
  const groupKey = jobScope
    ? tx`s.id::text`
    : tx`case when s.kind = 'custom' then 'custom:' || lower(s.name) else s.kind end`;

  const fixedStages = jobScope
    ? empty
    : tx`union all
         select f.kind, f.name, null::integer, f.name, array_position(${KIND_ORDER as string[]}::text[], f.kind)
         from unnest(${[...FIXED_KINDS]}::text[], ${FIXED_KINDS.map((k) => FIXED_STAGE_NAMES[k])}::text[])
           as f(kind, name)`;

  const stageOrder = jobScope
    ? tx`order by typical_position, lower(name), group_key`
    : tx`order by kind_rank, typical_position, lower(name), group_key`;

  const [row] = await tx<FunnelRow[]>`
    with apps as (
      select a.id, a.job_id, a.stage_id, a.status, a.source, a.created_at, a.rejection_reason_id,
        a.submitting_organization_id, a.application_type
      from applications a
      where a.organization_id = ${org}::uuid and a.deleted_at is null
        ${byJob} ${createdFrom} ${createdBefore} ${portal}
    ),
    scope_jobs as (${scopeJobs}),
    stage_map as (
      select s.id as stage_id, s.name, s.position, s.kind, ${groupKey} as group_key
      from job_stages s
      join scope_jobs sj on sj.id = s.job_id
      where s.organization_id = ${org}::uuid
    ),
    groups as (
      select g.group_key,
        min(g.kind_rank) as kind_rank,
        coalesce(max(g.canonical_name), mode() within group (order by g.name)) as name,
        avg(g.position) as typical_position
      from (
        select m.group_key, m.name, m.position, null::text as canonical_name,
          array_position(${KIND_ORDER as string[]}::text[], m.kind) as kind_rank
        from stage_map m
        ${fixedStages}
      ) as g(group_key, name, position, canonical_name, kind_rank)
      group by g.group_key
    ),
    ordered as (
      select group_key, name, (row_number() over (${stageOrder}) - 1)::integer as ord from groups
    ),
    -- stage id → funnel position: everything below aggregates on this small integer
    stage_ord as (
      select m.stage_id, o.ord from stage_map m join ordered o on o.group_key = m.group_key
    ),
    history as (
      select h.application_id, s.ord,
        h.from_stage_id is distinct from h.to_stage_id as is_entry,
        extract(epoch from (
          lead(h.occurred_at) over (partition by h.application_id order by h.occurred_at, h.id) - h.occurred_at
        ))::float8 / 3600.0 as stay_hours
      from application_stage_history h
      join apps a on a.id = h.application_id
      left join stage_ord s on s.stage_id = h.to_stage_id
      where h.organization_id = ${org}::uuid
    ),
    entered as (
      select ord, application_id from history where ord is not null
      union
      select s.ord, a.id from apps a join stage_ord s on s.stage_id = a.stage_id
    ),
    -- per submitter and stage, aggregated once; the totals per stage are their sums
    submitter_reached as materialized (
      select a.submitting_organization_id as org, e.ord, count(*)::integer as n
      from entered e join apps a on a.id = e.application_id
      group by a.submitting_organization_id, e.ord
    ),
    reached as (
      select ord, sum(n)::integer as n from submitter_reached group by ord
    ),
    current_counts as (
      select s.ord, count(*)::integer as n
      from apps a join stage_ord s on s.stage_id = a.stage_id
      where a.status = 'active'
      group by s.ord
    ),
    stays as (
      select ord, percentile_cont(0.5) within group (order by stay_hours) as median_hours
      from history
      where is_entry and stay_hours is not null and ord is not null
      group by ord
    ),
    stage_rows as (
      select o.ord, o.name,
        coalesce(c.n, 0) as current_n,
        coalesce(r.n, 0) as reached_n,
        lead(coalesce(r.n, 0)) over (order by o.ord) as next_reached,
        st.median_hours
      from ordered o
      left join reached r on r.ord = o.ord
      left join current_counts c on c.ord = o.ord
      left join stays st on st.ord = o.ord
    ),
    source_rows as (
      select source, count(*)::integer as n, (count(*) filter (where status = 'hired'))::integer as hired
      from apps group by source
    ),
    interview_rows as (
      select i.application_id, i.status, i.start_at from interviews i join apps a on a.id = i.application_id
      where i.organization_id = ${org}::uuid and i.deleted_at is null
    ),
    first_interviews as (
      select greatest(0, extract(epoch from (min(i.start_at) - a.created_at))::float8 / 3600.0) as hours
      from apps a join interview_rows i on i.application_id = a.id
      where i.status <> 'cancelled'
      group by a.id, a.created_at
    ),
    offer_rows as (
      select o.status, o.sent_at from offers o join apps a on a.id = o.application_id
      where o.organization_id = ${org}::uuid and o.deleted_at is null
    ),
    offer_counts as (
      select (count(*) filter (where sent_at is not null or status in ('sent', 'accepted', 'declined')))::integer as sent,
        (count(*) filter (where status = 'accepted'))::integer as accepted
      from offer_rows
    ),
    submitter_rows as (
      select submitting_organization_id as org, min(application_type) as application_type, count(*)::integer as n,
        (count(*) filter (where status = 'active'))::integer as active,
        (count(*) filter (where status = 'hired'))::integer as hired,
        (count(*) filter (where status = 'rejected'))::integer as rejected,
        (count(*) filter (where status = 'withdrawn'))::integer as withdrawn
      from apps group by submitting_organization_id
    ),
    -- each submitter's stage list, built once for all of them (a correlated subquery per submitter would
    -- re-run the aggregation above once per submitting organization)
    submitter_stages as (
      select r.org, json_agg(json_build_object('name', o.name, 'order', o.ord, 'reached', coalesce(x.n, 0))
          order by o.ord) as stages
      from submitter_rows r cross join ordered o
      left join submitter_reached x on x.org = r.org and x.ord = o.ord
      group by r.org
    ),
    reason_rows as (
      select r.name, count(*)::integer as n
      from apps a join rejection_reasons r on r.id = a.rejection_reason_id and r.organization_id = ${org}::uuid
      where a.status = 'rejected'
      group by r.name
    )
    select json_build_object(
      'jobFound', ${jobScope ? tx`exists (select 1 from scope_jobs)` : tx`true`},
      'totals', (
        select json_build_object(
          'applications', count(*)::integer,
          'active', (count(*) filter (where status = 'active'))::integer,
          'hired', (count(*) filter (where status = 'hired'))::integer,
          'rejected', (count(*) filter (where status = 'rejected'))::integer,
          'withdrawn', (count(*) filter (where status = 'withdrawn'))::integer)
        from apps),
      'stages', coalesce((
        select json_agg(json_build_object(
          'name', name,
          'order', ord,
          'current', current_n,
          'reached', reached_n,
          'conversionToNext',
            case when reached_n = 0 or next_reached is null then null
                 else round(next_reached::numeric / reached_n, 4) end,
          'medianHoursInStage', round(median_hours::numeric, 2)
        ) order by ord)
        from stage_rows), '[]'::json),
      'sources', coalesce((
        select json_agg(json_build_object('source', source, 'applications', n, 'hired', hired)
          order by n desc, source)
        from source_rows), '[]'::json),
      'interviews', (
        select json_build_object(
          'scheduled', (count(*) filter (where status <> 'cancelled'))::integer,
          'completed', (count(*) filter (where status = 'completed'))::integer,
          'applicationsInterviewed', (count(distinct application_id) filter (where status = 'completed'))::integer)
        from interview_rows),
      'offers', (
        select json_build_object('sent', sent, 'accepted', accepted,
          'acceptanceRate', case when sent = 0 then null else round(accepted::numeric / sent, 4) end)
        from offer_counts),
      'medianHoursToFirstInterview', (
        select round((percentile_cont(0.5) within group (order by hours))::numeric, 2) from first_interviews),
      'submitters', coalesce((
        select json_agg(json_build_object('organizationId', r.org, 'applicationType', r.application_type,
          'applications', r.n, 'active', r.active, 'hired', r.hired, 'rejected', r.rejected, 'withdrawn', r.withdrawn,
          'stages', ss.stages)
          order by r.n desc, r.org)
        from submitter_rows r left join submitter_stages ss on ss.org = r.org), '[]'::json),
      'rejectionReasons', coalesce((
        select json_agg(json_build_object('name', name, 'count', n) order by n desc, name) from reason_rows), '[]'::json)
    ) as funnel`;

  if (!row) throw new Error('funnel statement returned no row');
  const { jobFound, ...metrics } = row.funnel;
  if (!jobFound) throw notFound('job');
  return {
    generatedAt: now.toISOString(),
    scope: {
      jobId: scope.jobId ?? null,
      from: scope.from?.toISOString() ?? null,
      to: scope.to?.toISOString() ?? null,
    },
    totals: metrics.totals,
    stages: metrics.stages,
    sources: metrics.sources,
    interviews: metrics.interviews,
    offers: metrics.offers,
    medianHoursToFirstInterview: metrics.medianHoursToFirstInterview,
    rejectionReasons: metrics.rejectionReasons,
    submitters: metrics.submitters,
  };
}
