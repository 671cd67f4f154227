/**
 * Funnel fixture shared by the analytics tests, inserted as the owner (bypasses RLS).
 *
 * Organization A
 *   J1 "Platform Engineer": Screening(0) Shortlist(1) Client Endorsement(2) Interview(3) Offer(4) Offer Accepted(5)
 *   J2 "Data Analyst":      Screening(0) Shortlist(1) Client Endorsement(2) Assessment(3) Interview(4) Offer(5) Offer Accepted(6)
 *   J3 "Empty Job":         no applications
 * Organization B: K1 with two applications that must never count for A.
 *
 * Hours are offsets from T0 = 2024-03-01T00:00:00Z; the first history entry is the creation row.
 *
 *  app source      job  history (stage@hour)                                   now
 *  a1  portal      J1   S@0 SL@10 CE@30 IV@50 OF@80 OA@100                     hired (at OA)
 *  a2  portal      J1   S@24 SL@30 CE@40 IV@60 CE@70 IV@90 (ATS moved back)    active IV
 *  a3  portal      J1   S@48 rejected@52                                       rejected (at S)
 *  a4  portal      J1   S@72 SL@80 withdrawn@100                               withdrawn (at SL)
 *  a5  portal      J1   S@96                                                   active S
 *  a6  greenhouse  J1   S@120 SL@121 CE@122 IV@130 OF@150                      active OF
 *  a7  greenhouse  J1   (imported without history, created @130)               active IV
 *  a8  portal      J1   S@10 SL@20, DELETED                                    (excluded)
 *  b1  portal      J2   S@30 SL@40 CE@45 AS@60 IV@70 OF@75 OA@95               hired
 *  b2  portal      J2   S@400 SL@410 CE@420 AS@430 rejected@440                rejected (at AS)
 *  b3  lever       J2   S@500 IV@520 (provider skipped stages)                 active IV
 *  c1  portal      K1   (org B) S@0 SL@5                                       active SL
 *  c2  greenhouse  K1   (org B) S@1 SL@2 CE@3 OF@4 OA@6                        hired
 */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../../shared/db/client.js';
import { buildJobStages } from '../../../shared/domain/pipeline.js';

export const T0 = new Date('2024-03-01T00:00:00Z');
export const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

type Step = [stage: string, hour: number] | ['rejected' | 'withdrawn', number];

interface AppSpec {
  key: string;
  org: 'A' | 'B';
  job: 'J1' | 'J2' | 'K1';
  source: string;
  created: number;
  steps: Step[];
  /** Only for applications without history. */
  stage?: string;
  deleted?: boolean;
}

const SHORT: Record<string, string> = {
  S: 'Screening',
  SL: 'Shortlist',
  CE: 'Client Endorsement',
  IV: 'Interview',
  AS: 'Assessment',
  OF: 'Offer',
  OA: 'Offer Accepted',
};

const APPS: AppSpec[] = [
  {
    key: 'a1',
    org: 'A',
    job: 'J1',
    source: 'portal',
    created: 0,
    steps: [
      ['S', 0],
      ['SL', 10],
      ['CE', 30],
      ['IV', 50],
      ['OF', 80],
      ['OA', 100],
    ],
  },
  {
    key: 'a2',
    org: 'A',
    job: 'J1',
    source: 'portal',
    created: 24,
    steps: [
      ['S', 24],
      ['SL', 30],
      ['CE', 40],
      ['IV', 60],
      ['CE', 70],
      ['IV', 90],
    ],
  },
  {
    key: 'a3',
    org: 'A',
    job: 'J1',
    source: 'portal',
    created: 48,
    steps: [
      ['S', 48],
      ['rejected', 52],
    ],
  },
  {
    key: 'a4',
    org: 'A',
    job: 'J1',
    source: 'portal',
    created: 72,
    steps: [
      ['S', 72],
      ['SL', 80],
      ['withdrawn', 100],
    ],
  },
  { key: 'a5', org: 'A', job: 'J1', source: 'portal', created: 96, steps: [['S', 96]] },
  {
    key: 'a6',
    org: 'A',
    job: 'J1',
    source: 'greenhouse',
    created: 120,
    steps: [
      ['S', 120],
      ['SL', 121],
      ['CE', 122],
      ['IV', 130],
      ['OF', 150],
    ],
  },
  { key: 'a7', org: 'A', job: 'J1', source: 'greenhouse', created: 130, steps: [], stage: 'IV' },
  {
    key: 'a8',
    org: 'A',
    job: 'J1',
    source: 'portal',
    created: 10,
    steps: [
      ['S', 10],
      ['SL', 20],
    ],
    deleted: true,
  },
  {
    key: 'b1',
    org: 'A',
    job: 'J2',
    source: 'portal',
    created: 30,
    steps: [
      ['S', 30],
      ['SL', 40],
      ['CE', 45],
      ['AS', 60],
      ['IV', 70],
      ['OF', 75],
      ['OA', 95],
    ],
  },
  {
    key: 'b2',
    org: 'A',
    job: 'J2',
    source: 'portal',
    created: 400,
    steps: [
      ['S', 400],
      ['SL', 410],
      ['CE', 420],
      ['AS', 430],
      ['rejected', 440],
    ],
  },
  {
    key: 'b3',
    org: 'A',
    job: 'J2',
    source: 'lever',
    created: 500,
    steps: [
      ['S', 500],
      ['IV', 520],
    ],
  },
  {
    key: 'c1',
    org: 'B',
    job: 'K1',
    source: 'portal',
    created: 0,
    steps: [
      ['S', 0],
      ['SL', 5],
    ],
  },
  {
    key: 'c2',
    org: 'B',
    job: 'K1',
    source: 'greenhouse',
    created: 1,
    steps: [
      ['S', 1],
      ['SL', 2],
      ['CE', 3],
      ['OF', 4],
      ['OA', 6],
    ],
  },
];

