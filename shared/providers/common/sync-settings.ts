/**
 * Which objects a sync pulls (docs/ats-record.md, "Choosing what to sync"): every provider offers jobs,
 * candidates and applications, and most of the recruiting record. An integration may pull less, for example no
 * notes; the core three are always pulled, since everything else hangs off them.
 */
import * as z from 'zod';
import { type SyncObjectType, syncObjectTypes } from '../../domain/canonical.js';

const CORE: readonly SyncObjectType[] = ['job', 'candidate', 'application'];

export const syncSettings = {
  /** Absent: everything the provider offers. */
  syncObjects: z.array(z.enum(syncObjectTypes)).min(1).optional(),
};

const schema = z.object(syncSettings);

/** The objects this integration's sync pulls, in the provider's order. */
export function objectsToSync(
  offered: readonly SyncObjectType[],
  settings: Record<string, unknown>,
): SyncObjectType[] {
  const chosen = schema.safeParse(settings).data?.syncObjects;
  if (!chosen) return [...offered];
  return offered.filter((o) => CORE.includes(o) || chosen.includes(o));
}
