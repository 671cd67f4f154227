/**
 * `npm run bench` (all), `npm run bench -- B1 B5` (some), `npm run bench -- --quick` (small sizes, seconds:
 * every benchmark still runs end to end). Prints the machine line, then one table of ratios measured side by
 * side in this run, and writes bench-results.json in the repository root. Benchmarks never assert.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runB1 } from './b1-submission.js';
import { runB2 } from './b2-sync-upsert.js';
import { runB3 } from './b3-init.js';
import { runB4 } from './b4-analytics.js';
import { runB5 } from './b5-webhook.js';
import { runB6 } from './b6-hygiene.js';
import { runB7 } from './b7-rate-limited-sync.js';
import { runB8 } from './b8-naive.js';
import { removeBundles } from './bundles.js';
import { type BenchResult, formatTable, log } from './harness.js';
import { describeMachine, type MachineInfo, machineLine } from './machine.js';
import { adminClient, createTemplate, REPO_ROOT, startServer } from './postgres.js';

export interface BenchContext {
  quick: boolean;
  /** Superuser URL of the server (database `postgres`). */
  serverUrl: string;
  /** Migrated template database; each benchmark clones it. */
  template: string;
}

type Runner = (ctx: BenchContext) => Promise<BenchResult[]>;

const BENCHMARKS: { name: string; title: string; run: Runner }[] = [
  { name: 'B1', title: 'portal submission vs pgbench (identical SQL)', run: runB1 },
  { name: 'B3', title: 'function init vs empty bundle', run: (ctx) => runB3(ctx) },
  { name: 'B4', title: 'analytics export vs psql (same SQL)', run: runB4 },
  { name: 'B5', title: 'webhook ack vs minimal durable write', run: runB5 },
  { name: 'B6', title: 'secrets and connections hygiene', run: runB6 },
  { name: 'B8', title: 'naive pg baseline', run: runB8 },
  // the sync benchmarks last: they depend on the sync engine
  { name: 'B2', title: 'sync upsert vs psql', run: runB2 },
  { name: 'B7', title: 'sync against a rate-limited fake', run: runB7 },
];

function parseArgs(argv: string[]) {
  const quick = argv.includes('--quick');
  const names = argv.filter((a) => !a.startsWith('--')).map((a) => a.toUpperCase());
  const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
  if (unknown.length)
    throw new Error(
      `unknown benchmark(s) ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(' ')}`,
    );
  const selected = names.length ? BENCHMARKS.filter((b) => names.includes(b.name)) : BENCHMARKS;
  return { quick, selected };
}

function failedResult(name: string, title: string, error: unknown): BenchResult {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const empty = { label: 'not measured', unit: '', median: Number.NaN, samples: [] };
  return {
    name,
    title: `${title}: FAILED (${message.slice(0, 160)})`,
    reference: empty,
    candidate: { ...empty, error: message },
    ratio: Number.NaN,
    min: Number.NaN,
    max: Number.NaN,
    target: 'ran to completion',
    met: false,
  };
}

/** The AWS SDK's notice that future versions need Node 22 is printed once per client otherwise. */
function quietWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name !== 'NodeVersionSupportWarning') log(`${warning.name}: ${warning.message}`);
  });
}

async function main(): Promise<void> {
  quietWarnings();
  const { quick, selected } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const server = startServer();
  let machine: MachineInfo | undefined;
  const results: BenchResult[] = [];
  try {
    const admin = adminClient(server.url);
    try {
      machine = await describeMachine(admin);
    } finally {
      await admin.end({ timeout: 1 });
    }
    log(`machine: ${machineLine(machine)}`);
    const template = await createTemplate(server.url);
    const ctx: BenchContext = { quick, serverUrl: server.url, template };
    for (const b of selected) {
      const t0 = performance.now();
      log(`\n== ${b.name}: ${b.title}${quick ? ' (quick)' : ''}`);
      try {
        results.push(...(await b.run(ctx)));
      } catch (error) {
        log(`${b.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        results.push(failedResult(b.name, b.title, error));
      }
      log(`== ${b.name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const dropper = adminClient(server.url);
    await dropper.unsafe(`drop database if exists ${template}`).catch(() => undefined);
    await dropper.end({ timeout: 1 });
  } finally {
    removeBundles();
    server.stop();
  }
  const file = join(REPO_ROOT, 'bench-results.json');
  writeFileSync(file, `${JSON.stringify({ machine, results }, null, 2)}\n`);
  process.stdout.write(`\nmachine: ${machine ? machineLine(machine) : 'unknown'}\n`);
  process.stdout.write(
    `mode: ${quick ? 'quick' : 'full'}, ${((performance.now() - started) / 1000).toFixed(0)} s\n\n`,
  );
  process.stdout.write(`${formatTable(results)}\n\nwritten: ${file}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
