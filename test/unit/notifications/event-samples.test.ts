/**
 * events/notifications/<type>.json: one sample per catalogue event, each exactly the webhook body the hub
 * emits for it; events/notifier/*.json: queue samples the notifier's SQS stack accepts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../../../shared/messages/events.js';
import { hubMessage } from '../../../shared/messages/queue-messages.js';
import { subscribableEventTypes } from '../../../shared/notifications/event-types.js';
import { renderEnvelope } from '../../../shared/notifications/payload.js';
import { isWakeMessage } from '../../../shared/notifications/wake.js';

const dir = new URL('../../../events/notifications/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const read = (url: URL) => JSON.parse(readFileSync(url, 'utf8'));

describe('notification event samples', () => {
  it('exist for every type of the catalogue, and only for those', () => {
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual(Object.keys(eventCatalog).sort());
  });

  for (const type of Object.keys(eventCatalog) as (keyof typeof eventCatalog)[]) {
    it(`${type}: valid against its schema and exactly what the hub sends`, () => {
      const sample = read(new URL(`${type}.json`, dir)) as { type: string; timestamp: string; data: unknown };
      expect(sample.type).toBe(type);
      expect(new Date(sample.timestamp).toISOString()).toBe(sample.timestamp);
      const parsed = eventCatalog[type].safeParse(sample.data);
      expect(parsed.error?.issues ?? []).toEqual([]);
      const rendered = JSON.parse(
        renderEnvelope(type, sample.timestamp, parsed.data as Record<string, unknown>),
      );
      expect(rendered).toEqual(sample);
    });
  }

  it('lists every type routed to the notify queue as subscribable, and sync.requested not', () => {
    expect(subscribableEventTypes).toContain('application.handoff');
    expect(subscribableEventTypes).toContain('analytics.exported');
    expect(subscribableEventTypes).not.toContain('sync.requested');
  });
});

describe('notifier queue samples', () => {
  const notifierDir = new URL('../../../events/notifier/', import.meta.url);
  const sample = (name: string) => read(new URL(name, notifierDir)) as { Records: { body: string }[] };

  it('parse with hubMessage: an outbox relay and a wake-up', () => {
    const relay = hubMessage.parse(JSON.parse(sample('outbox-handoff.json').Records[0]!.body));
    const wake = hubMessage.parse(JSON.parse(sample('wake-up.json').Records[0]!.body));
    expect(relay.type === 'outbox' && !isWakeMessage(relay)).toBe(true);
    expect(wake.type === 'outbox' && isWakeMessage(wake)).toBe(true);
    if (relay.type === 'outbox')
      expect(eventCatalog['application.handoff'].safeParse(relay.payload).success).toBe(true);
  });

  it('include a poison message that fails the schema', () => {
    expect(hubMessage.safeParse(JSON.parse(sample('poison.json').Records[0]!.body)).success).toBe(false);
  });
});
