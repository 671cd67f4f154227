import { type EventType, eventCatalog } from '../messages/events.js';
import { queuesFor } from '../outbox/routing.js';

/**
 * The catalogue's events a subscription may ask for: those the outbox relay hands to the notify queue
 * (shared/outbox/routing.ts). `sync.requested` is internal work for the sync worker and never reaches it.
 */
export const subscribableEventTypes = (Object.keys(eventCatalog) as EventType[]).filter((type) =>
  queuesFor(type).includes('notify'),
) as [EventType, ...EventType[]];

export function isCatalogueType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}
