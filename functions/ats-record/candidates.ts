/** Candidates and their tags: reads, edits and the tag set's replacement (event candidate.tags_changed). */
import { decodeCursor, pageOf } from '../../shared/api/cursor.js';
import type { CandidateListQuery, ListQuery, UpdateCandidateBody } from '../../shared/api/record.js';
import {
  findCandidateRecord,
  listCandidateRecords,
  listTags,
  replaceCandidateTags,
  updateCandidateRecord,
} from '../../shared/db/repositories/record-candidates.js';
import type { Tx } from '../../shared/db/tenant.js';
import { DomainError, notFound } from '../../shared/domain/errors.js';
import type { Principal } from '../../shared/http/types.js';
import { candidateTagsChanged } from '../../shared/messages/events.js';
import { asCaller, type RecordDependencies, writeWithEvents } from './context.js';
import { candidateView, nameKey, timeKey } from './views.js';

export async function listCandidates(
  deps: RecordDependencies,
  principal: Principal,
  query: CandidateListQuery,
) {
  const after = query.cursor ? decodeCursor(query.cursor, ['time', 'uuid']) : undefined;
  const rows = await asCaller(deps, principal, (tx) =>
    listCandidateRecords(tx, {
      limit: query.limit,
      ...(after ? { after } : {}),
      ...(query.email ? { email: query.email } : {}),
      ...(query.tag ? { tag: query.tag } : {}),
      ...(query.updatedAfter ? { updatedAfter: query.updatedAfter } : {}),
    }),
  );
  return pageOf(rows, query.limit, candidateView, timeKey);
}

async function candidateOf(tx: Tx, id: string) {
  const row = await findCandidateRecord(tx, id);
  if (!row) throw notFound('candidate');
  return candidateView(row);
}

export function getCandidate(deps: RecordDependencies, principal: Principal, id: string) {
  return asCaller(deps, principal, (tx) => candidateOf(tx, id));
}

/** PostgreSQL's unique violation on the primary email of the organization's candidates. */
const emailTaken = (error: unknown) =>
  (error as { code?: string; constraint_name?: string }).code === '23505' &&
  (error as { constraint_name?: string }).constraint_name === 'candidates_org_email_idx';

export async function updateCandidate(
  deps: RecordDependencies,
  principal: Principal,
  id: string,
  body: UpdateCandidateBody,
) {
  return asCaller(deps, principal, async (tx) => {
    const found = await updateCandidateRecord(tx, id, body).catch((error: unknown) => {
      if (!emailTaken(error)) throw error;
      throw new DomainError('VALIDATION_FAILED', 'another candidate has this email', {
        issues: [
          { path: 'body.emails.0.value', message: 'another candidate of the organization has this email' },
        ],
      });
    });
    if (!found) throw notFound('candidate');
    return candidateOf(tx, id);
  });
}

export function replaceTags(
  deps: RecordDependencies,
  principal: Principal,
  candidateId: string,
  tags: string[],
) {
  return writeWithEvents(deps, principal, async (tx) => {
    const change = await replaceCandidateTags(tx, candidateId, tags);
    if (!change) throw notFound('candidate');
    const { added, removed } = change;
    const changed = added.length > 0 || removed.length > 0;
    const payload = candidateTagsChanged.parse({ candidateId, added, removed });
    return {
      value: { candidateId, tags: change.tags },
      events: changed
        ? [
            {
              aggregateType: 'candidate' as const,
              aggregateId: candidateId,
              eventType: 'candidate.tags_changed',
              payload,
            },
          ]
        : [],
    };
  });
}

export async function getTags(deps: RecordDependencies, principal: Principal, query: ListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, ['text', 'uuid']) : undefined;
  const rows = await asCaller(deps, principal, (tx) => listTags(tx, query.limit, after));
  return pageOf(
    rows,
    query.limit,
    (t) => ({ id: t.id, name: t.name, source: t.source, createdAt: t.created_at.toISOString() }),
    nameKey,
  );
}
