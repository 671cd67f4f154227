/**
 * B5: webhook ack vs the minimal durable write (docs/performance.md §7.2).
 *
 * Reference: pgbench (-M prepared -c 4 -j 1) with the statements the webhook-intake handler sends for a new
 * delivery in steady state (captured from postgres.js): BEGIN with the tenant settings, the one inbox
 * `INSERT … ON CONFLICT DO NOTHING` of a 10 KB payload, COMMIT.
 * Hub: the webhook-intake handler doing its real work (HMAC over the raw bytes, secrets through the real
 * SecretsManagerStore with an in-process Secrets Manager stub, integration route cache, inbox insert,
 * enqueue to an in-memory SQS), one pool of 4 connections with the production `prepare: false`, 4 async
 * loops of signed Greenhouse deliveries: 5 % re-sent duplicates, 1 % bad signatures.
 * Scores: R5 = deliveries/s ÷ TPS; duplicate rows (0); statements sent for bad signatures (0).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resetEnvCache } from '../../shared/config/env.js';
import { createDbClient, type Sql } from '../../shared/db/client.js';
import type { Queue, QueueMessage } from '../../shared/ports/queue.js';
import { overrideAdapters } from '../../shared/runtime/adapters.js';
import { httpEvent } from '../support/factories.js';
import { countingSecretsStore } from './aws-stub.js';
import { diagnostic } from './b1-submission.js';
import { describeSplit, medianAccount, postmasterBehind } from './cpu-account.js';
import { profiled, profileReport } from './cpu-profile.js';
import { type HttpHandler, lambdaContext } from './events.js';
import {
  type BenchResult,
  interleave,
  log,
  measuredLoops,
  median,
  muteStdout,
  pairedResult,
  side,
} from './harness.js';
import { applyEnvironment, lambdaEnvironment } from './lambda-env.js';
import { startCountingProxy } from './pg-proxy.js';
import { buildPgbenchScript, capturingClient, runPgbench } from './pgbench.js';
import { createBenchDatabase, REPO_ROOT, rowCounts } from './postgres.js';
import type { BenchContext } from './run.js';
import { accountedAndScheduled, describeFactors } from './sched-account.js';
import { type SeededTenant, seedTenant } from './seed.js';

const CLIENTS = 4;
const FN = 'webhook-intake';
const PAYLOAD_BYTES = 10 * 1024;
const SECRET = 'whsec_bench_0123456789abcdef';

const template = JSON.parse(
  readFileSync(join(REPO_ROOT, 'events/providers/greenhouse/candidate_stage_change.json'), 'utf8'),
) as {
  action: string;
  payload: { application: Record<string, unknown> & { custom_fields: Record<string, unknown> } };
};

const ID_MARK = 987_654_321;

/** The 10 KB body around a marker id, built once: the load generator only splices in the id. */
const bodyParts = (() => {
  const body = structuredClone(template);
  body.payload.application.id = ID_MARK;
  const bare = JSON.stringify(body);
  body.payload.application.custom_fields = {
    notes: 'x'.repeat(Math.max(0, PAYLOAD_BYTES - bare.length - 20)),
  };
  const [before, after] = JSON.stringify(body).split(String(ID_MARK));
  return { before: before!, after: after! };
})();

/** A Greenhouse `candidate_stage_change` delivery of about 10 KB, distinct per `n`. */
export function greenhouseBody(n: number): string {
  return `${bodyParts.before}${1_000_000 + n}${bodyParts.after}`;
}

export function signedDelivery(tenant: SeededTenant, body: string, eventId: string, secret = SECRET) {
  return httpEvent({
    routeKey: 'POST /webhooks/{provider}/{integrationId}',
    path: `/webhooks/greenhouse/${tenant.integrationId}`,
    pathParameters: { provider: 'greenhouse', integrationId: tenant.integrationId },
    headers: {
      'content-type': 'application/json',
      signature: `sha256 ${createHmac('sha256', secret).update(body).digest('hex')}`,
      'greenhouse-event-id': eventId,
    },
    body,
  });
}

class CountingQueue implements Queue {
  sent = 0;
  async sendBatch(messages: QueueMessage[]) {
    this.sent += messages.length;
    return { successful: messages.map((m) => m.id), failed: [] };
  }
}

