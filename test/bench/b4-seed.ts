/**
 * B4's funnel seed: one employer with the extended funnel's whole record, deterministic, bulk-written with
 * generate_series as the owner with triggers off (consistent by construction; the columns those triggers fill
 * are written here), then VACUUM ANALYZE.
 *
 * Shape at scale 1 (`sizes` divides it): 1M applications, 200k candidates, 2k jobs of 8 stages over two years.
 * - Depth (stages reached, 1..8) is funnel-shaped; hired at 8; otherwise 15 % rejected, 5 % withdrawn.
 * - Submitters: 30 % of candidates come from 12 agencies of the employer's platform (skewed: the first agencies
 *   submit most), each agency holding its own candidate record; their applications are `agency_submission`s
 *   through the portal, brokered by the platform. The rest are the employer's direct applications.
 * - Rejection reasons: 10 per organization, skewed; 92 % of rejected applications carry one.
 * - Interviews: 1–3 per application that reached Interview, inside its stay there; completed when the
 *   application moved on, the last one scheduled while it waits, no-shows and cancellations (reschedules)
 *   sprinkled in; 1 % soft-deleted.
 * - Offers: one per application that reached Offer — accepted for hires (10 % of them after a withdrawn
 *   first offer), draft or sent while pending, declined when the application was rejected or withdrawn.
 */
import type { Sql } from '../../shared/db/client.js';
import { buildJobStages } from '../../shared/domain/pipeline.js';
import { md5Uuid } from './seed.js';

export interface B4Sizes {
  applications: number;
  candidates: number;
  jobs: number;
}

export const B4_FROM = '2024-01-01';
export const B4_TO = '2025-12-31';
export const B4_AGENCIES = 12;

const REASONS = [
  'Not enough experience',
  'Salary expectations',
  'Position filled',
  'Skills mismatch',
  'Failed assessment',
  'Location',
  'No response',
  'Overqualified',
  'Notice period too long',
  'Duplicate application',
];

/** The B4 sizes at a scale (1 = 1M applications; 10 = a tenth). */
export function b4Sizes(scale: number): B4Sizes {
  return {
    applications: Math.round(1_000_000 / scale),
    candidates: Math.round(200_000 / scale),
    // at least 8 jobs: a candidate's five applications land on five different jobs
    jobs: Math.max(8, Math.round(2_000 / scale)),
  };
}

