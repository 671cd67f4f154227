/**
 * Every provider client's record objects against its fake, whatever the provider: a full pass of each record object
 * the provider lists in its capabilities yields exactly the records the fake holds, mapped to the canonical fields
 * that carry their meaning (test/fakes/<p>/record-facts.ts says what they must be, from the fake's own state); an
 * object the provider does not offer is refused as `objectNotOffered`. Runs over the fixtures of test/fakes/index.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordObjectType, syncObjectTypes } from '../../../../shared/domain/canonical.js';
import type { ProviderFixture, RunningFake } from '../../../fakes/fixture.js';
import { providerFixtures } from '../../../fakes/index.js';
import { caught, clientWith, readPass } from '../client-harness.js';

let running: RunningFake | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const recordObjects = syncObjectTypes.filter(
  (t): t is RecordObjectType => t !== 'job' && t !== 'candidate' && t !== 'application',
);

async function clientOf(fixture: ProviderFixture) {
  running = await fixture.start({ records: 30, jobs: 2, throttled: false });
  const client = clientWith(fixture.module, {
    credentials: running.credentials,
    settings: running.settings,
    clock: running.clock,
  });
  return { client, fake: running };
}

/** The record's fields that `facts` names: what the contract compares. */
const picked = (record: Record<string, unknown>, facts: Record<string, unknown>) =>
  Object.fromEntries(Object.keys(facts).map((key) => [key, record[key]]));

describe.each(providerFixtures)('$name client: record objects', (fixture) => {
  const offered = recordObjects.filter((t) => fixture.module.capabilities.objects.includes(t));
  const missing = recordObjects.filter((t) => !offered.includes(t));

  for (const objectType of offered) {
    it(`maps every ${objectType} the fake holds`, async () => {
      const { client, fake } = await clientOf(fixture);
      const expected = fake.records.expected(objectType);

      const pass = await readPass(client, objectType);

      const read = new Map(
        (pass.records as unknown as Record<string, unknown>[]).map((r) => {
          const facts = expected.get(r['remoteId'] as string) ?? {};
          return [r['remoteId'] as string, picked(r, facts)];
        }),
      );
      expect(expected.size).toBeGreaterThan(0);
      expect(read).toEqual(expected);
    });
  }

  for (const objectType of missing) {
    it(`refuses ${objectType}, which it does not offer`, async () => {
      const { client } = await clientOf(fixture);

      const error = await caught(
        client.listPage(objectType, { mode: 'full', cursor: null, pageToken: null }),
      );

      expect({ kind: error.kind, message: error.message }).toEqual({
        kind: 'permanent',
        message: `${fixture.name} offers no ${objectType} list`,
      });
    });
  }
});
