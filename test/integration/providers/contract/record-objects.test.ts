/**
 * Every provider client's record objects against its fake, whatever the provider: a full pass of each record object
 * the provider lists in its capabilities yields exactly the records the fake holds, mapped to the canonical fields
 * that carry their meaning (test/fakes/<p>/record-facts.ts says what they must be, from the fake's own state); an
 * object the provider's client does not offer is refused as `objectNotOffered`. Runs over the fixtures of test/fakes/index.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type RecordObjectType, syncObjectTypes } from '../../../../shared/domain/canonical.js';
import type { ProviderClient } from '../../../../shared/ports/provider.js';
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

type Facts = Record<string, unknown>;

/** The record's fields that `facts` names: what the contract compares. */
const picked = (record: Facts, facts: Facts) =>
  Object.fromEntries(Object.keys(facts).map((key) => [key, record[key]]));

/** The records of a full pass, by remote id, reduced to the fields the fake's facts name. */
async function readAll(client: ProviderClient, objectType: RecordObjectType, expected: Map<string, Facts>) {
  const pass = await readPass(client, objectType);
  return new Map(
    (pass.records as unknown as Facts[]).map((r) => {
      const remoteId = r['remoteId'] as string;
      return [remoteId, picked(r, expected.get(remoteId) ?? {})];
    }),
  );
}

describe.each(providerFixtures)('$name client: record objects', (fixture) => {
  // the client's own capabilities: a setting may add an object (Ashby's `candidateNotes`, on in its fixture)
  for (const objectType of recordObjects) {
    it(`maps every ${objectType} the fake holds, or refuses it as not offered`, async () => {
      const { client, fake } = await clientOf(fixture);

      if (client.capabilities.objects.includes(objectType)) {
        const expected = fake.records.expected(objectType);
        const read = await readAll(client, objectType, expected);
        expect(expected.size).toBeGreaterThan(0);
        expect(read).toEqual(expected);
      } else {
        const error = await caught(
          client.listPage(objectType, { mode: 'full', cursor: null, pageToken: null }),
        );
        expect({ kind: error.kind, message: error.message }).toEqual({
          kind: 'permanent',
          message: `${fixture.name} offers no ${objectType} list`,
        });
      }
    });
  }
});
