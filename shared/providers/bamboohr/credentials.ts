/** BambooHR credentials: API key (Basic, key as username) and company domain; the webhook private key. */
import * as z from 'zod';

export const bamboohrCredentialsSchema = z.object({
  apiKey: z.string().min(1),
  /** The `{companyDomain}` of `https://{companyDomain}.bamboohr.com` and of the API path. */
  companyDomain: z
    .string()
    .trim()
    .min(1)
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a BambooHR company domain (letters, digits, dashes)'),
  /** `privateKey` returned once by the webhook create call (docs/providers.md §6.3). */
  webhookSecret: z.string().min(1).optional(),
});

export type BamboohrCredentials = z.output<typeof bamboohrCredentialsSchema>;
