/** BambooHR job opening → CanonicalJob. Every job shares the account's status pipeline as its stages. */
import type { CanonicalJob, CanonicalStage } from '../../domain/canonical.js';
import { emptyToNull } from '../common/person-name.js';
import type { BambooJob } from './schemas.js';

function labelOf(value: BambooJob['title']): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? emptyToNull(value) : emptyToNull(value.label);
}

function statusOf(label: string | null): CanonicalJob['status'] {
  const normalised = label?.trim().toLowerCase();
  if (normalised === 'open') return 'open';
  if (normalised === 'draft') return 'draft';
  if (normalised === 'on hold') return 'paused';
  // Filled, Canceled, Closed, Deleted (unverified list of BambooHR job statuses).
  return 'closed';
}

function employmentTypeOf(value: BambooJob['employmentType']): CanonicalJob['employmentType'] {
  const label = labelOf(value)
    ?.toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (!label) return null;
  if (label.startsWith('full')) return 'full_time';
  if (label.startsWith('part')) return 'part_time';
  if (label.includes('contract')) return 'contract';
  if (label.includes('temp')) return 'temporary';
  if (label.includes('intern')) return 'intern';
  return null;
}

export function jobStatusLabel(job: BambooJob): string | null {
  return emptyToNull(job.status?.label);
}

export function toJob(job: BambooJob, stages: readonly CanonicalStage[]): CanonicalJob {
  return {
    remoteId: job.id,
    title: labelOf(job.title) ?? `Job ${job.id}`,
    status: statusOf(jobStatusLabel(job)),
    employmentType: employmentTypeOf(job.employmentType),
    stages: [...stages],
    // the summaries carry no description, pay or remote policy (the careers page does, for open jobs only)
    ...(job.department === undefined ? {} : { department: labelOf(job.department) }),
    ...(job.location === undefined ? {} : { office: labelOf(job.location) }),
    remoteUpdatedAt: null,
  };
}
