import * as z from 'zod';
import { text, uuid } from './common.js';

export const employmentTypes = ['full_time', 'part_time', 'contract', 'temporary', 'intern', 'eor'] as const;

export const createJobBody = z
  .object({
    title: text(300),
    employmentType: z.enum(employmentTypes),
    status: z.enum(['draft', 'open']).default('open'),
    customStages: z.array(text(100)).max(20).default([]),
  })
  .strict()
  .meta({ id: 'CreateJob' });

export const stageView = z
  .object({
    id: uuid,
    name: z.string(),
    order: z.number().int(),
    owner: z.enum(['portal', 'ats']),
    fixed: z.boolean(),
  })
  .meta({ id: 'Stage' });

/** Where a synced job lives; null for a job created in the hub. */
export const jobSource = z
  .object({ provider: z.string(), integrationId: uuid, remoteId: z.string() })
  .nullable()
  .meta({ id: 'JobSource' });

export const jobView = z
  .object({
    id: uuid,
    title: z.string(),
    employmentType: z.enum(employmentTypes),
    status: z.enum(['draft', 'open', 'closed']),
    stages: z.array(stageView),
    source: jobSource,
    createdAt: z.string(),
  })
  .meta({ id: 'Job' });

export const jobIdParams = z.object({ jobId: uuid });

export type CreateJobBody = z.infer<typeof createJobBody>;
export type JobView = z.infer<typeof jobView>;