export function webhookSecrets(tenant: SeededTenant, prefix: string) {
  return new Map([[`${prefix}/webhooks/${tenant.integrationId}`, { current: SECRET, previous: [] }]]);
}

async function loadHandler(): Promise<HttpHandler> {
  const url = pathToFileURL(join(REPO_ROOT, `functions/${FN}/handler.ts`)).href;
  return ((await import(url)) as { handler: HttpHandler }).handler;
}

interface Mix {
  fresh: number;
  duplicates: number;
  bad: number;
}

export async function runB5(ctx: BenchContext): Promise<BenchResult[]> {
  const mainSeconds = ctx.quick ? 1 : 6;
  const diagnosticSeconds = 4;
  const pairs = 5;
  const db = await createBenchDatabase(ctx.serverUrl, ctx.template, 'b5');
  const env = lambdaEnvironment(FN, { DATABASE_APP_URL: db.appUrl });
  const restoreEnv = applyEnvironment(env);
  resetEnvCache();
  const pools: Sql[] = [];
  try {
    const tenant = await seedTenant(db.owner, { label: 'b5', jobs: 1 });
    // the server's CPU is read from /proc when it runs on this machine
    const postmaster = await postmasterBehind(db.owner);
    const secrets = countingSecretsStore({
      values: webhookSecrets(tenant, env.SECRETS_PREFIX!),
      maxAgeSeconds: 900,
      prefix: env.SECRETS_PREFIX!,
    });
    const queue = new CountingQueue();
    const handler = await loadHandler();
    let counter = 0;
    const nonce = randomUUID().slice(0, 8);

    // the reference: what the handler sends for two new deliveries in steady state
    const capture = capturingClient(db.appUrl);
    overrideAdapters({ sql: capture.sql, secrets: secrets.store, queues: { sync: queue } });
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const res = await handler(
        signedDelivery(tenant, greenhouseBody(counter++), `cap-${nonce}-${i}`),
        lambdaContext(FN),
      );
      if (res.statusCode !== 200) throw new Error(`capture delivery answered ${res.statusCode}: ${res.body}`);
      runs.push(capture.take());
    }
    // bad signatures must not reach the database
    for (let i = 0; i < 20; i++) {
      await handler(
        signedDelivery(tenant, greenhouseBody(counter++), `bad-${nonce}-${i}`, 'wrong-secret'),
        lambdaContext(FN),
      );
    }
    const badSignatureStatements = capture.take().length;
    await capture.sql.end({ timeout: 1 });
    const script = buildPgbenchScript(runs[1]!, runs[2]!);
    log(
      `B5: handler sends ${runs[1]!.length} statements per new delivery; pgbench script:\n${script.script.slice(0, 1500)}`,
    );

    const inbox = async () => (await rowCounts(db.owner, ['webhook_deliveries'])).webhook_deliveries!;

    const hubRun = async (pool: Sql, tag: string, seconds: number) => {
      overrideAdapters({ sql: pool, secrets: secrets.store, queues: { sync: queue } });
      const sent: { body: string; id: string }[][] = Array.from({ length: CLIENTS }, () => []);
      const mix: Mix = { fresh: 0, duplicates: 0, bad: 0 };
      const before = await inbox();
      const cpuBefore = process.cpuUsage();
      const accountedRun = await accountedAndScheduled(
        postmaster,
        () =>
          profiled(() =>
            measuredLoops(CLIENTS, seconds * 1000, 'deliveries', async (loop, i) => {
              const roll = (i * 37 + loop * 11) % 100;
              const mine = sent[loop]!;
              let event: ReturnType<typeof signedDelivery>;
              let expect = 200;
              if (roll === 0) {
                mix.bad += 1;
                expect = 401;
                event = signedDelivery(
                  tenant,
                  greenhouseBody(counter++),
                  `bad-${tag}-${loop}-${i}`,
                  'wrong-secret',
                );
              } else if (roll <= 5 && mine.length > 0) {
                mix.duplicates += 1;
                const earlier = mine[(i * 7) % mine.length]!;
                event = signedDelivery(tenant, earlier.body, earlier.id);
              } else {
                mix.fresh += 1;
                const body = greenhouseBody(counter++);
                const id = `d-${tag}-${loop}-${i}`;
                mine.push({ body, id });
                event = signedDelivery(tenant, body, id);
              }
              const res = await handler(event, lambdaContext(FN));
              if (res.statusCode !== expect)
                throw new Error(`delivery answered ${res.statusCode} (expected ${expect}): ${res.body}`);
            }),
          ),
        (v) => v.value.completed,
      );
      const { value: run, profile } = accountedRun.value;
      const cpu = process.cpuUsage(cpuBefore);
      if (profile)
        log(`B5 ${tag}: ${profileReport(profile, run.completed, `delivery (${run.completed} deliveries)`)}`);
      const rows = (await inbox()) - before;
      return {
        tps: run.tps,
        p50: run.p50,
        p99: run.p99,
        mix,
        duplicateRows: rows - mix.fresh,
        // this process's CPU (handler, HMAC, zod, postgres.js) per delivery; the server's is not in it
        cpuMsPerDelivery: (cpu.user + cpu.system) / 1000 / run.completed,
        systemMsPerDelivery: cpu.system / 1000 / run.completed,
        account: accountedRun.cpu,
        sched: accountedRun.sched,
      };
    };

    /**
     * Round trips per new delivery in steady state (warm connection, route and secret), through a counting proxy,
     * and the wall time of one delivery after another; `delayMs` each way, as between Lambda and RDS Proxy.
     */
    const roundTripsPerDelivery = async (prepare: boolean, delayMs = 0) => {
      const proxy = await startCountingProxy(db.appUrl, delayMs);
      const pool = createDbClient({ url: proxy.urlFor(db.appUrl), max: 1, prepare, application: 'bench-rt' });
      try {
        overrideAdapters({ sql: pool, secrets: secrets.store, queues: { sync: queue } });
        const deliver = async (tag: string) => {
          const res = await handler(
            signedDelivery(tenant, greenhouseBody(counter++), `${tag}-${nonce}-${counter}`),
            lambdaContext(FN),
          );
          if (res.statusCode !== 200) throw new Error(`round-trip delivery answered ${res.statusCode}`);
        };
        const n = 50;
        // the handler's metric lines go to stdout; the table must stay readable
        const { value } = await muteStdout(async () => {
          for (let i = 0; i < 3; i++) await deliver(`rt-warm-${prepare}`);
          const before = proxy.roundTrips();
          const started = performance.now();
          for (let i = 0; i < n; i++) await deliver(`rt-${prepare}`);
          return { trips: proxy.roundTrips() - before, ms: performance.now() - started };
        });
        return { perDelivery: value.trips / n, msPerDelivery: value.ms / n };
      } finally {
        await pool.end({ timeout: 1 });
        await proxy.stop();
      }
    };
    const roundTrips = {
      prepareOff: (await roundTripsPerDelivery(false)).perDelivery,
      prepareOn: (await roundTripsPerDelivery(true)).perDelivery,
    };
    // printed, not scored: loopback hides what a round trip costs, a delivery's wall time at ~2 ms shows it
    const ackMsAt2msRtt = (await roundTripsPerDelivery(false, 1)).msPerDelivery;
    log(
      `B5: round trips per new delivery: ${roundTrips.prepareOff} (prepare off), ${roundTrips.prepareOn} (prepare on); one delivery after another at ~2 ms round trip: ${ackMsAt2msRtt.toFixed(1)} ms each`,
    );

    const measure = async (label: string, n: number, prepare: boolean, seconds: number) => {
      const pool = createDbClient({ url: db.appUrl, max: CLIENTS, prepare, application: 'bench-webhook' });
      pools.push(pool);
      // warm: connections, the integration route and the secret cache
      overrideAdapters({ sql: pool, secrets: secrets.store, queues: { sync: queue } });
      await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          handler(
            signedDelivery(tenant, greenhouseBody(counter++), `warm-${label}-${nonce}-${i}`),
            lambdaContext(FN),
          ),
        ),
      );
      return interleave({
        pairs: n,
        reference: async () => {
          const before = await inbox();
          const {
            value: r,
            cpu: account,
            sched,
          } = await accountedAndScheduled(
            postmaster,
            () => runPgbench({ url: db.appUrl, script, clients: CLIENTS, seconds }),
            (x) => x.transactions,
          );
          const rows = (await inbox()) - before;
          if (rows !== r.transactions)
            throw new Error(`B5 pgbench: ${r.transactions} transactions but ${rows} rows`);
          return { ...r, account, sched };
        },
        candidate: (pair) => hubRun(pool, `${label}-${nonce}-${pair}`, seconds),
        progress: (line) => log(`B5 ${label}: ${line}`),
      });
    };

    const main = await measure('prepare-off', pairs, false, mainSeconds);
    // diagnostic (printed, not scored): 3 shorter pairs; skipped in quick mode
    const prepared = ctx.quick
      ? { reference: [], candidate: [] }
      : await measure('prepare-on', 3, true, diagnosticSeconds);
    overrideAdapters({});

    const refTps = main.reference.map((r) => r.tps);
    const hubTps = main.candidate.map((c) => c.tps);
    const duplicates = main.candidate.reduce((a, c) => a + c.duplicateRows, 0);
    const refP99 = median(main.reference.map((r) => r.latencyP99Ms));
    const hubP99 = median(main.candidate.map((c) => c.p99));
    const r5prepared = median(prepared.candidate.map((c, i) => c.tps / prepared.reference[i]!.tps));
    const cpuMs = median(main.candidate.map((c) => c.cpuMsPerDelivery));
    const systemMs = median(main.candidate.map((c) => c.systemMsPerDelivery));
    const cpuSplit = {
      hub: medianAccount(main.candidate.map((c) => c.account)),
      pgbench: medianAccount(main.reference.map((r) => r.account)),
    };
    log(`B5: CPU per unit (medians over the pairs): ${describeSplit(cpuSplit)}`);
    const factors = describeFactors({
      unit: 'delivery',
      hub: { perSecond: hubTps, sched: main.candidate.map((c) => c.sched), children: 'child processes' },
      reference: { perSecond: refTps, sched: main.reference.map((r) => r.sched), children: 'pgbench' },
    });
    const mix = main.candidate.reduce(
      (a, c) => ({
        fresh: a.fresh + c.mix.fresh,
        duplicates: a.duplicates + c.mix.duplicates,
        bad: a.bad + c.mix.bad,
      }),
      { fresh: 0, duplicates: 0, bad: 0 },
    );
    return [
      pairedResult({
        name: 'B5',
        title: `webhook deliveries/s vs pgbench inbox insert (p99 ack +${(hubP99 - refP99).toFixed(1)} ms; duplicate rows ${duplicates}; DB statements on bad signatures ${badSignatureStatements}; hub with prepare on ${diagnostic(r5prepared)}; round trips per delivery ${roundTrips.prepareOff} (prepare on ${roundTrips.prepareOn}), ${ackMsAt2msRtt.toFixed(1)} ms each at ~2 ms round trip; hub CPU ${cpuMs.toFixed(2)} ms per delivery, ${systemMs.toFixed(2)} of it in the kernel; ${describeSplit(cpuSplit)}; ${factors})`,
        reference: side('pgbench -M prepared -c 4 -j 1, the inbox transaction', 'tps', refTps, {
          seconds: mainSeconds,
          latencyP50Ms: median(main.reference.map((r) => r.latencyP50Ms)),
          latencyP99Ms: refP99,
          payloadBytes: PAYLOAD_BYTES,
          parameters: script.parameters,
          script: script.script.slice(0, 4000),
        }),
        candidate: side(
          'webhook-intake handler, 4 loops, pool max 4, prepare: false',
          'deliveries/s',
          hubTps,
          {
            seconds: mainSeconds,
            latencyP50Ms: median(main.candidate.map((c) => c.p50)),
            latencyP99Ms: hubP99,
            mix,
            duplicateRows: duplicates,
            badSignatureStatements,
            secretFetches: secrets.calls(),
            enqueued: queue.sent,
            r5WithPrepareOn: r5prepared,
            roundTripsPerDelivery: roundTrips,
            ackMsAt2msRtt,
            cpuMsPerDelivery: cpuMs,
            systemMsPerDelivery: systemMs,
            cpuSplit,
          },
        ),
        target: { op: '≥', value: 0.8 },
        alsoRequired: [
          { text: 'duplicate rows = 0', ok: duplicates === 0 },
          { text: 'DB calls on bad signature = 0', ok: badSignatureStatements === 0 },
        ],
      }),
    ];
  } finally {
    overrideAdapters({});
    restoreEnv();
    resetEnvCache();
    for (const p of pools) await p.end({ timeout: 1 });
    await db.drop();
  }
}
