/**
 * document-scan (EventBridge rule on GuardDuty's scan result, infra/topology.ts). Wiring only: the shared
 * adapters (built lazily: no I/O during init), the event stack, one use case.
 */
import {
  SCAN_RESULT_DETAIL_TYPE,
  SCAN_RESULT_SOURCE,
  scanResultDetail,
} from '../../shared/documents/scan-result-event.js';
import { logger } from '../../shared/observability/logger.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { eventHandler } from '../../shared/triggers/event-stack.js';
import { recordScanResult } from './use-case.js';

const deps = adapters();

export const handler = eventHandler({
  name: 'document-scan',
  source: SCAN_RESULT_SOURCE,
  detailType: SCAN_RESULT_DETAIL_TYPE,
  detail: scanResultDetail,
  run: (detail) =>
    recordScanResult(
      {
        sql: deps.sql(),
        objectStore: deps.objectStore(),
        bucketName: deps.env.BUCKET_NAME,
        log: logger,
        queues: deps.queues(),
      },
      detail,
    ),
});
