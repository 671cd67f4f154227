/**
 * The job lifecycle (docs/api.md, "Jobs"). Only an open job takes portal submissions; paused is a temporary stop
 * that can resume, closed is the end that can still be reopened. A job never goes back to draft once it was open,
 * and a closed job reopens to open (not to paused), so every reopened job is visible again at once.
 */
export type JobStatus = 'draft' | 'open' | 'paused' | 'closed';

/** The longest description a job keeps (the sync cuts provider descriptions to it). */
export const JOB_DESCRIPTION_MAX = 100_000;

const ALLOWED: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  draft: ['open', 'closed'],
  open: ['paused', 'closed'],
  paused: ['open', 'closed'],
  closed: ['open'],
};

/** Whether `from → to` is a lifecycle step; staying in the same status is no step and always allowed. */
export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

export function allowedTransitions(from: JobStatus): readonly JobStatus[] {
  return ALLOWED[from];
}

/** The editable fields of a job, in their stored form. */
export interface JobFields {
  title: string;
  status: JobStatus;
  description: string | null;
  department: string | null;
  office: string | null;
  remotePolicy: 'remote' | 'hybrid' | 'onsite' | null;
  salaryRange: { min: number; max: number; currency: string } | null;
}

const sameRange = (a: JobFields['salaryRange'], b: JobFields['salaryRange']) =>
  a === b || (a !== null && b !== null && a.min === b.min && a.max === b.max && a.currency === b.currency);

/**
 * The fields of `patch` whose value differs from `current`, in a stable order. Fields the patch leaves out
 * (undefined) do not change; null clears an optional field.
 */
export function changedJobFields(current: JobFields, patch: Partial<JobFields>): (keyof JobFields)[] {
  const order: (keyof JobFields)[] = [
    'title',
    'status',
    'description',
    'department',
    'office',
    'remotePolicy',
    'salaryRange',
  ];
  return order.filter((field) => {
    const next = patch[field];
    if (next === undefined) return false;
    if (field === 'salaryRange') return !sameRange(current.salaryRange, next as JobFields['salaryRange']);
    return current[field] !== next;
  });
}
