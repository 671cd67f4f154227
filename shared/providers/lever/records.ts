/**
 * Lever's full ATS record (docs/providers.md §3.7). Interviews, feedback, offers and notes exist only under an
 * opportunity (`GET /opportunities/:id/<resource>`), so a pass walks the opportunities (updated since the cursor on
 * an incremental pass) a few per page: each `listPage` reads one opportunity page of `recordOpportunitiesPerPage`
 * rows and then each of their sub-lists, so one call stays bounded (1 + n requests, more only for an opportunity
 * with over 100 items) and the sync engine's limiter paces every request. The page token is the opportunity
 * list's own `next` offset, so an interrupted pass resumes where it stopped.
 */
import type * as z from 'zod';
import type { CanonicalRecord, CanonicalRecordObject, RecordObjectType } from '../../domain/canonical.js';
import {
  errorForStatus,
  type HttpReply,
  ProviderError,
  parseEach,
  parseJsonBody,
} from '../common/client-kit.js';
import {
  type LeverUser,
  leverFeedbackSchema,
  leverInterviewSchema,
  leverNoteSchema,
  leverOfferSchema,
} from './record-schemas.js';
import { type LeverStage, leverListSchema, leverOpportunitySchema } from './schemas.js';
import { postingIdOf } from './to-application.js';
import { toInterview } from './to-interview.js';
import { toNote } from './to-note.js';
import { toOffer } from './to-offer.js';
import { toScorecard } from './to-scorecard.js';

type PerOpportunityType = Exclude<RecordObjectType, 'rejection_reason'>;
type Record_<T extends PerOpportunityType> = Extract<CanonicalRecord, { objectType: T }>['record'];

export interface RecordListerDeps {
  /** One GET returning Lever's reply (auth, 401/429/5xx already handled by the client). */
  get: (path: string, query: URLSearchParams) => Promise<HttpReply>;
  /** One page of a list endpoint: `{data, next}` with `next` null on the last page. */
  listPage: (path: string, query: URLSearchParams) => Promise<{ data: unknown[]; next: string | null }>;
  stages: () => Promise<LeverStage[]>;
  users: () => Promise<LeverUser[]>;
  now: () => Date;
}

export interface RecordPage {
  records: unknown[];
  raw: unknown[];
  deletedRemoteIds: string[];
  /** Offset of the next opportunity page, or null when this was the last. */
  next: string | null;
}

const RESOURCE: Record<PerOpportunityType, string> = {
  interview: 'interviews',
  scorecard: 'feedback',
  offer: 'offers',
  note: 'notes',
};

const SCHEMA = {
  interview: leverInterviewSchema,
  scorecard: leverFeedbackSchema,
  offer: leverOfferSchema,
  note: leverNoteSchema,
} as const;

export function isPerOpportunityType(objectType: string): objectType is PerOpportunityType {
  return objectType in RESOURCE;
}

/** What mapping needs of an opportunity: its id, its contact (a note's candidate), whether it is on a posting. */
interface OpportunityRef {
  id: string;
  contact: string;
  onPosting: boolean;
}

interface MappingContext {
  stageNames: Map<string, string>;
  users: Map<string, LeverUser>;
}

