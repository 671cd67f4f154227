import type { JobRow } from '../db/repositories/jobs.js';
import type { JobView } from './jobs.js';

export const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/** An optional instant: absent stays `null`. */
export const isoOrNull = (d: Date | string | null) => (d ? iso(d) : null);

export function toJobView(row: JobRow): JobView {
  return {
    id: row.id,
    title: row.title,
    employmentType: row.employment_type as JobView['employmentType'],
    status: row.status as JobView['status'],
    description: row.description ?? null,
    department: row.department ?? null,
    office: row.office ?? null,
    remotePolicy: (row.remote_policy ?? null) as JobView['remotePolicy'],
    salaryRange:
      row.salary_min != null && row.salary_max != null && row.salary_currency
        ? { min: Number(row.salary_min), max: Number(row.salary_max), currency: row.salary_currency }
        : null,
    stages: row.stages.map((s) => ({
      id: s.id,
      name: s.name,
      order: s.position,
      owner: s.owner as 'portal' | 'ats',
      fixed: s.fixed,
    })),
    source: row.source_ref ?? null,
    createdAt: iso(row.created_at),
  };
}
