// Over 400 lines: R12 is one matrix: every table and route probed across tenants.
/**
 * R12 Cross-tenant reads and writes. As tenant A (runtime role hub_app, through `withTenant`):
 * - every repository method of shared/db/repositories called with tenant B's ids (select, update, delete,
 *   insert, FK to B's row);
 * - every tenant table (read from the catalog) attacked directly: select / update / delete B's rows, and an
 *   insert of a copy of B's row carrying B's organization id (must be refused by WITH CHECK);
 * - references from A's rows to B's rows (composite FKs must refuse them);
 * - the same reads and inserts with no tenant context at all;
 * - the catalog assertions of docs/reliability.md §6.6 (role flags, FORCE RLS, security_invoker views, FKs that
 *   include the tenant column).
 * B's rows are fingerprinted before and after: none may change.
 */
import '../support/quiet-logs.js';
import { randomUUID } from 'node:crypto';
import type { Sql } from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  applyChange,
  findApplicationDetail,
  findApplicationState,
  jobExists,
  listApplications,
  rejectionReasonExists,
} from '../../shared/db/repositories/applications.js';
import {
  findIntegrationRoute,
  insertIntegration,
  listIntegrationStatus,
  listRuns,
  requestSync,
} from '../../shared/db/repositories/integrations.js';
import { findJob, insertJob, listOpenJobs } from '../../shared/db/repositories/jobs.js';
import {
  findApplicationIdByEmail,
  findIdempotentResponse,
  insertSubmission,
} from '../../shared/db/repositories/submissions.js';
import { readBreaker, recordBreakerSuccess } from '../../shared/db/repositories/sync-breaker.js';
import { forgetSeen, readCursor, recordSeen } from '../../shared/db/repositories/sync-cursors.js';
import { markProcessed, wasProcessed } from '../../shared/db/repositories/sync-inbox.js';
import { handOverLease, holdsLease, releaseLease } from '../../shared/db/repositories/sync-runs.js';
import { recordDelivery } from '../../shared/db/repositories/webhook-deliveries.js';
import { type Tx, withTenant } from '../../shared/db/tenant.js';
import { buildJobStages } from '../../shared/domain/pipeline.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { seedTenantGraph, type TenantGraph, tenantTables } from '../support/fixtures.js';
import { describeOnPostgres, figures } from '../support/reliability.js';
import { recordProbes } from './r12-record-probes.js';

let db: TestDatabase;
let a: TenantGraph;
let b: TenantGraph;
let tables: string[];
let bOnly: {
  reasonId: string;
  runId: string;
  passId: string;
  email: string;
  interviewId: string;
  tagId: string;
};

const orgColumn = (table: string) => (table === 'organizations' ? 'id' : 'organization_id');

/** A fingerprint of every row of tenant B, per table (owner connection, RLS does not apply). */
async function fingerprint(owner: Sql): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await owner.unsafe(
      `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h, count(*)::int as n
       from ${table} t where ${orgColumn(table)} = $1`,
      [b.organizationId],
    );
    out[table] = `${row!.n}:${row!.h}`;
  }
  return out;
}

interface Probe {
  name: string;
  kind: 'read' | 'write' | 'insert-b';
  run: (tx: Tx) => Promise<unknown>;
  /** True when the result shows or changed something of tenant B. */
  leaked: (result: unknown) => boolean;
}

const isEmpty = (r: unknown) =>
  r === undefined || r === null || r === false || r === 0 || (Array.isArray(r) && r.length === 0);
const notEmpty = (r: unknown) => !isEmpty(r);
/** Probes of one kind; `fallback` says what counts as a leak unless the probe says otherwise. */
const probes =
  (kind: Probe['kind'], fallback: Probe['leaked']) =>
  (name: string, run: Probe['run'], leaked = fallback): Probe => ({ name, kind, run, leaked });
const read = probes('read', notEmpty);
const write = probes('write', notEmpty);
/** An insert naming B's organization must be refused: reaching a result at all is the leak. */
const insertForB = probes('insert-b', () => true);
/** The result of such a write says nothing either way; B's fingerprint after the probes does. */
const resultAside = () => false;

