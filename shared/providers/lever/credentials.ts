/**
 * Lever credentials: an API key (Basic, key as username, blank password) or OAuth 2.0 with a rotating refresh
 * token (docs/providers.md §3.1). `webhookSecret` is Lever's signing token; Lever keeps one per event type
 * (secondary), so `webhookSecrets` may list them all and the intake passes every one as a secret.
 */
import * as z from 'zod';

const webhook = {
  webhookSecret: z.string().min(1).optional(),
  webhookSecrets: z.record(z.string(), z.string().min(1)).optional(),
};

export const leverCredentialsSchema = z.union([
  z.object({ apiKey: z.string().min(1), ...webhook }),
  z.object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
    /** Optional still-valid access token, e.g. right after the authorization-code exchange. */
    accessToken: z.string().min(1).optional(),
    ...webhook,
  }),
]);

export type LeverCredentials = z.output<typeof leverCredentialsSchema>;
