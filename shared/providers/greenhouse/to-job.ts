import type { CanonicalJob, CanonicalStage } from '../../domain/canonical.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { V3Job, V3JobStage } from './schemas.js';

/** Greenhouse jobs are draft, open or closed; it has no paused state. */
const STATUS: Record<string, CanonicalJob['status']> = { draft: 'draft', open: 'open', closed: 'closed' };

/** The first named entry of a department or office list; undefined when the job does not carry the list. */
export function firstName(list: readonly ({ name?: string | null } | null)[] | null | undefined) {
  if (list === undefined) return undefined;
  return list?.find((entry) => entry?.name?.trim())?.name?.trim() ?? null;
}

/** Greenhouse keeps employment type in the system custom field `employment_type` (e.g. "Full-time"). */
export function employmentTypeOf(value: unknown): CanonicalJob['employmentType'] {
  if (typeof value !== 'string') return null;
  const key = value.toLowerCase().replace(/[^a-z]/g, '');
  if (key === 'fulltime') return 'full_time';
  if (key === 'parttime') return 'part_time';
  if (key === 'contract' || key === 'contractor') return 'contract';
  if (key === 'temporary' || key === 'temp') return 'temporary';
  if (key === 'intern' || key === 'internship') return 'intern';
  return null;
}

export function toStages(stages: readonly V3JobStage[]): CanonicalStage[] {
  return stages
    .filter((s) => s.active !== false)
    .map((s, index) => ({ remoteId: s.id, name: s.name ?? '', order: s.sort_order ?? index }))
    .sort((a, b) => a.order - b.order)
    .map((s, position) => ({ remoteId: s.remoteId, name: s.name, position }));
}

export function toJob(raw: V3Job, stages: readonly V3JobStage[] = []): CanonicalJob {
  return {
    remoteId: raw.id,
    title: raw.name ?? '',
    status: STATUS[raw.status ?? ''] ?? 'closed',
    employmentType: employmentTypeOf(raw.custom_fields?.['employment_type']?.value),
    stages: toStages(stages),
    // the description lives on the job posts, remote policy and pay in custom fields: not reported here
    department: firstName(raw.departments),
    office: firstName(raw.offices),
    remoteUpdatedAt: toIsoTimestamp(raw.updated_at),
  };
}
