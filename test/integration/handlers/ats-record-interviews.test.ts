/** Interviews, scorecards and offers through the ats-record handler: lists, writes, events and refusals. */
import { describe, expect, it } from 'vitest';
import { interviewBody, recordWorld } from './ats-record-api.js';

const { w, call, sample, application, count } = recordWorld();

async function scheduled(applicationId: string, overrides: Record<string, unknown> = {}) {
  const res = await call('POST /applications/{id}/interviews', w.graph.keys.ats, {
    params: { id: applicationId },
    body: interviewBody(overrides),
  });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

describe('interviews', () => {
  it('answers the sample event with the scheduled interview', async () => {
    const app = await application();

    const res = await sample('schedule-interview', { applicationId: app.id, atsKey: w.graph.keys.ats });

    expect([res.status, res.body.location, res.body.status]).toEqual([201, 'Room 2', 'scheduled']);
  });

  it('schedules an interview in the application’s current stage', async () => {
    const app = await application();

    const res = await call('POST /applications/{id}/interviews', w.graph.keys.ats, {
      params: { id: app.id },
      body: interviewBody(),
    });

    expect([res.status, res.body]).toMatchObject([
      201,
      {
        applicationId: app.id,
        title: 'Technical interview',
        stage: 'Screening',
        status: 'scheduled',
        interviewers: [{ name: 'Alan Turing', email: 'alan@example.com' }],
        source: 'hub',
      },
    ]);
  });

  it('writes interview.scheduled and hands it to the notifier at once', async () => {
    const app = await application();

    const interview = await scheduled(app.id);

    const sent = w.notify.sent.map((m) => JSON.parse(m.body));
    expect(sent).toContainEqual(
      expect.objectContaining({
        eventType: 'interview.scheduled',
        payload: expect.objectContaining({ interviewId: interview.id, applicationId: app.id }),
      }),
    );
  });

  it('lists an application’s interviews by start time, page by page', async () => {
    const app = await application();
    const later = await scheduled(app.id, { startAt: '2026-12-11T09:00:00Z', endAt: '2026-12-11T10:00:00Z' });
    const earlier = await scheduled(app.id);

    const first = await call('GET /applications/{id}/interviews', w.graph.keys.ats, {
      params: { id: app.id },
      query: { limit: '1' },
    });
    const second = await call('GET /applications/{id}/interviews', w.graph.keys.ats, {
      params: { id: app.id },
      query: { limit: '1', cursor: first.body.nextCursor },
    });

    expect([first.body.items[0].id, second.body.items[0].id, second.body.nextCursor]).toEqual([
      earlier.id,
      later.id,
      null,
    ]);
  });

  it('reschedules an interview', async () => {
    const interview = await scheduled((await application()).id);

    const res = await call('PATCH /interviews/{id}', w.graph.keys.ats, {
      params: { id: interview.id },
      body: { startAt: '2026-12-12T08:00:00Z', endAt: '2026-12-12T09:00:00Z', location: 'Room 2' },
    });

    expect(res.body).toMatchObject({
      startAt: '2026-12-12T08:00:00.000Z',
      endAt: '2026-12-12T09:00:00.000Z',
      location: 'Room 2',
      status: 'scheduled',
    });
  });

  it('refuses a change that puts the end before the start, and changes nothing', async () => {
    const interview = await scheduled((await application()).id);

    const res = await call('PATCH /interviews/{id}', w.graph.keys.ats, {
      params: { id: interview.id },
      body: { endAt: '2026-12-10T13:00:00Z' },
    });

    const [row] = await w.db.owner`select end_at from interviews where id = ${interview.id}`;
    expect([res.status, res.body.error.code, res.body.error.details.issues[0].path]).toEqual([
      400,
      'VALIDATION_FAILED',
      'body.endAt',
    ]);
    expect((row!.end_at as Date).toISOString()).toBe('2026-12-10T15:00:00.000Z');
  });

  it('refuses to change a cancelled interview with 422 INVALID_TRANSITION', async () => {
    const interview = await scheduled((await application()).id);
    await call('PATCH /interviews/{id}', w.graph.keys.ats, {
      params: { id: interview.id },
      body: { status: 'cancelled' },
    });

    const res = await call('PATCH /interviews/{id}', w.graph.keys.ats, {
      params: { id: interview.id },
      body: { status: 'completed' },
    });

    expect([res.status, res.body.error.code]).toEqual([422, 'INVALID_TRANSITION']);
  });

  it('refuses unknown fields with 400 and schedules nothing', async () => {
    const app = await application();
    const before = await count('interviews');

    const res = await call('POST /applications/{id}/interviews', w.graph.keys.ats, {
      params: { id: app.id },
      body: interviewBody({ room: 'B' }),
    });

    expect([res.status, res.body.error.code, await count('interviews')]).toEqual([
      400,
      'VALIDATION_FAILED',
      before,
    ]);
  });

  it('answers another organization’s application with 404', async () => {
    const foreign = await application(w.other);

    const res = await call('GET /applications/{id}/interviews', w.graph.keys.ats, {
      params: { id: foreign.id },
    });

    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('does not list the interviews of a soft-deleted application', async () => {
    const app = await application();
    await scheduled(app.id);
    await w.db.owner`update applications set deleted_at = now() where id = ${app.id}`;

    const res = await call('GET /applications/{id}/interviews', w.graph.keys.ats, { params: { id: app.id } });

    expect(res.status).toBe(404);
  });

  it('refuses a malformed cursor with 400', async () => {
    const app = await application();

    const res = await call('GET /applications/{id}/interviews', w.graph.keys.ats, {
      params: { id: app.id },
      query: { cursor: 'not-a-cursor' },
    });

    expect([res.status, res.body.error.details.issues[0].path]).toEqual([400, 'query.cursor']);
  });

  it('forbids the portal', async () => {
    const app = await application();

    const res = await call('GET /applications/{id}/interviews', w.graph.keys.portal, {
      params: { id: app.id },
    });

    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('scorecards', () => {
  const scorecard = {
    interviewer: { name: 'Alan Turing', email: 'alan@example.com' },
    recommendation: 'yes',
    attributes: [{ name: 'Problem solving', rating: 'strong' }],
  };

  it('submits a scorecard for an interview and lists it with the application', async () => {
    const app = await application();
    const interview = await scheduled(app.id);

    const posted = await call('POST /interviews/{id}/scorecards', w.graph.keys.ats, {
      params: { id: interview.id },
      body: scorecard,
    });
    const listed = await call('GET /applications/{id}/scorecards', w.graph.keys.ats, {
      params: { id: app.id },
    });

    expect(posted.status).toBe(201);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        id: posted.body.id,
        interviewId: interview.id,
        interviewer: { name: 'Alan Turing', email: 'alan@example.com' },
        recommendation: 'yes',
        attributes: [{ name: 'Problem solving', rating: 'strong' }],
        source: 'hub',
      }),
    ]);
  });

  it('writes scorecard.submitted in the same transaction', async () => {
    const interview = await scheduled((await application()).id);

    const posted = await call('POST /interviews/{id}/scorecards', w.graph.keys.ats, {
      params: { id: interview.id },
      body: scorecard,
    });

    const rows = await w.db.owner`select payload from outbox
      where event_type = 'scorecard.submitted' and payload->>'scorecardId' = ${posted.body.id}`;
    expect(rows.length).toBe(1);
  });

  it('answers a scorecard for another organization’s interview with 404 and writes nothing', async () => {
    const foreignApp = await application(w.other);
    const foreign = await call('POST /applications/{id}/interviews', w.other.keys.ats, {
      params: { id: foreignApp.id },
      body: interviewBody(),
    });
    const before = await count('scorecards');

    const res = await call('POST /interviews/{id}/scorecards', w.graph.keys.ats, {
      params: { id: foreign.body.id },
      body: scorecard,
    });

    expect([res.status, res.body.error.code, await count('scorecards')]).toEqual([404, 'NOT_FOUND', before]);
  });

  it('refuses a scorecard for a cancelled interview with 422', async () => {
    const interview = await scheduled((await application()).id);
    await call('PATCH /interviews/{id}', w.graph.keys.ats, {
      params: { id: interview.id },
      body: { status: 'cancelled' },
    });

    const res = await call('POST /interviews/{id}/scorecards', w.graph.keys.ats, {
      params: { id: interview.id },
      body: scorecard,
    });

    expect([res.status, res.body.error.code]).toEqual([422, 'INVALID_TRANSITION']);
  });
});

describe('offers', () => {
  it('lists an application’s offers, without soft-deleted ones', async () => {
    const app = await application();
    const [kept] = await w.db.owner<{ id: string }[]>`
      insert into offers (organization_id, application_id, status, sent_at, starts_at, source)
      values (${w.graph.organizationId}, ${app.id}, 'sent', '2026-12-01T10:00:00Z', '2027-01-04', 'greenhouse')
      returning id`;
    await w.db.owner`insert into offers (organization_id, application_id, status, source, deleted_at)
      values (${w.graph.organizationId}, ${app.id}, 'draft', 'greenhouse', now())`;

    const res = await call('GET /applications/{id}/offers', w.graph.keys.ats, { params: { id: app.id } });

    expect(res.body).toEqual({
      items: [
        {
          id: kept!.id,
          applicationId: app.id,
          status: 'sent',
          sentAt: '2026-12-01T10:00:00.000Z',
          resolvedAt: null,
          startsAt: '2027-01-04',
          source: 'greenhouse',
        },
      ],
      nextCursor: null,
    });
  });
});
