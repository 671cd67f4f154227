/** The raw provider samples under events/providers/<provider>/, as the mapper tests read them. */
import { readFileSync } from 'node:fs';

/** Reads `events/providers/<provider>/<name>` as parsed JSON; `T` is what the test reads it as. */
export const jsonSamples =
  <T = unknown>(provider: string) =>
  (name: string): T =>
    JSON.parse(
      readFileSync(new URL(`../../../events/providers/${provider}/${name}`, import.meta.url), 'utf8'),
    );