export async function seedB4Funnel(owner: Sql, organizationId: string, sizes: B4Sizes): Promise<void> {
  const stages = buildJobStages(['Interview', 'Assessment', 'Reference']);
  if (stages.length !== 8 || stages[3]!.name !== 'Interview' || stages[6]!.kind !== 'offer')
    throw new Error('expected 8 stages with Interview at 3 and Offer at 6');
  const from = B4_FROM;
  const platformId = md5Uuid(`b4-platform:${organizationId}`);
  const agencyIds = Array.from({ length: B4_AGENCIES }, (_, n) =>
    md5Uuid(`b4-agency:${organizationId}:${n}`),
  );
  const agencies = `'{${agencyIds.join(',')}}'::uuid[]`;
  // a stay in stage k of application i starts at created_at + k·(24 + i % 200) hours (the history below)
  const stageAt = (k: number) => `a.created_at + ${k} * interval '1 hour' * (24 + (a.i % 200))`;
  await owner.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`select setseed(0.42)`;
    await tx`insert into organizations (id, name, type) values (${platformId}, 'Bench platform', 'platform')`;
    await tx`insert into organizations (id, name, type, parent_organization_id)
      values (${organizationId}, 'Bench analytics', 'employer', ${platformId})`;
    await tx`
      insert into organizations (id, name, type, parent_organization_id)
      select id, 'Bench agency ' || n, 'agency', ${platformId} from unnest(${agencyIds}::uuid[]) with ordinality a(id, n)`;
    await tx`
      insert into jobs (id, organization_id, title, employment_type, created_at)
      select md5('b4job' || j)::uuid, ${organizationId}, 'Job ' || j, 'full_time', ${from}::timestamptz
      from generate_series(0, ${sizes.jobs - 1}) j`;
    await tx`
      insert into job_stages (id, organization_id, job_id, name, position, kind, owner, fixed)
      select md5('b4job' || j || ':' || s.position)::uuid, ${organizationId}, md5('b4job' || j)::uuid,
        s.name, s.position::int, s.kind, s.owner, s.fixed::boolean
      from generate_series(0, ${sizes.jobs - 1}) j
      cross join unnest(${stages.map((s) => s.name)}::text[], ${stages.map((s) => String(s.position))}::text[],
        ${stages.map((s) => s.kind)}::text[], ${stages.map((s) => s.owner)}::text[],
        ${stages.map((s) => String(s.fixed))}::text[]) as s(name, position, kind, owner, fixed)`;
    // every agency is partnered on every job (the funnel does not read these; the data model expects them)
    await tx.unsafe(`
      insert into partnerships (id, organization_id, agency_organization_id, created_at)
      select md5('b4partner' || n)::uuid, '${organizationId}', (${agencies})[1 + n], '${from}'
      from generate_series(0, ${B4_AGENCIES - 1}) n;
      insert into partnership_jobs (organization_id, partnership_id, job_id)
      select '${organizationId}', md5('b4partner' || n)::uuid, md5('b4job' || j)::uuid
      from generate_series(0, ${B4_AGENCIES - 1}) n cross join generate_series(0, ${sizes.jobs - 1}) j`);
    await tx`
      insert into rejection_reasons (id, organization_id, name, created_at)
      select md5('b4reason' || r.n)::uuid, ${organizationId}, r.name, ${from}::timestamptz
      from unnest(${REASONS}::text[]) with ordinality as r(name, n)`;
    // candidate c's submitter: 30 % an agency, skewed towards the first ones; the employer otherwise
    await tx.unsafe(`
      create temp table b4_cands on commit drop as
      select c, md5('b4cand' || c)::uuid as id,
        case when c % 10 < 3 then (${agencies})[1 + floor(${B4_AGENCIES} * power(((c * 7919) % 1000) / 1000.0, 2))::int]
          else '${organizationId}'::uuid end as submitter
      from generate_series(0, ${sizes.candidates - 1}) c`);
    await tx`
      insert into candidates (id, organization_id, submitting_organization_id, first_name, last_name, email, source,
        created_at)
      select id, ${organizationId}, submitter, 'First' || c, 'Last' || c, 'cand' || c || '@bench.example', 'portal',
        ${from}::timestamptz
      from b4_cands`;
    await tx`
      create temp table b4_apps on commit drop as
      select i, md5('b4app' || i)::uuid as id, c.id as candidate_id, c.c, c.submitter,
        ((i / ${sizes.candidates}) + i) % ${sizes.jobs} as job,
        ${from}::timestamptz + (i::float8 / ${sizes.applications}) * interval '700 days' as created_at,
        least(8, 1 + floor(-ln(1 - random() * 0.999) / 0.55))::int as depth,
        random() as fate,
        random() as reason,
        case when c.submitter <> ${organizationId}::uuid then 'portal'
          else (array['portal', 'portal', 'portal', 'greenhouse', 'lever'])[1 + (i % 5)] end as source
      from generate_series(0, ${sizes.applications - 1}) i
      join b4_cands c on c.c = i % ${sizes.candidates}`;
    await tx`
      insert into applications (id, organization_id, submitting_organization_id, application_type,
        platform_organization_id, candidate_email, candidate_id, job_id, stage_id, status, source, rejection_reason_id,
        created_at, updated_at, stage_entered_at)
      select a.id, ${organizationId}, a.submitter,
        case when a.submitter = ${organizationId}::uuid then 'direct' else 'agency_submission' end,
        case when a.submitter = ${organizationId}::uuid then null else ${platformId}::uuid end,
        'cand' || a.c || '@bench.example', a.candidate_id, md5('b4job' || a.job)::uuid,
        md5('b4job' || a.job || ':' || (a.depth - 1))::uuid,
        case when a.depth = 8 then 'hired' when a.fate < 0.15 then 'rejected' when a.fate < 0.2 then 'withdrawn'
          else 'active' end,
        a.source,
        case when a.depth < 8 and a.fate < 0.15 and a.reason < 0.92
          then md5('b4reason' || (1 + floor(${REASONS.length} * power(a.reason / 0.92, 1.6)))::int)::uuid end,
        a.created_at, a.created_at, a.created_at
      from b4_apps a`;
    await tx`
      insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id,
        from_status, to_status, actor_role, actor, source, occurred_at)
      select ${organizationId}, a.id,
        case when k = 0 then null else md5('b4job' || a.job || ':' || (k - 1))::uuid end,
        md5('b4job' || a.job || ':' || k)::uuid,
        case when k = 0 then null else 'active' end,
        case when k = 7 then 'hired' else 'active' end,
        case when k < 3 then 'portal' else 'ats' end, 'bench', 'portal',
        a.created_at + k * interval '1 hour' * (24 + (i % 200))
      from b4_apps a cross join lateral generate_series(0, a.depth - 1) k`;
    await tx`
      insert into application_stage_history (organization_id, application_id, from_stage_id, to_stage_id,
        from_status, to_status, actor_role, actor, source, occurred_at)
      select ${organizationId}, a.id, md5('b4job' || a.job || ':' || (a.depth - 1))::uuid,
        md5('b4job' || a.job || ':' || (a.depth - 1))::uuid, 'active',
        case when a.fate < 0.15 then 'rejected' else 'withdrawn' end, 'ats', 'bench', 'ats',
        a.created_at + a.depth * interval '1 hour' * (24 + (i % 200))
      from b4_apps a where a.depth < 8 and a.fate < 0.2`;
    // n = 1 + i % 3 interviews spread over the stay in Interview (stage 3)
    await tx.unsafe(`
      insert into interviews (id, organization_id, application_id, title, stage_id, stage_name, start_at, end_at,
        status, source, created_at, updated_at, deleted_at)
      select md5('b4int' || a.i || ':' || k)::uuid, '${organizationId}', a.id, 'Interview ' || k,
        md5('b4job' || a.job || ':3')::uuid, 'Interview', t.start_at, t.start_at + interval '1 hour',
        case
          when (a.i + k) % 19 = 0 then 'cancelled'
          when a.depth > 4 or k < n then 'completed'
          when a.fate >= 0.2 then 'scheduled'
          when a.i % 4 = 0 then 'no_show'
          else 'completed' end,
        'hub', ${stageAt(3)}, ${stageAt(3)},
        case when (a.i + k) % 97 = 0 then t.start_at + interval '1 day' end
      from b4_apps a
      cross join lateral (select 1 + a.i % 3 as n) m
      cross join lateral generate_series(1, m.n) k
      cross join lateral (select ${stageAt(3)} + k * interval '1 hour' * (24 + (a.i % 200)) / (m.n + 1)
        as start_at) t
      where a.depth >= 4`);
    // the offer goes out a day into the stay in Offer (stage 6)
    await tx.unsafe(`
      insert into offers (id, organization_id, application_id, status, sent_at, resolved_at, starts_at, source,
        created_at, updated_at)
      select md5('b4offer' || a.i || ':' || o.n)::uuid, '${organizationId}', a.id, o.status,
        case when o.status <> 'draft' then ${stageAt(6)} + interval '1 day' * o.n end,
        case when o.n = 0 then ${stageAt(6)} + interval '12 hours'
          when o.status in ('accepted', 'declined') then ${stageAt(7)} end,
        case when o.status = 'accepted' then (${stageAt(7)} + interval '30 days')::date end,
        'hub', ${stageAt(6)}, ${stageAt(6)}
      from b4_apps a
      cross join lateral (
        select 0 as n, 'withdrawn' as status where a.depth = 8 and a.i % 10 = 0
        union all
        select 1, case
          when a.depth = 8 then 'accepted'
          when a.fate < 0.2 then 'declined'
          when a.i % 4 = 0 then 'draft'
          else 'sent' end
      ) o
      where a.depth >= 7`);
  });
  await owner.unsafe('vacuum analyze');
}
