/**
 * Workday credentials: an Integration System User (WS-Security `UsernameToken`, sent as `user@tenant`) or an
 * OAuth bearer token obtained through Register API Client (docs/providers.md §5.1, §5.5; both secondary).
 */
import * as z from 'zod';

export const workdayUserCredentialsSchema = z.object({
  /** ISU name without or with the `@tenant` suffix. */
  username: z.string().trim().min(1),
  password: z.string().min(1),
  tenant: z.string().trim().min(1),
});

export const workdayTokenCredentialsSchema = z.object({
  accessToken: z.string().min(1),
  /** Needed to build the endpoint unless `settings.baseUrl` is a full service URL or `settings.tenant` is set. */
  tenant: z.string().trim().min(1).optional(),
});

export const workdayCredentialsSchema = z.union([
  workdayUserCredentialsSchema,
  workdayTokenCredentialsSchema,
]);

export type WorkdayCredentials = z.output<typeof workdayCredentialsSchema>;

/** `isu` + `acme` → `isu@acme`; a name already carrying the suffix is kept as it is. */
export function workdayUsername(username: string, tenant: string): string {
  return username.toLowerCase().endsWith(`@${tenant.toLowerCase()}`) ? username : `${username}@${tenant}`;
}
