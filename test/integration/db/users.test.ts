/**
 * Users under the runtime role (hub_app, row-level security forced): the repository writes a user with its
 * personal key, a personal key resolves to its user while the user is active and to nothing once deactivated,
 * and the transaction's acting user is recorded on history rows and notes.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findPrincipalByKey, insertApiKey } from '../../../shared/db/repositories/api-keys.js';
import { deactivateUser, insertUserWithKey, listUsers } from '../../../shared/db/repositories/users.js';
import { type DbRole, withCaller, withTenant } from '../../../shared/db/tenant.js';
import { seedTenantGraph } from '../../support/fixtures.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();

const asAdmin = <T>(fn: Parameters<typeof withTenant<T>>[3], organizationId = seeded.graph.organizationId) =>
  withTenant(seeded.db.app, organizationId, 'admin', fn);

const newUser = (role: 'recruiter' | 'admin' | 'hiring_manager' | 'agency_recruiter' = 'recruiter') =>
  asAdmin((tx) =>
    insertUserWithKey(tx, {
      organizationId: seeded.graph.organizationId,
      email: `person-${randomUUID()}@example.com`,
      name: 'Mary Jackson',
      role,
    }),
  );

describe('users under the runtime role', () => {
  it('stores the personal key as its hash only', async () => {
    const { key } = await newUser();

    const [row] = await seeded.db.owner<
      { key_hash: string }[]
    >`select key_hash from api_keys where id = ${key.id}`;

    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.key_hash).not.toContain(key.key);
  });

  it('resolves a personal key to its user, its mapped key role and its name', async () => {
    const { user, key } = await newUser('hiring_manager');

    const principal = await findPrincipalByKey(seeded.db.app, key.key);

    expect(principal).toEqual({
      organizationId: seeded.graph.organizationId,
      role: 'ats',
      keyId: key.id,
      label: 'Mary Jackson',
      userId: user.id,
    });
  });

  it('maps an agency recruiter to the portal key role', async () => {
    const { key } = await newUser('agency_recruiter');

    expect((await findPrincipalByKey(seeded.db.app, key.key))?.role).toBe('portal');
  });

  it('resolves no principal for the key of a deactivated user', async () => {
    const { user, key } = await newUser();

    await asAdmin((tx) => deactivateUser(tx, user.id));

    expect(await findPrincipalByKey(seeded.db.app, key.key)).toBeNull();
  });

  it('resolves no principal for a personal key whose user alone was deactivated', async () => {
    const { user, key } = await newUser();

    // only the user row changes: the key itself is still unrevoked
    await seeded.db.owner`update users set deactivated_at = now() where id = ${user.id}`;

    expect(await findPrincipalByKey(seeded.db.app, key.key)).toBeNull();
  });

  it('revokes every key of a deactivated user', async () => {
    const { user } = await newUser();
    const second = await insertApiKey(seeded.db.owner, {
      organizationId: seeded.graph.organizationId,
      role: 'ats',
      label: 'second',
      userId: user.id,
    });

    await asAdmin((tx) => deactivateUser(tx, user.id));

    expect(await findPrincipalByKey(seeded.db.app, second.key)).toBeNull();
  });

  it('does not deactivate a user of another organization', async () => {
    const other = await seedTenantGraph(seeded.db.owner, 'Other');
    const { user, key } = await newUser();

    const result = await asAdmin((tx) => deactivateUser(tx, user.id), other.organizationId);

    expect(result).toBeUndefined();
    expect(await findPrincipalByKey(seeded.db.app, key.key)).not.toBeNull();
  });

  it('refuses a second active user with the same e-mail in any case', async () => {
    const email = `twin-${randomUUID()}@example.com`;
    const insert = (address: string) =>
      asAdmin((tx) =>
        insertUserWithKey(tx, {
          organizationId: seeded.graph.organizationId,
          email: address,
          name: 'Twin',
          role: 'admin',
        }),
      );
    await insert(email);

    await expect(insert(email.toUpperCase())).rejects.toMatchObject({
      constraint_name: 'users_org_email_idx',
    });
  });

  it.each<DbRole>(['ats', 'portal'])('refuses a user written by the %s role', async (role) => {
    const write = withTenant(seeded.db.app, seeded.graph.organizationId, role, (tx) =>
      insertUserWithKey(tx, {
        organizationId: seeded.graph.organizationId,
        email: `x-${randomUUID()}@example.com`,
        name: 'Intruder',
        role: 'admin',
      }),
    );

    await expect(write).rejects.toMatchObject({ code: '42501' });
  });

  it('lists the organization’s users only, oldest first, in pages', async () => {
    const other = await seedTenantGraph(seeded.db.owner, 'Listed');
    await newUser();

    const [mine, theirs] = [
      await asAdmin((tx) => listUsers(tx, 500)),
      await asAdmin((tx) => listUsers(tx, 500), other.organizationId),
    ];
    const firstPage = await asAdmin((tx) => listUsers(tx, 1));
    const secondPage = await asAdmin((tx) => listUsers(tx, 1, [firstPage[0]!.sort_at, firstPage[0]!.id]));

    expect(theirs.map((u) => u.name)).toEqual(['Fixture User']);
    expect(mine.map((u) => u.id).slice(0, 2)).toEqual([firstPage[0]!.id, secondPage[0]!.id]);
  });

  it('records the acting user on the history rows and notes a personal key writes', async () => {
    const { user, key } = await newUser();
    const caller = {
      organizationId: seeded.graph.organizationId,
      role: 'ats' as const,
      keyId: key.id,
      userId: user.id,
    };
    const { applicationId, candidateId, stageIds } = seeded.graph;

    const [history, note] = await withCaller(seeded.db.app, caller, async (tx) => [
      (
        await tx<{ actor_user_id: string }[]>`
        insert into application_stage_history (organization_id, application_id, to_stage_id, to_status, actor_role, source)
        values (app_org(), ${applicationId}, ${stageIds[1]!}, 'active', 'ats', 'ats') returning actor_user_id`
      )[0]!,
      (
        await tx<{ author_user_id: string }[]>`
        insert into notes (organization_id, candidate_id, body, visibility, source)
        values (app_org(), ${candidateId}, 'by a person', 'organization', 'hub') returning author_user_id`
      )[0]!,
    ]);

    expect([history.actor_user_id, note.author_user_id]).toEqual([user.id, user.id]);
  });

  it('records no acting user for an organization key', async () => {
    const { applicationId, stageIds } = seeded.graph;

    const [row] = await withTenant(
      seeded.db.app,
      seeded.graph.organizationId,
      'ats',
      (tx) =>
        tx<{ actor_user_id: string | null }[]>`
        insert into application_stage_history (organization_id, application_id, to_stage_id, to_status, actor_role, source)
        values (app_org(), ${applicationId}, ${stageIds[1]!}, 'active', 'ats', 'ats') returning actor_user_id`,
    );

    expect(row!.actor_user_id).toBeNull();
  });

  it('shows a private note to its author’s other keys, and to no other user', async () => {
    const { user, key } = await newUser();
    const other = await newUser();
    const { organizationId, candidateId } = seeded.graph;
    const second = await insertApiKey(seeded.db.owner, {
      organizationId,
      role: 'ats',
      label: 'laptop',
      userId: user.id,
    });
    const as = (keyId: string, userId: string) => ({ organizationId, role: 'ats' as const, keyId, userId });
    const [note] = await withCaller(
      seeded.db.app,
      as(key.id, user.id),
      (tx) =>
        tx<{ id: string }[]>`
        insert into notes (organization_id, candidate_id, body, author_key_id, visibility, source)
        values (app_org(), ${candidateId}, 'mine', ${key.id}, 'private', 'hub') returning id`,
    );
    const read = (keyId: string, userId: string) =>
      withCaller(seeded.db.app, as(keyId, userId), (tx) => tx`select id from notes where id = ${note!.id}`);

    const [byOtherKey, byOtherUser] = [
      await read(second.id, user.id),
      await read(other.key.id, other.user.id),
    ];

    expect([byOtherKey.length, byOtherUser.length]).toEqual([1, 0]);
  });
});
