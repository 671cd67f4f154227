/**
 * `npm run keys:create -- --org <id> --role admin|ats|portal [--label text]`
 * `npm run keys:create -- --new-org "Name" --role admin`
 * `npm run keys:create -- --org <id> --user <email> --name "Full Name" --role admin|recruiter|hiring_manager|agency_recruiter`
 * Creates an organization and/or an API key with owner credentials (DATABASE_URL) and prints the key once;
 * only its hash is stored. This is how the first admin key of a deployment is made. With `--user` the key is the
 * personal key of a new user of that role (docs/api.md, "Users"), as `POST /users` makes it.
 */
import { parseArgs } from 'node:util';
import { createDbClient } from '../../shared/db/client.js';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';
import { insertUserWithKey } from '../../shared/db/repositories/users.js';
import type { Tx } from '../../shared/db/tenant.js';
import { type UserRole, userRoles } from '../../shared/domain/users.js';
import { runIfMain } from './run-main.js';

const KEY_ROLES = ['admin', 'ats', 'portal'] as const;
type KeyRole = (typeof KEY_ROLES)[number];

export interface CreateKeyIo {
  databaseUrl: string | undefined;
  write(line: string): void;
}

function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      org: { type: 'string' },
      'new-org': { type: 'string' },
      role: { type: 'string', default: 'admin' },
      label: { type: 'string', default: 'created by keys:create' },
      user: { type: 'string' },
      name: { type: 'string' },
    },
  });
  if (!values.org && !values['new-org']) throw new Error('--org <id> or --new-org <name> is required');
  if (values.user === undefined) {
    if (!KEY_ROLES.includes(values.role as KeyRole)) throw new Error('--role must be admin, ats or portal');
    return { ...values, role: values.role as KeyRole, user: undefined };
  }
  if (!userRoles.includes(values.role as UserRole)) {
    throw new Error(`--role of a user must be one of ${userRoles.join(', ')}`);
  }
  if (!values.user.includes('@')) throw new Error('--user must be an e-mail address');
  if (!values.name?.trim()) throw new Error('--name is required with --user');
  return { ...values, user: { email: values.user, name: values.name.trim(), role: values.role as UserRole } };
}

async function organizationOf(tx: Tx, options: { org?: string; 'new-org'?: string }, io: CreateKeyIo) {
  if (options.org) return options.org;
  const [org] = await tx<
    { id: string }[]
  >`insert into organizations (name) values (${options['new-org']!}) returning id`;
  io.write(`organization ${org!.id}\n`);
  return org!.id;
}

export async function main(
  argv: string[],
  io: CreateKeyIo = { databaseUrl: process.env.DATABASE_URL, write: (line) => process.stdout.write(line) },
): Promise<number> {
  const options = parse(argv);
  if (!io.databaseUrl) throw new Error('DATABASE_URL (owner credentials) is required');
  const sql = createDbClient({ url: io.databaseUrl, max: 1 });
  try {
    await sql.begin(async (tx) => {
      const organizationId = await organizationOf(tx, options, io);
      if (options.user) {
        const { user, key } = await insertUserWithKey(tx, { organizationId, ...options.user });
        io.write(`user ${user.id} (${user.role}), key ${key.id}: ${key.key}\n`);
      } else {
        const { id, key } = await insertApiKey(tx, {
          organizationId,
          role: options.role,
          label: options.label,
        });
        io.write(`key ${id} (${options.role}): ${key}\n`);
      }
    });
    io.write('Store it now: it is not shown again.\n');
    return 0;
  } catch (error) {
    if ((error as { constraint_name?: string }).constraint_name !== 'users_org_email_idx') throw error;
    io.write('an active user of this organization already has this e-mail\n');
    return 1;
  } finally {
    await sql.end();
  }
}

runIfMain(import.meta.url, main);
