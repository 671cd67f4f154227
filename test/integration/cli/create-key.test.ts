/**
 * `npm run keys:create` against a migrated database with owner credentials: organization keys as before, and
 * with `--user` a new user whose personal key authenticates as its mapped key role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../infra/cli/create-key.js';
import { findPrincipalByKey } from '../../../shared/db/repositories/api-keys.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { seedTenantGraph, type TenantGraph } from '../../support/fixtures.js';

let db: TestDatabase;
let graph: TenantGraph;

beforeAll(async () => {
  db = await createTestDatabase();
  graph = await seedTenantGraph(db.owner);
});

afterAll(async () => {
  await db?.close();
});

async function run(argv: string[]) {
  const lines: string[] = [];
  const code = await main(argv, { databaseUrl: db.ownerUrl, write: (line) => lines.push(line) });
  const output = lines.join('');
  return { code, output, key: /(hub_[a-z]+_[A-Za-z0-9_-]+)/.exec(output)?.[1] };
}

describe('keys:create', () => {
  it('creates an organization key as before', async () => {
    const { code, key } = await run(['--org', graph.organizationId, '--role', 'ats']);

    const principal = await findPrincipalByKey(db.app, key!);

    expect([code, principal?.role, principal?.userId]).toEqual([0, 'ats', undefined]);
  });

  it('creates a user with its personal key for --user', async () => {
    const { code, key } = await run([
      '--org',
      graph.organizationId,
      '--user',
      'mae.jemison@example.com',
      '--name',
      'Mae Jemison',
      '--role',
      'hiring_manager',
    ]);

    const principal = await findPrincipalByKey(db.app, key!);
    const [user] = await db.owner<{ id: string; role: string }[]>`
      select id, role from users where email = 'mae.jemison@example.com'`;

    expect([code, principal?.role, principal?.userId, principal?.label]).toEqual([
      0,
      'ats',
      user!.id,
      'Mae Jemison',
    ]);
    expect(user!.role).toBe('hiring_manager');
  });

  it('refuses a second active user with the same e-mail and writes nothing', async () => {
    const argv = [
      '--org',
      graph.organizationId,
      '--user',
      'twin@example.com',
      '--name',
      'Twin',
      '--role',
      'admin',
    ];
    await run(argv);

    const second = await run(argv);

    const [row] = await db.owner<
      { n: number }[]
    >`select count(*)::int as n from users where email = 'twin@example.com'`;
    expect([second.code, second.key, row!.n]).toEqual([1, undefined, 1]);
  });

  it('refuses a key role given as a user role', async () => {
    await expect(
      run(['--org', graph.organizationId, '--user', 'x@example.com', '--name', 'X', '--role', 'ats']),
    ).rejects.toThrow(/--role of a user/);
  });
});