export interface FunnelSeed {
  orgA: string;
  orgB: string;
  jobs: Record<'J1' | 'J2' | 'J3' | 'K1', string>;
  apps: Record<string, string>;
  /** Every candidate's first name, last name and email: must never appear in an export. */
  personalData: string[];
}

export async function seedFunnel(owner: Sql): Promise<FunnelSeed> {
  const orgA = randomUUID();
  const orgB = randomUUID();
  await owner`insert into organizations (id, name) values (${orgA}, 'Acme <Recruiting> & Co'), (${orgB}, 'Other Org')`;

  const jobs = { J1: randomUUID(), J2: randomUUID(), J3: randomUUID(), K1: randomUUID() };
  const jobDefs = [
    { key: 'J1', org: orgA, title: 'Platform Engineer', custom: ['Interview'] },
    { key: 'J2', org: orgA, title: 'Data Analyst', custom: ['Assessment', 'Interview'] },
    { key: 'J3', org: orgA, title: 'Empty Job', custom: ['Case Study'] },
    { key: 'K1', org: orgB, title: 'Other Job', custom: [] },
  ] as const;
  const stageIds: Record<string, Record<string, string>> = {};
  for (const job of jobDefs) {
    const id = jobs[job.key];
    await owner`insert into jobs (id, organization_id, title, employment_type) values (${id}, ${job.org}, ${job.title}, 'full_time')`;
    const stages = buildJobStages(job.custom).map((s) => ({ ...s, id: randomUUID() }));
    stageIds[job.key] = Object.fromEntries(stages.map((s) => [s.name, s.id]));
    await owner`
      insert into job_stages (id, organization_id, job_id, name, position, kind, owner, fixed)
      select u.id, ${job.org}, ${id}, u.name, u.position, u.kind, u.owner, u.fixed::boolean
      from unnest(${stages.map((s) => s.id)}::uuid[], ${stages.map((s) => s.name)}::text[],
        ${stages.map((s) => s.position)}::int[], ${stages.map((s) => s.kind)}::text[], ${stages.map((s) => s.owner)}::text[],
        ${stages.map((s) => String(s.fixed))}::text[]) as u(id, name, position, kind, owner, fixed)`;
  }

  const apps: Record<string, string> = {};
  const personalData: string[] = [];
  for (const spec of APPS) {
    const org = spec.org === 'A' ? orgA : orgB;
    const stagesOfJob = stageIds[spec.job]!;
    const stageId = (short: string) => {
      const id = stagesOfJob[SHORT[short] ?? short];
      if (!id) throw new Error(`no stage ${short} in ${spec.job}`);
      return id;
    };
    const candidateId = randomUUID();
    const first = `Zelda${spec.key}`;
    const last = `Quixote${spec.key}`;
    const email = `zelda.${spec.key}@candidates.example`;
    personalData.push(first, last, email);
    await owner`insert into candidates (id, organization_id, first_name, last_name, email)
      values (${candidateId}, ${org}, ${first}, ${last}, ${email})`;

    // replay the steps to get the final stage and status, and the history rows
    let stage: string | null = null;
    let status = 'active';
    const rows: {
      from: string | null;
      to: string;
      fromStatus: string | null;
      toStatus: string;
      hour: number;
    }[] = [];
    for (const [what, hour] of spec.steps) {
      if (what === 'rejected' || what === 'withdrawn') {
        if (!stage) throw new Error('status change before creation');
        rows.push({ from: stage, to: stage, fromStatus: status, toStatus: what, hour });
        status = what;
      } else {
        const toStatus = what === 'OA' ? 'hired' : 'active';
        rows.push({ from: stage, to: what, fromStatus: stage ? status : null, toStatus, hour });
        stage = what;
        status = toStatus;
      }
    }
    const current = stage ?? spec.stage;
    if (!current) throw new Error(`no stage for ${spec.key}`);
    const appId = randomUUID();
    apps[spec.key] = appId;
    await owner`
      insert into applications (id, organization_id, candidate_id, job_id, stage_id, status, source, created_at, deleted_at)
      values (${appId}, ${org}, ${candidateId}, ${jobs[spec.job]}, ${stageId(current)}, ${status}, ${spec.source},
        ${at(spec.created)}, ${spec.deleted ? at(600) : null})`;
    if (rows.length > 0) {
      await owner`
        insert into application_stage_history
          (organization_id, application_id, from_stage_id, to_stage_id, from_status, to_status, actor_role, source, occurred_at)
        select ${org}, ${appId}, f, t, fs, ts, ${spec.source === 'portal' ? 'portal' : 'provider'}, ${spec.source}, o
        from unnest(${rows.map((r) => (r.from ? stageId(r.from) : null))}::uuid[],
          ${rows.map((r) => stageId(r.to))}::uuid[], ${rows.map((r) => r.fromStatus)}::text[],
          ${rows.map((r) => r.toStatus)}::text[], ${rows.map((r) => at(r.hour).toISOString())}::timestamptz[])
          as u(f, t, fs, ts, o)`;
    }
  }
  return { orgA, orgB, jobs, apps, personalData };
}
