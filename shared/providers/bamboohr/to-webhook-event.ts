/**
 * BambooHR webhook body → canonical events. BambooHR webhooks fire on changes to *employees* (monitored employee
 * fields, actions Created/Updated/Deleted: confirmed, documentation.bamboohr.com/docs/webhooks); nothing in them
 * is an applicant or an application. Each employee entry therefore becomes an `ignored` event that still names
 * what happened (`employee.updated`, ...), so the inbox records it and nothing else changes.
 */
import type { CanonicalWebhookEvent } from '../../domain/canonical.js';
import type { BambooWebhookBody } from './schemas.js';

export function employeeEventType(action: string | null | undefined): string {
  const normalised = (action ?? '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z]+/g, '_');
  return normalised ? `employee.${normalised}` : 'employee.changed';
}

export function toWebhookEvents(body: BambooWebhookBody): CanonicalWebhookEvent[] {
  if (body.employees.length === 0) return [{ kind: 'ignored', eventType: 'employee.none' }];
  return body.employees.map((employee) => ({
    kind: 'ignored',
    eventType: employeeEventType(employee.action),
  }));
}
