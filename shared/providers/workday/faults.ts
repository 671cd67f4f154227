/**
 * Workday SOAP faults → what the engine does with them. Workday answers faults with HTTP 500 and a `faultcode`
 * such as `SOAP-ENV:Client.authenticationError`, `Client.validationError` (detail `Validation_Fault`) or
 * `Client.processingError` (detail `Processing_Fault`) (unverified: codes as seen in public clients, not in
 * docs/providers.md). Matching is by substring, case-insensitive, so prefixes and versions do not matter.
 */
import type { SoapFault } from '../common/soap.js';

export type WorkdayFaultKind = 'auth' | 'permission' | 'validation' | 'processing' | 'server' | 'unknown';

/**
 * A signed-in ISU whose security groups do not allow the task: "Processing error occurred. The task submitted is
 * not authorized." (secondary: learningworkday.blogspot.com, 2025-04-03). A refusal of that one call, not bad
 * credentials.
 */
const TASK_NOT_AUTHORIZED = /task submitted is not authorized/;

export function classifyFault(fault: SoapFault): WorkdayFaultKind {
  const code = fault.code.toLowerCase();
  const message = fault.message.toLowerCase();
  if (code.includes('authentication') || code.includes('authorization') || code.includes('security'))
    return 'auth';
  if (TASK_NOT_AUTHORIZED.test(message)) return 'permission';
  if (/invalid username or password|not authorized|authentication failed/.test(message)) return 'auth';
  if (code.includes('validation')) return 'validation';
  if (code.includes('processing')) return 'processing';
  if (code.includes('server') || code.includes('receiver')) return 'server';
  return 'unknown';
}

/**
 * A short message for errors and refused writes: fault string and first detail, capped. Workday validation
 * messages name ids and step names, not personal data; the cap keeps an echoed value from growing a log line.
 */
export function faultSummary(fault: SoapFault): string {
  const parts = [fault.message, ...fault.details.slice(0, 1)].filter((part) => part.trim() !== '');
  const unique = [...new Set(parts)];
  return (unique.join(' | ') || fault.code || 'SOAP fault').slice(0, 300);
}
