/**
 * B4 memory probe, run by b4-analytics.ts as a fresh Node process (`node --expose-gc --import tsx`) per scale, so
 * its peak RSS is the handler's alone, as Lambda's "Max Memory Used" is. Environment: the function's Lambda
 * environment with DATABASE_APP_URL set; B4_PROBE_EVENT: the Scheduler event; B4_PROBE_RUNS: invocations.
 * One warm-up invocation, then the measured ones; prints one `B4PROBE {json}` line last.
 */
import { pathToFileURL } from 'node:url';
import { createDbClient } from '../../shared/db/client.js';
import { overrideAdapters } from '../../shared/runtime/adapters.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { countingSecretsStore } from './aws-stub.js';
import { lambdaContext } from './events.js';
import { muteStdout } from './harness.js';
import { REPO_ROOT } from './postgres.js';

const FN = 'analytics-export';
const mb = (bytes: number) => bytes / 1_048_576;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function main(): Promise<void> {
  const event = JSON.parse(process.env.B4_PROBE_EVENT ?? '{}') as unknown;
  const runs = Number(process.env.B4_PROBE_RUNS ?? 3);
  const { handler } = (await import(pathToFileURL(`${REPO_ROOT}functions/${FN}/handler.ts`).href)) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  const sql = createDbClient({
    url: process.env.DATABASE_APP_URL!,
    max: 1,
    prepare: false,
    application: 'bench-b4-mem',
  });
  const secrets = countingSecretsStore({ values: new Map(), maxAgeSeconds: 900 });
  const invoke = async () => {
    overrideAdapters({ sql, objectStore: new MemoryObjectStore(), secrets: secrets.store });
    await muteStdout(() => handler(event, lambdaContext(FN, 300)));
  };
  await invoke();
  gc();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  let outputBytes = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }, 2);
  for (let r = 0; r < runs; r++) {
    const store = new MemoryObjectStore();
    overrideAdapters({ sql, objectStore: store, secrets: secrets.store });
    await muteStdout(() => handler(event, lambdaContext(FN, 300)));
    outputBytes = [...store.objects.values()].reduce((n, o) => n + o.body.length, 0);
  }
  clearInterval(sampler);
  await sql.end({ timeout: 1 });
  const result = {
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb: mb(baseline.rss),
    baselineHeapMb: mb(baseline.heapUsed),
    invokeRssGrowthMb: mb(peakRss - baseline.rss),
    invokeHeapGrowthMb: mb(peakHeap - baseline.heapUsed),
    outputBytes,
  };
  process.stdout.write(`B4PROBE ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
