/**
 * Harvest v3 `PATCH /v3/candidates/{id}/anonymize` in the Greenhouse fake: scope `harvest:candidates:anonymize`, a
 * JSON body naming the fields (`{"fields": [...]}`, at least one), 404 for an unknown candidate, and the candidate's
 * name replaced by "Anonymized <id>" with its contacts, company, title and tags cleared, as Greenhouse describes its
 * anonymization. Every call is counted, refused ones too.
 */
import type { FakeRequest, FakeResponse } from '../common/fake-server.js';
import type { GhState } from './state.js';
import { ghError } from './submissions.js';

const ROUTE = /^\/v3\/candidates\/(\d+)\/anonymize$/;

export function createGreenhousePrivacy(
  state: GhState,
  now: () => number,
  guard: (scope: string, sub: number | null, write: boolean) => FakeResponse | null,
) {
  /** Candidate ids of every anonymize call, in order. */
  const calls: number[] = [];
  return {
    calls,
    handle(request: FakeRequest, sub: number | null): FakeResponse | null {
      const match = ROUTE.exec(request.path);
      if (!match) return null;
      if (request.method !== 'PATCH') return ghError(405, 'Method not allowed');
      const id = Number(match[1]);
      calls.push(id);
      const refused = guard('harvest:candidates:anonymize', sub, true);
      if (refused) return refused;
      let body: unknown;
      try {
        body = JSON.parse(request.body);
      } catch {
        return ghError(422, 'invalid JSON body');
      }
      const fields = (body as { fields?: unknown } | null)?.fields;
      if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string')) {
        return ghError(422, 'fields must name at least one field', 'fields');
      }
      const candidate = state.candidateById.get(id);
      if (!candidate) return { status: 404, body: { message: 'Resource not found' } };
      candidate.firstName = 'Anonymized';
      candidate.lastName = String(id);
      candidate.emails = [];
      candidate.phones = [];
      candidate.company = null;
      candidate.title = null;
      candidate.tags = [];
      candidate.updatedAt = now();
      return { status: 200, body: { id } };
    },
  };
}
