/** Notes and rejection reasons through the ats-record handler: authorship, visibility, events and refusals. */
import { describe, expect, it } from 'vitest';
import { recordWorld } from './ats-record-api.js';

const { w, call, sample, application, key, count } = recordWorld();

const postNote = (applicationId: string, body: unknown, apiKey = w.graph.keys.ats) =>
  call('POST /applications/{id}/notes', apiKey, { params: { id: applicationId }, body });

const listNotes = (applicationId: string, apiKey = w.graph.keys.ats) =>
  call('GET /applications/{id}/notes', apiKey, { params: { id: applicationId } });

describe('notes', () => {
  it('answers the sample event with the created note', async () => {
    const app = await application();

    const res = await sample('create-note', { applicationId: app.id, atsKey: w.graph.keys.ats });

    expect([res.status, res.body.visibility, res.body.applicationId]).toEqual([201, 'organization', app.id]);
  });

  it('writes a note authored by the key’s label', async () => {
    const app = await application();

    const res = await postNote(app.id, { body: 'Strong systems design.', visibility: 'organization' });

    expect([res.status, res.body]).toMatchObject([
      201,
      {
        applicationId: app.id,
        body: 'Strong systems design.',
        author: 'ats',
        visibility: 'organization',
        source: 'hub',
      },
    ]);
  });

  it('names the key by its id when its label is an email', async () => {
    const app = await application();
    const labelled = await key('ats', 'recruiter@example.com');

    const res = await postNote(app.id, { body: 'Call back Monday.', visibility: 'shared' }, labelled.key);

    expect(res.body.author).toBe(labelled.id);
  });

  it('writes note.created and hands it to the sync worker at once', async () => {
    const app = await application();

    const res = await postNote(app.id, { body: 'Prefers remote.', visibility: 'shared' });

    const sent = w.sync.sent.map((m) => JSON.parse(m.body)).filter((m) => m.eventType === 'note.created');
    expect(sent.map((m) => m.payload)).toContainEqual({
      noteId: res.body.id,
      candidateId: app.candidateId,
      applicationId: app.id,
      visibility: 'shared',
    });
  });

  it('lists the application’s notes with the candidate’s notes on no application', async () => {
    const app = await application();
    const other = await application();
    await w.db.owner`insert into notes (organization_id, candidate_id, body, author, visibility, source)
      values (${w.graph.organizationId}, ${app.candidateId}, 'From the activity feed', 'Jane Recruiter',
        'organization', 'greenhouse')`;
    await postNote(other.id, { body: 'Another application', visibility: 'organization' });
    await postNote(app.id, { body: 'This application', visibility: 'organization' });

    const res = await listNotes(app.id);

    expect(res.body.items.map((n: { body: string }) => n.body)).toEqual([
      'From the activity feed',
      'This application',
    ]);
  });

  it('shows a private note to its author only, whatever the other key’s role', async () => {
    const app = await application();
    const admin = await key('admin', 'second admin');
    await postNote(app.id, { body: 'My own reminder', visibility: 'private' });

    const [author, other] = [await listNotes(app.id), await listNotes(app.id, admin.key)];

    expect([author.body.items.length, other.body.items.length]).toEqual([1, 0]);
  });

  it('leaves soft-deleted notes out', async () => {
    const app = await application();
    const note = await postNote(app.id, { body: 'Withdrawn remark', visibility: 'organization' });
    await w.db.owner`update notes set deleted_at = now() where id = ${note.body.id}`;

    const res = await listNotes(app.id);

    expect(res.body.items).toEqual([]);
  });

  it('refuses an unknown visibility with 400 and writes nothing', async () => {
    const app = await application();
    const before = [await count('notes'), await count('outbox')];

    const res = await postNote(app.id, { body: 'Hello', visibility: 'public' });

    expect([res.status, res.body.error.details.issues[0].path]).toEqual([400, 'body.visibility']);
    expect([await count('notes'), await count('outbox')]).toEqual(before);
  });

  it('answers another organization’s application with 404 and writes nothing', async () => {
    const foreign = await application(w.other);
    const before = await count('notes');

    const res = await postNote(foreign.id, { body: 'Hello', visibility: 'organization' });

    expect([res.status, await count('notes')]).toEqual([404, before]);
  });
});

describe('rejection reasons', () => {
  it('adds a reason of the hub, for admins', async () => {
    const res = await call('POST /rejection-reasons', w.graph.keys.admin, {
      body: { name: 'Salary expectations', category: 'offer' },
    });

    expect([res.status, res.body]).toMatchObject([
      201,
      { name: 'Salary expectations', category: 'offer', source: 'hub' },
    ]);
  });

  it('forbids the ats role to add one', async () => {
    const res = await call('POST /rejection-reasons', w.graph.keys.ats, { body: { name: 'Too senior' } });

    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('lists live reasons by name, without soft-deleted ones', async () => {
    await w.db.owner`insert into rejection_reasons (organization_id, name, source, deleted_at)
      values (${w.graph.organizationId}, 'Gone at the provider', 'greenhouse', now())`;
    await call('POST /rejection-reasons', w.graph.keys.admin, { body: { name: 'Another role' } });

    const res = await call('GET /rejection-reasons', w.graph.keys.ats);

    const names = res.body.items.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toContain('Another role');
    expect(names).not.toContain('Gone at the provider');
  });
});
