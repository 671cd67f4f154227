/**
 * Private notes through the runtime role (hub_app, row-level security forced): the notes policy shows a private
 * note to the transaction whose `app.actor_id` is its author's key, and to no other key of the organization,
 * whatever its role. The routes rely on this; nothing in their queries filters visibility.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertApiKey } from '../../../shared/db/repositories/api-keys.js';
import { type DbRole, withTenant } from '../../../shared/db/tenant.js';
import { seededDatabase } from '../../support/seeded-database.js';

const seeded = seededDatabase();
let author: string;
let otherAdmin: string;
let noteId: string;

const asKey = <T>(role: DbRole, actorId: string | undefined, fn: Parameters<typeof withTenant<T>>[3]) =>
  withTenant(seeded.db.app, seeded.graph.organizationId, role, fn, actorId ? { actorId } : {});

const visibleNotes = (role: DbRole, actorId?: string) =>
  asKey(role, actorId, (tx) => tx<{ id: string }[]>`select id from notes where id = ${noteId}`);

beforeAll(async () => {
  const { organizationId } = seeded.graph;
  author = (await insertApiKey(seeded.db.owner, { organizationId, role: 'ats', label: 'author' })).id;
  otherAdmin = (await insertApiKey(seeded.db.owner, { organizationId, role: 'admin', label: 'boss' })).id;
  noteId = randomUUID();
  await asKey(
    'ats',
    author,
    (
      tx,
    ) => tx`insert into notes (id, organization_id, candidate_id, body, author, author_key_id, visibility, source)
      values (${noteId}, ${organizationId}, ${seeded.graph.candidateId}, 'private thought', 'author', ${author},
        'private', 'hub')`,
  );
});

describe('private notes under the runtime role', () => {
  it('are read by their author’s key', async () => {
    expect(await visibleNotes('ats', author)).toHaveLength(1);
  });

  it('are not read by another admin key of the same organization', async () => {
    expect(await visibleNotes('admin', otherAdmin)).toHaveLength(0);
  });

  it('are not read by a transaction that names no actor', async () => {
    expect(await visibleNotes('admin')).toHaveLength(0);
  });

  it('cannot be changed by another key', async () => {
    const changed = await asKey(
      'admin',
      otherAdmin,
      (tx) => tx`update notes set body = 'edited' where id = ${noteId} returning id`,
    );

    expect(changed).toHaveLength(0);
  });

  it('cannot be written in another key’s name', async () => {
    const forge = asKey(
      'admin',
      otherAdmin,
      (tx) => tx`insert into notes (organization_id, candidate_id, body, author_key_id, visibility, source)
        values (${seeded.graph.organizationId}, ${seeded.graph.candidateId}, 'forged', ${author}, 'private', 'hub')`,
    );

    await expect(forge).rejects.toMatchObject({ code: '42501' });
  });

  it('are read by another key once the note is shared with the organization', async () => {
    await seeded.db.owner`update notes set visibility = 'organization' where id = ${noteId}`;

    const seen = await visibleNotes('admin', otherAdmin);

    await seeded.db.owner`update notes set visibility = 'private' where id = ${noteId}`;
    expect(seen).toHaveLength(1);
  });
});

describe('the acting key setting', () => {
  it('refuses an actor that is not a UUID before any statement runs', async () => {
    await expect(visibleNotes('ats', "x', true); select 1; --")).rejects.toBeInstanceOf(TypeError);
  });
});
