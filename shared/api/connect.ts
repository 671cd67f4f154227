/** Schemas of the connect flow (docs/api.md "Connecting a provider", docs/connect.md). */
import * as z from 'zod';
import { providerNameSchema } from '../providers/registry.js';
import { isoDateTime } from './common.js';

export const createConnectSessionBody = z
  .object({
    /** Preselects the provider; without it the customer picks one on the page. */
    provider: providerNameSchema.optional(),
    /** Where the page sends the customer when done: this hub's origin or the deployment's allow-list. */
    redirectUrl: z.string().max(2000).optional(),
  })
  .strict()
  .meta({ id: 'CreateConnectSession' });

export type CreateConnectSessionBody = z.infer<typeof createConnectSessionBody>;

export const connectSessionView = z
  .object({ url: z.url(), expiresAt: isoDateTime })
  .meta({ id: 'ConnectSession' });

/** Any string: an unknown or mangled token gets the page saying the link is not valid, not a JSON error. */
export const connectPageParams = z.object({ token: z.string().max(200) });
export type ConnectPageParams = z.infer<typeof connectPageParams>;

export const connectPageQuery = z.object({ provider: z.string().max(40).optional() });
export type ConnectPageQuery = z.infer<typeof connectPageQuery>;

export const oauthCallbackParams = z.object({ provider: z.string().max(40) });
export type OAuthCallbackParams = z.infer<typeof oauthCallbackParams>;

/** What the provider's authorization server appends to the callback (RFC 6749 §4.1.2). */
export const oauthCallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});
export type OAuthCallbackQuery = z.infer<typeof oauthCallbackQuery>;
