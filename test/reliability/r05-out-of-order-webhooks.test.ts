/**
 * R5 Out-of-order webhooks. Per application K = 20 Greenhouse stage changes with rising source timestamps
 * (`last_activity_at`), targets drawn at random among the ATS-side stages (Client Endorsement, Interview,
 * Offer), delivered in a random permutation with 20 % duplicates (half re-sent by the provider: the intake's
 * inbox sees the same delivery id; half redelivered by SQS: the same queue message again), recorded as
 * webhook-intake records them and applied by the sync worker's use case. R = 200 trials, 4 applications at a
 * time. Pass: the final stage equals the highest-timestamp event's target in 100 % of trials.
 */
import '../support/quiet-logs.js';
import { expect, it } from 'vitest';
import { handleSyncMessage } from '../../functions/sync-worker/use-case.js';
import type { WebhookMessage } from '../../shared/messages/queue-messages.js';
import { findProvider } from '../../shared/providers/registry.js';
import { syncOptions } from '../../shared/sync/options.js';
import type { TestDatabase } from '../support/db.js';
import type { TenantGraph } from '../support/fixtures.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { MemorySecretStore } from '../support/memory-secrets.js';
import {
  describeOnPostgres,
  figures,
  histogram,
  randomFor,
  runs,
  scaled,
  shuffle,
} from '../support/reliability.js';
import { greenhouseStageChange, linkApplications, recordWebhook, stubAts } from '../support/stub-ats.js';
import { seededSuite } from './support/suite.js';

const TRIALS = runs(200);
const K = 20;
const PARALLEL = 4;
const TARGETS = [
  [2, 'Client Endorsement'],
  [3, 'Interview'],
  [4, 'Offer'],
] as const;
let db: TestDatabase;
let graph: TenantGraph;

describeOnPostgres('R5', 'out-of-order webhooks', () => {
  seededSuite(PARALLEL + 1, { silence: ['warn'] }, (state) => {
    ({ db, graph } = state);
  });

  // Regression: this test found that a newer event naming the current stage ('unchanged') left the watermark
  // behind, so an older event arriving after it could still apply; provider-change.ts now advances it.
  it('ends every trial in the state of the newest event, whatever the arrival order', async () => {
    const { seed, random } = randomFor('R5');
    const secrets = new MemorySecretStore();
    const apps = await linkApplications(db.owner, secrets, stubAts({ guard: true }), {
      ...graph,
      count: TRIALS,
      stageIndex: 2,
    });
    const deps = {
      sql: db.app,
      objectStore: new MemoryObjectStore(),
      syncQueue: undefined,
      secrets,
      providers: findProvider,
      clock: { now: () => new Date() },
      sleep: async () => {},
      options: syncOptions(),
    };
    const outcomes: string[] = [];
    const failures: { trial: number; expected: string; got: string; order: number[] }[] = [];
    let duplicates = 0;
    let delivered = 0;
    const base = Date.parse('2026-01-01T00:00:00Z');
    const trial = async (t: number) => {
      const app = apps[t]!;
      // K events with rising timestamps; the plan is drawn up front so the run depends on the seed only
      const events = Array.from({ length: K }, (_, i) => {
        const [index, name] = TARGETS[Math.floor(random() * TARGETS.length)]!;
        return { i, index, name, at: new Date(base + t * 1e7 + (i + 1) * 60_000) };
      });
      const order = shuffle(
        events.map((e) => e.i),
        random,
      );
      const plan: { i: number; dup: 'none' | 'provider' | 'sqs' }[] = order.map((i) => ({
        i,
        dup: 'none' as const,
      }));
      for (const i of order) {
        if (random() < 0.2) {
          duplicates++;
          // the duplicate comes later than its original, anywhere in the rest of the sequence
          const at = plan.findIndex((p) => p.i === i && p.dup === 'none');
          const position = at + 1 + Math.floor(random() * (plan.length - at));
          plan.splice(position, 0, { i, dup: random() < 0.5 ? 'provider' : 'sqs' });
        }
      }
      const messages = new Map<number, WebhookMessage>();
      for (const step of plan) {
        const e = events[step.i]!;
        delivered++;
        const body = greenhouseStageChange(app.remoteId, e.index, e.name, e.at);
        let message = messages.get(e.i);
        if (!message || step.dup === 'provider') {
          const rowId = await recordWebhook(db.app, {
            organizationId: graph.organizationId,
            integrationId: graph.integrationId,
            deliveryId: `r5-${app.remoteId}-${e.i}`,
            body,
            sourceTimestamp: e.at,
          });
          if (!rowId) {
            outcomes.push('duplicate at intake');
            continue;
          }
          message = {
            type: 'webhook',
            organizationId: graph.organizationId,
            integrationId: graph.integrationId,
            deliveryRowId: rowId,
          };
          messages.set(e.i, message);
        }
        outcomes.push(await handleSyncMessage(deps, message, { remainingMs: () => 60_000 }));
      }
      const newest = events[K - 1]!;
      const [row] = await db.owner<
        { stage_id: string }[]
      >`select stage_id from applications where id = ${app.applicationId}`;
      if (row!.stage_id !== graph.stageIds[newest.index]) {
        const got = TARGETS.find(([i]) => graph.stageIds[i] === row!.stage_id)?.[1] ?? row!.stage_id;
        failures.push({ trial: t, expected: newest.name, got, order: plan.map((p) => p.i) });
      }
    };
    for (let t = 0; t < TRIALS; t += PARALLEL) {
      await Promise.all(Array.from({ length: Math.min(PARALLEL, TRIALS - t) }, (_, j) => trial(t + j)));
    }
    const [stale] = await db.owner<{ n: number }[]>`
      select count(*)::int as n from import_log where integration_id = ${graph.integrationId} and message = 'older than the state already applied'`;
    figures('R5', 'out-of-order webhooks', {
      trials: scaled(200, TRIALS),
      eventsPerTrial: K,
      seed,
      deliveries: delivered,
      duplicates,
      finalStateMatchRate: `${(((TRIALS - failures.length) / TRIALS) * 100).toFixed(1)}%`,
      staleIgnored: stale!.n,
      outcomes: histogram(outcomes),
      firstMismatch: failures[0]
        ? `trial ${failures[0].trial}: expected ${failures[0].expected}, got ${failures[0].got}`
        : 'none',
    });
    expect(failures.length).toBe(0);
  });
});
