/** `sync-worker` → `SyncWorker`: construct IDs derived from topology names (they become logical IDs). */
export function pascal(name: string): string {
  return name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}
