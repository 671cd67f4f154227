/** Candidates and tags through the ats-record handler: reads, filters, edits, tag replacement and its event. */
import { describe, expect, it } from 'vitest';
import { allPages } from '../../support/pages.js';
import { recordWorld } from './ats-record-api.js';

const { w, call, application, count } = recordWorld();

const putTags = (candidateId: string, tags: unknown) =>
  call('PUT /candidates/{id}/tags', w.graph.keys.ats, { params: { id: candidateId }, body: { tags } });

describe('candidates', () => {
  it('reads a candidate with its applications, attachments and remote ids', async () => {
    const app = await application();
    await w.db
      .owner`insert into candidate_attachments (organization_id, candidate_id, file_name, attachment_type, source)
      values (${w.graph.organizationId}, ${app.candidateId}, 'cv.pdf', 'resume', 'greenhouse')`;
    await w.db
      .owner`insert into external_refs (organization_id, integration_id, object_type, local_id, remote_id)
      values (${w.graph.organizationId}, ${w.graph.integrationId}, 'candidate', ${app.candidateId}, 'gh-c-1')`;

    const res = await call('GET /candidates/{id}', w.graph.keys.ats, { params: { id: app.candidateId } });

    expect(res.body).toMatchObject({
      id: app.candidateId,
      firstName: 'Grace',
      emails: [{ value: `grace-${app.id}@example.com`, type: 'other' }],
      phones: [],
      tags: [],
      applications: [{ id: app.id, jobId: w.graph.jobId, stage: 'Screening', status: 'active' }],
      attachments: [{ fileName: 'cv.pdf', type: 'resume', source: 'greenhouse' }],
      externalRefs: [
        {
          provider: 'greenhouse',
          integrationId: w.graph.integrationId,
          type: 'candidate',
          remoteId: 'gh-c-1',
        },
      ],
    });
  });

  it('leaves soft-deleted applications and attachments out', async () => {
    const app = await application();
    await w.db
      .owner`insert into candidate_attachments (organization_id, candidate_id, file_name, attachment_type,
        source, deleted_at)
      values (${w.graph.organizationId}, ${app.candidateId}, 'old.pdf', 'resume', 'greenhouse', now())`;
    await w.db.owner`update applications set deleted_at = now() where id = ${app.id}`;

    const res = await call('GET /candidates/{id}', w.graph.keys.ats, { params: { id: app.candidateId } });

    expect([res.body.applications, res.body.attachments]).toEqual([[], []]);
  });

  it('finds a candidate by any of its emails, case-insensitively', async () => {
    const app = await application();
    await call('PATCH /candidates/{id}', w.graph.keys.ats, {
      params: { id: app.candidateId },
      body: {
        emails: [
          { value: `work-${app.id}@example.com`, type: 'work' },
          { value: `home-${app.id}@example.com`, type: 'personal' },
        ],
      },
    });

    const res = await call('GET /candidates', w.graph.keys.ats, {
      query: { email: `HOME-${app.id}@example.com` },
    });

    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([app.candidateId]);
  });

  it('pages through candidates, recently updated first, without repeating one', async () => {
    const first = await call('GET /candidates', w.graph.keys.admin, { query: { limit: '2' } });
    const second = await call('GET /candidates', w.graph.keys.admin, {
      query: { limit: '2', cursor: first.body.nextCursor },
    });

    const ids = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('pages through candidates updated in the same microsecond without skipping one', async () => {
    await application();
    await application();
    await w.db.owner`update candidates set updated_at = '2026-03-01T10:00:00.123456Z'
      where organization_id = ${w.graph.organizationId}`;
    const [{ n }] = await w.db.owner<[{ n: number }]>`select count(*)::int as n from candidates
      where organization_id = ${w.graph.organizationId} and deleted_at is null`;

    const seen = await allPages<{ id: string }>(
      async (cursor) =>
        (
          await call('GET /candidates', w.graph.keys.admin, {
            query: { limit: '1', ...(cursor ? { cursor } : {}) },
          })
        ).body,
    );

    expect([seen.length, new Set(seen.map((c) => c.id)).size]).toEqual([n, n]);
  });

  it('filters by tag', async () => {
    const tagged = await application();
    await application();
    await putTags(tagged.candidateId, ['Rust guild']);

    const res = await call('GET /candidates', w.graph.keys.ats, { query: { tag: 'rust GUILD' } });

    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([tagged.candidateId]);
  });

  it('filters by update time', async () => {
    const app = await application();
    await w.db
      .owner`update candidates set updated_at = '2020-01-01T00:00:00Z' where organization_id = ${w.graph.organizationId}`;
    await call('PATCH /candidates/{id}', w.graph.keys.ats, {
      params: { id: app.candidateId },
      body: { title: 'CTO' },
    });

    const res = await call('GET /candidates', w.graph.keys.ats, {
      query: { updatedAfter: '2021-01-01T00:00:00Z' },
    });

    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([app.candidateId]);
  });

  it('changes name, phones, company and title; the first phone becomes the primary one', async () => {
    const app = await application();

    const res = await call('PATCH /candidates/{id}', w.graph.keys.ats, {
      params: { id: app.candidateId },
      body: {
        firstName: 'Amazing Grace',
        phones: [{ value: '+1 555 0199', type: 'mobile' }],
        company: 'US Navy',
        title: 'Rear Admiral',
      },
    });

    const [row] = await w.db.owner`select phone from candidates where id = ${app.candidateId}`;
    expect(res.body).toMatchObject({
      firstName: 'Amazing Grace',
      lastName: 'Hopper',
      phones: [{ value: '+1 555 0199', type: 'mobile' }],
      company: 'US Navy',
      title: 'Rear Admiral',
    });
    expect(row!.phone).toBe('+1 555 0199');
  });

  it('refuses an email another candidate holds with 400', async () => {
    const taken = await application();
    const app = await application();

    const res = await call('PATCH /candidates/{id}', w.graph.keys.ats, {
      params: { id: app.candidateId },
      body: { emails: [{ value: `grace-${taken.id}@example.com`, type: 'work' }] },
    });

    expect([res.status, res.body.error.details.issues[0].path]).toEqual([400, 'body.emails.0.value']);
  });

  it('refuses unknown fields with 400', async () => {
    const app = await application();

    const res = await call('PATCH /candidates/{id}', w.graph.keys.ats, {
      params: { id: app.candidateId },
      body: { nickname: 'Amazing Grace' },
    });

    expect([res.status, res.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('answers another organization’s candidate with 404', async () => {
    const res = await call('GET /candidates/{id}', w.graph.keys.ats, { params: { id: w.other.candidateId } });

    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses a malformed cursor with 400', async () => {
    const res = await call('GET /candidates', w.graph.keys.ats, { query: { cursor: 'WyJ4Il0' } });

    expect([res.status, res.body.error.details.issues[0].path]).toEqual([400, 'query.cursor']);
  });

  it('forbids the portal', async () => {
    const res = await call('GET /candidates', w.graph.keys.portal);

    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('tags', () => {
  it('replaces the set, keeping one spelling per tag', async () => {
    const app = await application();
    await putTags(app.candidateId, ['Python', 'remote']);

    const res = await putTags(app.candidateId, ['remote', 'Go', 'go']);

    expect(res.body).toEqual({ candidateId: app.candidateId, tags: ['Go', 'remote'] });
  });

  it('writes candidate.tags_changed with what was added and removed and sends it to the sync worker', async () => {
    const app = await application();
    await putTags(app.candidateId, ['Python', 'remote']);

    await putTags(app.candidateId, ['remote', 'Go']);

    const events = w.sync.sent
      .map((m) => JSON.parse(m.body))
      .filter((m) => m.eventType === 'candidate.tags_changed' && m.aggregateId === app.candidateId);
    expect(events.map((e) => e.payload)).toEqual([
      { candidateId: app.candidateId, added: ['Python', 'remote'], removed: [] },
      { candidateId: app.candidateId, added: ['Go'], removed: ['Python'] },
    ]);
  });

  it('writes no event when the set is unchanged', async () => {
    const app = await application();
    await putTags(app.candidateId, ['remote']);
    const before = await count('outbox');

    await putTags(app.candidateId, ['Remote']);

    expect(await count('outbox')).toBe(before);
  });

  it('refuses a tag of 500 characters with 400 and writes nothing', async () => {
    const app = await application();
    const before = [await count('tags'), await count('candidate_tags'), await count('outbox')];

    const res = await putTags(app.candidateId, ['ok', 'x'.repeat(500)]);

    expect([res.status, res.body.error.details.issues[0].path]).toEqual([400, 'body.tags.1']);
    expect([await count('tags'), await count('candidate_tags'), await count('outbox')]).toEqual(before);
  });

  it('answers another organization’s candidate with 404 and writes nothing', async () => {
    const before = await count('tags');

    const res = await putTags(w.other.candidateId, ['poached']);

    expect([res.status, await count('tags')]).toEqual([404, before]);
  });

  it('lists the organization’s tags by name, page by page', async () => {
    const app = await application();
    await putTags(app.candidateId, ['zeta-list', 'alpha-list']);

    const tags = await allPages<{ name: string }>(
      async (cursor) =>
        (await call('GET /tags', w.graph.keys.ats, { query: { limit: '1', ...(cursor ? { cursor } : {}) } }))
          .body,
    );

    expect(tags.map((t) => t.name).filter((n) => n.endsWith('-list'))).toEqual(['alpha-list', 'zeta-list']);
  });
});
