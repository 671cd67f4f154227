import * as z from 'zod';
import { adapters } from '../../shared/runtime/adapters.js';
import { scheduleHandler } from '../../shared/triggers/schedule-stack.js';
import { tick } from './use-case.js';

const a = adapters();

export const handler = scheduleHandler({
  name: 'sync-scheduler',
  input: z.object({ task: z.literal('tick') }),
  run: () => tick({ sql: a.sql(), queues: a.queues(), clock: a.clock }),
});
