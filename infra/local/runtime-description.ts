import { join } from 'node:path';
import type { GuardDutyScanStatus } from '../../shared/documents/document-scan.js';
import { bucketLayout, functions, queues as queueSpecs } from '../topology.js';
import type { LocalRoute } from './http-server.js';
import type { EventRoute } from './malware-scan.js';

/** What the local runtime started, for its start-up banner. */
export interface RuntimeSummary {
  baseUrl: string;
  localDir: string;
  /** The embedded PGlite (else DATABASE_URL). */
  embedded: boolean;
  objectStoreUrl: string;
  bucket: string;
  routes: readonly LocalRoute[];
  eventRoutes: readonly EventRoute[];
  scanResult: GuardDutyScanStatus;
  /** Topology functions whose handler file does not exist yet. */
  missing: readonly string[];
}

/** The banner of `npm run dev`: where everything lives and which function serves each trigger. */
export function describeRuntime(s: RuntimeSummary): string {
  const { baseUrl, localDir, objectStoreUrl, bucket, routes, eventRoutes, scanResult, missing } = s;
  const lines = [`ATS integration hub (local) on ${baseUrl}`, ''];
  lines.push(`database: ${s.embedded ? `embedded PGlite in ${join(localDir, 'pgdata')}` : 'DATABASE_URL'}`);
  lines.push(`objects:  ${objectStoreUrl} (bucket ${bucket}, files in ${join(localDir, 'objects')})`);
  lines.push(`secrets:  ${join(localDir, 'secrets.json')}`);
  lines.push(`keys:     ${join(localDir, 'credentials.json')}`);
  if (routes.some((r) => r.trigger.path === '/console'))
    lines.push(
      `console:  ${baseUrl}/console (paste an admin key from ${join(localDir, 'credentials.json')})`,
    );
  lines.push('', 'routes:');
  for (const r of routes) {
    const t = r.trigger;
    lines.push(
      `  ${t.method.padEnd(6)} ${t.path.padEnd(42)} → ${r.functionName}${t.auth === 'bearer' ? '' : ` (${t.auth})`}`,
    );
  }
  lines.push('', 'queues:');
  for (const q of queueSpecs) {
    const consumer = functions.find((f) => f.triggers.some((t) => t.type === 'queue' && t.queue === q.name));
    lines.push(
      `  ${q.name.padEnd(8)} → ${consumer?.name ?? '(no consumer)'}; dead-letter after ${q.maxReceiveCount} receives`,
    );
  }
  lines.push('', 'schedules:');
  for (const fn of functions) {
    for (const t of fn.triggers) {
      if (t.type === 'schedule')
        lines.push(
          `  ${t.name.padEnd(16)} ${t.expression.padEnd(20)} → ${fn.name} (locally every ${t.localEverySeconds} s)`,
        );
    }
  }
  lines.push('', 'events:');
  for (const { fn, trigger } of eventRoutes) {
    lines.push(
      `  ${trigger.detailType} (${bucketLayout[trigger.prefix]}) → ${fn.name}; simulated on upload: ${scanResult}`,
    );
  }
  if (missing.length) lines.push('', `not yet implemented: ${missing.join(', ')}`);
  lines.push('', 'Ctrl-C stops everything.', '');
  return `${lines.join('\n')}\n`;
}
