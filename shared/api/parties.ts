/**
 * Schemas of the several-parties routes (docs/parties.md): organizations under a platform, partnerships between an
 * employer and an agency, and messages between the parties of an application.
 */
import * as z from 'zod';
import { text, uuid } from './common.js';

export const createOrganizationBody = z
  .object({
    name: text(200),
    type: z.enum(['employer', 'agency']),
  })
  .strict()
  .meta({ id: 'CreateOrganization' });
export type CreateOrganizationBody = z.infer<typeof createOrganizationBody>;

export const organizationView = z
  .object({
    id: uuid,
    name: z.string(),
    type: z.enum(['employer', 'agency', 'platform']),
    parentOrganizationId: uuid.nullable(),
    createdAt: z.string(),
    /** Shown once: the hub keeps their hashes only. */
    keys: z.object({ portal: z.string(), ats: z.string(), admin: z.string() }),
  })
  .meta({ id: 'Organization' });

export const createPartnershipBody = z
  .object({
    agencyOrganizationId: uuid,
    jobIds: z
      .array(uuid)
      .min(1)
      .max(100)
      .transform((ids) => [...new Set(ids)]),
  })
  .strict()
  .meta({ id: 'CreatePartnership' });
export type CreatePartnershipBody = z.infer<typeof createPartnershipBody>;

export const partnershipView = z
  .object({
    id: uuid,
    employerOrganizationId: uuid,
    agencyOrganizationId: uuid,
    jobIds: z.array(uuid),
    createdAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .meta({ id: 'Partnership' });
export const partnershipList = z.object({ items: z.array(partnershipView) }).meta({ id: 'PartnershipList' });

export const sendMessageBody = z
  .object({
    body: text(20000),
    to: z.union([z.literal('all_parties'), uuid]),
  })
  .strict()
  .meta({ id: 'SendMessage' });
export type SendMessageBody = z.infer<typeof sendMessageBody>;

export const messageView = z
  .object({
    id: uuid,
    applicationId: uuid,
    fromOrganizationId: uuid,
    to: z.union([z.literal('all_parties'), uuid]),
    body: z.string(),
    authorUserId: uuid.nullable(),
    createdAt: z.string(),
    /** One per recipient organization; `readAt` null until that organization marks it read. */
    receipts: z.array(z.object({ organizationId: uuid, readAt: z.string().nullable() })),
  })
  .meta({ id: 'Message' });
export const messageList = z.object({ items: z.array(messageView) }).meta({ id: 'MessageList' });
