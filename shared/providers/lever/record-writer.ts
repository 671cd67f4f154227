/**
 * Notes and tags the hub pushes to Lever (docs/providers.md §3.7): `POST /opportunities/:id/notes?perform_as=`
 * with `{value, secret}`, and `POST /opportunities/:id/addTags` / `removeTags` with `{tags}`. Lever files both on
 * opportunities: a write naming only the candidate goes to the contact's opportunities (found with
 * `GET /opportunities?contact_id=`), the oldest for a note, every one for tags (the hub's candidate tags are the
 * union of its opportunities' tags). Lever takes no idempotency key: a retried note is looked up first by body.
 */
import type { RecordWriter } from '../../ports/provider.js';
import { type HttpReply, ProviderError, parseEach, parseJsonBody } from '../common/client-kit.js';
import { leverNoteCreatedSchema, leverNoteSchema } from './record-schemas.js';
import type { createRecordLister } from './records.js';
import { leverListSchema, leverOpportunitySchema, leverSingleSchema } from './schemas.js';
import type { LeverRequest } from './submissions.js';
import { noteBody } from './to-note.js';

const REFUSED = new Set([400, 403, 404, 409, 422]);

export function createLeverRecordWriter(deps: {
  request: LeverRequest;
  errorMessage: (reply: HttpReply) => string;
  subList: ReturnType<typeof createRecordLister>['subList'];
  /** The integration's `actingUserId` setting, used when the write names no actor. */
  defaultActingUserId: string | null;
}): RecordWriter {
  const { request, errorMessage } = deps;

  const fail = (reply: HttpReply, what: string): never => {
    if (REFUSED.has(reply.status))
      throw new ProviderError(`lever ${what}: ${errorMessage(reply)}`, 'refused', reply.status);
    throw new ProviderError(`lever ${what}: unexpected status ${reply.status}`, 'permanent', reply.status);
  };

  /** The contact's opportunities, oldest first (one page of 100 covers any real person). */
  const opportunitiesOf = async (contactId: string): Promise<string[]> => {
    const query = new URLSearchParams({ contact_id: contactId, limit: '100' });
    const reply = await request('GET', '/opportunities', query);
    if (reply.status !== 200) fail(reply, 'opportunities of contact');
    const page = leverListSchema.safeParse(parseJsonBody(reply, 'lever opportunities'));
    if (!page.success) throw new ProviderError('lever opportunities: unexpected list envelope', 'permanent');
    return parseEach(page.data.data, leverOpportunitySchema, 'lever opportunities')
      .filter((o) => o.contact === contactId)
      .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0))
      .map((o) => o.id);
  };

  const targetsOf = async (input: { candidateRemoteId: string; applicationRemoteId: string | null }) => {
    if (input.applicationRemoteId) return [input.applicationRemoteId];
    const found = await opportunitiesOf(input.candidateRemoteId);
    if (found.length === 0)
      throw new ProviderError('lever: the candidate has no opportunity to write to', 'refused', 404);
    return found;
  };

  const performAs = (actingUserId: string | null, required: boolean): URLSearchParams => {
    const actor = actingUserId ?? deps.defaultActingUserId;
    if (!actor && required)
      throw new ProviderError('lever: notes need actingUserId (sent as perform_as)', 'refused');
    return new URLSearchParams(actor ? { perform_as: actor } : {});
  };

  return {
    async addNote(input) {
      const [opportunityId] = await targetsOf(input);
      const path = `/opportunities/${encodeURIComponent(opportunityId!)}/notes`;
      // Lever has private (`secret`) notes and team notes; the hub's `shared` has no Lever equivalent beyond team.
      const body = { value: input.body, secret: input.visibility === 'private' };
      const reply = await request('POST', path, performAs(input.actingUserId, true), body, {
        forbiddenIsReply: true,
      });
      if (reply.status !== 200 && reply.status !== 201) fail(reply, 'create note');
      const single = leverSingleSchema.safeParse(parseJsonBody(reply, 'lever create note'));
      const created = single.success ? leverNoteCreatedSchema.safeParse(single.data.data) : null;
      if (!created?.success) throw new ProviderError('lever create note: unexpected shape', 'permanent');
      return (created.data.noteId ?? created.data.id) as string;
    },

    async findNote(input) {
      const wanted = input.body.trim();
      for (const opportunityId of await targetsOf(input)) {
        const { items } = await deps.subList(opportunityId, 'notes', leverNoteSchema);
        const found = items.find((n) => !n.deletedAt && noteBody(n) === wanted);
        if (found) return found.id;
      }
      return null;
    },

    async changeTags(input) {
      const query = performAs(input.actingUserId, false);
      for (const opportunityId of await targetsOf(input)) {
        const base = `/opportunities/${encodeURIComponent(opportunityId)}`;
        for (const [verb, tags] of [
          ['addTags', input.add],
          ['removeTags', input.remove],
        ] as const) {
          if (tags.length === 0) continue;
          const reply = await request('POST', `${base}/${verb}`, query, { tags }, { forbiddenIsReply: true });
          if (reply.status !== 200 && reply.status !== 201 && reply.status !== 204) fail(reply, verb);
        }
      }
    },
  };
}