export function createRecordLister(deps: RecordListerDeps) {
  /** Stage names for interviews, users for feedback and notes, each read once per client. */
  const contextFor = async (objectType: PerOpportunityType): Promise<MappingContext> => {
    const [stages, users] = await Promise.all([
      objectType === 'interview' ? deps.stages() : Promise.resolve([]),
      objectType === 'scorecard' || objectType === 'note' ? deps.users() : Promise.resolve([]),
    ]);
    return {
      stageNames: new Map(stages.map((s) => [s.id, s.text ?? ''])),
      users: new Map(users.map((u) => [u.id, u])),
    };
  };

  /** Every item of one opportunity's sub-list; an opportunity deleted meanwhile has none. */
  const subList = async <S extends z.ZodType>(
    opportunityId: string,
    resource: string,
    schema: S,
  ): Promise<{ items: z.output<S>[]; raw: unknown[] }> => {
    const path = `/opportunities/${encodeURIComponent(opportunityId)}/${resource}`;
    const items: z.output<S>[] = [];
    const raw: unknown[] = [];
    let offset: string | null = null;
    do {
      const query = new URLSearchParams({ limit: '100' });
      if (offset) query.set('offset', offset);
      const reply = await deps.get(path, query);
      if (reply.status === 404) return { items: [], raw: [] };
      if (reply.status !== 200) throw errorForStatus(reply.status, `lever ${resource}`);
      const page = leverListSchema.safeParse(parseJsonBody(reply, `lever ${resource}`));
      if (!page.success)
        throw new ProviderError(`lever ${resource}: unexpected list envelope`, 'permanent', 200);
      items.push(...parseEach(page.data.data, schema, `lever ${resource}`));
      raw.push(...page.data.data);
      offset = page.data.hasNext && page.data.next ? page.data.next : null;
    } while (offset);
    return { items, raw };
  };

  const mapAll = async <T extends PerOpportunityType>(
    objectType: T,
    opportunity: OpportunityRef,
    context: MappingContext,
  ): Promise<{ records: Record_<T>[]; raw: unknown[]; deleted: string[] }> => {
    const { items, raw } = await subList(opportunity.id, RESOURCE[objectType], SCHEMA[objectType]);
    const applicationRemoteId = opportunity.id;
    const records: unknown[] = [];
    const deleted: string[] = [];
    for (const item of items) {
      if (objectType === 'interview') {
        records.push(
          toInterview(item as z.output<typeof leverInterviewSchema>, {
            applicationRemoteId,
            stageNames: context.stageNames,
            now: deps.now(),
          }),
        );
      } else if (objectType === 'offer') {
        records.push(toOffer(item as z.output<typeof leverOfferSchema>, applicationRemoteId));
      } else if (objectType === 'scorecard') {
        const feedback = item as z.output<typeof leverFeedbackSchema>;
        const card = toScorecard(feedback, { applicationRemoteId, users: context.users });
        if (card) records.push(card);
        else if (feedback.deletedAt) deleted.push(feedback.id);
      } else {
        const raw = item as z.output<typeof leverNoteSchema>;
        const note = toNote(raw, {
          candidateRemoteId: opportunity.contact,
          applicationRemoteId: opportunity.onPosting ? opportunity.id : null,
          users: context.users,
        });
        if (note) records.push(note);
        else deleted.push(raw.id);
      }
    }
    return { records: records as Record_<T>[], raw, deleted };
  };

  return {
    async page(
      objectType: PerOpportunityType,
      query: { limit: number; offset: string | null; since: number | null },
    ): Promise<RecordPage> {
      const params = new URLSearchParams({ limit: String(query.limit) });
      params.append('expand', 'applications');
      if (query.offset) params.set('offset', query.offset);
      if (query.since !== null) params.set('updated_at_start', String(query.since));
      const page = await deps.listPage('/opportunities', params);
      const opportunities = parseEach(page.data, leverOpportunitySchema, 'lever opportunities');
      const context = await contextFor(objectType);
      const out: RecordPage = { records: [], raw: [], deletedRemoteIds: [], next: page.next };
      for (const opportunity of opportunities) {
        const onPosting = postingIdOf(opportunity) !== null;
        // Interviews, scorecards and offers hang off an application: a general lead (no posting) has none.
        if (objectType !== 'note' && !onPosting) continue;
        const ref = { id: opportunity.id, contact: opportunity.contact, onPosting };
        const mapped = await mapAll(objectType, ref, context);
        out.records.push(...mapped.records);
        out.raw.push(...mapped.raw);
        out.deletedRemoteIds.push(...mapped.deleted);
      }
      return out;
    },
    /**
     * The interviews, scorecards or offers of one opportunity, for a webhook that names them by id only. A deleted
     * feedback form is left out (the delete arrives as its own event). Notes have no webhook, so no re-read.
     */
    async ofOpportunity(
      objectType: Exclude<PerOpportunityType, 'note'>,
      opportunityId: string,
    ): Promise<CanonicalRecordObject[]> {
      const ref = { id: opportunityId, contact: '', onPosting: true };
      const mapped = await mapAll(objectType, ref, await contextFor(objectType));
      return mapped.records.map((record) => ({ objectType, record }) as CanonicalRecordObject);
    },
    subList,
  };
}
