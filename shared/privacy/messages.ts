/** The message of the `privacy` queue: one erasure to run (or to go on with). */
import * as z from 'zod';
import type { Queue } from '../ports/queue.js';

export const erasureMessage = z.object({
  type: z.literal('erasure'),
  organizationId: z.uuid(),
  erasureId: z.uuid(),
});
export type ErasureMessage = z.infer<typeof erasureMessage>;

/** Hands the erasure to the erasure worker; throws when the queue refused it (the caller answers 5xx). */
export async function enqueueErasure(
  queue: Queue | undefined,
  message: Omit<ErasureMessage, 'type'>,
): Promise<void> {
  if (!queue) throw new Error('the privacy queue is not configured');
  const result = await queue.sendBatch([
    { id: 'erasure', body: JSON.stringify({ type: 'erasure', ...message } satisfies ErasureMessage) },
  ]);
  if (result.failed.length > 0)
    throw new Error(`privacy queue refused the erasure: ${result.failed[0]!.code}`);
}
