/**
 * analytics-export (schedule `analytics-daily`, infra/topology.ts). Wiring only: the shared adapters
 * (built once per execution environment, lazily: no I/O during init), the schedule stack, one use case.
 */
import { logger } from '../../shared/observability/logger.js';
import { loadProviders } from '../../shared/providers/registry.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { scheduleHandler } from '../../shared/triggers/schedule-stack.js';
import { analyticsExportEvent, runAnalyticsExport } from './use-case.js';

const deps = adapters();

export const handler = scheduleHandler({
  name: 'analytics-export',
  input: analyticsExportEvent,
  run: async (input) => {
    // every adapter a pushed-to integration may name, imported on the first run rather than at init
    const providers = await loadProviders();
    return runAnalyticsExport(
      {
        sql: deps.sql(),
        objects: deps.objectStore(),
        secrets: deps.secrets(),
        providerModule: (name) => providers[name],
        clock: deps.clock,
        log: logger,
      },
      input,
    );
  },
});
