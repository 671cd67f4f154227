/**
 * `npm run keys:create -- --org <id> --role admin|ats|portal [--label text]`
 * `npm run keys:create -- --new-org "Name" --role admin`
 * Creates an organization and/or an API key with owner credentials (DATABASE_URL) and prints the key once;
 * only its hash is stored. This is how the first admin key of a deployment is made.
 */
import { parseArgs } from 'node:util';
import { createDbClient } from '../../shared/db/client.js';
import { insertApiKey } from '../../shared/db/repositories/api-keys.js';

const { values } = parseArgs({
  options: {
    org: { type: 'string' },
    'new-org': { type: 'string' },
    role: { type: 'string', default: 'admin' },
    label: { type: 'string', default: 'created by keys:create' },
  },
});

const role = values.role;
if (role !== 'admin' && role !== 'ats' && role !== 'portal')
  throw new Error('--role must be admin, ats or portal');
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL (owner credentials) is required');
if (!values.org && !values['new-org']) throw new Error('--org <id> or --new-org <name> is required');

const sql = createDbClient({ url: process.env.DATABASE_URL, max: 1 });
try {
  let organizationId = values.org;
  if (!organizationId) {
    const [org] = await sql<
      { id: string }[]
    >`insert into organizations (name) values (${values['new-org']!}) returning id`;
    organizationId = org!.id;
    process.stdout.write(`organization ${organizationId}\n`);
  }
  const { id, key } = await insertApiKey(sql, { organizationId, role, label: values.label });
  process.stdout.write(`key ${id} (${role}): ${key}\nStore it now: it is not shown again.\n`);
} finally {
  await sql.end();
}
