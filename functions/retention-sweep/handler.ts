import * as z from 'zod';
import { sweepRetention } from '../../shared/privacy/retention-sweep.js';
import { adapters } from '../../shared/runtime/adapters.js';
import { scheduleHandler } from '../../shared/triggers/schedule-stack.js';

const a = adapters();

export const handler = scheduleHandler({
  name: 'retention-sweep',
  input: z.object({ task: z.literal('sweep') }),
  run: () =>
    sweepRetention({
      sql: a.sql(),
      objectStore: a.objectStore(),
      clock: a.clock,
      privacyQueue: a.queues().privacy,
    }),
});
