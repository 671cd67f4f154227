import type { QueueName } from '../config/resources.js';

/**
 * Which queues an outbox event goes to. Stage and status changes feed the status push (sync queue) and
 * notifications; sync requests go to the worker; everything else only to notifications.
 */
export function queuesFor(eventType: string): QueueName[] {
  if (eventType === 'application.stage_changed' || eventType === 'application.status_changed') {
    return ['sync', 'notify'];
  }
  if (eventType === 'sync.requested') return ['sync'];
  return ['notify'];
}