function repositoryProbes(role: 'admin' | 'ats' | 'worker' | 'portal'): Probe[] {
  const change = {
    applicationId: b.applicationId,
    expectedStageId: b.stageIds[0]!,
    expectedVersion: 1,
    toStageId: b.stageIds[1]!,
    toStatus: 'active' as const,
    rejectionReasonId: null,
    actorRole: 'ats' as const,
    actor: 'mallory',
    source: 'ats',
    note: null,
    eventTypes: ['application.stage_changed'],
    eventPayload: {},
  };
  return [
    read('findApplicationState', (tx) => findApplicationState(tx, b.applicationId)),
    read('findApplicationDetail', (tx) => findApplicationDetail(tx, b.applicationId, false)),
    read('listApplications', (tx) => listApplications(tx, { jobId: b.jobId, limit: 50, portalOnly: false })),
    read('jobExists', (tx) => jobExists(tx, b.jobId)),
    read('rejectionReasonExists', (tx) => rejectionReasonExists(tx, bOnly.reasonId)),
    read('findJob', (tx) => findJob(tx, b.jobId)),
    read(
      'listOpenJobs',
      (tx) => listOpenJobs(tx),
      (r) => (r as { id: string }[]).some((j) => j.id === b.jobId),
    ),
    ...recordProbes({ read, write }, b, bOnly),
    read('findIdempotentResponse', (tx) => findIdempotentResponse(tx, 'b-only-key')),
    read('findApplicationIdByEmail', (tx) => findApplicationIdByEmail(tx, b.jobId, bOnly.email)),
    read('listIntegrationStatus', (tx) => listIntegrationStatus(tx, b.integrationId)),
    read('listRuns', (tx) => listRuns(tx, b.integrationId)),
    read('findIntegrationRoute', (tx) => findIntegrationRoute(tx, b.integrationId)),
    read('wasProcessed', (tx) => wasProcessed(tx, 'r12', 'b-only-message')),
    read('readBreaker', (tx) => readBreaker(tx, b.integrationId)),
    read('readCursor', (tx) => readCursor(tx, b.integrationId, 'application')),
    read('holdsLease', (tx) => holdsLease(tx, bOnly.runId, 'b-lease')),
    write('applyChange', (tx) => applyChange(tx, change)),
    write('requestSync', (tx) =>
      requestSync(tx, { integrationId: b.integrationId, mode: 'full', requestedBy: 'mallory' }),
    ),
    write('recordBreakerSuccess', (tx) => recordBreakerSuccess(tx, b.integrationId), resultAside),
    write('handOverLease', (tx) =>
      handOverLease(tx, {
        runId: bOnly.runId,
        currentToken: 'b-lease',
        nextToken: 'mallory',
        until: new Date(),
      }),
    ),
    write(
      'releaseLease',
      (tx) => releaseLease(tx, { runId: bOnly.runId, token: 'b-lease', now: new Date() }),
      resultAside,
    ),
    write('forgetSeen', (tx) => forgetSeen(tx, bOnly.passId), resultAside),
    // allowed: it is recorded for A (app_org()); it must not collide with B's row
    write(
      'markProcessed (A’s own inbox)',
      (tx) => markProcessed(tx, 'r12', `shared-${role}`),
      (r) => r !== true,
    ),
    write(
      'insertSubmission',
      // the call sets the caller's settings itself: the same tenant A and role as the transaction around it
      (tx) =>
        insertSubmission(
          tx,
          { organizationId: a.organizationId, role, keyId: randomUUID() },
          {
            jobId: b.jobId,
            candidateId: randomUUID(),
            applicationId: randomUUID(),
            candidate: { firstName: 'Mal', lastName: 'Lory', email: bOnly.email, phone: null },
            externalPortalId: null,
            submittedBy: null,
            actor: 'mallory',
            document: null,
            idempotency: null,
            responseExtra: {},
          },
        ),
      (r) => (r as { kind: string }).kind !== 'job_not_found',
    ),
    insertForB('insertJob (B’s organization id)', (tx) =>
      insertJob(tx, {
        organizationId: b.organizationId,
        title: 'x',
        employmentType: 'full_time',
        status: 'open',
        stages: buildJobStages([]),
      }),
    ),
    insertForB('insertIntegration (B’s organization id)', (tx) =>
      insertIntegration(tx, {
        id: randomUUID(),
        organizationId: b.organizationId,
        provider: 'lever',
        settings: {},
        secretRef: 'x',
      }),
    ),
    insertForB('recordDelivery (B’s organization id)', (tx) =>
      recordDelivery(tx, {
        organizationId: b.organizationId,
        integrationId: b.integrationId,
        deliveryId: 'mallory',
        bodySha256: 'x',
        eventType: 'x',
        payload: '{}',
        sourceTimestamp: null,
      }),
    ),
    insertForB('recordSeen (B’s organization id)', (tx) =>
      recordSeen(tx, {
        organizationId: b.organizationId,
        integrationId: b.integrationId,
        passId: randomUUID(),
        objectType: 'application',
        page: 1,
        remoteIds: ['x'],
      }),
    ),
  ];
}

