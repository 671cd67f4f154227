/**
 * The fake's Harvest v3 list endpoints: jobs, candidates, applications, job stages and the record resources of
 * ./records.ts, all paged by an opaque cursor (the only parameter of a follow-up), filtered by `updated_at` /
 * `created_at` operators, `ids` and parent ids (at most 50 each), and answering 422 for bad parameters.
 */
import type { ControllableClock } from '../common/controllable-clock.js';
import type { FakeRequest, FakeResponse } from '../common/fake-server.js';
import { decodeV3Cursor, encodeV3Cursor } from './cursor.js';
import { idList, parseTimeFilter, type TimeBound, withinBounds } from './filters.js';
import type { V3Resource } from './records.js';
import { v3Application, v3Candidate, v3Job, v3Stage } from './serialize.js';
import type { GhApplication, GhState } from './state.js';
import { ghError as errors } from './submissions.js';

export interface V3ListOptions {
  state: GhState;
  clock: ControllableClock;
  records: Record<string, V3Resource>;
  cursorTtlMs: number;
  order: 'id_desc' | 'id_asc';
  defaultPerPage: number;
  baseUrl: () => string;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  body,
  headers,
});

export function createV3Lists({
  state,
  clock,
  records,
  cursorTtlMs,
  order,
  defaultPerPage,
  baseUrl,
}: V3ListOptions) {
  type Row = { id: number; createdAt: number; updatedAt: number };
  const resources: Record<string, V3Resource> = {
    ...records,
    jobs: { rows: () => state.jobs, render: (row) => v3Job(row as never) },
    candidates: { rows: () => state.candidates, render: (row) => v3Candidate(row as never) },
    applications: {
      rows: () => state.applications,
      render: (row) => v3Application(row as GhApplication, state),
      extra: (q) => {
        const jobIds = idList(q.get('job_ids') ?? null);
        const candidateIds = idList(q.get('candidate_ids') ?? null);
        const status = q.get('status');
        return (row) => {
          const app = row as GhApplication;
          if (jobIds && !jobIds.has(app.jobId)) return false;
          if (candidateIds && !candidateIds.has(app.candidateId)) return false;
          if (status !== undefined && (app.status === 'active' ? 'in_process' : app.status) !== status)
            return false;
          return true;
        };
      },
    },
    job_interview_stages: {
      rows: () =>
        state.jobs.flatMap((j) =>
          j.stages.map((s) => ({ ...s, createdAt: j.createdAt, updatedAt: j.updatedAt })),
        ),
      render: (row) => {
        const stage = row as unknown as { id: number; jobId: number; name: string; sortOrder: number };
        return v3Stage(stage, state.jobById.get(stage.jobId)!);
      },
      extra: (q) => {
        const jobIds = idList(q.get('job_ids') ?? null);
        return (row) => !jobIds || jobIds.has((row as unknown as { jobId: number }).jobId);
      },
    },
  };

  const listV3 = (resource: string, request: FakeRequest): FakeResponse => {
    const spec = resources[resource];
    if (!spec) return json(404, { message: 'Not found' });
    let filters: Map<string, string>;
    let perPage: number;
    let lastId: number | null = null;
    if (request.query.has('cursor')) {
      // The cursor must be the only query parameter (confirmed).
      if (
        [...request.query.keys()].some((k) => k !== 'cursor') ||
        request.query.getAll('cursor').length !== 1
      ) {
        return errors(422, 'cursor must be the only query parameter', 'cursor');
      }
      const cursor = decodeV3Cursor(request.query.get('cursor') ?? '');
      if (!cursor || cursor.resource !== resource) return errors(422, 'invalid cursor', 'cursor');
      if (clock.nowMs() - cursor.issuedAt > cursorTtlMs) return errors(422, 'cursor has expired', 'cursor');
      filters = new Map(cursor.filters);
      perPage = cursor.perPage;
      lastId = cursor.lastId;
    } else {
      filters = new Map([...request.query.entries()].filter(([k]) => k !== 'per_page'));
      const raw = request.query.get('per_page');
      perPage = raw === null ? defaultPerPage : Number(raw);
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) {
        return errors(422, 'per_page must be between 1 and 500', 'per_page');
      }
      // id-array filters (`ids`, `job_ids`, `candidate_ids`, …) take at most 50 ids, as Harvest v3 documents
      for (const [param, value] of filters) {
        if ((param === 'ids' || param.endsWith('_ids')) && value.split(',').length > 50) {
          return errors(422, `${param} takes at most 50 ids`, param);
        }
      }
      const invalid = spec.validate?.(filters);
      if (invalid) return invalid;
    }
    const bounds: { field: 'createdAt' | 'updatedAt'; bounds: TimeBound[] }[] = [];
    for (const [param, field] of [
      ['updated_at', 'updatedAt'],
      ['created_at', 'createdAt'],
    ] as const) {
      const value = filters.get(param);
      if (value === undefined) continue;
      const parsed = parseTimeFilter(value);
      if (!parsed) return errors(422, `invalid ${param} filter`, param);
      bounds.push({ field, bounds: parsed });
    }
    const ids = idList(filters.get('ids') ?? null);
    const extra = spec.extra?.(filters) ?? null;
    const rows = spec.rows();
    const matches = (row: Row) =>
      (!ids || ids.has(row.id)) &&
      bounds.every((b) => withinBounds(row[b.field], b.bounds)) &&
      (!extra || extra(row));

    const page: Row[] = [];
    let more = false;
    const step = order === 'id_desc' ? -1 : 1;
    for (let i = order === 'id_desc' ? rows.length - 1 : 0; i >= 0 && i < rows.length; i += step) {
      const row = rows[i]!;
      if (lastId !== null && (order === 'id_desc' ? row.id >= lastId : row.id <= lastId)) continue;
      if (!matches(row)) continue;
      if (page.length === perPage) {
        more = true;
        break;
      }
      page.push(row);
    }
    const headers: Record<string, string> = {};
    const last = page.at(-1);
    if (more && last) {
      const cursor = encodeV3Cursor(
        { resource, filters: [...filters.entries()], perPage, lastId: last.id, issuedAt: clock.nowMs() },
        state.rng.alnum(state.rng.int(0, 12)),
      );
      headers['link'] = `<${baseUrl()}/v3/${resource}?cursor=${cursor}>; rel="next"`;
    }
    return json(200, page.map(spec.render), headers);
  };

  return listV3;
}
