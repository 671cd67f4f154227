import type {
  AttachmentType,
  CanonicalAttachment,
  CanonicalCandidate,
  ContactPoint,
} from '../../domain/canonical.js';
import { emptyToNull, splitFullName } from '../common/person-name.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { AshbyCandidate } from './schemas.js';

type Contact = NonNullable<AshbyCandidate['primaryEmailAddress']>;
type FileHandle = NonNullable<AshbyCandidate['resumeFileHandle']>;

function pick(
  primary: Contact | null | undefined,
  all: readonly Contact[] | null | undefined,
): string | null {
  const candidates = [primary, ...(all ?? []).filter((c) => c.isPrimary), ...(all ?? [])];
  for (const c of candidates) {
    const value = emptyToNull(c?.value);
    if (value) return value;
  }
  return null;
}

/** Every contact point, primary first, once each; Ashby's types (Personal, Work, Mobile, Other) lower-cased. */
function contacts(
  primary: Contact | null | undefined,
  all: readonly Contact[] | null | undefined,
  normalise: (value: string) => string,
): ContactPoint[] | undefined {
  if (!primary && !all) return undefined;
  const ordered = [primary, ...(all ?? []).filter((c) => c.isPrimary), ...(all ?? [])];
  const seen = new Set<string>();
  const points: ContactPoint[] = [];
  for (const c of ordered) {
    const raw = emptyToNull(c?.value);
    if (!raw) continue;
    const value = normalise(raw);
    if (seen.has(value)) continue;
    seen.add(value);
    points.push({ value, type: (emptyToNull(c?.type) ?? 'other').toLowerCase() });
  }
  return points;
}

/** Ashby file handles carry no type: the resume is the one named by `resumeFileHandle`, others go by file name. */
export function attachmentTypeOf(name: string): AttachmentType {
  if (/cover[\s_-]*letter/i.test(name)) return 'cover_letter';
  if (/portfolio/i.test(name)) return 'portfolio';
  if (/offer/i.test(name)) return 'offer_letter';
  if (/\b(resume|cv)\b|resume|curriculum/i.test(name)) return 'resume';
  return 'other';
}

/** Metadata only: the handle is a download token and is never kept. */
function attachments(
  resume: FileHandle | null | undefined,
  files: readonly FileHandle[] | null | undefined,
): CanonicalAttachment[] | undefined {
  if (resume === undefined && files === undefined) return undefined;
  const all = [...(resume ? [resume] : []), ...(files ?? [])];
  const unique = [...new Map(all.map((f) => [f.id, f])).values()];
  return unique.map((f) => ({
    remoteId: f.id,
    fileName: f.name,
    type: f.id === resume?.id ? 'resume' : attachmentTypeOf(f.name),
    applicationRemoteId: null,
  }));
}

/** Ashby keeps one display `name`; first and last names are split on the first space. */
export function toCandidate(raw: Pick<AshbyCandidate, 'id'> & Partial<AshbyCandidate>): CanonicalCandidate {
  const { firstName, lastName } = splitFullName(raw.name);
  const email = pick(raw.primaryEmailAddress, raw.emailAddresses);
  const emails = contacts(raw.primaryEmailAddress, raw.emailAddresses, (v) => v.toLowerCase());
  const phones = contacts(raw.primaryPhoneNumber, raw.phoneNumbers, (v) => v);
  const files = attachments(raw.resumeFileHandle, raw.fileHandles);
  return {
    remoteId: raw.id,
    firstName,
    lastName,
    email: email ? email.toLowerCase() : null,
    phone: pick(raw.primaryPhoneNumber, raw.phoneNumbers),
    ...(emails ? { emails } : {}),
    ...(phones ? { phones } : {}),
    // A full profile (candidate.list / info) omits company and position when empty: absent means none there.
    ...('company' in raw || 'tags' in raw ? { company: emptyToNull(raw.company) } : {}),
    ...('position' in raw || 'tags' in raw ? { title: emptyToNull(raw.position) } : {}),
    ...(raw.tags ? { tags: raw.tags.filter((t) => !t.isArchived).map((t) => t.title) } : {}),
    ...(files ? { attachments: files } : {}),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt ?? raw.createdAt),
  };
}