describeOnPostgres('R12', 'cross-tenant reads and writes', () => {
  beforeAll(async () => {
    db = await createTestDatabase({ appMax: 2 });
    a = await seedTenantGraph(db.owner, 'A');
    b = await seedTenantGraph(db.owner, 'B');
    tables = await tenantTables(db.owner);
    const [reason] = await db.owner<
      { id: string }[]
    >`select id from rejection_reasons where organization_id = ${b.organizationId}`;
    const [run] = await db.owner<
      { id: string }[]
    >`select id from sync_runs where organization_id = ${b.organizationId}`;
    const [seen] = await db.owner<
      { pass_id: string }[]
    >`select pass_id from sync_seen where organization_id = ${b.organizationId}`;
    const [interview] = await db.owner<
      { id: string }[]
    >`select id from interviews where organization_id = ${b.organizationId}`;
    const [tag] = await db.owner<
      { id: string }[]
    >`select id from tags where organization_id = ${b.organizationId}`;
    bOnly = {
      interviewId: interview!.id,
      tagId: tag!.id,
      reasonId: reason!.id,
      runId: run!.id,
      passId: seen!.pass_id,
      email: `ada-${b.organizationId}@example.com`,
    };
    await db.owner`update sync_runs set lease_token = 'b-lease', status = 'running' where id = ${bOnly.runId}`;
    await db.owner`insert into idempotency_keys (organization_id, idempotency_key, request_hash, status_code, response)
      values (${b.organizationId}, 'b-only-key', 'h', 201, '{"secret":"b"}')`;
    await db.owner`insert into processed_messages (organization_id, consumer, message_key)
      values (${b.organizationId}, 'r12', 'b-only-message')`;
    for (const role of ['admin', 'ats', 'worker', 'portal']) {
      await db.owner`insert into processed_messages (organization_id, consumer, message_key)
        values (${b.organizationId}, 'r12', ${`shared-${role}`})`;
    }
  });

  afterAll(async () => {
    await db?.close();
  });

  it('never shows or changes tenant B’s rows to tenant A, and refuses B’s tenant id and FKs to B', async () => {
    const before = await fingerprint(db.owner);
    const leaks: string[] = [];
    const insertsB = { attempted: 0, rejected: 0 };
    const errors: string[] = [];

    // 1. repository methods, as every role that has a tenant context
    let repositoryCalls = 0;
    for (const role of ['admin', 'ats', 'worker', 'portal'] as const) {
      for (const probe of repositoryProbes(role)) {
        repositoryCalls++;
        if (probe.kind === 'insert-b') insertsB.attempted++;
        try {
          const result = await withTenant(db.app, a.organizationId, role, probe.run);
          if (probe.leaked(result)) leaks.push(`${role}:${probe.name}`);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (probe.kind === 'insert-b' && code === '42501') insertsB.rejected++;
          else if (code !== '42501') errors.push(`${role}:${probe.name}:${code}`);
        }
      }
    }

    // 2. every tenant table directly: read, update, delete B's rows; insert a copy of B's row
    let tableSeen = 0;
    let tableChanged = 0;
    for (const table of tables) {
      const col = orgColumn(table);
      const [copy] = await db.owner.unsafe(
        `select row_to_json(t) as j from ${table} t where ${col} = $1 limit 1`,
        [b.organizationId],
      );
      await withTenant(db.app, a.organizationId, 'admin', async (tx) => {
        const [seen] = await tx.unsafe(`select count(*)::int as n from ${table} where ${col} = $1`, [
          b.organizationId,
        ]);
        tableSeen += seen!.n;
      });
      for (const statement of [
        `update ${table} set ${col} = ${col} where ${col} = $1`,
        `delete from ${table} where ${col} = $1`,
      ]) {
        try {
          const result = await withTenant(db.app, a.organizationId, 'admin', (tx) =>
            tx.unsafe(statement, [b.organizationId]),
          );
          tableChanged += result.count;
        } catch (error) {
          // no UPDATE/DELETE grant (organizations) is a refusal too
          if ((error as { code?: string }).code !== '42501')
            errors.push(`${table}:${(error as { code?: string }).code}`);
        }
      }
      insertsB.attempted++;
      try {
        await withTenant(db.app, a.organizationId, 'admin', (tx) =>
          tx.unsafe(
            `insert into ${table} overriding system value select * from json_populate_record(null::${table}, $1::json)`,
            [copy!.j],
          ),
        );
        leaks.push(`insert-copy:${table}`);
      } catch (error) {
        if ((error as { code?: string }).code === '42501') insertsB.rejected++;
        else errors.push(`insert-copy:${table}:${(error as { code?: string }).code}`);
      }
    }

    // 3. A's rows pointing at B's rows
    const fkAttempts: [string, (tx: Tx) => Promise<unknown>][] = [
      [
        'applications → B job',
        (tx) => tx`insert into applications (organization_id, candidate_id, job_id, stage_id, source)
          values (${a.organizationId}, ${a.candidateId}, ${b.jobId}, ${b.stageIds[0]!}, 'ats')`,
      ],
      [
        'applications → B candidate',
        (tx) => tx`insert into applications (organization_id, candidate_id, job_id, stage_id, source)
          values (${a.organizationId}, ${b.candidateId}, ${a.jobId}, ${a.stageIds[0]!}, 'ats')`,
      ],
      [
        'applications → B stage',
        (tx) => tx`update applications set stage_id = ${b.stageIds[1]!} where id = ${a.applicationId}`,
      ],
      [
        'history → B application',
        (
          tx,
        ) => tx`insert into application_stage_history (organization_id, application_id, to_stage_id, to_status, actor_role, source)
          values (${a.organizationId}, ${b.applicationId}, ${a.stageIds[0]!}, 'active', 'ats', 'ats')`,
      ],
      [
        'documents → B candidate',
        (
          tx,
        ) => tx`insert into candidate_documents (organization_id, candidate_id, s3_key, file_name, content_type, size_bytes)
          values (${a.organizationId}, ${b.candidateId}, ${`x/${randomUUID()}`}, 'cv.pdf', 'application/pdf', 1)`,
      ],
      [
        'external_refs → B integration',
        (
          tx,
        ) => tx`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
          values (${a.organizationId}, ${b.integrationId}, 'job', ${a.jobId}, 'mallory')`,
      ],
      [
        'status_push_log → B application',
        (tx) => tx`insert into status_push_log (organization_id, integration_id, application_id, outbox_id)
          values (${a.organizationId}, ${a.integrationId}, ${b.applicationId}, 987654321)`,
      ],
      [
        'webhook_deliveries → B integration',
        (
          tx,
        ) => tx`insert into webhook_deliveries (organization_id, integration_id, delivery_id, body_sha256, payload)
          values (${a.organizationId}, ${b.integrationId}, 'mallory', 'x', '{}')`,
      ],
      [
        'applications reject reason → B reason',
        (tx) =>
          tx`update applications set rejection_reason_id = ${bOnly.reasonId} where id = ${a.applicationId}`,
      ],
    ];
    let fkAccepted = 0;
    const fkRefusals: string[] = [];
    for (const [name, attempt] of fkAttempts) {
      try {
        await withTenant(db.app, a.organizationId, 'admin', attempt);
        fkAccepted++;
        leaks.push(`fk:${name}`);
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'none';
        fkRefusals.push(code);
        if (code !== '23503') errors.push(`fk:${name}:${code}`);
      }
    }

    // 4. no tenant context at all
    let visibleWithoutContext = 0;
    let insertsWithoutContextAccepted = 0;
    for (const table of tables) {
      const [row] = await db.app.begin((tx) => tx.unsafe(`select count(*)::int as n from ${table}`));
      visibleWithoutContext += row!.n;
      const [copy] = await db.owner.unsafe(
        `select row_to_json(t) as j from ${table} t where ${orgColumn(table)} = $1 limit 1`,
        [a.organizationId],
      );
      try {
        await db.app.begin((tx) =>
          tx.unsafe(
            `insert into ${table} overriding system value select * from json_populate_record(null::${table}, $1::json)`,
            [copy!.j],
          ),
        );
        insertsWithoutContextAccepted++;
      } catch {
        // refused, as it must be
      }
    }

    // 5. catalog assertions (§6.6), as the runtime role
    const [role] = await db.app<{ rolsuper: boolean; rolbypassrls: boolean; owns: number }[]>`
      select r.rolsuper, r.rolbypassrls,
        (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relowner = r.oid) as owns
      from pg_roles r where r.rolname = current_user`;
    const noForce = await db.app<{ relname: string }[]>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and (c.relname = 'organizations' or exists (select 1 from pg_attribute a where a.attrelid = c.oid
          and a.attname = 'organization_id' and not a.attisdropped))
        and not (c.relrowsecurity and c.relforcerowsecurity)`;
    const definerViews = await db.app<{ relname: string }[]>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('v', 'm')
        and not coalesce(c.reloptions @> array['security_invoker=true'], false)`;
    // every FK from a tenant table to another tenant table (not organizations) must include organization_id
    const weakFks = await db.owner<{ conname: string }[]>`
      select con.conname from pg_constraint con
      join pg_class src on src.oid = con.conrelid
      join pg_class dst on dst.oid = con.confrelid
      join pg_attribute org on org.attrelid = src.oid and org.attname = 'organization_id'
      where con.contype = 'f' and dst.relname <> 'organizations'
        and exists (select 1 from pg_attribute x where x.attrelid = dst.oid and x.attname = 'organization_id')
        and not (org.attnum = any(con.conkey))`;

    const after = await fingerprint(db.owner);
    const bChanged = tables.filter((t) => before[t] !== after[t]);
    figures('R12', 'cross-tenant reads and writes', {
      tables: tables.length,
      repositoryCalls,
      bRowsSeenOrChanged: leaks.length + tableSeen + tableChanged + bChanged.length,
      insertsWithB: `${insertsB.rejected}/${insertsB.attempted} rejected`,
      crossTenantFkAccepted: fkAccepted,
      fkRefusalCodes: [...new Set(fkRefusals)].join(','),
      rowsVisibleWithoutContext: visibleWithoutContext,
      insertsWithoutContextAccepted,
      runtimeRoleSuperuser: role!.rolsuper,
      runtimeRoleBypassRls: role!.rolbypassrls,
      runtimeRoleOwnsTables: role!.owns,
      tablesWithoutForceRls: noForce.length,
      viewsWithoutSecurityInvoker: definerViews.length,
      fksWithoutTenantColumn: weakFks.length,
      unexpectedErrors: errors.length,
    });
    expect(errors).toEqual([]);
    expect(leaks).toEqual([]);
    expect({ tableSeen, tableChanged, bChanged }).toEqual({ tableSeen: 0, tableChanged: 0, bChanged: [] });
    expect(insertsB.rejected).toBe(insertsB.attempted);
    expect(fkAccepted).toBe(0);
    expect({ visibleWithoutContext, insertsWithoutContextAccepted }).toEqual({
      visibleWithoutContext: 0,
      insertsWithoutContextAccepted: 0,
    });
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, owns: 0 });
    expect(noForce.map((r) => r.relname)).toEqual([]);
    expect(definerViews.map((r) => r.relname)).toEqual([]);
    expect(weakFks.map((r) => r.conname)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
