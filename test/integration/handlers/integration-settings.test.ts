import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Role, type WriteBackWorld, writeBackWorld } from './write-back-api.js';

let world: WriteBackWorld;

beforeAll(async () => {
  world = await writeBackWorld();
});

beforeEach(async () => {
  await world.db.owner`
    update integrations set settings = ${world.db.owner.json({ perPage: 100 })}, sync_interval_seconds = 900
    where id = ${world.graph.integrationId}`;
});

afterAll(async () => {
  await world?.close();
});

const patch = (settings: Record<string, unknown>, role: Role = 'admin', id = world.graph.integrationId) =>
  world.call('PATCH /integrations/{id}', { id }, role, { settings });

async function stored() {
  const [row] = await world.db.owner<{ settings: Record<string, unknown>; sync_interval_seconds: number }[]>`
    select settings, sync_interval_seconds from integrations where id = ${world.graph.integrationId}`;
  return row!;
}

const issuePaths = (body: { error: { details: { issues?: { path: string }[] } } }) =>
  body.error.details.issues?.map((i) => i.path);

describe('PATCH /integrations/{id}', () => {
  it('answers the effective settings, the write-back defaults filled in', async () => {
    const res = await patch({ sourceId: 'src-42' });
    expect([res.status, res.body.settings]).toEqual([
      200,
      expect.objectContaining({
        pushSubmissions: true,
        actingUserId: null,
        sourceId: 'src-42',
        perPage: 100,
      }),
    ]);
  });

  it('stores the given keys and keeps the others', async () => {
    await patch({ pushSubmissions: false, actingUserId: 'user-7' });
    expect((await stored()).settings).toEqual({
      perPage: 100,
      pushSubmissions: false,
      actingUserId: 'user-7',
    });
  });

  it('clears a setting given as null', async () => {
    await patch({ actingUserId: 'user-7' });
    await patch({ actingUserId: null });
    expect((await stored()).settings).toMatchObject({ actingUserId: null });
  });

  it('changes the sync interval column, not the settings object', async () => {
    await patch({ syncIntervalSeconds: 600 });
    const row = await stored();
    expect([row.sync_interval_seconds, 'syncIntervalSeconds' in row.settings]).toEqual([600, false]);
  });

  it('answers 400 naming a write-back setting of the wrong type', async () => {
    const res = await patch({ pushSubmissions: 'yes' });
    expect([res.status, issuePaths(res.body)]).toEqual([400, ['body.settings.pushSubmissions']]);
  });

  it("answers 400 naming a setting the provider's schema refuses", async () => {
    const res = await patch({ actingUserId: '   ' });
    expect([res.status, issuePaths(res.body)]).toEqual([400, ['body.settings.actingUserId']]);
  });

  it('leaves the stored settings alone when refusing', async () => {
    await patch({ perPage: 5000 });
    expect((await stored()).settings).toEqual({ perPage: 100 });
  });

  it('answers 404 for an unknown integration', async () => {
    const res = await patch({ pushSubmissions: false }, 'admin', '00000000-0000-4000-8000-000000000000');
    expect([res.status, res.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });

  it.each(['ats', 'portal'] as const)('refuses the %s role with 403', async (role) => {
    const res = await patch({ pushSubmissions: false }, role);
    expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('POST /integrations settings', () => {
  const connect = (settings: Record<string, unknown>) =>
    world.call('POST /integrations', {}, 'admin', {
      provider: 'greenhouse',
      credentials: { clientId: 'gh-client', clientSecret: 'gh-secret', userId: '4080' },
      settings,
    });

  it('accepts the write-back settings', async () => {
    const res = await connect({ pushSubmissions: false, actingUserId: '4080', sourceId: '12' });
    expect(res.status).toBe(201);
  });

  it('answers 400 naming a bad setting', async () => {
    const res = await connect({ actingUserId: '' });
    expect([res.status, issuePaths(res.body)]).toEqual([400, ['body.settings.actingUserId']]);
  });
});
