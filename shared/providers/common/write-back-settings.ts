/**
 * The write-back settings every provider takes (docs/write-back.md): whether portal submissions are created at
 * the provider, who the provider records as acting, and which of its sources a submission credits.
 */
import * as z from 'zod';

export const writeBackSettings = {
  pushSubmissions: z.boolean().default(true),
  /** Greenhouse token `sub`, Lever `perform_as`, Ashby/BambooHR/Workday: the user the provider records. */
  actingUserId: z.string().trim().min(1).max(200).nullable().default(null),
  /** The provider's source (or referral channel) a submission credits. */
  sourceId: z.string().trim().min(1).max(200).nullable().default(null),
};

export const writeBackSettingsSchema = z.object(writeBackSettings);
export type WriteBackSettings = z.output<typeof writeBackSettingsSchema>;
