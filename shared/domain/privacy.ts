/**
 * Pure rules of erasure and retention (docs/privacy.md): the placeholders an erased person's fields take, the order
 * of an erasure's steps, the patterns that find the person in free text, and which raw provider elements name them.
 */
import type { SyncObjectType } from './canonical.js';

export const ERASED_FIRST_NAME = 'Erased';
export const ERASED_LAST_NAME = 'Candidate';
/** What a free-text mention of the person (a note's body, a delivery's name) becomes. */
export const ERASED_TEXT = '[erased]';

/**
 * The primary email of an erased candidate: the column cannot be empty and is unique per organization, so it is
 * derived from the candidate's own id, in the reserved `.invalid` domain (RFC 2606): it never matches anyone.
 */
export function erasedEmail(candidateId: string): string {
  return `erased-${candidateId.toLowerCase()}@erased.invalid`;
}

export const erasureStepNames = ['documents', 'raw_payloads', 'providers', 'database'] as const;
export type ErasureStepName = (typeof erasureStepNames)[number];
export type ErasureState = 'queued' | 'running' | 'done' | 'failed';

export interface ErasureStep {
  name: ErasureStepName;
  state: 'done' | 'skipped' | 'failed';
  detail: Record<string, unknown>;
}

/**
 * The step to run next, or null when every step is recorded. The steps that reach outside the database run first,
 * while the hub still knows who the person is; the database step, last, forgets them and ends the erasure in the
 * same transaction. A failed step is run again on the next delivery.
 */
export function nextErasureStep(done: readonly ErasureStep[]): ErasureStepName | null {
  const finished = new Set(done.filter((s) => s.state !== 'failed').map((s) => s.name));
  return erasureStepNames.find((name) => !finished.has(name)) ?? null;
}

/** Records a step's outcome, replacing an earlier (failed) outcome of the same step. */
export function withStep(steps: readonly ErasureStep[], step: ErasureStep): ErasureStep[] {
  return [...steps.filter((s) => s.name !== step.name), step];
}

/** What the hub knows of a person before the erasure forgets it. */
export interface PersonMarkers {
  firstName: string;
  lastName: string;
  emails: readonly string[];
  phones: readonly string[];
}

const MIN_MARKER = 3;

/** Escapes a literal for a PostgreSQL (ARE) regular expression. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

const clean = (values: readonly string[]) => [
  ...new Set(values.map((v) => v.trim()).filter((v) => v.length >= MIN_MARKER)),
];

/**
 * Texts that identify the person wherever they appear in the organization: emails, phones and the full name.
 * Single names are too common to look for across unrelated rows; they are scrubbed only in rows about the person.
 */
export function strongMarkers(person: PersonMarkers): string[] {
  const fullName = `${person.firstName} ${person.lastName}`;
  return clean([...person.emails, ...person.phones, fullName]);
}

/** Everything that names the person, longest first (a full name is replaced before its parts). */
export function allMarkers(person: PersonMarkers): string[] {
  return clean([...strongMarkers(person), person.firstName, person.lastName]).sort(
    (a, b) => b.length - a.length,
  );
}

/** Case-insensitive patterns for privacy_scrub() (migrations/0015_privacy.sql). */
export function scrubPatterns(markers: readonly string[]): string[] {
  return markers.map(escapeRegex);
}

/**
 * The remote ids a raw page of this object type names: the candidates and applications of its records. The erasure
 * finds the person's pages by them; jobs and rejection reasons name nobody.
 */
export function pageRemoteIds(
  objectType: SyncObjectType,
  records: readonly Record<string, unknown>[],
): string[] {
  const fields: Partial<Record<SyncObjectType, string[]>> = {
    candidate: ['remoteId'],
    application: ['remoteId', 'candidateRemoteId'],
    note: ['candidateRemoteId', 'applicationRemoteId'],
    interview: ['applicationRemoteId'],
    scorecard: ['applicationRemoteId'],
    offer: ['applicationRemoteId'],
  };
  const ids = (fields[objectType] ?? []).flatMap((field) =>
    records.map((r) => r[field]).filter((v): v is string => typeof v === 'string' && v !== ''),
  );
  return [...new Set(ids)];
}

const isIdKey = (key: string) => key === 'id' || /(_id|Id)$/.test(key);

function namesRemoteId(value: unknown, remoteIds: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((v) => namesRemoteId(v, remoteIds));
  if (!value || typeof value !== 'object') return false;
  return Object.entries(value).some(
    ([key, v]) =>
      ((typeof v === 'string' || typeof v === 'number') && isIdKey(key) && remoteIds.has(String(v))) ||
      namesRemoteId(v, remoteIds),
  );
}

/**
 * A raw provider page without the elements about the person: an element goes when an id field of it (at any depth)
 * holds one of the person's remote ids, or when its text holds one of their markers. Over-matching costs another
 * person's replay copy only; the rows in the database are untouched by this.
 */
export function withoutPerson(
  elements: readonly unknown[],
  person: { remoteIds: readonly string[]; markers: readonly string[] },
): { kept: unknown[]; removed: number } {
  const ids = new Set(person.remoteIds);
  const markers = person.markers.map((m) => m.toLowerCase());
  const kept = elements.filter((element) => {
    if (namesRemoteId(element, ids)) return false;
    const text = JSON.stringify(element ?? null).toLowerCase();
    return !markers.some((m) => text.includes(m));
  });
  return { kept, removed: elements.length - kept.length };
}

export type RetentionKind = 'rawPayloads' | 'rejectedDocuments' | 'notificationBodies' | 'analyticsExports';

export type RetentionSettings = Record<RetentionKind, number | null>;

/** The instant before which data of this kind is past its time, or null when the organization keeps it. */
export function retentionCutoff(days: number | null, now: Date): Date | null {
  return days === null ? null : new Date(now.getTime() - days * 86_400_000);
}
