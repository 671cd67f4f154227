import type {
  AttachmentType,
  CanonicalAttachment,
  CanonicalCandidate,
  ContactPoint,
} from '../../domain/canonical.js';
import { emptyToNull, splitFullName } from '../common/person-name.js';
import { toIsoTimestamp } from '../common/timestamps.js';
import type { LeverAttachment } from './record-schemas.js';
import type { LeverOpportunity } from './schemas.js';

/** Lever does not label emails; phones carry `mobile` / `home` / `work` / `skype` / `other`. */
function contactPoints(raw: LeverOpportunity): { emails: ContactPoint[]; phones: ContactPoint[] } {
  const emails = (raw.emails ?? [])
    .map((e) => emptyToNull(e))
    .filter((e): e is string => e !== null)
    .map((value) => ({ value: value.toLowerCase(), type: 'other' }));
  const phones = (raw.phones ?? []).flatMap((p) => {
    const value = emptyToNull(p.value);
    return value ? [{ value, type: (p.type ?? 'other').toLowerCase() }] : [];
  });
  return { emails, phones };
}

/**
 * Lever has no contact list endpoint: the person behind an opportunity is its `contact`, with the name,
 * emails, phones, headline and tags copied on the opportunity. Candidates are keyed by contact id. Lever has
 * no company field: the headline (usually "role at company") is the title, the company stays null.
 */
export function toCandidate(raw: LeverOpportunity, attachments?: CanonicalAttachment[]): CanonicalCandidate {
  const { firstName, lastName } = splitFullName(raw.name);
  const { emails, phones } = contactPoints(raw);
  return {
    remoteId: raw.contact,
    firstName,
    lastName,
    email: emails[0]?.value ?? null,
    phone: phones[0]?.value ?? null,
    emails,
    phones,
    company: null,
    title: emptyToNull(raw.headline),
    tags: [...new Set((raw.tags ?? []).map((t) => t.trim()).filter((t) => t !== ''))],
    ...(attachments ? { attachments } : {}),
    remoteUpdatedAt: toIsoTimestamp(raw.updatedAt),
  };
}

/** A file's kind from its name: Lever files carry no type, resumes come from their own endpoint. */
export function attachmentTypeOf(fileName: string): AttachmentType {
  const name = fileName.toLowerCase();
  if (/cover[\s_-]?letter/.test(name)) return 'cover_letter';
  if (name.includes('portfolio')) return 'portfolio';
  if (name.includes('offer')) return 'offer_letter';
  if (/resume|(^|[^a-z])cv([^a-z]|$)/.test(name)) return 'resume';
  return 'other';
}

/** Attachment metadata of one opportunity: its resumes (`/resumes`) and its other files (`/files`). */
export function toAttachments(
  opportunityId: string,
  resumes: readonly LeverAttachment[],
  files: readonly LeverAttachment[],
): CanonicalAttachment[] {
  const of = (a: LeverAttachment, type: AttachmentType | null): CanonicalAttachment => {
    const fileName = a.file?.name ?? a.name ?? '';
    return {
      remoteId: a.id,
      fileName,
      type: type ?? attachmentTypeOf(fileName),
      applicationRemoteId: opportunityId,
    };
  };
  return [...resumes.map((r) => of(r, 'resume')), ...files.map((f) => of(f, null))];
}

/**
 * One candidate per contact on a page (a contact with two opportunities appears once, latest wins); its tags and
 * attachments are those of all its opportunities on the page.
 */
export function uniqueCandidates(
  opportunities: readonly LeverOpportunity[],
  attachmentsOf?: ReadonlyMap<string, CanonicalAttachment[]>,
): CanonicalCandidate[] {
  const byContact = new Map<string, CanonicalCandidate>();
  for (const opportunity of opportunities) {
    const candidate = toCandidate(opportunity, attachmentsOf?.get(opportunity.id));
    const seen = byContact.get(candidate.remoteId);
    if (!seen) {
      byContact.set(candidate.remoteId, candidate);
      continue;
    }
    const newer = (candidate.remoteUpdatedAt ?? '') > (seen.remoteUpdatedAt ?? '') ? candidate : seen;
    const tags = [...new Set([...(seen.tags ?? []), ...(candidate.tags ?? [])])];
    const files = [...(seen.attachments ?? []), ...(candidate.attachments ?? [])];
    byContact.set(candidate.remoteId, {
      ...newer,
      tags,
      ...(seen.attachments || candidate.attachments ? { attachments: files } : {}),
    });
  }
  return [...byContact.values()];
}
