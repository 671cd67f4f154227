/**
 * analytics-export (schedule `analytics-daily`, infra/topology.ts). Wiring only: the shared adapters
 * (built once per execution environment, lazily: no I/O during init), the schedule stack, one use case.
 */
import { logger } from '../../shared/observability/logger.js';
import { providerModule } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { scheduleHandler } from '../../shared/triggers/schedule-stack.js';
import { analyticsExportEvent, runAnalyticsExport } from './use-case.js';

const deps = adapters();

export const handler = scheduleHandler({
  name: 'analytics-export',
  input: analyticsExportEvent,
  run: (input) =>
    runAnalyticsExport(
      {
        sql: deps.sql(),
        objects: deps.objectStore(),
        secrets: deps.secrets(),
        providerModule,
        clock: deps.clock,
        log: logger,
      },
      input,
    ),
});
