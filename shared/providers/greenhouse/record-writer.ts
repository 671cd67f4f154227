/**
 * Notes and tags the hub's users write, pushed to Greenhouse through Harvest v3 (docs/ats-record.md "Greenhouse"):
 * `POST /v3/notes` on the candidate's activity feed, and tags through the tag dictionary
 * (`/v3/candidate_tags`) and the candidate's applied tags (`/v3/applied_candidate_tags`). Writes act as the
 * integration's `actingUserId` through the token's `sub`. Request bodies are (unverified): v3 publishes the routes,
 * the bodies follow the field names of the v3 lists.
 */
import type { RecordWriter } from '../../ports/provider.js';
import { numericId } from '../common/client-kit.js';
import type { GetList, ListByIds } from './batched-list.js';
import type { GreenhouseHttp } from './http.js';
import { v3AppliedTagSchema, v3CandidateTagSchema, v3NoteSchema } from './record-schemas.js';
import { failure, parsed } from './submissions.js';
import { greenhouseVisibilityOf } from './to-note.js';

interface Deps {
  http: GreenhouseHttp;
  base: string;
  /** `sub` of lookups, and of writes when neither the call nor the integration names an acting user. */
  defaultSub: string;
  actingUserId: string | null;
  getList: GetList;
  listByIds: ListByIds;
}

const byId = (a: { id: string }, b: { id: string }) =>
  Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);
const tagKey = (name: string) => name.trim().toLowerCase();

export function createGreenhouseRecordWriter(deps: Deps): RecordWriter {
  const { http, base, defaultSub, actingUserId, getList, listByIds } = deps;
  const sub = (acting: string | null) => acting ?? actingUserId ?? defaultSub;

  const post = async (path: string, acting: string | null, body: unknown, what: string) => {
    const reply = await http.v3('POST', `${base}${path}`, { sub: sub(acting), body });
    if (reply.status !== 201 && reply.status !== 200) throw failure(reply, what);
    return reply;
  };

  /** The organisation's tag dictionary, every page (a few hundred names at most). */
  const tagDictionary = async (): Promise<Map<string, string>> => {
    const byName = new Map<string, string>();
    let url: string | null = `${base}/v3/candidate_tags?per_page=500`;
    let followUp = false;
    while (url) {
      const page: { records: { id: string; name: string }[]; next: string | null } = await getList(
        url,
        v3CandidateTagSchema,
        'greenhouse candidate tags',
        followUp,
      );
      for (const tag of page.records) byName.set(tagKey(tag.name), tag.id);
      url = page.next;
      followUp = true;
    }
    return byName;
  };

  return {
    async addNote({ candidateRemoteId, applicationRemoteId, body, visibility, actingUserId: acting }) {
      const reply = await post(
        '/v3/notes',
        acting,
        {
          candidate_id: numericId(candidateRemoteId),
          ...(applicationRemoteId ? { application_id: numericId(applicationRemoteId) } : {}),
          body,
          visibility: greenhouseVisibilityOf(visibility),
        },
        'greenhouse add note',
      );
      return parsed(reply, v3NoteSchema, 'greenhouse add note').id;
    },

    async findNote({ candidateRemoteId, applicationRemoteId, body }) {
      const notes = await listByIds({
        path: '/v3/notes',
        param: 'candidate_ids',
        ids: [candidateRemoteId],
        schema: v3NoteSchema,
        what: 'greenhouse note lookup',
      });
      const found = notes
        .filter(
          (n) =>
            n.candidate_id === candidateRemoteId &&
            n.body === body &&
            (applicationRemoteId === null || n.application_id === applicationRemoteId),
        )
        .sort(byId);
      return found[0]?.id ?? null;
    },

    async changeTags({ candidateRemoteId, add, remove, actingUserId: acting }) {
      const dictionary = await tagDictionary();
      const applied = await listByIds({
        path: '/v3/applied_candidate_tags',
        param: 'candidate_ids',
        ids: [candidateRemoteId],
        schema: v3AppliedTagSchema,
        what: 'greenhouse applied tags',
      });
      const appliedTagIds = new Set(applied.map((a) => a.candidate_tag_id));
      for (const name of add) {
        let tagId = dictionary.get(tagKey(name));
        if (!tagId) {
          // A tag the organisation does not have yet joins its dictionary first.
          const reply = await post(
            '/v3/candidate_tags',
            acting,
            { name: name.trim() },
            'greenhouse create tag',
          );
          tagId = parsed(reply, v3CandidateTagSchema, 'greenhouse create tag').id;
          dictionary.set(tagKey(name), tagId);
        }
        if (appliedTagIds.has(tagId)) continue;
        await post(
          '/v3/applied_candidate_tags',
          acting,
          { candidate_id: numericId(candidateRemoteId), candidate_tag_id: numericId(tagId) },
          'greenhouse apply tag',
        );
        appliedTagIds.add(tagId);
      }
      const removeIds = new Set(remove.map((name) => dictionary.get(tagKey(name))).filter(Boolean));
      for (const row of applied) {
        if (!row.candidate_tag_id || !removeIds.has(row.candidate_tag_id)) continue;
        const reply = await http.v3(
          'DELETE',
          `${base}/v3/applied_candidate_tags/${encodeURIComponent(row.id)}`,
          {
            sub: sub(acting),
          },
        );
        // Already gone is what a remove wants.
        if (reply.status !== 204 && reply.status !== 200 && reply.status !== 404) {
          throw failure(reply, 'greenhouse remove tag');
        }
      }
    },
  };
}
