import * as z from 'zod';
import { JOB_DESCRIPTION_MAX } from '../domain/job-lifecycle.js';
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

export const jobStatuses = ['draft', 'open', 'paused', 'closed'] as const;
export const remotePolicies = ['remote', 'hybrid', 'onsite'] as const;

const amount = z.number().finite().min(0).max(999_999_999_999);

/** A salary range: both bounds and an ISO 4217 currency code, min <= max. */
export const salaryRange = z
  .object({
    min: amount,
    max: amount,
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three capital letters'),
  })
  .strict()
  .refine((r) => r.min <= r.max, { message: 'min must not exceed max', path: ['min'] })
  .meta({ id: 'SalaryRange' });

/** `PATCH /jobs/{jobId}`: any subset; null clears an optional field. */
export const updateJobBody = z
  .object({
    title: text(300).optional(),
    status: z.enum(jobStatuses).optional(),
    description: text(JOB_DESCRIPTION_MAX).nullable().optional(),
    department: text(200).nullable().optional(),
    office: text(200).nullable().optional(),
    remotePolicy: z.enum(remotePolicies).nullable().optional(),
    salaryRange: salaryRange.nullable().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' })
  .meta({ id: 'UpdateJob' });

export const jobView = z
  .object({
    id: uuid,
    title: z.string(),
    employmentType: z.enum(employmentTypes),
    status: z.enum(jobStatuses),
    description: z.string().nullable(),
    department: z.string().nullable(),
    office: z.string().nullable(),
    remotePolicy: z.enum(remotePolicies).nullable(),
    salaryRange: z.object({ min: z.number(), max: z.number(), currency: z.string() }).nullable(),
    stages: z.array(stageView),
    source: jobSource,
    createdAt: z.string(),
  })
  .meta({ id: 'Job' });

export const jobIdParams = z.object({ jobId: uuid });

export type CreateJobBody = z.infer<typeof createJobBody>;
export type UpdateJobBody = z.infer<typeof updateJobBody>;
export type JobView = z.infer<typeof jobView>;
export type JobStatus = (typeof jobStatuses)[number];
