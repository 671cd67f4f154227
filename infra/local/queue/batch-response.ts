/**
 * How Lambda reads an SQS handler's answer with ReportBatchItemFailures on (docs/reliability.md §1.4; Lambda
 * "Handling errors for an SQS event source"):
 * - no answer (`undefined`/`null`), an object without `batchItemFailures`, or with it null or empty:
 *   full success;
 * - an item whose `itemIdentifier` is missing (misspelled key), null, empty, not a string, or not a
 *   message id of this batch: full failure;
 * - an answer that is not a JSON object, or `batchItemFailures` that is not a list: full failure
 *   (Lambda cannot read it);
 * - otherwise exactly the listed message ids failed.
 * The answer goes through JSON first, as the runtime serialises it.
 */
export type BatchVerdict =
  | { kind: 'success' }
  | { kind: 'partial'; failedIds: Set<string> }
  | { kind: 'failure'; reason: string };

export function interpretBatchResponse(
  response: unknown,
  batchMessageIds: ReadonlySet<string>,
): BatchVerdict {
  if (response === undefined || response === null) return { kind: 'success' };
  let wire: unknown;
  try {
    const json = JSON.stringify(response);
    wire = json === undefined ? null : JSON.parse(json);
  } catch {
    return { kind: 'failure', reason: 'the response cannot be serialised to JSON' };
  }
  if (wire === null) return { kind: 'success' };
  if (typeof wire !== 'object' || Array.isArray(wire)) {
    return { kind: 'failure', reason: 'the response is not a JSON object' };
  }
  const items = (wire as { batchItemFailures?: unknown }).batchItemFailures;
  if (items === undefined || items === null) return { kind: 'success' };
  if (!Array.isArray(items)) return { kind: 'failure', reason: 'batchItemFailures is not a list' };
  if (items.length === 0) return { kind: 'success' };
  const failedIds = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { kind: 'failure', reason: 'a batchItemFailures entry is not an object' };
    }
    const id = (item as { itemIdentifier?: unknown }).itemIdentifier;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'failure', reason: 'an itemIdentifier is missing, null or empty' };
    }
    if (!batchMessageIds.has(id))
      return { kind: 'failure', reason: `itemIdentifier ${id} is not in the batch` };
    failedIds.add(id);
  }
  return { kind: 'partial', failedIds };
}
