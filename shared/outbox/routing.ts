import type { QueueName } from '../config/resources.js';

/**
 * Which queues an outbox event goes to. Stage and status changes feed the status push (sync queue) and
 * notifications; sync requests and the write-back's wake-ups go to the worker; everything else only to
 * notifications.
 */
export function queuesFor(eventType: string): QueueName[] {
  if (eventType === 'application.stage_changed' || eventType === 'application.status_changed') {
    return ['sync', 'notify'];
  }
  if (eventType === 'sync.requested') return ['sync'];
  // the write-back of portal submissions (docs/write-back.md): a new application, a scan verdict, a manual retry
  if (eventType === 'application.created') return ['sync', 'notify'];
  if (eventType === 'document.scanned' || eventType === 'application.push_requested') return ['sync'];
  // hub-written notes and tags go out to the provider where its API takes them (docs/ats-record.md)
  if (eventType === 'note.created' || eventType === 'candidate.tags_changed') return ['sync'];
  // an operator's retry of a failed push (POST /push-log/{id}/retry): the worker only, never the subscribers
  if (eventType === 'push.retry_requested') return ['sync'];
  return ['notify'];
}
