/** Reading Workday `*_Reference` elements: typed ids (`Candidate_ID`, `WID`, ...) and descriptors. */
import type { WorkdayReference } from './schemas.js';

/** The id of the first matching type, in order of preference; blank ids are ignored. */
export function idOf(ref: WorkdayReference | undefined, ...types: string[]): string | null {
  if (!ref) return null;
  for (const type of types) {
    const found = ref.ids.find((id) => id.type === type && id.value.trim() !== '');
    if (found) return found.value.trim();
  }
  return null;
}

/** Preferred business id, else the WID, else any id. */
export function anyIdOf(ref: WorkdayReference | undefined, ...preferred: string[]): string | null {
  if (!ref) return null;
  return idOf(ref, ...preferred, 'WID') ?? ref.ids.find((id) => id.value.trim() !== '')?.value.trim() ?? null;
}

/** Every typed id of the reference, as `type → value` (the first value of each type). */
export function idsByType(ref: WorkdayReference | undefined): Map<string, string> {
  const ids = new Map<string, string>();
  for (const id of ref?.ids ?? []) {
    if (id.type && id.value.trim() !== '' && !ids.has(id.type)) ids.set(id.type, id.value.trim());
  }
  return ids;
}

export function nonBlank(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
